"""資料4: 職員への研修状況 for a fiscal year: every session held in the year, with its participants."""
from dataclasses import asdict, dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

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


WIDTHS = (32, 110, 28)  # mm of A4's 170: 日程 holds 「１１月１日」, 参加者数 never wraps


def spec(ctx) -> rendering.Table:
    H = rendering.Head
    return rendering.Table(widths=WIDTHS, head=[[H("日程"), H("研修名"), H("参加者数")]],
                           body=[[r.date, r.name, f"{r.participants}人"] for r in ctx.rows], align=("left", "left", "right"), keep_rows=True)


def render_docx(ctx) -> bytes:
    doc = rendering.new_document()
    rendering.paragraph(doc, "資料４", align="right", size=12)
    rendering.paragraph(doc, title(ctx), align="center", bold=True, size=13, space_after=8)
    rendering.paragraph(doc, lead(ctx), space_after=6)
    rendering.docx_table(doc, spec(ctx))
    rendering.page_number_footer(doc)
    return rendering.docx_bytes(doc)


def render_pdf(ctx) -> bytes:
    return rendering.pdf_from_template("training/reports/training.html", {"title": title(ctx), "lead": lead(ctx), "t": spec(ctx)})


def render_xlsx(ctx) -> bytes:
    """参加者数 as numbers, with their total."""
    wb = Workbook()
    ws = wb.active
    ws.title = "資料4"
    ws.append([title(ctx)])
    ws["A1"].font = Font(bold=True)
    table = spec(ctx)
    table.body = [[r.date, r.name, r.participants] for r in ctx.rows] + [["合計", "", ctx.total]]
    last = rendering.xlsx_table(ws, table, 3)
    rendering.xlsx_page(ws, columns=len(WIDTHS), last_row=last - 1, title_rows=(3, 3))
    return rendering.xlsx_bytes(wb)
