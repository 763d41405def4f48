"""Export/import of 審議会 meetings and the 届出 they report."""
import datetime

from mamori.core.transfer import ImportContext, Section, record_label
from mamori.council.models import Meeting, MeetingNotification
from mamori.register.models import Notification


class MeetingsSection(Section):
    file = "meetings.json"
    models = (MeetingNotification,)

    def export(self):
        return [
            {"fiscal_year": m.fiscal_year, "number": m.number, "council_name": m.council_name, "date": m.date.isoformat(),
             "start_time": m.start_time.strftime("%H:%M") if m.start_time else None, "place": m.place, "agenda": m.agenda,
             "notifications": list(m.links.order_by("order", "id").values_list("notification__number", flat=True))}
            for m in Meeting.objects.order_by("fiscal_year", "number")
        ]

    def is_empty(self):
        return not Meeting.objects.exists()

    def check(self, ctx: ImportContext):
        numbers = {n.get("number") for n in ctx.data.get("notifications.json", []) if isinstance(n, dict)}
        seen_meetings, seen_notifications = set(), set()
        for i, rec in enumerate(ctx.data[self.file], start=1):
            if not isinstance(rec, dict):
                ctx.problem(self.file, record_label(i), "", "オブジェクトで指定してください。")
                continue
            where = record_label(i, f"{rec.get('fiscal_year')}年度第{rec.get('number')}回")
            key = (rec.get("fiscal_year"), rec.get("number"))
            if not all(isinstance(v, int) for v in key) or key in seen_meetings:
                ctx.problem(self.file, where, "number", "年度と回は整数で、重複しないように指定してください。")
            seen_meetings.add(key)
            try:
                datetime.date.fromisoformat(rec.get("date") or "")
                if rec.get("start_time"):
                    datetime.time.fromisoformat(rec["start_time"])
            except ValueError:
                ctx.problem(self.file, where, "date", "開催日は YYYY-MM-DD、開始時刻は HH:MM で指定してください。")
            for number in rec.get("notifications") or []:
                if number not in numbers:
                    ctx.problem(self.file, where, "notifications", f"届出「{number}」が notifications.json にありません。")
                elif number in seen_notifications:
                    ctx.problem(self.file, where, "notifications", f"届出「{number}」が二つの審議会に割り当てられています。")
                seen_notifications.add(number)

    def write(self, ctx):
        by_number = {n.number: n for n in Notification.objects.all()}
        for rec in ctx.data[self.file]:
            meeting = Meeting.objects.create(
                fiscal_year=rec["fiscal_year"], number=rec["number"], council_name=rec.get("council_name", ""),
                date=datetime.date.fromisoformat(rec["date"]),
                start_time=datetime.time.fromisoformat(rec["start_time"]) if rec.get("start_time") else None,
                place=rec.get("place", ""), agenda=rec.get("agenda") or [],
            )
            MeetingNotification.objects.bulk_create(
                [MeetingNotification(meeting=meeting, notification=by_number[n], order=i) for i, n in enumerate(rec.get("notifications") or [])]
            )
        return len(ctx.data[self.file])
