"""Links and actions a higher app offers on a lower app's page, without the lower app knowing it.

Two kinds of place, one registry:

* a page, by its key: the register's 届出 page offers 「審議会資料・届出書を取り込む」, though the upload
  lives in the council app above it (``register_page_action("register:notifications", fn(user))``);
* a record's page, by the record's model: an incident's page offers 「影響範囲を調べる」 from the impact
  analysis (``register_action("incidents.Incident", fn(user, record))``), rendered with the core
  template tag ``{% record_actions incident %}``.

Contributors register from their app's ``AppConfig.ready()`` and decide themselves who sees their
link (a role without the permission gets nothing).
"""
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    hint: str = ""


PageContributor = Callable[[object], Iterable[Action]]            # (user)
RecordContributor = Callable[[object, object], Iterable[Action]]  # (user, record)
_PAGES: dict[str, list[PageContributor]] = {}
_RECORDS: dict[str, list[RecordContributor]] = {}


def register_page_action(page: str, contributor: PageContributor) -> None:
    contributors = _PAGES.setdefault(page, [])
    if contributor not in contributors:
        contributors.append(contributor)


def register_action(model_label: str, contributor: RecordContributor) -> None:
    contributors = _RECORDS.setdefault(model_label, [])
    if contributor not in contributors:
        contributors.append(contributor)


def actions_for(page: str, user) -> list[Action]:
    """What is offered on a page (by its key) to this user."""
    return [action for contributor in _PAGES.get(page, ()) for action in contributor(user)]


def record_actions_for(user, record) -> list[Action]:
    """What is offered on a record's page to this user."""
    return [action for contributor in _RECORDS.get(record._meta.label, ()) for action in contributor(user, record)]
