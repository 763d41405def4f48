"""保有個人情報開示請求書 (法第77条第1項), pre-filled for one file of the 個人情報ファイル簿: the file's name and
number as 「開示を請求する保有個人情報」, the 実施機関 it is addressed to and the office that receives it.
The requester adds their name, address and what they want from the file. DOCX (python-docx, core.rendering)
and PDF (drawn with ReportLab: see render_pdf); the renderers never query.
"""
import functools
import io
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from typing import Callable, Iterable, Iterator

from docx.shared import Mm
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from mamori.core import rendering
from mamori.public import rules


@dataclass(frozen=True)
class RequestForm:
    code: str  # F00001
    file_name: str
    organ: str  # the addressee: 朝霞市長, 朝霞市教育委員会
    units: str  # 事務をつかさどる組織, 「、」-joined
    office: str  # 開示請求等を受理する組織の名称及び所在地 (法第74条第1項第9号)
    fee_lines: tuple[str, ...]

    @property
    def subject(self) -> str:
        return (f"個人情報ファイル簿に掲載されている「{self.file_name}」（ファイル番号 {self.code}、{self.organ} {self.units}）"
                "に記録されている私の保有個人情報")

    def key(self) -> dict:
        """What the document is made of (the publication reuses a document whose key has not changed)."""
        return asdict(self)


def context(entry, fees: rules.Fees) -> RequestForm:
    """The form for a PublicEntry (filebook.selectors.PublicEntry)."""
    return RequestForm(entry.code, entry.name, entry.organ, "、".join(entry.units), entry.request_office, rules.fee_lines(fees))


TITLE = "保有個人情報開示請求書"
LEAD = "個人情報の保護に関する法律第77条第1項の規定により、次のとおり保有個人情報の開示を請求します。"
METHODS = "□ 事務所における開示（□ 閲覧　□ 写しの交付　□ その他（　　　　　　））\n□ 写しの送付を希望する"
REQUESTER_KIND = "□ 本人　□ 法定代理人　□ 任意代理人"
IDENTITY = "□ " + "　□ ".join(rules.IDENTITY_DOCUMENTS) + "　□ その他（　　　　　　）\n※ 郵送の場合は、本人確認書類の写しと住民票の写しを添えてください。"
AGENT = "本人の氏名：\n本人の住所：\n添付書類：□ 戸籍謄本など（法定代理人）　□ 委任状（任意代理人）"


def rows(ctx: RequestForm) -> list[tuple[str, str]]:
    """The form's table: (heading, what is written) — the same in the DOCX and the PDF."""
    return [
        ("開示を請求する保有個人情報", f"{ctx.subject}\n（求める内容・期間など：　　　　　　　　　　　　　　　　）"),
        ("求める開示の実施方法等\n（希望があれば記入）", METHODS),
        ("開示請求者の区分", REQUESTER_KIND),
        ("本人確認書類", IDENTITY),
        ("代理人が請求する場合", AGENT),
    ]


REQUESTER = (("氏名", ""), ("住所又は居所", "〒"), ("連絡先電話番号", ""))


def render_docx(ctx: RequestForm) -> bytes:
    doc = rendering.new_document(font_size=10.5)
    rendering.paragraph(doc, TITLE, align="center", bold=True, size=14, space_after=10)
    rendering.paragraph(doc, "年　　月　　日", align="right", space_after=6)
    rendering.paragraph(doc, f"（宛先）{ctx.organ}", space_after=8)
    people = doc.add_table(rows=len(REQUESTER), cols=2)
    people.style = "Table Grid"
    for row, (label, value) in zip(people.rows, REQUESTER):
        row.cells[0].width, row.cells[1].width = Mm(40), Mm(130)
        rendering.cell_text(row.cells[0], label, bold=True)
        rendering.cell_text(row.cells[1], value)
    rendering.paragraph(doc, "", space_after=4)
    rendering.paragraph(doc, LEAD, space_after=6)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows(ctx):
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Mm(45), Mm(125)
        rendering.cell_text(cells[0], label, bold=True)
        rendering.cell_text(cells[1], value)
    rendering.paragraph(doc, "", space_after=4)
    rendering.paragraph(doc, f"提出先：{ctx.office}", space_after=2)
    for line in ctx.fee_lines:
        rendering.paragraph(doc, line, size=9, space_after=2)
    rendering.paragraph(doc, "", space_after=4)
    office = doc.add_table(rows=1, cols=3)
    office.style = "Table Grid"
    for cell, label in zip(office.rows[0].cells, ("※受付年月日", "※受付番号", "※担当")):
        rendering.cell_text(cell, f"{label}\n\n")
    rendering.paragraph(doc, "※欄は記入しないでください。", size=9)
    return rendering.docx_bytes(doc)


# ---------------------------------------------------------------- the PDF, drawn (ReportLab)
#
# A publication makes one form per file, thousands at a time, so the PDF is drawn directly on a ReportLab
# canvas rather than typeset by WeasyPrint (about 5 ms a form instead of 500): the layout is fixed, A4, one
# face (Noto Serif JP, a subset embedded), with the same parts, sizes and rules as the DOCX.

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_Y = 18 * mm, 14 * mm
WIDTH = PAGE_W - 2 * MARGIN_X
HEAD_W = 42 * mm  # the tables' heading column
BODY, SMALL, TITLE_SIZE = 10, 9, 15
PAD_X, PAD_Y = 2.5 * mm, 1.5 * mm
# 禁則: these never begin a line (they hang at the end of the one before); an ASCII word or number is kept whole.
NO_LINE_START = set("、。，．,.）」』】〕〉》？！?!・ー：；:;％%")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/_-]*|.", re.S)


def _leading(size: float) -> float:
    return size * 1.5


@functools.lru_cache(maxsize=8192)
def _width(token: str, font: str, size: float) -> float:
    return stringWidth(token, font, size)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """The lines ``text`` takes in ``width`` points: its own line breaks kept, full-width spaces kept as typed."""
    out: list[str] = []
    for hard in text.split("\n"):
        line, used = "", 0.0
        for token in WORD.findall(hard):
            w = _width(token, font, size)
            if line and used + w > width and not (len(token) == 1 and token in NO_LINE_START):
                out.append(line.rstrip(" "))
                line, used = "", 0.0
                if token == " ":  # a space at the break is the break
                    continue
            line, used = line + token, used + w
        out.append(line)
    return out


class _Pen:
    """Draws top to bottom on the page; a part that does not fit starts a new page."""

    def __init__(self, c, font: str):
        self.c, self.font, self.y = c, font, PAGE_H - MARGIN_Y

    def room(self, height: float) -> None:
        if self.y - height < MARGIN_Y:
            self.c.showPage()
            self.y = PAGE_H - MARGIN_Y

    def text(self, text: str, *, size: float = BODY, align: str = "left", after: float = 0, space: float = 0) -> None:
        lines = wrap(text, self.font, size, WIDTH)
        self.room(len(lines) * _leading(size))
        for line in lines:
            self.y -= _leading(size)
            baseline = self.y + (_leading(size) - size) / 2 + size * 0.12
            self.c.setFont(self.font, size)
            if align == "center":
                x = (PAGE_W - stringWidth(line, self.font, size) - space * max(len(line) - 1, 0)) / 2
            elif align == "right":
                x = PAGE_W - MARGIN_X - stringWidth(line, self.font, size)
            else:
                x = MARGIN_X
            t = self.c.beginText(x, baseline)
            t.setFont(self.font, size)
            t.setCharSpace(space)
            t.textOut(line)
            self.c.drawText(t)
        self.y -= after

    def table(self, rows: list[list[str]], widths: list[float], *, size: float = BODY, min_height: float = 0, after: float = 0) -> None:
        for row in rows:
            cells = [wrap(text, self.font, size, w - 2 * PAD_X) for text, w in zip(row, widths)]
            height = max(min_height, max(len(lines) for lines in cells) * _leading(size) + 2 * PAD_Y)
            self.room(height)
            x = MARGIN_X
            for lines, w in zip(cells, widths):
                self.c.rect(x, self.y - height, w, height, stroke=1, fill=0)
                y = self.y - PAD_Y
                for line in lines:
                    y -= _leading(size)
                    self.c.setFont(self.font, size)
                    self.c.drawString(x + PAD_X, y + (_leading(size) - size) / 2 + size * 0.12, line)
                x += w
            self.y -= height
        self.y -= after


def render_pdf(ctx: RequestForm) -> bytes:
    font = rendering.reportlab_font()
    out = io.BytesIO()
    # invariant: no clock or random id in the file, so the same form gives the same bytes
    c = canvas.Canvas(out, pagesize=A4, invariant=1, pageCompression=1, lang="ja", initialFontName=font, initialFontSize=BODY)
    c.setTitle(f"{TITLE}（{ctx.code} {ctx.file_name}）")
    c.setCreator("Mamori")
    c.setLineWidth(0.8)
    pen = _Pen(c, font)
    pen.text(TITLE, size=TITLE_SIZE, align="center", after=3 * mm, space=TITLE_SIZE * 0.1)
    pen.text("年　　月　　日", align="right", after=3 * mm)
    pen.text(f"（宛先）{ctx.organ}", after=4 * mm)
    pen.table([[label, value] for label, value in REQUESTER], [HEAD_W, WIDTH - HEAD_W], min_height=11 * mm, after=4 * mm)
    pen.text(LEAD, after=2 * mm)
    pen.table([[label, value] for label, value in rows(ctx)], [HEAD_W, WIDTH - HEAD_W], after=4 * mm)
    pen.text(f"提出先：{ctx.office}", after=1 * mm)
    for line in ctx.fee_lines:
        pen.text(line, size=SMALL, after=0.5 * mm)
    pen.y -= 3 * mm
    pen.table([["※受付年月日", "※受付番号", "※担当"]], [WIDTH / 3] * 3, size=SMALL, min_height=14 * mm)
    pen.text("※欄は記入しないでください。", size=SMALL)
    c.showPage()
    c.save()
    return out.getvalue()


def _workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), MAX_WORKERS))


MAX_WORKERS = 8
POOL_FROM = 200  # fewer forms than this are drawn here: starting the processes would cost more than it saves
CHUNK = 50


def render_pdfs(contexts: list[RequestForm], *, progress: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """The PDFs of many forms, in order, drawn by one process per processor (ReportLab holds the GIL).

    The work is handed out at once, so the caller can make the site's pages while the processes draw; the
    processes are forked from this one, draw from the contexts they are given and touch no database.
    """
    workers = _workers()
    if workers == 1 or len(contexts) < POOL_FROM:
        return _reported(map(render_pdf, contexts), len(contexts), progress, None)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    return _reported(pool.map(render_pdf, contexts, chunksize=CHUNK), len(contexts), progress, pool)


def _reported(results: Iterable[bytes], total: int, progress, pool) -> Iterator[bytes]:
    try:
        for n, data in enumerate(results, start=1):
            if progress and (n % CHUNK == 0 or n == total):
                progress(n)
            yield data
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


# ---------------------------------------------------------------- the DOCX, by the thousand

PLACEHOLDERS = {"code": "MAMORIFORMCODE", "file_name": "MAMORIFORMFILENAME", "organ": "MAMORIFORMORGAN", "units": "MAMORIFORMUNITS",
                "office": "MAMORIFORMOFFICE"}


class DocxForms:
    """The DOCX form typeset once for a publication (its fee lines are the city's), then filled per file."""

    def __init__(self, fee_lines: tuple[str, ...], finish=lambda data: data):
        blank = RequestForm(fee_lines=fee_lines, **PLACEHOLDERS)
        self.template = rendering.DocxTemplate(finish(render_docx(blank)), PLACEHOLDERS.values())

    def render(self, ctx: RequestForm) -> bytes:
        return self.template.fill({word: getattr(ctx, name) for name, word in PLACEHOLDERS.items()})
