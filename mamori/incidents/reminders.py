"""Leak clocks for the morning reminder (core.digest): 速報 and 確報 still to be sent (法第68条; 規則第44条)."""
import datetime

from mamori.core.calendar import seireki
from mamori.core.digest import Reminder
from mamori.core.models import User
from mamori.core.permissions import can_manage_incidents
from mamori.incidents import rules
from mamori.incidents.models import Incident


def incident_lines(today: datetime.date) -> list[str]:
    lines = []
    for incident in Incident.objects.filter(kakuhou_on__isnull=True):
        c = rules.clocks(incident.learned_on, incident.malicious)
        if incident.sokuhou_on is None:
            lines.append(f"・漏えい等「{incident.title}」速報が未送付（目安 {seireki(c.sokuhou_by)}）")
        lines.append(f"・漏えい等「{incident.title}」確報の期限 {seireki(c.kakuhou_by)}" + ("（期限超過）" if c.kakuhou_by < today else ""))
    return lines


def incident_reminders(today: datetime.date, soon_days: int = 7):
    """To everyone who manages incidents: the open clocks, in one mail."""
    leaks = incident_lines(today)
    if not leaks:
        return
    for user in User.objects.filter(is_active=True).exclude(email=""):
        if can_manage_incidents(user):
            yield Reminder(user, f"【まもり】漏えい等の報告期限 {len(leaks)}件", "\n".join([f"{user} 様", "", *leaks]), len(leaks), "漏えい等")
