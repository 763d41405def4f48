"""Export/import of training sessions with their attendees."""
import datetime

from mamori.core.transfer import Section, record_label
from mamori.training.models import TrainingSession


def _pd(v):
    return datetime.date.fromisoformat(v) if v else None


class TrainingSection(Section):
    file = "training.json"

    def export(self):
        return [{"held_on": s.held_on.isoformat(), "name": s.name, "target": s.target, "participants": s.participants, "note": s.note,
                 "attendees": sorted(u.username for u in s.attendees.all())}
                for s in TrainingSession.objects.prefetch_related("attendees").order_by("held_on", "name", "pk")]

    def is_empty(self):
        return not TrainingSession.objects.exists()

    def check(self, ctx):
        users = {u.get("username") for u in ctx.data.get("users.json", []) if isinstance(u, dict)}
        for i, rec in enumerate(ctx.data[self.file], start=1):
            where = record_label(i, rec.get("name") if isinstance(rec, dict) else None)
            try:
                _pd(rec["held_on"])
            except (KeyError, TypeError, ValueError):
                ctx.problem(self.file, where, "held_on", "日程を YYYY-MM-DD で指定してください。")
            if not isinstance(rec.get("participants"), int) or rec["participants"] < 0:
                ctx.problem(self.file, where, "participants", "参加者数は0以上の整数で指定してください。")
            for name in rec.get("attendees") or []:
                if name not in users:
                    ctx.problem(self.file, where, "attendees", f"利用者「{name}」が users.json にありません。")

    def write(self, ctx):
        users = ctx.objects.get("users", {})
        for rec in ctx.data[self.file]:
            s = TrainingSession.objects.create(held_on=_pd(rec["held_on"]), name=rec["name"], target=rec.get("target", ""),
                                               participants=rec["participants"], note=rec.get("note", ""))
            s.attendees.set([users[u] for u in rec.get("attendees") or []])
        return len(ctx.data[self.file])
