"""資料1・資料2: 個人情報取扱管理簿届出書（新規分／変更分の取りまとめ）.

One bordered block per program: 事務事業名 / 理由及び経緯 / 内容 / 担当, as the seed prints them.
"""
from dataclasses import dataclass

from mamori.core import rendering
from mamori.core.calendar import fullwidth
from mamori.council.models import Meeting
from mamori.council.selectors import meeting_notifications
from mamori.register.models import NotificationKind

KINDS = {
    NotificationKind.NEW: (1, "個人情報取扱管理簿届出書（新規分の取りまとめ）"),
    NotificationKind.CHANGE: (2, "個人情報取扱管理簿届出書（変更分の取りまとめ）"),
}
ROWS = ("事務事業名", "理由及び経緯", "内容", "担当")
WIDTHS = (32, 138)  # mm of A4's 170 mm text width: the label column as narrow as 「理由及び経緯」 allows


@dataclass
class Block:
    name: str
    reason: str
    content: str
    department: str


@dataclass
class NotificationsReport:
    label: str  # 資料１
    heading: str
    meeting: str
    blocks: list[Block]


def context(meeting: Meeting, kind: str) -> NotificationsReport:
    number, heading = KINDS[kind]
    blocks = [
        Block(
            name=n.program_name + ("（廃止）" if n.kind == NotificationKind.ABOLISH else ""),
            reason=n.reason,
            content=n.content,
            department=n.unit.label if n.unit_id else "",
        )
        for n in meeting_notifications(meeting, kind)
    ]
    return NotificationsReport(label=fullwidth(f"資料{number}"), heading=heading, meeting=meeting.title, blocks=blocks)


def render_docx(ctx: NotificationsReport) -> bytes:
    doc = rendering.new_document()
    rendering.paragraph(doc, ctx.label, align="right", size=12)
    rendering.paragraph(doc, ctx.heading, align="center", bold=True, size=13, space_after=12)
    if not ctx.blocks:
        rendering.paragraph(doc, "該当する届出はありません。")
    for block in ctx.blocks:
        # 事務事業名 is the repeated heading row: Word and LibreOffice show it again when 内容 runs onto the next page.
        rendering.docx_table(doc, rendering.Table(
            widths=WIDTHS, body=[list(row) for row in zip(ROWS, (block.name, block.reason, block.content, block.department))],
            repeat=1, label_column=True,
        ))
        rendering.paragraph(doc, "", space_after=8)
    rendering.page_number_footer(doc)
    return rendering.docx_bytes(doc)


def render_pdf(ctx: NotificationsReport) -> bytes:
    return rendering.pdf_from_template("council/reports/notifications.html", {"r": ctx, "rows": ROWS})
