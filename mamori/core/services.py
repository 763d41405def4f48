"""Every write to core records: organisation, users, settings, the city's closure days. Each is audited."""
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal

from mamori.core import audit, concurrency
from mamori.core.models import AuditAction, ClosureDay, Organ, OrgUnit, UnitKind, User
from mamori.core.permissions import can_manage_calendar, can_manage_organisation, can_manage_users, require

# Sent inside the transaction that adds or removes a closure day: the apps whose deadlines
# depend on the calendar (requests) connect to it from their AppConfig.ready().
closure_days_changed = Signal()

ALLOWED_PARENTS = {
    UnitKind.DIVISION: {None},
    UnitKind.SECTION: {None, UnitKind.DIVISION},
    UnitKind.UNIT: {UnitKind.SECTION},
    UnitKind.TEAM: {UnitKind.SECTION, UnitKind.UNIT},
}


@transaction.atomic
def organ_create(*, code: str, name: str, order: int = 0, actor) -> Organ:
    organ = Organ(code=code, name=name, order=order)
    organ.full_clean()
    organ.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=organ, after=audit.snapshot(organ))
    return organ


@transaction.atomic
def unit_create(
    *, organ: Organ, kind: str, code: str, name: str, parent: OrgUnit | None = None, order: int = 0, actor
) -> OrgUnit:
    if actor is not None:  # None: the system itself (demo loader)
        require(can_manage_organisation(actor), "組織を編集できるのはシステム管理者か個人情報保護担当です。")
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise ValidationError(
            {"parent": f"{UnitKind(kind).label}は{UnitKind(parent_kind).label if parent_kind else '最上位'}の下には置けません。"}
        )
    if parent and parent.organ_id != organ.pk:
        raise ValidationError({"parent": "上位組織と同じ実施機関を選んでください。"})
    unit = OrgUnit(organ=organ, kind=kind, code=code, name=name, parent=parent, order=order)
    unit.full_clean()
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    audit.record(actor=actor, action=AuditAction.CREATE, obj=unit, after=audit.snapshot(unit))
    return unit


USER_FIELDS = ("username", "display_name", "email", "role", "unit", "is_active")


@transaction.atomic
def user_create(*, actor, password: str | None = None, **fields) -> User:
    if actor is not None:  # None: the system itself (demo loader, import)
        require(can_manage_users(actor))
    user = User(**{k: v for k, v in fields.items() if k in USER_FIELDS})
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=user, after=audit.snapshot(user))
    return user


@transaction.atomic
def user_update(*, user: User, actor, base_version: str | None = None, **fields) -> User:
    require(can_manage_users(actor))
    user = User.objects.select_for_update().get(pk=user.pk)  # the stored row, not a form-mutated instance
    concurrency.check(user, base_version, subject=f"利用者「{user.username}」")
    before = audit.snapshot(user)
    for key, value in fields.items():
        if key in USER_FIELDS:
            setattr(user, key, value)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=user, before=before, after=audit.snapshot(user))
    return user


@transaction.atomic
def unit_update(*, unit: OrgUnit, actor, name: str, order: int, active: bool, base_version: str | None = None) -> OrgUnit:
    """Rename, reorder or deactivate a unit. Moving a unit is not offered: a reorganisation
    creates the new unit and the programs move to it by 変更の届出, so history stays true."""
    require(can_manage_organisation(actor), "組織を編集できるのはシステム管理者か個人情報保護担当です。")
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    concurrency.check(unit, base_version, subject=f"組織「{unit.name}」")
    before = audit.snapshot(unit)
    unit.name, unit.order, unit.active = name, order, active
    unit.full_clean()
    unit.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=unit, before=before, after=audit.snapshot(unit))
    return unit


@transaction.atomic
def units_for_department(*, organ: Organ, division: str | None, section: str | None, unit: str | None, team: str | None, actor) -> OrgUnit:
    """The unit a document's 担当 names, creating the missing levels (部 → 課 → 係 → チーム)."""
    require(can_manage_organisation(actor), "組織を編集できるのはシステム管理者か個人情報保護担当です。")
    parent = None
    levels = [(UnitKind.DIVISION, division), (UnitKind.SECTION, section), (UnitKind.UNIT, unit), (UnitKind.TEAM, team)]
    for kind, name in levels:
        if not name:
            continue
        node = OrgUnit.objects.filter(organ=organ, kind=kind, name=name, parent=parent).first()
        if node is None:
            base = re.sub(r"[^a-z0-9-]", "", f"{kind}-{OrgUnit.objects.count() + 1}")
            code, n = base, 1
            while OrgUnit.objects.filter(code=code).exists():
                n += 1
                code = f"{base}-{n}"
            node = unit_create(organ=organ, kind=kind, code=code, name=name, parent=parent, actor=actor)
        parent = node
    if parent is None:
        raise ValidationError("担当の組織名がありません。")
    return parent


@transaction.atomic
def closure_day_add(*, actor, date: datetime.date, name: str) -> ClosureDay:
    """A day the city's offices are closed beyond 土日・祝日・年末年始 (休日条例): every deadline moves with it."""
    require(can_manage_calendar(actor), "閉庁日を登録できるのは個人情報保護担当です。")
    if ClosureDay.objects.filter(date=date).exists():
        raise ValidationError({"date": "この日はすでに登録されています。"})
    day = ClosureDay(date=date, name=name.strip())
    day.full_clean()
    day.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=day, after=audit.snapshot(day))
    closure_days_changed.send(sender=ClosureDay, day=day)
    return day


@transaction.atomic
def closure_day_remove(*, actor, day: ClosureDay) -> None:
    require(can_manage_calendar(actor), "閉庁日を削除できるのは個人情報保護担当です。")
    audit.record(actor=actor, action=AuditAction.DELETE, obj=day, before=audit.snapshot(day))
    day.delete()
    closure_days_changed.send(sender=ClosureDay, day=day)
