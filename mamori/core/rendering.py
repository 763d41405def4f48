"""Rendering adapters: DOCX (python-docx) and PDF (WeasyPrint, Japanese font embedded).

Reports build a context dataclass; their renderers use these helpers and never query.
"""
import io
from pathlib import Path

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt  # noqa: F401  (Mm is used by reports)

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
    # weasyprint is heavy (Pango, fontTools) and only PDFs need it: imported when one is made.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    faces = CSS(string=font_face_css() + f"\nh1, h2, h3, th, .gothic {{ font-family: {PDF_GOTHIC_STACK}; }}", font_config=fonts)
    html = render_to_string(template, {**context, "pdf_font": PDF_FONT_STACK})
    return HTML(string=html).write_pdf(stylesheets=[faces], font_config=fonts)
