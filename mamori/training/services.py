from django.core.exceptions import ValidationError
from django.db import transaction

from mamori.core import audit
from mamori.core.models import AuditAction
from mamori.core.permissions import can_record_training, require
from mamori.training.models import TrainingSession


@transaction.atomic
def session_save(*, actor, session: TrainingSession | None = None, attendees=(), **data) -> TrainingSession:
    require(actor is None or can_record_training(actor), "研修を記録できるのは個人情報保護担当です。")
    if data.get("participants") is not None and data["participants"] < 0:
        raise ValidationError({"participants": "参加者数は0以上で入力してください。"})
    attendees = list(attendees)
    if attendees and data.get("participants") is not None and data["participants"] < len(attendees):
        raise ValidationError({"participants": f"参加者数（{data['participants']}人）が参加者の一覧（{len(attendees)}人）より少なくなっています。"})
    before = audit.snapshot(session) if session else None
    session = session or TrainingSession()
    for key in ("held_on", "name", "target", "participants", "note"):
        if key in data:
            setattr(session, key, data[key])
    session.full_clean()
    session.save()
    if attendees:
        session.attendees.set(attendees)
    audit.record(actor=actor, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=session, before=before, after=audit.snapshot(session))
    return session
