"""Leak clocks for the morning reminder (core.digest): 速報 and 確報 still to be sent (法第68条; 規則第44条),
for the incidents the PPC must be told of (the same list as the home page's entries, selectors.to_send)."""
import datetime

from mamori.core.calendar import wareki
from mamori.core.digest import Reminder
from mamori.core.models import User
from mamori.core.permissions import can_manage_incidents
from mamori.incidents import selectors


def incident_lines(today: datetime.date) -> list[str]:
    lines = [f"・漏えい等「{w.incident.title}」速報が未送付（目安 {wareki(w.due.by, weekday=True)}）" + ("（目安超過）" if w.due.overdue else "")
             for w in selectors.to_send("sokuhou", today)]
    lines += [f"・漏えい等「{w.incident.title}」確報の期限 {wareki(w.due.by, weekday=True)}" + ("（期限超過）" if w.due.overdue else "")
              for w in selectors.to_send("kakuhou", today)]
    return lines


def incident_reminders(today: datetime.date, soon_days: int = 7):
    """To everyone who manages incidents: the open clocks, in one mail."""
    leaks = incident_lines(today)
    if not leaks:
        return
    for user in User.objects.filter(is_active=True).exclude(email=""):
        if can_manage_incidents(user):
            yield Reminder(user, f"【まもり】漏えい等の報告期限 {len(leaks)}件", "\n".join([f"{user} 様", "", *leaks]), len(leaks), "漏えい等")
