"""資料6 (`mamori report incidents`) and the PPC report draft."""
import datetime
from dataclasses import asdict, dataclass

from mamori.core import rendering
from mamori.core.calendar import fiscal_year_label, fullwidth, wareki

TRIGGER_PHRASES = {"sensitive": "要配慮個人情報を含む", "property": "財産的被害のおそれ", "malicious": "不正の目的",
                   "over100": "該当者数１００人超", "ordinance": "条例要配慮個人情報を含む"}
FORMATS = ("json", "docx", "pdf")


class NoData(LookupError):
    pass


@dataclass
class Row:
    department: str
    summary: str
    triggers: str
    sokuhou: str
    kakuhou: str
    notice: str


@dataclass
class IncidentsReport:
    fiscal_year: int
    label: str
    count: int
    rows: list[Row]

    def as_json(self) -> dict:
        return {"fiscal_year": self.fiscal_year, "label": self.label, "count": self.count, "incidents": [asdict(r) for r in self.rows]}


def triggers_text(incident) -> str:
    from mamori.incidents import rules
    from mamori.incidents.services import facts_for

    return "、".join(TRIGGER_PHRASES[t.key] for t in rules.assess(facts_for(incident)).triggers if t.applies)


def context(fiscal_year: int) -> IncidentsReport:
    from mamori.incidents.models import Incident

    start, end = datetime.date(fiscal_year, 4, 1), datetime.date(fiscal_year + 1, 3, 31)
    incidents = list(Incident.objects.filter(sokuhou_on__range=(start, end)).select_related("unit__parent__parent").prefetch_related("groups").order_by("sokuhou_on"))
    if not incidents and not Incident.objects.exists():
        raise NoData(f"{fiscal_year_label(fiscal_year)}の漏えい等の記録がありません。年度を確かめてください。")
    rows = [Row(department=(i.unit.section or i.unit).name, summary=i.summary, triggers=triggers_text(i), sokuhou=wareki(i.sokuhou_on, full=True),
                kakuhou=wareki(i.kakuhou_on, full=True) if i.kakuhou_on else "（未報告）",
                notice=i.notice_method or (i.notice_exception_reason if i.notice_exception else "")) for i in incidents]
    return IncidentsReport(fiscal_year, fiscal_year_label(fiscal_year), len(rows), rows)


def title(ctx) -> str:
    return f"{fiscal_year_label(ctx.fiscal_year, full=True)} 個人情報保護委員会への漏えい等の報告"


def lines(ctx) -> list[tuple[str, str]]:
    out = [("報告件数", f"{fullwidth(str(ctx.count))}件")]
    for r in ctx.rows:
        out += [("該当部署", r.department), ("概要", r.summary), ("報告事由", r.triggers), ("速報日", r.sokuhou), ("確報日", r.kakuhou), ("本人通知", r.notice)]
    return out


def render_docx(ctx) -> bytes:
    doc = rendering.new_document()
    rendering.paragraph(doc, "資料６", align="right", size=12)
    rendering.paragraph(doc, title(ctx), align="center", bold=True, size=13, space_after=10)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in lines(ctx):
        row = table.add_row()
        rendering.cell_text(row.cells[0], label, bold=True)
        rendering.cell_text(row.cells[1], value)
    return rendering.docx_bytes(doc)


def render_pdf(ctx) -> bytes:
    return rendering.pdf_from_template("incidents/reports/annual.html", {"title": title(ctx), "lines": lines(ctx)})


def build(fiscal_year: int, fmt: str) -> bytes:
    import sys

    from mamori.core.reports import build_annual

    return build_annual(sys.modules[__name__], fiscal_year, fmt)


# ---------------------------------------------------------------- the PPC report draft

PPC_ITEMS = ["概要", "漏えい等が発生し、又は発生したおそれがある個人データ（保有個人情報）の項目", "本人の数", "原因",
             "二次被害又はそのおそれの有無及びその内容", "本人への対応の実施状況", "公表の実施状況", "再発防止のための措置", "その他参考となる事項"]


def ppc_context(incident, stage: str) -> dict:
    """規則第44条: the nine items. A 速報 carries what is known; a 確報 everything."""
    from mamori.core.models import MunicipalSettings
    from mamori.incidents import rules
    from mamori.incidents.services import facts_for

    a = rules.assess(facts_for(incident))
    c = rules.clocks(incident.learned_on, incident.malicious)
    groups = "、".join(f"{g.name}{g.count:,}人" for g in incident.groups.all())
    notice = incident.notice_method or ""
    if incident.notice_exception:
        notice = f"{incident.get_notice_exception_display()}：{incident.notice_exception_reason}"
    values = [incident.summary, "、".join(incident.items), f"{incident.persons:,}人（{groups}）" if groups else f"{incident.persons:,}人", incident.cause,
              incident.secondary_damage, (f"{wareki(incident.notice_on, full=True)} " if incident.notice_on else "") + notice,
              (f"{wareki(incident.published_on, full=True)} " if incident.published_on else "") + incident.publish_note,
              "\n".join(x for x in (incident.measures_done, incident.measures_planned) if x),
              (f"委託先：{incident.contract.contractor if incident.contract else incident.contractor_name}" if (incident.contract or incident.contractor_name) else "")]
    if stage == "sokuhou":
        values = [v or "（調査中）" for v in values]
    return {
        "stage": "速報" if stage == "sokuhou" else "確報", "organisation": MunicipalSettings.current().name, "unit": incident.unit.label,
        "occurred": wareki(incident.occurred_on, full=True) if incident.occurred_on else "不明", "learned": wareki(incident.learned_on, full=True),
        "triggers": [f"{t.article}（{t.label}）" for t in a.triggers if t.applies], "my_number": a.my_number_report,
        "due": wareki(c.kakuhou_by, full=True), "items": list(zip(PPC_ITEMS, values)), "title": incident.title,
    }


def ppc_docx(ctx: dict) -> bytes:
    doc = rendering.new_document()
    rendering.paragraph(doc, f"漏えい等報告（{ctx['stage']}）案", align="center", bold=True, size=13, space_after=8)
    for label, value in (("報告者", f"{ctx['organisation']} {ctx['unit']}"), ("事案", ctx["title"]), ("発生日", ctx["occurred"]),
                         ("発覚日（職員が知った日）", ctx["learned"]), ("報告対象となる事態", "、".join(ctx["triggers"]) or "該当なし"),
                         ("確報の期限", ctx["due"])):
        rendering.paragraph(doc, f"{label}：{value}")
    if ctx["my_number"]:
        rendering.paragraph(doc, "※特定個人情報を含むため、番号法第29条の4による報告も必要です。")
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for n, (label, value) in enumerate(ctx["items"], start=1):
        row = table.add_row()
        rendering.cell_text(row.cells[0], f"{n} {label}", bold=True)
        rendering.cell_text(row.cells[1], value)
    return rendering.docx_bytes(doc)


def ppc_pdf(ctx: dict) -> bytes:
    return rendering.pdf_from_template("incidents/reports/ppc.html", {"c": ctx})


def register_reports() -> None:
    from mamori.core.reports import register_annual

    register_annual("incidents", "資料6 個人情報保護委員会への漏えい等の報告", build, FORMATS)
