"""Export/import of contractors (with certifications) and contracts (with forms, inspections, findings,
disposal and incident reports). Contracts are referenced by their position in the file."""

from django.db.models import Case, IntegerField, Value, When

from mamori.core.transfer import Section, check_dates, parse_date, record_label, sorted_json
from mamori.outsourcing.models import Certification, Contract, ContractIncident, Contractor, Disposal, Finding, FormReceipt, Inspection, SpecialProvisions
from mamori.outsourcing.rules import KINDS, corporate_number_error
from mamori.register.models import Program


def _d(v):
    return v.isoformat() if v else None


def _pd(v):
    return parse_date(v)


class ContractorsSection(Section):
    file = "contractors.json"
    models = (Certification,)

    def export(self):
        return [{"name": c.name, "corporate_number": c.corporate_number, "address": c.address, "contact": c.contact, "note": c.note,
                 "certifications": [{"kind": x.kind, "number": x.number, "scope": x.scope, "issued_on": _d(x.issued_on), "expires_on": _d(x.expires_on)}
                                    for x in sorted(c.certifications.all(), key=lambda x: (x.kind, x.expires_on, x.pk))]}
                for c in Contractor.objects.prefetch_related("certifications").order_by("name", "corporate_number", "pk")]

    def is_empty(self):
        return not Contractor.objects.exists()

    def check(self, ctx):
        for i, rec in enumerate(ctx.data[self.file], start=1):
            if not isinstance(rec, dict) or not rec.get("name"):
                ctx.problem(self.file, record_label(i), "name", "名称を指定してください。")
                continue
            if rec.get("corporate_number") and corporate_number_error(rec["corporate_number"]):
                ctx.problem(self.file, record_label(i, rec["name"]), "corporate_number", corporate_number_error(rec["corporate_number"]))

    def write(self, ctx):
        contractors = []
        for rec in ctx.data[self.file]:
            c = Contractor.objects.create(name=rec["name"], corporate_number=rec.get("corporate_number", ""), address=rec.get("address", ""),
                                          contact=rec.get("contact", ""), note=rec.get("note", ""))
            Certification.objects.bulk_create([Certification(contractor=c, kind=x["kind"], number=x.get("number", ""), scope=x.get("scope", ""),
                                                              issued_on=_pd(x.get("issued_on")), expires_on=_pd(x["expires_on"])) for x in rec.get("certifications") or []])
            contractors.append(c)
        ctx.objects["contractors"] = contractors
        return len(contractors)


class ContractsSection(Section):
    file = "contracts.json"
    models = (FormReceipt, Finding, ContractIncident)

    @staticmethod
    def ordered():
        """Contracts in file order (other sections refer to a contract by its position)."""
        layer = Case(When(kind="sub", then=Value(1)), When(kind="subsub", then=Value(2)), default=Value(0), output_field=IntegerField())
        return (Contract.objects.select_related("program").prefetch_related("forms", "inspections__findings", "incident_reports")
                .annotate(layer=layer).order_by("program__code", "layer", "starts_on", "title", "contractor__name", "pk"))  # parents first

    def export(self):
        contractors = {c.pk: i for i, c in enumerate(Contractor.objects.order_by("name", "corporate_number", "pk"))}
        contracts = list(self.ordered())
        index = {c.pk: i for i, c in enumerate(contracts)}
        out = []
        for c in contracts:
            disposal = Disposal.objects.filter(contract=c).first()
            out.append({
                "program": c.program.code, "contractor": contractors[c.contractor_id], "kind": c.kind, "parent": index.get(c.parent_id),
                "approved_on": _d(c.approved_on), "title": c.title, "work": c.work, "items": c.items, "starts_on": _d(c.starts_on), "ends_on": _d(c.ends_on),
                "forms": [{"form": f.form, "received_on": _d(f.received_on), "details": sorted_json(f.details)} for f in sorted(c.forms.all(), key=lambda f: f.form)],
                "inspections": [{"fiscal_year": i.fiscal_year, "method": i.method, "inspected_on": _d(i.inspected_on), "city_inspectors": i.city_inspectors,
                                 "contractor_staff": i.contractor_staff, "handled_info": i.handled_info, "results": sorted_json(i.results),
                                 "findings": [{"item": f.item, "finding": f.finding, "action": f.action, "due_on": _d(f.due_on), "done_on": _d(f.done_on)}
                                              for f in sorted(i.findings.all(), key=lambda f: (f.item, f.pk))]}
                                for i in sorted(c.inspections.all(), key=lambda i: i.fiscal_year)],
                "disposal": {"method": disposal.method, "done_on": _d(disposal.done_on), "person": disposal.person, "detail": disposal.detail,
                             "report_received_on": _d(disposal.report_received_on)} if disposal else None,
                "incidents": [{"occurred_on": _d(r.occurred_on), "reported_on": _d(r.reported_on), "summary": r.summary}
                              for r in sorted(c.incident_reports.all(), key=lambda r: (r.reported_on, r.pk))],
            })
        return out

    def is_empty(self):
        return not Contract.objects.exists()

    def check(self, ctx):
        programs = ctx.objects.get("program_codes", {})
        n_contractors = len(ctx.data.get("contractors.json", []))
        records = ctx.data[self.file]
        for i, rec in enumerate(records, start=1):
            where = record_label(i, rec.get("title") if isinstance(rec, dict) else None)
            if not isinstance(rec, dict):
                ctx.problem(self.file, where, "", "オブジェクトで指定してください。")
                continue
            if rec.get("program") not in programs:
                ctx.problem(self.file, where, "program", f"事務事業「{rec.get('program')}」が programs.json にありません。")
            check_dates(ctx, self.file, where, rec, ("starts_on", "ends_on", "approved_on"), required=("starts_on", "ends_on"))
            if not isinstance(rec.get("contractor"), int) or not 0 <= rec["contractor"] < n_contractors:
                ctx.problem(self.file, where, "contractor", "受注者は contractors.json の何番目か（0から）で指定してください。")
            if rec.get("kind") not in KINDS:
                ctx.problem(self.file, where, "kind", f"種類は {', '.join(KINDS)} のいずれかです。")
            parent = rec.get("parent")
            if parent is not None and (not isinstance(parent, int) or not 0 <= parent < i - 1):
                ctx.problem(self.file, where, "parent", "元の契約はこの契約より前の何番目か（0から）で指定してください。")
            elif parent is not None and records[parent].get("program") != rec.get("program"):
                ctx.problem(self.file, where, "parent", "元の契約は同じ事務事業の契約でなければなりません。")
            if rec.get("disposal") and rec.get("starts_on") and rec["disposal"].get("done_on") and rec["disposal"]["done_on"] < rec["starts_on"]:
                ctx.problem(self.file, where, "disposal.done_on", "返還・廃棄の日が契約の開始より前です。")

    def write(self, ctx):
        programs = {p.code: p for p in Program.objects.all()}
        contractors = ctx.objects["contractors"]
        made = []
        for rec in ctx.data[self.file]:
            c = Contract.objects.create(program=programs[rec["program"]], contractor=contractors[rec["contractor"]], kind=rec["kind"],
                                        parent=made[rec["parent"]] if rec.get("parent") is not None else None, approved_on=_pd(rec.get("approved_on")),
                                        title=rec["title"], work=rec.get("work", ""), items=rec.get("items") or [],
                                        starts_on=_pd(rec["starts_on"]), ends_on=_pd(rec["ends_on"]))
            made.append(c)
            FormReceipt.objects.bulk_create([FormReceipt(contract=c, form=f["form"], received_on=_pd(f["received_on"]), details=f.get("details") or {}) for f in rec.get("forms") or []])
            for i in rec.get("inspections") or []:
                inspection = Inspection.objects.create(contract=c, fiscal_year=i["fiscal_year"], method=i["method"], inspected_on=_pd(i["inspected_on"]),
                                                       city_inspectors=i.get("city_inspectors", ""), contractor_staff=i.get("contractor_staff", ""),
                                                       handled_info=i.get("handled_info", ""), results=i.get("results") or {})
                Finding.objects.bulk_create([Finding(inspection=inspection, item=f["item"], finding=f.get("finding", ""), action=f.get("action", ""),
                                                     due_on=_pd(f.get("due_on")), done_on=_pd(f.get("done_on"))) for f in i.get("findings") or []])
            if rec.get("disposal"):
                d = rec["disposal"]
                Disposal.objects.create(contract=c, method=d["method"], done_on=_pd(d["done_on"]), person=d.get("person", ""), detail=d.get("detail", ""),
                                        report_received_on=_pd(d.get("report_received_on")))
            ContractIncident.objects.bulk_create([ContractIncident(contract=c, occurred_on=_pd(r.get("occurred_on")), reported_on=_pd(r["reported_on"]),
                                                                   summary=r.get("summary", "")) for r in rec.get("incidents") or []])
        return len(made)


class ProvisionsSection(Section):
    """The 特記事項's editions: 施行日, 名称, 本文 (one paragraph a line), 備考."""
    file = "special_provisions.json"
    models = (SpecialProvisions,)

    def export(self):
        return [{"in_force_on": _d(e.in_force_on), "title": e.title, "body": e.body, "note": e.note}
                for e in SpecialProvisions.objects.order_by("in_force_on")]

    def is_empty(self):
        return not SpecialProvisions.objects.exists()

    def check(self, ctx):
        seen = set()
        for i, rec in enumerate(ctx.data[self.file], start=1):
            where = record_label(i, rec.get("in_force_on") if isinstance(rec, dict) else None)
            if not isinstance(rec, dict):
                ctx.problem(self.file, where, "", "オブジェクトで指定してください。")
                continue
            check_dates(ctx, self.file, where, rec, ("in_force_on",), required=("in_force_on",))
            if not isinstance(rec.get("body"), str) or not rec["body"].strip():
                ctx.problem(self.file, where, "body", "本文を文字列で指定してください。")
            if rec.get("in_force_on") in seen:
                ctx.problem(self.file, where, "in_force_on", "同じ施行日の版が2つあります。")
            seen.add(rec.get("in_force_on"))

    def write(self, ctx):
        default = SpecialProvisions._meta.get_field("title").default
        return len(SpecialProvisions.objects.bulk_create([
            SpecialProvisions(in_force_on=_pd(rec["in_force_on"]), title=rec.get("title") or default, body=rec["body"], note=rec.get("note", ""))
            for rec in ctx.data[self.file]]))
