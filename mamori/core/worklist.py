"""Each role's home page is its worklist: the apps contribute the entries.

A contributor is ``(user) -> iterable of Entry``, registered from its app's
``AppConfig.ready()``. Core renders the entries in the order of registration (the layer
order of INSTALLED_APPS) and knows nothing of what they count.
"""
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class Entry:
    title: str
    count: int
    url: str
    link_text: str
    hint: str = ""
    urgent: bool = False  # overdue work: shown first and marked


Contributor = Callable[[object], Iterable[Entry]]
CONTRIBUTORS: list[Contributor] = []


def register_worklist(contributor: Contributor) -> None:
    if contributor not in CONTRIBUTORS:
        CONTRIBUTORS.append(contributor)


def entries_for(user) -> list[Entry]:
    entries = [entry for contributor in CONTRIBUTORS for entry in contributor(user)]
    return sorted(entries, key=lambda e: not e.urgent)  # stable: urgent first, otherwise as registered
