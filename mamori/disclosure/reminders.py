"""Reminders: a daily digest per handler (mamori remind) and an .ics feed of due dates.

No personal data of requesters goes into mail or calendars: numbers, procedures, departments
and dates only.
"""
import datetime

from django.db.models import Q
from django.utils import timezone

from mamori.core.digest import Reminder
from mamori.core.models import User
from mamori.disclosure.models import Appeal, Request, RequestStatus
from mamori.disclosure.rules import day_label


def digest_for(user: User, today: datetime.date, soon_days: int = 7) -> list[Request]:
    """Open requests this user handles that are overdue or due within ``soon_days`` (or stopped)."""
    limit = today + datetime.timedelta(days=soon_days)
    return list(
        Request.objects.filter(handler=user, status=RequestStatus.OPEN, due_on__lte=limit).order_by("due_on")
    )


def open_appeals(user: User) -> list:
    """Appeals not yet ended by a 裁決 and the new decision: the next step is due (諮問, 答申待ち, 裁決, 再決定)."""
    return list(Appeal.objects.filter(request__handler=user, redecided_on__isnull=True).select_related("request").order_by("filed_on"))


APPEAL_NEXT = {"filed": "審査会への諮問", "consulted": "答申を待っています", "reported": "裁決", "ruled": "裁決に基づく決定"}


def digest_text(user: User, items: list[Request], today: datetime.date, appeals: list = ()) -> str:
    lines = [f"{user} 様", "", f"{day_label(today)}現在、期限が近い・過ぎた請求は次のとおりです。", ""]
    for r in items:
        state = "期限超過" if r.due_on < today else f"あと{(r.due_on - today).days}日"
        lines.append(f"・{r.number} {r.get_procedure_display()} 期限 {day_label(r.due_on)}（{state}）")
    if appeals:
        lines += ["", "処理中の審査請求（次の手続）:"]
        for a in appeals:
            lines.append(f"・{a.request.number} 審査請求 {day_label(a.filed_on)}：{APPEAL_NEXT[a.stage]}（{(today - a.filed_on).days}日経過）")
    lines += ["", "詳しくは まもり の「請求」画面で確認してください。"]
    return "\n".join(lines)


def request_reminders(today: datetime.date, soon_days: int = 7):
    """For core.digest: each handler's requests overdue or due soon, and their open appeals."""
    handlers = User.objects.filter(Q(handled_requests__status=RequestStatus.OPEN) | Q(handled_requests__appeals__redecided_on__isnull=True,
                                                                                    handled_requests__appeals__isnull=False), is_active=True).distinct()
    for user in handlers:
        items = digest_for(user, today, soon_days)
        appeals = open_appeals(user)
        if not (items or appeals):  # core.digest skips a user without an e-mail address
            continue
        overdue = sum(1 for r in items if r.due_on < today)
        yield Reminder(user, f"【まもり】期限の近い請求 {len(items)}件（うち期限超過 {overdue}件）", digest_text(user, items, today, appeals), len(items))


def ics(user: User, requests: list[Request], now: datetime.datetime | None = None) -> str:
    """An iCalendar (RFC 5545) feed: one all-day event per due date."""
    now = now or timezone.now()
    stamp = now.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Mamori//disclosure deadlines//JA", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:まもり 請求の決定期限（{user}）"]
    for r in requests:
        if not r.due_on:
            continue
        day = r.due_on.strftime("%Y%m%d")
        end = (r.due_on + datetime.timedelta(days=1)).strftime("%Y%m%d")
        lines += ["BEGIN:VEVENT", f"UID:{r.number}@mamori", f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{day}", f"DTEND;VALUE=DATE:{end}",
                  f"SUMMARY:決定期限 {r.number} {r.get_procedure_display()}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
