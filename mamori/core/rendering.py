"""Rendering adapters: DOCX (python-docx) and PDF (WeasyPrint, Japanese font embedded).

Reports build a context dataclass; their renderers use these helpers and never query.
"""
import io

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt  # noqa: F401  (Mm is used by reports)

# The city's documents are set in 明朝. DOCX names the font staff have in Word; the PDF
# embeds Noto Serif CJK (Debian's fonts-noto-cjk), so it reads the same everywhere.
DOCX_FONT = "ＭＳ 明朝"
PDF_FONT_STACK = "'Noto Serif CJK JP', 'Noto Sans CJK JP', serif"


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
        cell.add_paragraph(line)


def page_number_footer(doc) -> None:
    """A centred PAGE field in the footer of every section."""
    for section in doc.sections:
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run()
        for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if tag:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), tag)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._r.append(el)


def docx_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(workbook) -> bytes:
    """An openpyxl workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_from_template(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, {**context, "pdf_font": PDF_FONT_STACK})
    return HTML(string=html).write_pdf()
