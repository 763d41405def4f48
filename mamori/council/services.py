"""Writes for the council: meetings and which 届出 they report. Office only; audited."""
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mamori.core import audit, concurrency
from mamori.core.calendar import fiscal_year_label
from mamori.core.models import AuditAction, MunicipalSettings
from mamori.core.permissions import can_manage_council, can_review_notifications, require
from mamori.council import history
from mamori.council.history import PART_TOPICS
from mamori.council.models import FigureStatus, Meeting, MeetingNotification, PacketPart, YearFigure, default_agenda
from mamori.register.models import Notification, NotificationStatus

MEETING_FIELDS = ("fiscal_year", "number", "date", "start_time", "place", "agenda", "council_name")


def _snapshot(meeting: Meeting) -> dict:
    snap = audit.snapshot(meeting)
    snap["notifications"] = list(meeting.links.order_by("order").values_list("notification__number", flat=True)) if meeting.pk else []
    return snap


@transaction.atomic
def meeting_create(*, actor, fiscal_year: int, number: int, date: datetime.date, start_time=None, place: str = "",
                   agenda: list[str] | None = None, council_name: str | None = None) -> Meeting:
    if actor is not None:
        require(can_manage_council(actor), "審議会を登録できるのは個人情報保護担当です。")
    if Meeting.objects.filter(fiscal_year=fiscal_year, number=number).exists():
        raise ValidationError({"number": "この年度のこの回の審議会はすでに登録されています。"})
    meeting = Meeting(
        fiscal_year=fiscal_year, number=number, date=date, start_time=start_time, place=place,
        agenda=agenda if agenda is not None else default_agenda(fiscal_year),
        council_name=council_name or MunicipalSettings.current().council_name,
    )
    meeting.full_clean()
    meeting.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=meeting, after=_snapshot(meeting))
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor, base_version: str | None = None, **fields) -> Meeting:
    require(can_manage_council(actor), "審議会を編集できるのは個人情報保護担当です。")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    concurrency.check(meeting, base_version, subject=f"審議会（{meeting.title}）")
    before = _snapshot(meeting)
    for key, value in fields.items():
        if key in MEETING_FIELDS:
            setattr(meeting, key, value)
    meeting.full_clean()
    meeting.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=meeting, before=before, after=_snapshot(meeting))
    return meeting


@transaction.atomic
def meeting_assign(*, meeting: Meeting, notifications: list[Notification], actor, imported: bool = False) -> Meeting:
    """Report these accepted 届出 at the meeting (after those already assigned).

    ``imported``: the 届出 were read from this meeting's own materials (mamori ingest), so
    they belong to it while the office still checks them.
    """
    if actor is not None:
        require(can_manage_council(actor), "審議会に届出を割り当てられるのは個人情報保護担当です。")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = _snapshot(meeting)
    order = meeting.links.count()
    fresh = {n.pk: n for n in Notification.objects.filter(pk__in=[n.pk for n in notifications])}  # the stored state, not the caller's copies
    for n in (fresh[x.pk] for x in notifications):
        if n.status != NotificationStatus.ACCEPTED and not (imported and n.status == NotificationStatus.IMPORTED):
            raise ValidationError(f"届出 {n.number} はまだ受理されていないため、審議会に報告できません。")
        link = MeetingNotification.objects.filter(notification=n).select_related("meeting").first()
        if link and link.meeting_id != meeting.pk:
            raise ValidationError(f"届出 {n.number} はすでに{link.meeting.title}で報告されています。")
        if link is None:
            MeetingNotification.objects.create(meeting=meeting, notification=n, order=order)
            order += 1
    audit.record(actor=actor, action=AuditAction.ASSIGN, obj=meeting, before=before, after=_snapshot(meeting), summary="届出の割当て")
    return meeting


@transaction.atomic
def meeting_unassign(*, meeting: Meeting, notification: Notification, actor) -> Meeting:
    require(can_manage_council(actor), "審議会の割当てを外せるのは個人情報保護担当です。")
    before = _snapshot(meeting)
    MeetingNotification.objects.filter(meeting=meeting, notification=notification).delete()
    audit.record(actor=actor, action=AuditAction.UNASSIGN, obj=meeting, before=before, after=_snapshot(meeting), summary="届出の割当て解除")
    return meeting


@transaction.atomic
def meeting_for_document(*, header: dict, actor) -> tuple[Meeting | None, bool]:
    """The meeting a document's header names: matched by 年度 and 回, or created. (meeting, created)"""
    if not header or not header.get("fiscal_year") or not header.get("number"):
        return None, False
    existing = Meeting.objects.filter(fiscal_year=header["fiscal_year"], number=header["number"]).first()
    if existing:
        return existing, False
    if not header.get("date"):
        return None, False
    meeting = Meeting(
        fiscal_year=header["fiscal_year"], number=header["number"], date=datetime.date.fromisoformat(header["date"]),
        start_time=datetime.time.fromisoformat(header["time"]) if header.get("time") else None, place=header.get("place", ""),
        agenda=header.get("agenda") or default_agenda(header["fiscal_year"]),
        council_name=header.get("council") or MunicipalSettings.current().council_name,
    )
    meeting.full_clean()
    meeting.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=meeting, after=_snapshot(meeting), summary="文書の次第から作成")
    return meeting, True


# ---------------------------------------------------------------- an ingested packet's parts and a year's figures


def _figure_key(f) -> tuple:
    return (f.fiscal_year, f.topic, f.measure, f.organ)


def packet_parts_stage(*, source, outcomes: list, actor) -> list[PacketPart]:
    """Record what became of each part of an ingested packet and write its drafts (called inside the ingest's transaction).

    ``outcomes``: (order, Part, reader or None, Reading or None, message, status) as council.ingest found them.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("packet_parts_stage runs inside the ingest's transaction")
    rows = []
    for order, part, reader, reading, message, status in outcomes:
        row = PacketPart(source=source, order=order, label=part.label, title=part.title, reader=reader.key if reader else "",
                         status=status, message=message, fiscal_year=part.fiscal_year, first_line=part.first_line)
        if reading is not None and reader is not None and reader.stage is not None:
            row.count = reader.stage(reading=reading, part=part, source=source, actor=actor)
        row.full_clean(exclude=["source"])
        row.save()
        audit.record(actor=actor, action=AuditAction.IMPORT, obj=row, root=source,
                     after={"資料": row.label, "表題": row.title, "結果": row.message}, summary=f"{row.label}の取込")
        rows.append(row)
    return rows


def year_figures_stage(*, reading, part, source, actor) -> int:
    """A part's figures as drafts for the year it names; a figure already held (draft or accepted, same value) is not written twice."""
    year = part.fiscal_year
    written = 0
    for f in reading.drafts:
        same = YearFigure.objects.filter(fiscal_year=year, topic=f.topic, measure=f.measure, organ=f.organ, value=f.value)
        if same.filter(status__in=[FigureStatus.DRAFT, FigureStatus.ACCEPTED]).exists():
            continue
        row = YearFigure(fiscal_year=year, topic=f.topic, measure=f.measure, organ=f.organ, value=f.value, source=source,
                         source_text=f.source_text, status=FigureStatus.DRAFT)
        row.full_clean()
        row.save()
        written += 1
    return written


@transaction.atomic
def year_figures_accept(*, part: PacketPart, actor, values: dict[int, Decimal] | None = None, chosen: list[int] | None = None,
                        replace: bool = False) -> list[YearFigure]:
    """The office has checked a part's figures: the chosen drafts (with their values as corrected) become history.

    An accepted figure for the same year, measure and 実施機関 is replaced only when ``replace`` (the office confirmed
    it on the review page); otherwise nothing is accepted and the message names the figures held.
    """
    require(can_review_notifications(actor), "取り込んだ数値を確認できるのは個人情報保護担当です。")
    drafts = list(YearFigure.objects.select_for_update().filter(source=part.source_id, status=FigureStatus.DRAFT,
                                                                 **({"pk__in": chosen} if chosen is not None else {})))
    drafts = [d for d in drafts if _belongs(d, part)]
    if not drafts:
        raise ValidationError("確認待ちの数値がありません（すでに確認済みか、選ばれていません）。")
    held = {}
    for d in drafts:
        if values and d.pk in values:
            d.value = values[d.pk]
        for old in YearFigure.objects.select_for_update().filter(fiscal_year=d.fiscal_year, topic=d.topic, measure=d.measure,
                                                                 organ=d.organ, status=FigureStatus.ACCEPTED):
            held[old.pk] = old
    if held and not replace:
        names = "、".join(f"{fiscal_year_label(o.fiscal_year)} {o.get_topic_display()} {_measure_label(o)}（{o.organ or '合計'}）{o.value.normalize():f}"
                         for o in list(held.values())[:5])
        more = f" ほか{len(held) - 5}件" if len(held) > 5 else ""
        raise ValidationError(f"確認済みの数値がすでにあります: {names}{more}。置き換える場合は「確認済みの数値を置き換える」を選んでください。")
    now = timezone.now()
    for old in held.values():
        old.status = FigureStatus.REPLACED
        old.save(update_fields=["status"])
    for d in drafts:
        d.status, d.accepted_at = FigureStatus.ACCEPTED, now
        d.full_clean()
        d.save()
    audit.record(actor=actor, action=AuditAction.CONFIRM, obj=part, root=part.source, summary=f"{part.label}の数値を確認",
                 after={"確認した数値": [_figure_text(d) for d in drafts], "置き換えた数値": [_figure_text(o) for o in held.values()]})
    return drafts


def _belongs(figure: YearFigure, part: PacketPart) -> bool:
    return figure.fiscal_year == part.fiscal_year and figure.topic in PART_TOPICS.get(part.reader, ())


def _measure_label(f: YearFigure) -> str:
    m = history.measure(f.topic, f.measure)
    return m.label if m else f.measure


def _figure_text(f: YearFigure) -> str:
    return f"{fiscal_year_label(f.fiscal_year)} {f.get_topic_display()} {f.organ or '合計'} {_measure_label(f)} {f.value.normalize():f}"
