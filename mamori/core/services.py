"""Every write to core records: organisation, users, settings, the city's closure days. Each is audited."""
import datetime
import re

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django_otp.plugins.otp_totp.models import TOTPDevice

from mamori.core import audit, concurrency
from mamori.core.calendar import wareki
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
def organ_remove(*, organ: Organ, removed_on, actor, base_version: str | None = None) -> Organ:
    """An 実施機関 removed from the ordinance's list (e.g. a dissolved 公社): marked with the day, never deleted
    (its units, programs and records keep their history). Apps may offer what follows (core.actions on core.Organ)."""
    require(can_manage_organisation(actor), "組織を編集できるのはシステム管理者か個人情報保護担当です。")
    organ = Organ.objects.select_for_update().get(pk=organ.pk)
    concurrency.check(organ, base_version, subject=f"実施機関「{organ.name}」")
    if organ.removed_on:
        raise ValidationError({"removed_on": f"「{organ.name}」は{wareki(organ.removed_on)}に実施機関から除かれています。"})
    if removed_on is None:
        raise ValidationError({"removed_on": "実施機関から除く日を入力してください（例：令和6年3月25日）。"})
    before = audit.snapshot(organ)
    organ.removed_on = removed_on
    organ.full_clean()
    organ.save(update_fields=["removed_on"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=organ, before=before, after=audit.snapshot(organ),
                 summary=f"実施機関から除外（{wareki(removed_on)}）")
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
        _check_password(password, user)
        user.set_password(password)
        user.must_change_password = actor is not None  # an administrator chose it: the person replaces it at first login
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=user, after=audit.snapshot(user))
    return user


def _check_password(password: str, user: User) -> None:
    """Django's validators (settings.AUTH_PASSWORD_VALIDATORS: similarity, length, common, numeric), in Japanese."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


@transaction.atomic
def password_set(*, user: User, actor, password: str) -> User:
    """A new password: the person's own (from the change page), or one an administrator gives (a reset),
    which the person must replace at their next login. The audit event says who set it, never the password."""
    own = actor is not None and actor.pk == user.pk
    if not own:
        require(can_manage_users(actor), "ほかの利用者のパスワードを設定できるのはシステム管理者です。")
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = not own
    user.save(update_fields=["password", "must_change_password"])
    audit.record(actor=actor, action=AuditAction.PASSWORD, obj=user,
                 summary="本人がパスワードを変更しました。" if own else "管理者がパスワードを再設定しました（次回ログイン時に本人が変更します）。")
    return user


@transaction.atomic
def login_recorded(*, user: User, second_factor: bool) -> None:
    """A completed login over HTTP (after the code when a second factor is asked)."""
    audit.record(actor=user, action=AuditAction.LOGIN, obj=user, summary="二段階認証あり" if second_factor else "")


@transaction.atomic
def login_locked_out(*, username: str, ip_address: str | None, limit: int, minutes: int) -> None:
    """The system stopped logins after ``limit`` failures in a row. The typed name is kept only when it is an
    account's (a mistyped name may be someone's password)."""
    user = User.objects.filter(username=username).first() if username else None
    summary = f"ログインに{limit}回続けて失敗したため、{minutes}分間ログインを止めました（接続元 {ip_address or '不明'}）。"
    if user is not None:
        audit.record(actor=None, action=AuditAction.LOCKOUT, obj=user, summary=summary)
    else:
        audit.record(actor=None, action=AuditAction.LOCKOUT, model=User._meta.label, object_id="",
                     object_repr="（存在しない利用者名）", summary=summary)


@transaction.atomic
def login_unlock(*, user: User, actor) -> int:
    """The administrator lifts a lockout: the account's failed attempts are forgotten."""
    require(can_manage_users(actor), "ログイン停止を解除できるのはシステム管理者です。")
    removed = axes_reset(username=user.username)
    audit.record(actor=actor, action=AuditAction.UNLOCK, obj=user, summary=f"失敗の記録{removed}件を消去しました。")
    return removed


@transaction.atomic
def otp_enrol(*, user: User, actor, key: str, last_t: int = -1, name: str = "認証アプリ") -> TOTPDevice:
    """The person's authenticator, confirmed by a code (the view checks it): it replaces any earlier one."""
    if actor is None or actor.pk != user.pk:
        raise ValidationError("二段階認証の登録は本人が行います。")
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=name, key=key, confirmed=True, last_t=last_t)
    audit.record(actor=actor, action=AuditAction.OTP_ENROL, obj=user, summary="認証アプリを登録しました。")
    return device


@transaction.atomic
def otp_reset(*, user: User, actor) -> int:
    """Recovery: a lost phone. The person enrols again at their next login."""
    require(can_manage_users(actor), "二段階認証を解除できるのはシステム管理者です。")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    audit.record(actor=actor, action=AuditAction.OTP_RESET, obj=user,
                 summary="認証アプリの登録を解除しました（次回ログイン時に登録し直します）。")
    return removed


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
