"""Writes of the impact analysis: only through the owning app's services (an incident through incidents')."""
from mamori.impact.selectors import Answer
from mamori.incidents import services as incidents
from mamori.incidents.models import Incident
from mamori.register.models import Program


def prefill_incident(*, actor, incident: Incident, answer: Answer, base_version: str) -> Incident:
    """Set the incident's programs, items and persons from an impact answer the office has looked at.

    Items: every item the answer names (the contract's or the item asked about, else the programs');
    persons: one 本人の区分 per program (its 本人の数), so the incident's total is the answer's. Everything else
    on the incident stays. The incidents service checks the permission and the version, audits the change,
    and the 規則43条 assessment is recomputed from the new facts when the page is shown."""
    data = {f: getattr(incident, f) for f in incidents.FIELDS if f != "items"}
    data["items"] = list(dict.fromkeys(item for row in answer.rows for item in row.items))
    programs = list(Program.objects.filter(pk__in=[r.program_pk for r in answer.rows]).select_related("current"))
    groups = [(f"{r.name}の本人", r.person_count) for r in answer.rows if r.person_count is not None]
    return incidents.incident_save(actor=actor, incident=incident, programs=programs, groups=groups, base_version=base_version, **data)
