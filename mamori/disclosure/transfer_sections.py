"""Export/import of requests with their documents, clock, appeals and notices; notice templates."""

from mamori.core.models import Organ, OrgUnit
from mamori.core.transfer import ImportContext, Section, dt, parse_date, parse_dt, record_label, sorted_json
from mamori.disclosure import clock
from mamori.disclosure.models import Appeal, ClockEvent, Decision, Notice, NoticeKind, NoticeTemplate, Procedure, Request, RequestDocument
from mamori.disclosure.notices import template_problems

DATE_FIELDS_APPEAL = ("filed_on", "consulted_on", "reported_on", "ruled_on", "redecided_on")


def _d(value):
    return value.isoformat() if value else None


def _pd(value):
    return parse_date(value)


class NoticeTemplatesSection(Section):
    file = "notice_templates.json"

    def export(self):
        return [{"kind": t.kind, "title": t.title, "body": t.body, "teaching": t.teaching} for t in NoticeTemplate.objects.order_by("kind")]

    def is_empty(self):
        return not NoticeTemplate.objects.exists()

    def check(self, ctx):
        for i, rec in enumerate(ctx.data[self.file], start=1):
            if not isinstance(rec, dict) or rec.get("kind") not in NoticeKind.values:
                ctx.problem(self.file, record_label(i), "kind", f"種類は {', '.join(NoticeKind.values)} のいずれかです。")
                continue
            for message in template_problems(*(rec.get(f, "") if isinstance(rec.get(f, ""), str) else "" for f in ("title", "body", "teaching"))):
                ctx.problem(self.file, record_label(i, rec["kind"]), "body", message)

    def write(self, ctx):
        for rec in ctx.data[self.file]:
            NoticeTemplate.objects.create(kind=rec["kind"], title=rec.get("title", ""), body=rec.get("body", ""), teaching=rec.get("teaching", ""))
        return len(ctx.data[self.file])


class RequestsSection(Section):
    file = "requests.json"
    models = (RequestDocument, ClockEvent, Appeal, Notice)

    def export(self):
        qs = Request.objects.select_related("organ", "handler").prefetch_related("departments", "documents__department", "clock_events", "appeals", "notices")
        out = []
        for r in qs.order_by("number"):
            out.append({
                "number": r.number, "procedure": r.procedure, "organ": r.organ.code, "departments": sorted(u.code for u in r.departments.all()),
                "received_on": _d(r.received_on), "channel": r.channel, "requester_role": r.requester_role, "requester_kind": r.requester_kind,
                "requester_name": r.requester_name, "requester_address": r.requester_address, "requester_contact": r.requester_contact,
                "subject": r.subject, "handler": r.handler.username if r.handler else None, "created_at": dt(r.created_at),
                "documents": [{"department": d.department.code, "title": d.title, "decision": d.decision, "decided_on": _d(d.decided_on),
                               "reasons": d.reasons, "reason_text": d.reason_text, "after_ruling": d.after_ruling,
                               "third_party_objection": d.third_party_objection, "disclose_on": _d(d.disclose_on),
                               "override_reason": d.override_reason}
                              for d in sorted(r.documents.all(), key=lambda x: x.pk)],
                "clock": [{"kind": e.kind, "start_on": _d(e.start_on), "end_on": _d(e.end_on), "days": e.days, "rest_due": _d(e.rest_due), "reason": e.reason}
                          for e in sorted(r.clock_events.all(), key=lambda x: (x.start_on, x.pk))],
                "appeals": [{**{f: _d(getattr(a, f)) for f in DATE_FIELDS_APPEAL}, "ruling": a.ruling, "note": a.note}
                            for a in sorted(r.appeals.all(), key=lambda x: (x.filed_on, x.pk))],
                "notices": [{"kind": n.kind, "number": n.number, "issued_on": _d(n.issued_on), "recipient": n.recipient, "sender": n.sender,
                             "title": n.title, "body": n.body, "documents": sorted_json(n.documents), "teaching": n.teaching}
                            for n in sorted(r.notices.all(), key=lambda x: x.pk)],
            })
        return out

    def is_empty(self):
        return not Request.objects.exists()

    def check(self, ctx: ImportContext):
        units = ctx.objects.get("unit_codes", set())
        organs = ctx.objects.get("organ_codes", set())
        seen = set()
        for i, rec in enumerate(ctx.data[self.file], start=1):
            if not isinstance(rec, dict):
                ctx.problem(self.file, record_label(i), "", "オブジェクトで指定してください。")
                continue
            where = record_label(i, rec.get("number"))
            if not rec.get("number") or rec["number"] in seen:
                ctx.problem(self.file, where, "number", "受付番号がないか重複しています。")
            seen.add(rec.get("number"))
            if rec.get("procedure") not in Procedure.values:
                ctx.problem(self.file, where, "procedure", f"手続は {', '.join(Procedure.values)} のいずれかです。")
            if rec.get("organ") not in organs:
                ctx.problem(self.file, where, "organ", f"実施機関「{rec.get('organ')}」が organs.json にありません。")
            for code in rec.get("departments") or []:
                if code not in units:
                    ctx.problem(self.file, where, "departments", f"担当課「{code}」が units.json にありません。")
            try:
                received = _pd(rec.get("received_on"))
                if received is None:
                    raise ValueError
            except ValueError:
                ctx.problem(self.file, where, "received_on", "受付日を YYYY-MM-DD で指定してください。")
                continue
            for j, d in enumerate(rec.get("documents") or [], start=1):
                if d.get("department") not in units:
                    ctx.problem(self.file, where, f"documents[{j}].department", f"担当課「{d.get('department')}」が units.json にありません。")
                if d.get("decision") and d["decision"] not in Decision.values:
                    ctx.problem(self.file, where, f"documents[{j}].decision", f"決定は {', '.join(Decision.values)} のいずれかです。")
                if d.get("decided_on") and _pd(d["decided_on"]) < received:
                    ctx.problem(self.file, where, f"documents[{j}].decided_on", "決定日が受付日より前です。")

    def write(self, ctx):
        organs = {o.code: o for o in Organ.objects.all()}
        units = {u.code: u for u in OrgUnit.objects.all()}
        users = ctx.objects.get("users", {})
        cal, rule_settings = clock.calendar(), clock.settings_for_rules()
        for rec in ctx.data[self.file]:
            r = Request.objects.create(
                number=rec["number"], procedure=rec["procedure"], organ=organs[rec["organ"]], received_on=_pd(rec["received_on"]),
                channel=rec.get("channel", "counter"), requester_role=rec.get("requester_role", "self"), requester_kind=rec.get("requester_kind", "natural"),
                requester_name=rec.get("requester_name", ""), requester_address=rec.get("requester_address", ""),
                requester_contact=rec.get("requester_contact", ""), subject=rec.get("subject", ""), handler=users.get(rec.get("handler")),
            )
            if rec.get("created_at"):
                Request.objects.filter(pk=r.pk).update(created_at=parse_dt(rec["created_at"]))
            r.departments.set([units[c] for c in rec.get("departments") or []])
            RequestDocument.objects.bulk_create([
                RequestDocument(request=r, department=units[d["department"]], title=d["title"], decision=d.get("decision", ""),
                                decided_on=_pd(d.get("decided_on")), reasons=d.get("reasons") or [], reason_text=d.get("reason_text", ""),
                                after_ruling=d.get("after_ruling", False), third_party_objection=d.get("third_party_objection", False),
                                disclose_on=_pd(d.get("disclose_on")), override_reason=d.get("override_reason", ""))
                for d in rec.get("documents") or []
            ])
            events = ClockEvent.objects.bulk_create([
                ClockEvent(request=r, kind=e["kind"], start_on=_pd(e["start_on"]), end_on=_pd(e.get("end_on")), days=e.get("days"),
                           rest_due=_pd(e.get("rest_due")), reason=e.get("reason", ""))
                for e in rec.get("clock") or []
            ])
            Appeal.objects.bulk_create([Appeal(request=r, ruling=a.get("ruling", ""), note=a.get("note", ""), **{f: _pd(a.get(f)) for f in DATE_FIELDS_APPEAL})
                                        for a in rec.get("appeals") or []])
            Notice.objects.bulk_create([
                Notice(request=r, kind=n["kind"], number=n.get("number", ""), issued_on=_pd(n["issued_on"]), recipient=n.get("recipient", ""),
                       sender=n.get("sender", ""), title=n.get("title", ""), body=n.get("body", ""), documents=n.get("documents") or [],
                       teaching=n.get("teaching", ""))
                for n in rec.get("notices") or []
            ])
            due = clock.due_for(r, events, cal=cal, settings=rule_settings)
            decided = bool(rec.get("documents")) and all(d.get("decision") for d in rec["documents"])
            Request.objects.filter(pk=r.pk).update(due_on=due.due, status="decided" if decided else "open")
        return len(ctx.data[self.file])
