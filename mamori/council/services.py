"""Writes for the council: meetings and which 届出 they report. Office only; audited."""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from mamori.core import audit, concurrency
from mamori.core.models import AuditAction, MunicipalSettings
from mamori.core.permissions import can_manage_council, require
from mamori.council.models import Meeting, MeetingNotification, default_agenda
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
