"""A notice as DOCX and PDF: number and date at the right, addressee, sender, title, body, 教示."""
from dataclasses import dataclass

from mamori.core import rendering
from mamori.core.calendar import wareki


@dataclass
class NoticeDoc:
    number: str
    date: str
    recipient: str
    sender: str
    title: str
    body: str
    teaching: str


def context(notice) -> NoticeDoc:
    return NoticeDoc(notice.number, wareki(notice.issued_on, full=True), f"{notice.recipient}　様", notice.sender,
                     notice.title, notice.body, notice.teaching)


def render_docx(ctx: NoticeDoc) -> bytes:
    doc = rendering.new_document(font_size=11)
    rendering.paragraph(doc, ctx.number, align="right")
    rendering.paragraph(doc, ctx.date, align="right", space_after=12)
    rendering.paragraph(doc, ctx.recipient, space_after=12)
    rendering.paragraph(doc, ctx.sender, align="right", space_after=18)
    rendering.paragraph(doc, ctx.title, align="center", bold=True, size=13, space_after=12)
    for line in ctx.body.split("\n"):
        rendering.paragraph(doc, line, space_after=2)
    if ctx.teaching:
        rendering.paragraph(doc, "", space_after=6)
        rendering.paragraph(doc, "（教示）", bold=True)
        for line in ctx.teaching.split("\n"):
            rendering.paragraph(doc, line, space_after=2)
    return rendering.docx_bytes(doc)


def render_pdf(ctx: NoticeDoc) -> bytes:
    return rendering.pdf_from_template("disclosure/reports/notice.html", {"n": ctx})
