"""Export/import of the ファイル簿: files with their programs and the office's confirmation, and every act on
their entries (drafted, published, withdrawn) with what was published. docs/data-format.md, "filebook.json"."""
import datetime

from mamori.core.transfer import Section, check_dates, dt, parse_dt, record_label, sorted_json
from mamori.filebook import rules
from mamori.filebook.models import Assessment, FileProgram, FileRevision, PersonalFile, RevisionKind, RevisionStatus
from mamori.register.models import Notification

FILE_TEXT = ("name", "scope_text", "collection_text", "exemption", "exemption_note", "assessment", "assessment_ground",
             "assessment_reason", "decision", "decision_ground", "note")
REVISION_TIMES = ("drafted_at", "published_at", "closed_at")
REVISION_USERS = ("drafted_by", "published_by")


def _user(u) -> str | None:
    return u.username if u else None


class FilesSection(Section):
    file = "filebook.json"
    models = (FileProgram,)

    def export(self):
        qs = (PersonalFile.objects.select_related("decided_by", "created_by")
              .prefetch_related("fileprogram_set__program", "revisions__notification", "revisions__drafted_by", "revisions__published_by")
              .order_by("code"))
        out = []
        for f in qs:
            out.append({
                "code": f.code,
                "programs": [link.program.code for link in sorted(f.fileprogram_set.all(), key=lambda link: (link.order, link.pk))],
                **{k: getattr(f, k) for k in FILE_TEXT},
                "person_count": f.person_count,
                "decided_at": dt(f.decided_at), "decided_by": _user(f.decided_by),
                "created_at": dt(f.created_at), "created_by": _user(f.created_by),
                "revisions": [
                    {"kind": r.kind, "status": r.status, "cause": r.cause, "notification": r.notification.number if r.notification_id else None,
                     "reason": r.reason, "due_on": r.due_on.isoformat(), "number": r.number,
                     **{k: dt(getattr(r, k)) for k in REVISION_TIMES}, **{k: _user(getattr(r, k)) for k in REVISION_USERS},
                     "content": sorted_json(r.content), "changes": list(r.changes or [])}
                    for r in sorted(f.revisions.all(), key=lambda r: (r.drafted_at, r.pk))
                ],
            })
        return out

    def is_empty(self):
        return not PersonalFile.objects.exists()

    def check(self, ctx):
        programs = ctx.objects.get("program_codes", {})
        users = {u.get("username") for u in ctx.data.get("users.json", []) if isinstance(u, dict)}
        numbers = {n.get("number") for n in ctx.data.get("notifications.json", []) if isinstance(n, dict)}
        seen = set()
        for i, rec in enumerate(ctx.data[self.file], start=1):
            if not isinstance(rec, dict):
                ctx.problem(self.file, record_label(i), "", "オブジェクトで指定してください。")
                continue
            where = record_label(i, rec.get("code"))
            if not rec.get("code") or rec["code"] in seen:
                ctx.problem(self.file, where, "code", "ファイル番号がないか重複しています。")
            seen.add(rec.get("code"))
            if not rec.get("programs"):
                ctx.problem(self.file, where, "programs", "記録を持つ事務事業を1つ以上指定してください。")
            for code in rec.get("programs") or []:
                if code not in programs:
                    ctx.problem(self.file, where, "programs", f"事務事業「{code}」が programs.json にありません。")
            for key in ("assessment", "decision"):
                if rec.get(key) not in (*Assessment.values, *([""] if key == "decision" else [])):
                    ctx.problem(self.file, where, key, f"判定は {', '.join(Assessment.values)} のいずれかです。")
            if rec.get("exemption") and rec["exemption"] not in rules.CLAIMABLE:
                ctx.problem(self.file, where, "exemption", f"適用除外は {', '.join(rules.CLAIMABLE)} のいずれかです。")
            for key in ("decided_by", "created_by"):
                if rec.get(key) is not None and rec[key] not in users:
                    ctx.problem(self.file, where, key, f"利用者「{rec[key]}」が users.json にありません。")
            for key in ("decided_at", "created_at"):
                try:
                    if parse_dt(rec.get(key)) is None and key == "created_at":
                        raise ValueError
                except (TypeError, ValueError):
                    ctx.problem(self.file, where, key, "日時を ISO 8601（タイムゾーン付き）で指定してください。")
            for j, rev in enumerate(rec.get("revisions") or [], start=1):
                at = f"revisions[{j}]."
                if not isinstance(rev, dict):
                    ctx.problem(self.file, where, at[:-1], "オブジェクトで指定してください。")
                    continue
                if rev.get("kind") not in RevisionKind.values:
                    ctx.problem(self.file, where, at + "kind", f"種類は {', '.join(RevisionKind.values)} のいずれかです。")
                if rev.get("status") not in RevisionStatus.values:
                    ctx.problem(self.file, where, at + "status", f"状態は {', '.join(RevisionStatus.values)} のいずれかです。")
                if rev.get("notification") is not None and rev["notification"] not in numbers:
                    ctx.problem(self.file, where, at + "notification", f"届出「{rev['notification']}」が notifications.json にありません。")
                for key in REVISION_USERS:
                    if rev.get(key) is not None and rev[key] not in users:
                        ctx.problem(self.file, where, at + key, f"利用者「{rev[key]}」が users.json にありません。")
                for key in REVISION_TIMES:
                    try:
                        if parse_dt(rev.get(key)) is None and key == "drafted_at":
                            raise ValueError
                    except (TypeError, ValueError):
                        ctx.problem(self.file, where, at + key, "日時を ISO 8601（タイムゾーン付き）で指定してください。")
                check_dates(ctx, self.file, where, {at + "due_on": rev.get("due_on")}, (at + "due_on",), required=(at + "due_on",))
                if not isinstance(rev.get("content", {}), dict) or not isinstance(rev.get("changes", []), list):
                    ctx.problem(self.file, where, at + "content", "content はオブジェクト、changes は文字列のリストで指定してください。")

    def write(self, ctx):
        users = ctx.objects.get("users", {})
        programs = ctx.objects.get("programs", {})
        wanted = {rev.get("notification") for rec in ctx.data[self.file] for rev in rec.get("revisions") or [] if rev.get("notification")}
        notifications = {n.number: n for n in Notification.objects.filter(number__in=wanted)}
        links = []
        for rec in ctx.data[self.file]:
            f = PersonalFile.objects.create(
                code=rec["code"], **{k: rec.get(k) or "" for k in FILE_TEXT}, person_count=rec.get("person_count"),
                decided_at=parse_dt(rec.get("decided_at")), decided_by=users.get(rec.get("decided_by")),
                created_at=parse_dt(rec["created_at"]), created_by=users.get(rec.get("created_by")),
            )
            links += [FileProgram(file=f, program=programs[code], order=i) for i, code in enumerate(rec["programs"])]
            for rev in rec.get("revisions") or []:
                FileRevision.objects.create(
                    file=f, kind=rev["kind"], status=rev["status"], cause=rev.get("cause") or "", notification=notifications.get(rev.get("notification")),
                    reason=rev.get("reason") or "", due_on=datetime.date.fromisoformat(rev["due_on"]), number=rev.get("number"),
                    **{k: parse_dt(rev.get(k)) for k in REVISION_TIMES}, **{k: users.get(rev.get(k)) for k in REVISION_USERS},
                    content=rev.get("content") or {}, changes=rev.get("changes") or [],
                )
        FileProgram.objects.bulk_create(links)
        return len(ctx.data[self.file])
