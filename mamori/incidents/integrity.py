"""Incidents' checks over data written in bulk (core.integrity: `mamori import`, `mamori restore`)."""
from mamori.core.integrity import Violation
from mamori.incidents import rules
from mamori.incidents.models import Incident


def incidents():
    """What incident_save refuses: dates out of order (発生 ≤ 知った日 ≤ 速報 ≤ 確報)."""
    for i in Incident.objects.order_by("pk").iterator(chunk_size=2000):
        for field, message in rules.date_errors(i.occurred_on, i.learned_on, i.sokuhou_on, i.kakuhou_on).items():
            yield Violation("incidents.json", "incidents.incident", f"事案「{str(i)[:40]}」", field, message)
