"""Actions a higher app offers on a lower app's record page (a registry, so the lower app need not know it).

The impact analysis offers 「影響範囲を調べる」 on an incident's page; the incidents app only renders
``{% record_actions incident %}`` (core template tag) where its page lists what can be done next.
"""
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    hint: str = ""


Provider = Callable[[object, object], Iterable[Action]]  # (user, record) -> actions the user may take
PROVIDERS: dict[str, list[Provider]] = {}


def register_action(model_label: str, provider: Provider) -> None:
    providers = PROVIDERS.setdefault(model_label, [])
    if provider not in providers:
        providers.append(provider)


def actions_for(user, record) -> list[Action]:
    return [a for provider in PROVIDERS.get(record._meta.label, ()) for a in provider(user, record)]
