"""Each role's home page is its worklist: the apps contribute the entries.

A contributor is ``(user) -> iterable of Entry``, registered from its app's
``AppConfig.ready()``. Core renders the entries in the order of registration (the layer
order of INSTALLED_APPS) and knows nothing of what they count.
"""
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class Item:
    """One piece of work named on the card (the first few of the entry's list), e.g. a request and its clock."""
    label: str
    url: str
    note: str = ""      # e.g. 「期限 令和8年12月3日（木）・あと2開庁日」
    urgent: bool = False


@dataclass(frozen=True)
class Entry:
    title: str
    count: int
    url: str            # the list, filtered to exactly what the entry counts
    link_text: str
    hint: str = ""
    urgent: bool = False  # overdue work: shown first and marked
    items: tuple[Item, ...] = ()  # at most ITEMS_SHOWN, most urgent first


ITEMS_SHOWN = 5


Contributor = Callable[[object], Iterable[Entry]]
CONTRIBUTORS: list[Contributor] = []


def register_worklist(contributor: Contributor) -> None:
    if contributor not in CONTRIBUTORS:
        CONTRIBUTORS.append(contributor)


def entries_for(user) -> list[Entry]:
    entries = [entry for contributor in CONTRIBUTORS for entry in contributor(user)]
    return sorted(entries, key=lambda e: not e.urgent)  # stable: urgent first, otherwise as registered
