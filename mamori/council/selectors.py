"""Reads for the council: meetings, and the accepted 届出 still waiting for one."""
import re
import unicodedata

from django.db.models import Count, QuerySet
from django.urls import reverse

from mamori.core import permissions as perm
from mamori.core.calendar import wareki
from mamori.core.models import UNIT_CHAIN
from mamori.core.worklist import ITEMS_SHOWN, Entry, Item
from mamori.council.history import PART_TOPICS
from mamori.council.models import Meeting, PacketPart, YearFigure
from mamori.register import selectors as register_selectors
from mamori.register.models import IngestSource, Notification, NotificationKind, NotificationStatus

TITLE = re.compile(r"(令和|平成)(元|\d+)年度第(\d+)回")


def meeting_by_ref(ref: str | int) -> Meeting:
    """A meeting by id or by title (令和6年度第1回, full or half width). LookupError in Japanese if none."""
    text = unicodedata.normalize("NFKC", str(ref)).replace(" ", "")
    if text.isdigit():
        meeting = Meeting.objects.filter(pk=int(text)).first()
    else:
        m = TITLE.search(text)
        meeting = None
        if m:
            era, year, number = m.groups()
            fy = {"令和": 2018, "平成": 1988}[era] + (1 if year == "元" else int(year))
            meeting = Meeting.objects.filter(fiscal_year=fy, number=int(number)).first()
    if meeting is None:
        known = "、".join(m.title for m in Meeting.objects.all()[:10]) or "（まだありません）"
        raise LookupError(f"審議会「{ref}」が見つかりません。番号か「令和6年度第1回」のような名前で指定してください。登録済み: {known}")
    return meeting


def awaiting_council() -> QuerySet[Notification]:
    """Accepted 届出 not yet assigned to a meeting."""
    return (
        Notification.objects.filter(status=NotificationStatus.ACCEPTED, meeting_link__isnull=True)
        .select_related(f"unit__{UNIT_CHAIN}", "program__current")
        .order_by("kind", "accepted_at", "number")
    )


def meeting_notifications(meeting: Meeting, kind: str | None = None) -> list[Notification]:
    """The meeting's 届出, 新規 for 資料1 and 変更・廃止 for 資料2, in their order."""
    qs = Notification.objects.filter(meeting_link__meeting=meeting).select_related(f"unit__{UNIT_CHAIN}").order_by("meeting_link__order", "number")
    if kind == NotificationKind.NEW:
        qs = qs.filter(kind=NotificationKind.NEW)
    elif kind == NotificationKind.CHANGE:
        qs = qs.exclude(kind=NotificationKind.NEW)
    return list(qs)


def meetings_visible(user) -> QuerySet[Meeting]:
    return Meeting.objects.all() if perm.can_read_council(user) else Meeting.objects.none()


def with_sort_name(qs: QuerySet[Notification]) -> QuerySet[Notification]:
    return register_selectors.with_sort_name(qs)


def worklist(user):
    """The council's part of the home page (core.worklist): the accepted 届出 no meeting reports yet."""
    if perm.can_read_council(user):
        waiting = awaiting_council()
        items = tuple(
            Item(f"{n.number} {n.program_name}", reverse("register:notification_detail", args=[n.number]) if perm.can_read_register(user) else reverse("council:awaiting"),
                 f"{n.get_kind_display()}・{n.unit.label if n.unit_id else '担当未設定'}")
            for n in waiting[:ITEMS_SHOWN]
        )
        yield Entry("審議会への報告待ちの届出", waiting.count(), reverse("council:awaiting"), "報告待ちの届出一覧へ",
                    "審議会の画面で、報告する回に割り当ててください。" if perm.can_manage_council(user) else "", items=items)
    if perm.can_read_council(user) and not perm.can_manage_council(user):
        # a member's home: the latest meetings, each opening at its 会議資料一式 (the office works from the list)
        meetings = Meeting.objects.order_by("-date")
        items = tuple(Item(f"{m.title}（{wareki(m.date)}）", f"{reverse('council:meeting', args=[m.pk])}#packet", "会議資料一式")
                      for m in meetings[:3])
        yield Entry("審議会の会議資料", meetings.count(), reverse("council:list"), "審議会の一覧へ",
                    "各回の画面の「会議資料一式」で、目次・通しページ番号付きの資料を作成してダウンロードできます。", items=items)


def ingested_packets(user) -> QuerySet:
    """The documents read by `mamori ingest` or the upload, with their parts (the office only)."""
    if not perm.can_review_notifications(user):
        return IngestSource.objects.none()
    return IngestSource.objects.annotate(parts=Count("packet_parts", distinct=True), figures=Count("year_figures", distinct=True))


def part_figures(part: PacketPart) -> QuerySet[YearFigure]:
    """The figures a part's reader wrote from this source, drafts and accepted alike."""
    return YearFigure.objects.filter(source=part.source_id, fiscal_year=part.fiscal_year, topic__in=PART_TOPICS.get(part.reader, ())).order_by("id")
