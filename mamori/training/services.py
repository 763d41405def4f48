"""Training sessions (資料4; 番号法第29条の2). The office records a session and corrects it: the same service,
on the row locked, with the version the form was opened on (core.concurrency), audited with what changed."""
from django.core.exceptions import ValidationError
from django.db import transaction

from mamori.core import audit, concurrency
from mamori.core.models import AuditAction
from mamori.core.permissions import can_record_training, require
from mamori.training.models import TrainingSession

FIELDS = ("held_on", "name", "target", "participants", "note")


@transaction.atomic
def session_save(*, actor, session: TrainingSession | None = None, attendees=None, base_version: str | None = None, **data) -> TrainingSession:
    """Record a session, or correct one (``session``). ``attendees`` None leaves them as they are."""
    require(actor is None or can_record_training(actor), "研修を記録できるのは個人情報保護担当です。")
    if session is not None:
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        concurrency.check(session, base_version, subject=f"研修「{session.name}」")
    if data.get("participants") is not None and data["participants"] < 0:
        raise ValidationError({"participants": "参加者数は0以上で入力してください。"})
    attendees = list(attendees) if attendees is not None else None
    count = len(attendees) if attendees is not None else (session.attendees.count() if session else 0)
    if count and data.get("participants") is not None and data["participants"] < count:
        raise ValidationError({"participants": f"参加者数（{data['participants']:,}人）が参加した職員の一覧（{count:,}人）より少なくなっています。"})
    before = audit.snapshot(session) if session else None
    before_extra = session.version_extra() if session else {}
    session = session or TrainingSession()
    for key in FIELDS:
        if key in data:
            setattr(session, key, data[key])
    session.full_clean()
    session.save()
    if attendees is not None:
        session.attendees.set(attendees)
    after = audit.snapshot(session)
    extra = [TrainingSession.VERSION_LABELS[k] for k, v in session.version_extra().items() if before_extra.get(k) != v] if before else []
    summary = audit.correction_summary(TrainingSession, before, after, extra)
    audit.record(actor=actor, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=session, before=before, after=after, summary=summary)
    return session
