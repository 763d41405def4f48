"""What the impact analysis adds to core's registries: 「影響範囲を調べる」 on an incident's page."""
from urllib.parse import urlencode

from django.urls import reverse

from mamori.core import actions
from mamori.core import permissions as perm


def incident_actions(user, incident):
    if not (perm.can_manage_incidents(user) and perm.can_read_register(user)):
        return
    if incident.contract_id:
        kind, value = "contractor", incident.contract.contractor.name
    elif incident.contractor_name:
        kind, value = "contractor", incident.contractor_name
    else:
        program = incident.programs.first()
        kind, value = ("program", program.code) if program else ("item", (incident.items or [""])[0])
    query = urlencode({"kind": kind, "value": value, "on": incident.learned_on.isoformat(), "incident": incident.pk})
    yield actions.Action("影響範囲を調べる", f"{reverse('impact:ask')}?{query}", "関係する事務事業・項目・人数を管理簿から調べて、この事案に反映できます。")


def register() -> None:
    actions.register_action("incidents.Incident", incident_actions)
