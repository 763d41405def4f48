"""Rendering adapters: DOCX (python-docx) and PDF (WeasyPrint, or ReportLab for forms by the thousand; Japanese font embedded).

Reports build a context dataclass; their renderers use these helpers and never query.
"""
import io
import re
import zipfile
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from xml.sax.saxutils import escape as xml_escape

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt  # noqa: F401  (Mm is used by reports)
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

# The city's documents are set in 明朝. DOCX names the font staff have in Word. The PDF embeds
# the product's own faces — Noto Serif JP (明朝) for the text, Noto Sans JP (ゴシック) for headings —
# which `make install` copies from the npm registry into mamori/core/fonts (docs/fonts.md). The
# renderer loads them by path, so a PDF has its Japanese text on a machine with no system fonts.
DOCX_FONT = "ＭＳ 明朝"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FACES = (  # (family, weight, file)
    ("Mamori Mincho", 400, "NotoSerifJP_400Regular.ttf"),
    ("Mamori Mincho", 700, "NotoSerifJP_700Bold.ttf"),
    ("Mamori Gothic", 400, "NotoSansJP_400Regular.ttf"),
    ("Mamori Gothic", 700, "NotoSansJP_700Bold.ttf"),
)
PDF_FONT_STACK = "'Mamori Mincho', serif"
PDF_GOTHIC_STACK = "'Mamori Gothic', sans-serif"


class FontsMissing(RuntimeError):
    """The PDF fonts are not installed: without them a PDF would have no Japanese text."""


def font_face_css() -> str:
    missing = [f for _, _, f in FACES if not (FONT_DIR / f).is_file()]
    if missing:
        raise FontsMissing(f"PDF用のフォント（{', '.join(missing)}）が {FONT_DIR} にありません。make install を実行してください。")
    return "\n".join(
        f"@font-face {{ font-family: '{family}'; font-weight: {weight}; src: url('{(FONT_DIR / file).as_uri()}'); }}"
        for family, weight, file in FACES
    )


def new_document(*, landscape: bool = False, font_size: float = 10.5) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    style = doc.styles["Normal"]
    style.font.name = DOCX_FONT
    style.font.size = Pt(font_size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), DOCX_FONT)
    return doc


def paragraph(doc_or_cell, text: str = "", *, align: str = "left", bold: bool = False, size: float | None = None, space_after: float = 0):
    p = doc_or_cell.add_paragraph()
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    p.paragraph_format.space_after = Pt(space_after)
    if text:
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    return p


def cell_text(cell, text: str, *, bold: bool = False) -> None:
    """Fill a table cell, one paragraph per line of the text."""
    lines = (text or "").split("\n")
    first = cell.paragraphs[0]
    first.text = ""
    run = first.add_run(lines[0])
    run.bold = bold
    for line in lines[1:]:
        cell.add_paragraph().add_run(line).bold = bold


def add_field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, PAGEREF name \\h …) at the end of the paragraph; Word and LibreOffice compute its value."""
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, instruction), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def page_number_footer(doc) -> None:
    """A centred PAGE field in the footer of every section."""
    for section in doc.sections:
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_field(p, "PAGE")


# ---------------------------------------------------------------- tables, laid out once for DOCX, XLSX and PDF
#
# A report describes each table once (Table): its column widths in mm, its heading rows with their merged
# cells, its body. docx_table and xlsx_table lay it out the same way, so a table opened in Word, LibreOffice
# or Excel has the PDF's columns and headings: fixed widths (an office suite otherwise shares the width
# out evenly), headings repeated on every page, rows kept whole where the report asks for it.

@dataclass(frozen=True)
class Head:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    widths: tuple[float, ...]  # mm; they add up to the page's text width
    body: list[list]
    head: list[list[Head]] = field(default_factory=list)
    align: tuple[str, ...] = ()  # per column: "left" (default), "center", "right"
    repeat: int | None = None  # rows repeated at the top of each page; the heading rows by default
    keep_rows: bool = False  # a row never splits across pages (short rows: checklists, counts)
    label_column: bool = False  # the first column is a heading (bold)
    font_size: float | None = None

    def placed_head(self) -> list[tuple[int, int, Head]]:
        """(row, column, cell) of every heading cell, columns counted past the cells spanning from above."""
        taken: set[tuple[int, int]] = set()
        out = []
        for r, row in enumerate(self.head):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                out.append((r, c, cell))
                taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
                c += cell.colspan
        return out

    def column_align(self, c: int) -> str:
        return self.align[c] if c < len(self.align) else "left"

    # For the PDF template (core/pdf_table.html).
    @property
    def total_width(self) -> float:
        return sum(self.widths)

    @property
    def aligned_body(self) -> list[list[tuple[object, str]]]:
        return [[(v, self.column_align(c)) for c, v in enumerate(row)] for row in self.body]


ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _row_property(row, tag: str) -> None:
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def docx_table(doc, table: Table):
    """The table in a DOCX: fixed layout with its grid and every cell at the given widths."""
    n_head = len(table.head)
    t = doc.add_table(rows=n_head + len(table.body), cols=len(table.widths))
    t.style = "Table Grid"
    t.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    t._tbl.tblPr.append(layout)
    margins = OxmlElement("w:tblCellMar")  # 1 mm each side, as the PDF (Word's default 1.9 mm wraps 「請求」 in 10 mm)
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(Mm(1).twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    t._tbl.tblPr.append(margins)
    for col, width in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), table.widths):
        col.set(qn("w:w"), str(Mm(width).twips))
    for row in t.rows:
        for cell, width in zip(row.cells, table.widths):
            cell.width = Mm(width)
    repeat = n_head if table.repeat is None else table.repeat
    for i, row in enumerate(t.rows):
        if i < repeat:
            _row_property(row, "w:tblHeader")
        if table.keep_rows or i < n_head:
            _row_property(row, "w:cantSplit")
    for r, c, head in table.placed_head():
        cell = t.cell(r, c)
        if head.rowspan > 1 or head.colspan > 1:
            cell = cell.merge(t.cell(r + head.rowspan - 1, c + head.colspan - 1))
        _fill(cell, head.text, bold=True, align="center", size=table.font_size)
        cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    for r, values in enumerate(table.body, start=n_head):
        for c, value in enumerate(values):
            bold = table.label_column and c == 0
            _fill(t.cell(r, c), "" if value is None else str(value), bold=bold, align=table.column_align(c), size=table.font_size)
    return t


def _fill(cell, text: str, *, bold: bool, align: str, size: float | None) -> None:
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    cell_text(cell, text, bold=bold)
    for p in cell.paragraphs:
        p.alignment = ALIGN[align]
        if size:
            for run in p.runs:
                run.font.size = Pt(size)


XLSX_MM_PER_UNIT = 2.0  # one unit of an Excel column width (a digit of the default font) is about 2 mm
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def xlsx_cell(ws, row: int, column: int, value):
    """A cell whose text stays text: a training name typed as 「=HYPERLINK(…)」 must not become a live formula
    in the office's spreadsheet (formula injection)."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
    return cell


def xlsx_table(ws, table: Table, start_row: int) -> int:
    """The table on a sheet from ``start_row``, merged headings and borders included; the next free row."""
    for c, width in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = round(width / XLSX_MM_PER_UNIT, 1)
    for r, c, head in table.placed_head():
        row, col = start_row + r, c + 1
        ws.cell(row=row, column=col, value=head.text)
        if head.rowspan > 1 or head.colspan > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + head.rowspan - 1, end_column=col + head.colspan - 1)
    n_head = len(table.head)
    for r in range(start_row, start_row + n_head):
        for c in range(1, len(table.widths) + 1):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.border = Font(bold=True), GRID
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    units = [width / XLSX_MM_PER_UNIT for width in table.widths]
    for r, values in enumerate(table.body, start=start_row + n_head):
        for c, value in enumerate(values, start=1):
            cell = xlsx_cell(ws, r, c, value)
            cell.border = GRID
            cell.alignment = Alignment(horizontal=table.column_align(c - 1), vertical="center", wrap_text=True)
            if table.label_column and c == 1:
                cell.font = Font(bold=True)
        # Spreadsheets do not grow a row for wrapped text written by a program: give it the height it needs.
        ws.row_dimensions[r].height = 15 * max(_xlsx_lines(v, u) for v, u in zip(values, units))
    return start_row + n_head + len(table.body)


def _xlsx_lines(value, units: float) -> int:
    """Lines a value wraps to in a column ``units`` wide (a Japanese character is about 2 units, with the margin)."""
    if value is None or isinstance(value, (int, float)):
        return 1
    per_line = max(1, int((units - 1) / 2))
    return sum(max(1, -(-len(line) // per_line)) for line in str(value).split("\n"))


def xlsx_note(ws, row: int, text: str, columns: int) -> None:
    """A note under a table: one cell merged across the table's width, wrapped, tall enough for its text."""
    xlsx_cell(ws, row, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8 for c in range(1, columns + 1))
    ws.row_dimensions[row].height = 15 * _xlsx_lines(text, width)


def xlsx_page(ws, *, columns: int, last_row: int, landscape: bool = False, title_rows: tuple[int, int] | None = None) -> None:
    """Print settings: A4, the table's area, fitted to one page wide, its headings repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.print_area = f"A1:{get_column_letter(columns)}{last_row}"
    if title_rows:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    ws.oddFooter.center.text = "&P / &N"


def docx_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(workbook) -> bytes:
    """An openpyxl workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def reportlab_font(file: str = "NotoSerifJP_400Regular.ttf") -> str:
    """One of the project's faces, registered with ReportLab (BSD) once per process; its ReportLab name.

    For forms made by the thousand (the public ファイル簿's request forms): drawn directly, without a layout
    engine, a PDF takes milliseconds where WeasyPrint takes half a second. ReportLab embeds a subset of the face:
    one subset of up to 256 glyphs, in the order they are first drawn (``asciiReadable=False``: the codes are
    not kept free for ASCII, which would split a Japanese form's ~220 glyphs into two embedded fonts).
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = "Mamori-" + file.rsplit(".", 1)[0]
    if name not in pdfmetrics.getRegisteredFontNames():
        path = FONT_DIR / file
        if not path.is_file():
            raise FontsMissing(f"PDF用のフォント（{file}）が {FONT_DIR} にありません。make install を実行してください。")
        pdfmetrics.registerFont(TTFont(name, str(path), asciiReadable=False))
    return name


class DocxTemplate:
    """A DOCX made once with placeholder words in its text, filled per copy by replacing them in the document's XML.

    For one form in thousands of copies that differ only in a few words: each copy is one string replacement
    and a ZIP, not a python-docx document. The members keep the template's dates (fixed, for reproducible files).
    Placeholders are plain ASCII words (python-docx keeps each in one run); values are escaped for XML.
    """

    DOCUMENT = "word/document.xml"

    def __init__(self, data: bytes, placeholders: Iterable[str]):
        self.placeholders = tuple(placeholders)
        base = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                if info.filename == self.DOCUMENT:
                    self.document_info, xml = info, src.read(info.filename).decode("utf-8")
                else:  # compressed once here; each copy appends its own document to these bytes
                    dst.writestr(info, src.read(info.filename))
        self.base = base.getvalue()
        missing = [word for word in self.placeholders if word not in xml]
        if missing:
            raise ValueError(f"placeholders not in the template's text: {missing}")
        self.xml = xml
        self._pattern = re.compile("|".join(re.escape(w) for w in sorted(self.placeholders, key=len, reverse=True)))

    def fill(self, values: dict[str, str]) -> bytes:
        text = self._pattern.sub(lambda m: xml_escape(values[m.group(0)]), self.xml)
        out = io.BytesIO(self.base)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as dst:
            dst.writestr(self.document_info, text.encode("utf-8"))
        return out.getvalue()


_EXTRA_PDF_CSS: ContextVar[str] = ContextVar("mamori_extra_pdf_css", default="")


@contextmanager
def extra_pdf_css(css: str):
    """CSS added to every PDF made inside the block: the bound packet (council.reports.packet) renders each
    document with its own page numbers off (``content: none !important``), then numbers the whole packet."""
    token = _EXTRA_PDF_CSS.set(css)
    try:
        yield
    finally:
        _EXTRA_PDF_CSS.reset(token)


def pdf_from_template(template: str, context: dict) -> bytes:
    # weasyprint is heavy (Pango, fontTools) and only PDFs need it: imported when one is made.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    faces = CSS(string=font_face_css() + f"\nh1, h2, h3, th, .gothic {{ font-family: {PDF_GOTHIC_STACK}; }}", font_config=fonts)
    html = render_to_string(template, {**context, "pdf_font": PDF_FONT_STACK})
    extra = _EXTRA_PDF_CSS.get()
    sheets = [faces, CSS(string=extra, font_config=fonts)] if extra else [faces]
    return HTML(string=html).write_pdf(stylesheets=sheets, font_config=fonts)
