"""「個人情報の取扱いに関する特記事項」 as the office keeps it (models.SpecialProvisions), printed after 資料5 in the
bound council packet before 別紙1〜4: the edition in force on the meeting's date."""
import datetime
import re
from dataclasses import dataclass

from docx.shared import Mm

from mamori.core import rendering
from mamori.core.calendar import wareki
from mamori.core.reports import NoData
from mamori.outsourcing import selectors

ARTICLE = re.compile(r"^第[０-９0-9]+条")
HEADING = re.compile(r"[（(][^\s　()（）]{1,30}[)）]")  # （基本的事項）
CLAUSE = re.compile(r"^(?:[０-９0-9]+|[（(][０-９0-9]+[)）])[\s　]")  # ２ 受注者は… / (1) 施錠が…


@dataclass(frozen=True)
class Paragraph:
    kind: str  # "heading" （基本的事項）, "article" 第１条…, "clause" ２…, "item" (1)…, "text" anything else
    text: str


@dataclass(frozen=True)
class ProvisionsText:
    title: str
    in_force: str  # 令和６年４月１日施行
    paragraphs: tuple[Paragraph, ...]


def _kind(text: str) -> str:
    if ARTICLE.match(text):
        return "article"
    if HEADING.fullmatch(text):
        return "heading"
    if CLAUSE.match(text):
        return "item" if text[:1] in "（(" else "clause"
    return "text"


def text_of(edition) -> ProvisionsText:
    return ProvisionsText(edition.title, f"{wareki(edition.in_force_on, full=True)}施行",
                          tuple(Paragraph(_kind(p), p) for p in edition.paragraphs))


def context(fiscal_year: int, *, on: datetime.date | None = None) -> ProvisionsText:
    """The edition in force on ``on`` (the meeting's date; the end of the fiscal year when none is given)."""
    on = on or datetime.date(fiscal_year + 1, 3, 31)
    edition = selectors.provisions_in_force(on)
    if edition is None:
        raise NoData(f"{wareki(on)}に施行されている特記事項の本文が登録されていません")
    return text_of(edition)


# The hanging indents of the seed: an article's first line out by one character, a 号 by two.
INDENT = {"article": (1, -1), "clause": (1, -1), "item": (2, -1), "heading": (0, 0), "text": (0, 0)}  # (left, first line) in characters


def render_pdf(ctx: ProvisionsText) -> bytes:
    return rendering.pdf_from_template("outsourcing/reports/provisions.html", {"c": ctx})


def render_docx(ctx: ProvisionsText) -> bytes:
    size = 10.5
    doc = rendering.new_document(font_size=size)
    rendering.paragraph(doc, ctx.title, align="center", bold=True, size=13, space_after=2)
    rendering.paragraph(doc, f"（{ctx.in_force}）", align="right", space_after=6)
    char = Mm(size * 0.3528)
    for p in ctx.paragraphs:
        paragraph = rendering.paragraph(doc, p.text, space_after=0)
        left, first = INDENT[p.kind]
        paragraph.paragraph_format.left_indent = char * left
        paragraph.paragraph_format.first_line_indent = char * first
        if p.kind == "heading":
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.space_before = Mm(1.5)
    return rendering.docx_bytes(doc)
