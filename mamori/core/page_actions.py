"""Links a higher app adds to a lower app's page, without the lower app knowing it.

The register's 届出 page offers 「審議会資料・届出書を取り込む」, but the upload lives in the council
app, which sits above the register: the register may not name it. The council registers a
contributor ``(user) -> iterable of Action`` for the page's key from its ``AppConfig.ready()``; the
page's view asks ``actions_for(key, user)`` and renders what comes back. Each contributor decides
itself who sees its link (a role without the permission gets nothing).
"""
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    hint: str = ""


Contributor = Callable[[object], Iterable[Action]]
CONTRIBUTORS: dict[str, list[Contributor]] = defaultdict(list)


def register_page_action(page: str, contributor: Contributor) -> None:
    if contributor not in CONTRIBUTORS[page]:
        CONTRIBUTORS[page].append(contributor)


def actions_for(page: str, user) -> list[Action]:
    return [action for contributor in CONTRIBUTORS.get(page, ()) for action in contributor(user)]
