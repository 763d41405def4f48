"""次第: the meeting's agenda sheet, as the seed prints it."""
from dataclasses import dataclass

from mamori.core import rendering
from mamori.core.calendar import fullwidth, time_label, wareki
from mamori.council.models import Meeting

FRAME = ["開　　　会", "配付資料の説明", "議　　　題", "事　務　連　絡", "閉　　　会"]


@dataclass
class AgendaReport:
    title: str  # 令和６年度第１回
    council: str  # 朝霞市情報公開・個人情報保護審議会会議次第
    date: str  # 令和６年７月２９日（月）
    time: str  # 午前１０時００分から
    place: str
    items: list[tuple[str, str, list[str]]]  # (１, 開　　　会, [（１）…])


def context(meeting: Meeting) -> AgendaReport:
    items = []
    for i, label in enumerate(FRAME, start=1):
        sub = [f"（{fullwidth(str(j))}）{fullwidth(text)}" for j, text in enumerate(meeting.agenda, start=1)] if label.startswith("議") else []
        items.append((fullwidth(str(i)), label, sub))
    return AgendaReport(
        title=fullwidth(meeting.title),
        council=f"{meeting.council_name}会議次第",
        date=wareki(meeting.date, full=True, weekday=True),
        time=f"{time_label(meeting.start_time)}から" if meeting.start_time else "",
        place=meeting.place,
        items=items,
    )


def render_docx(ctx: AgendaReport) -> bytes:
    doc = rendering.new_document(font_size=12)
    rendering.paragraph(doc, ctx.title, align="center", size=14)
    rendering.paragraph(doc, ctx.council, align="center", bold=True, size=14, space_after=18)
    for line in (ctx.date, ctx.time, ctx.place):
        if line:
            rendering.paragraph(doc, line, align="right")
    rendering.paragraph(doc, "", space_after=12)
    for number, label, sub in ctx.items:
        rendering.paragraph(doc, f"{number}　{label}", space_after=6)
        for line in sub:
            p = rendering.paragraph(doc, line, space_after=4)
            p.paragraph_format.left_indent = rendering.Mm(8)
        rendering.paragraph(doc, "", space_after=6)
    return rendering.docx_bytes(doc)


def render_pdf(ctx: AgendaReport) -> bytes:
    return rendering.pdf_from_template("council/reports/agenda.html", {"r": ctx})
