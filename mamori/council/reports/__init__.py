"""The meeting's own documents (次第・資料1・資料2・資料7), for `mamori report` and the meeting page.

The yearly reports (資料3〜6) come from the apps that own their data, through
``core.reports.ANNUAL``; this module holds only what the council itself builds.
"""
from dataclasses import dataclass
from typing import Callable

from mamori.core.reports import ReportSpec, register
from mamori.council.models import Meeting
from mamori.council.reports import agenda, notifications, packet
from mamori.council.selectors import meeting_by_ref
from mamori.handbooks import selectors as handbook_selectors
from mamori.handbooks.reports import revisions as handbook_revisions
from mamori.register.models import NotificationKind


@dataclass(frozen=True)
class MeetingDocument:
    key: str
    label: str
    context: Callable  # (meeting) -> context
    module: object  # render_pdf / render_docx
    formats: tuple[str, ...] = ("pdf", "docx")
    title: str = ""  # the bound packet's 目次 (council.reports.packet); the label stands in when empty

    def build(self, meeting, fmt: str) -> bytes:
        ctx = self.context(meeting)
        return self.module.render_pdf(ctx) if fmt == "pdf" else self.module.render_docx(ctx)


def handbook_revisions_context(meeting: Meeting):
    """資料7: the handbooks' finalized revisions dated after the previous meeting and up to this one (the office
    reports what changed since it last reported; dates alone decide, so a past packet reprints the same)."""
    previous = Meeting.objects.filter(date__lt=meeting.date).order_by("-date").values_list("date", flat=True).first()
    return handbook_revisions.context(handbook_selectors.revisions_reported(after=previous, until=meeting.date))


MEETING_DOCUMENTS = {
    d.key: d for d in (
        MeetingDocument("agenda", "次第", agenda.context, agenda, title="会議次第"),
        MeetingDocument("shiryo1", "資料1（新規分）", lambda m: notifications.context(m, NotificationKind.NEW), notifications,
                        title=notifications.KINDS[NotificationKind.NEW][1]),
        MeetingDocument("shiryo2", "資料2（変更分）", lambda m: notifications.context(m, NotificationKind.CHANGE), notifications,
                        title=notifications.KINDS[NotificationKind.CHANGE][1]),
        MeetingDocument("shiryo7", "資料7（手引の改訂）", handbook_revisions_context, handbook_revisions),
    )
}


def _meeting_argument(parser) -> None:
    parser.add_argument("--meeting", required=True, help="審議会の番号、または「令和6年度第1回」のような名前")


def _notifications_arguments(parser) -> None:
    _meeting_argument(parser)
    parser.add_argument("--kind", choices=["new", "change"], required=True, help="new: 資料1（新規分）、change: 資料2（変更分）")


def build_notifications(options: dict) -> bytes:
    key = "shiryo1" if options["kind"] == NotificationKind.NEW else "shiryo2"
    return MEETING_DOCUMENTS[key].build(meeting_by_ref(options["meeting"]), options["format"])


def build_agenda(options: dict) -> bytes:
    return MEETING_DOCUMENTS["agenda"].build(meeting_by_ref(options["meeting"]), options["format"])


def build_handbook_revisions(options: dict) -> bytes:
    return MEETING_DOCUMENTS["shiryo7"].build(meeting_by_ref(options["meeting"]), options["format"])


def _packet_arguments(parser) -> None:
    _meeting_argument(parser)
    parser.add_argument("--charts", action="store_true", help="年度の推移のグラフを付録として付ける")


def packet_context(meeting, *, charts: bool = False) -> packet.PacketContext:
    """The bound packet of ``meeting``: its own documents, then the yearly reports (core.reports.ANNUAL)."""
    return packet.context(meeting, MEETING_DOCUMENTS.values(), charts=charts)


def build_packet(options: dict, progress=None) -> bytes:
    ctx = packet_context(meeting_by_ref(options["meeting"]), charts=options.get("charts", False))
    return packet.RENDERERS[options["format"]](ctx, progress=progress)


def register_reports() -> None:
    register(ReportSpec("notifications", "資料1・資料2 個人情報取扱管理簿届出書の取りまとめ", _notifications_arguments, build_notifications, ("docx", "pdf")))
    register(ReportSpec("agenda", "審議会の次第", _meeting_argument, build_agenda, ("docx", "pdf")))
    register(ReportSpec("handbooks", "資料7 手引の改訂（新旧対照表）", _meeting_argument, build_handbook_revisions, ("docx", "pdf")))
    register(ReportSpec("packet", "審議会の会議資料一式（次第・資料1〜7、目次・ページ番号・しおり付き）", _packet_arguments, build_packet, packet.FORMATS))
