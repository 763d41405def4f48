"""Acts of a lower layer that the layers above follow, inside the same transaction.

The register cannot import the apps above it. When it makes a program version current it
announces it here, and whoever registered a listener (from its ``contributions.py``) acts on it
before the transaction commits: the 個人情報ファイル簿 drafts its entry at once (個人情報保護法施行令
第20条第1項・第3項「直ちに」). A listener that raises rolls the act back with it: no acceptance
without its consequences, no consequences without the acceptance.
"""
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class VersionAccepted:
    """A 届出 was accepted: ``version`` is now ``program``'s current version."""

    program: object  # register.Program
    version: object  # register.ProgramVersion
    notification: object  # register.Notification that was accepted
    actor: object  # who accepted it


VersionListener = Callable[[VersionAccepted], None]
VERSION_ACCEPTED: list[VersionListener] = []


def on_version_accepted(listener: VersionListener) -> None:
    if listener not in VERSION_ACCEPTED:
        VERSION_ACCEPTED.append(listener)


def version_accepted(event: VersionAccepted) -> None:
    """Called by register.services inside the acceptance's transaction."""
    for listener in VERSION_ACCEPTED:
        listener(event)
