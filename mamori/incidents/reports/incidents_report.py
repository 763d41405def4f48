"""資料6: 個人情報保護委員会への漏えい等の報告 for a fiscal year (the incidents whose 速報 fell in it)."""
from dataclasses import asdict, dataclass

from mamori.core import rendering
from mamori.core.calendar import fiscal_year_bounds, fiscal_year_label, fullwidth, wareki
from mamori.core.reports import NoData
from mamori.incidents import rules
from mamori.incidents.models import Incident
from mamori.incidents.services import facts_for

TRIGGER_PHRASES = {"sensitive": "要配慮個人情報を含む", "property": "財産的被害のおそれ", "malicious": "不正の目的",
                   "over100": "該当者数１００人超", "ordinance": "条例要配慮個人情報を含む"}


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
    return "、".join(TRIGGER_PHRASES[t.key] for t in rules.assess(facts_for(incident)).triggers if t.applies)


def context(fiscal_year: int) -> IncidentsReport:
    start, end = fiscal_year_bounds(fiscal_year)
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
    rendering.docx_table(doc, rendering.Table(widths=(32, 138), body=[list(line) for line in lines(ctx)], label_column=True))
    rendering.page_number_footer(doc)
    return rendering.docx_bytes(doc)


def render_pdf(ctx) -> bytes:
    return rendering.pdf_from_template("incidents/reports/annual.html", {"title": title(ctx), "lines": lines(ctx)})
