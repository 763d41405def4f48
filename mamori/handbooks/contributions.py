"""What handbooks contributes to core's registries: on a removed 実施機関's entry in the organisation screen, the
offer to start the handbooks' revision; the export/import section."""
from urllib.parse import urlencode

from django.urls import reverse

from mamori.core import actions, transfer
from mamori.core.actions import Action
from mamori.core.permissions import can_keep_handbooks
from mamori.handbooks.transfer_sections import HandbooksSection


def organ_actions(user, organ) -> list[Action]:
    """Offered once the organ is removed from the 実施機関 (core.services.organ_remove)."""
    if not can_keep_handbooks(user) or not organ.removed_on:
        return []
    query = urlencode({"organ": organ.pk})
    return [Action("手引の改訂を作成", f"{reverse('handbooks:revision_new')}?{query}",
                   f"{organ.name}が実施機関から除かれたので、手引（個人情報保護制度の手引など）の記述を改訂します。")]


def register() -> None:
    actions.register_action("core.Organ", organ_actions)
    transfer.register_sections(HandbooksSection)
