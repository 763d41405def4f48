"""Export/import of incidents, with their affected groups."""
import datetime

from mamori.core.models import OrgUnit
from mamori.core.transfer import Section, record_label
from mamori.incidents.models import AffectedGroup, Incident
from mamori.incidents.rules import date_errors
from mamori.outsourcing.transfer_sections import ContractsSection
from mamori.register.models import Program

DATES = ("occurred_on", "learned_on", "sokuhou_on", "kakuhou_on", "notice_on", "published_on")
TEXTS = ("title", "summary", "contractor_name", "media", "cause", "secondary_damage", "measures_done", "measures_planned", "notice_method",
         "notice_exception", "notice_exception_reason", "publish_note", "override_note")
FLAGS = ("malicious", "property_damage", "encrypted", "recovered_unseen", "confirmed")


def _pd(v):
    return datetime.date.fromisoformat(v) if v else None


class IncidentsSection(Section):
    file = "incidents.json"
    models = (AffectedGroup,)

    def export(self):
        contracts = {c.pk: i for i, c in enumerate(ContractsSection.ordered())}
        return [{**{f: getattr(i, f) for f in TEXTS + FLAGS}, **{f: getattr(i, f).isoformat() if getattr(i, f) else None for f in DATES},
                 "override_reportable": i.override_reportable, "unit": i.unit.code, "items": i.items,
                 "programs": sorted(p.code for p in i.programs.all()), "contract": contracts.get(i.contract_id),
                 "groups": [{"name": g.name, "count": g.count} for g in i.groups.all()]}
                for i in Incident.objects.select_related("unit").prefetch_related("programs", "groups").order_by("learned_on", "title", "pk")]

    def is_empty(self):
        return not Incident.objects.exists()

    def check(self, ctx):
        units = ctx.objects.get("unit_codes", set())
        for i, rec in enumerate(ctx.data[self.file], start=1):
            where = record_label(i, rec.get("title") if isinstance(rec, dict) else None)
            if not isinstance(rec, dict):
                ctx.problem(self.file, where, "", "オブジェクトで指定してください。")
                continue
            if rec.get("unit") not in units:
                ctx.problem(self.file, where, "unit", f"該当部署「{rec.get('unit')}」が units.json にありません。")
            try:
                dates = {f: _pd(rec.get(f)) for f in DATES}
                if dates["learned_on"] is None:
                    raise ValueError
            except ValueError:
                ctx.problem(self.file, where, "learned_on", "日付を YYYY-MM-DD で指定してください（learned_on は必須）。")
                continue
            for field, message in date_errors(dates["occurred_on"], dates["learned_on"], dates["sokuhou_on"], dates["kakuhou_on"]).items():
                ctx.problem(self.file, where, field, message)
            if any(not isinstance(g.get("count"), int) or g["count"] < 0 for g in rec.get("groups") or []):
                ctx.problem(self.file, where, "groups", "人数は0以上の整数で指定してください。")

    def write(self, ctx):
        units = {u.code: u for u in OrgUnit.objects.all()}
        programs = {p.code: p for p in Program.objects.all()}
        contracts = list(ContractsSection.ordered())
        for rec in ctx.data[self.file]:
            incident = Incident.objects.create(**{f: rec.get(f, "") for f in TEXTS}, **{f: bool(rec.get(f)) for f in FLAGS},
                                               **{f: _pd(rec.get(f)) for f in DATES}, override_reportable=rec.get("override_reportable"),
                                               unit=units[rec["unit"]], items=rec.get("items") or [],
                                               contract=contracts[rec["contract"]] if rec.get("contract") is not None else None)
            incident.programs.set([programs[c] for c in rec.get("programs") or [] if c in programs])
            AffectedGroup.objects.bulk_create([AffectedGroup(incident=incident, name=g["name"], count=g["count"]) for g in rec.get("groups") or []])
        return len(ctx.data[self.file])
