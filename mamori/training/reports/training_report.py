"""資料4: 職員への研修状況 for a fiscal year: every session held in the year, with its participants."""
from dataclasses import asdict, dataclass

from openpyxl import Workbook

from mamori.core import rendering
from mamori.core.calendar import fiscal_year_bounds, fiscal_year_label
from mamori.core.reports import NoData
from mamori.training.models import TrainingSession


@dataclass
class Row:
    date: str
    name: str
    participants: int


@dataclass
class TrainingReport:
    fiscal_year: int
    label: str
    rows: list[Row]
    total: int

    def as_json(self):
        return {"fiscal_year": self.fiscal_year, "label": self.label, "total": self.total,
                "sessions": [asdict(r) for r in self.rows]}


def context(fiscal_year: int) -> TrainingReport:
    start, end = fiscal_year_bounds(fiscal_year)
    sessions = list(TrainingSession.objects.filter(held_on__range=(start, end)))
    if not sessions:
        raise NoData(f"{fiscal_year_label(fiscal_year)}の研修の記録がありません。年度を確かめてください。")
    rows = [Row(f"{s.held_on.month}月{s.held_on.day}日", s.name + (f"（対象者：{s.target}）" if s.target else ""), s.participants) for s in sessions]
    return TrainingReport(fiscal_year, fiscal_year_label(fiscal_year), rows, sum(r.participants for r in rows))


def title(ctx) -> str:
    return f"{fiscal_year_label(ctx.fiscal_year, full=True)} 職員への研修状況"


def lead(ctx) -> str:
    return f"情報公開制度・個人情報保護制度について、{fiscal_year_label(ctx.fiscal_year, full=True)}は以下のとおり研修を行いました。"


def render_docx(ctx) -> bytes:
    doc = rendering.new_document()
    rendering.paragraph(doc, "資料４", align="right", size=12)
    rendering.paragraph(doc, title(ctx), align="center", bold=True, size=13, space_after=8)
    rendering.paragraph(doc, lead(ctx), space_after=6)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for i, h in enumerate(("日程", "研修名", "参加者数")):
        rendering.cell_text(table.rows[0].cells[i], h, bold=True)
    for r in ctx.rows:
        row = table.add_row()
        for i, v in enumerate((r.date, r.name, f"{r.participants}人")):
            rendering.cell_text(row.cells[i], v)
    return rendering.docx_bytes(doc)


def render_pdf(ctx) -> bytes:
    return rendering.pdf_from_template("training/reports/training.html", {"title": title(ctx), "lead": lead(ctx), "r": ctx})


def render_xlsx(ctx) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "資料4"
    ws.append([title(ctx)])
    ws.append(["日程", "研修名", "参加者数"])
    for r in ctx.rows:
        ws.append([r.date, r.name, r.participants])
    ws.append(["合計", "", ctx.total])
    return rendering.xlsx_bytes(wb)
