"""What handbooks contributes to core's registries: on an 実施機関's entry in the organisation screen, the offer
to start the handbooks' revision for its removal from the 実施機関."""
from urllib.parse import urlencode

from django.urls import reverse

from mamori.core import actions
from mamori.core.actions import Action
from mamori.core.permissions import can_keep_handbooks


def organ_actions(user, organ) -> list[Action]:
    if not can_keep_handbooks(user):
        return []
    query = urlencode({"organ": organ.pk})
    return [Action("手引の改訂を作成", f"{reverse('handbooks:revision_new')}?{query}",
                   f"{organ.name}を実施機関から除くときは、手引（個人情報保護制度の手引など）の改訂も作ります。")]


def register() -> None:
    actions.register_action("core.Organ", organ_actions)
