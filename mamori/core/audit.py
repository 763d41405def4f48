"""Writing the audit trail. Called by services inside their transaction."""
import datetime
import decimal

from django.db import models, transaction

from mamori.core.models import AuditAction, AuditEvent


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj: models.Model, exclude: tuple[str, ...] = ("password",)) -> dict:
    """The record's own fields as JSON-safe values; foreign keys as their label."""
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.name == "id":
            continue
        if field.is_relation:
            related = getattr(obj, field.name)
            out[field.name] = str(related) if related is not None else None
        else:
            out[field.name] = _plain(getattr(obj, field.attname))
    return out


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    model: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    summary: str = "",
    root: models.Model | None = None,
) -> AuditEvent:
    """One event: ``action`` is a business verb (AuditAction), ``obj`` the subject, ``root`` the record
    it belongs to (its request, contract, 届出…; the subject itself when it stands alone)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction")
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit verb {action!r}: add it to core.models.AuditAction")
    if obj is not None:
        model = model or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    root_model, root_id, root_repr = model or "", object_id or "", object_repr or ""
    if root is not None:
        root_model, root_id, root_repr = root._meta.label, str(root.pk), str(root)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(str(actor) if getattr(actor, "pk", None) else (actor or "システム")),
        action=action,
        model=model or "",
        object_id=object_id or "",
        object_repr=(object_repr or "")[:255],
        summary=summary[:255],
        before=before,
        after=after,
        root_model=root_model,
        root_id=root_id,
        root_repr=root_repr[:255],
    )


def history(root: models.Model, limit: int | None = 100):
    """The events of a record and of everything that belongs to it, newest first (the page's 履歴)."""
    events = AuditEvent.objects.filter(root_model=root._meta.label, root_id=str(root.pk)).select_related("actor")
    return events[:limit] if limit else events


__all__ = ["AuditAction", "history", "record", "snapshot"]
