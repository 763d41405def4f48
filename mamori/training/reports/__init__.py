"""資料4: 職員への研修状況 (`mamori report training`)."""
import datetime
import io
from dataclasses import asdict, dataclass

from mamori.core import rendering
from mamori.core.calendar import fiscal_year_label

FORMATS = ("json", "docx", "pdf", "xlsx")


class NoData(LookupError):
    pass


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
    from mamori.training.models import TrainingSession

    start, end = datetime.date(fiscal_year, 4, 1), datetime.date(fiscal_year + 1, 3, 31)
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
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "資料4"
    ws.append([title(ctx)])
    ws.append(["日程", "研修名", "参加者数"])
    for r in ctx.rows:
        ws.append([r.date, r.name, r.participants])
    ws.append(["合計", "", ctx.total])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def build(fiscal_year: int, fmt: str) -> bytes:
    import sys

    from mamori.core.reports import build_annual

    return build_annual(sys.modules[__name__], fiscal_year, fmt)


def register_reports() -> None:
    from mamori.core.reports import register_annual

    register_annual("training", "資料4 職員への研修状況", build, FORMATS)
