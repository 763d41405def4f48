"""Every write of API tokens: a user creates and revokes their own; both are audited (rooted at the user,
so the system administrator reads them in the log with the user's other sign-in events)."""
import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mamori.api.models import PREFIX, ApiToken, Scope, digest
from mamori.core import audit, concurrency
from mamori.core.calendar import wareki
from mamori.core.models import AuditAction

SECRET_BYTES = 32  # secrets.token_urlsafe: 256 random bits
LAST_USE_EVERY = datetime.timedelta(minutes=1)


def _snapshot(token: ApiToken) -> dict:
    return audit.snapshot(token, exclude=("key_hash", "last_used_at"))


def max_expiry(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.MAMORI_API_TOKEN_MAX_DAYS)


@transaction.atomic
def token_create(*, actor, name: str, scope: str, expires_on: datetime.date | None) -> tuple[ApiToken, str]:
    """A new token for ``actor``; returns it with its secret, which is shown once and kept nowhere."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied("APIトークンを作成するにはログインしてください。")
    today = timezone.localdate()
    errors = {}
    if not (name or "").strip():
        errors["name"] = "トークンの名前（何に使うか。例：財務会計システム連携）を入力してください。"
    if scope not in Scope.values:
        errors["scope"] = "権限を「読み取りのみ」か「読み取りと書き込み」から選んでください。"
    if expires_on is None:
        errors["expires_on"] = "有効期限を入力してください。"
    elif expires_on < today:
        errors["expires_on"] = f"有効期限（{wareki(expires_on)}）が過去の日付です。今日以降の日付を入力してください。"
    elif expires_on > max_expiry(today):
        errors["expires_on"] = (f"有効期限は作成日から{settings.MAMORI_API_TOKEN_MAX_DAYS}日以内"
                                f"（{wareki(max_expiry(today))}まで）にしてください。")
    if errors:
        raise ValidationError(errors)
    secret = PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(user=actor, name=name.strip(), scope=scope, expires_on=expires_on, key_hash=digest(secret), hint=secret[: len(PREFIX) + 4])
    token.full_clean()
    token.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=token, root=actor, after=_snapshot(token),
                 summary=f"APIトークンの作成（{token.get_scope_display()}・{wareki(expires_on)}まで）")
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken, base_version: str | None = None) -> ApiToken:
    """The token stops working at once. Only its own user revokes it (a deactivated user's tokens stop by themselves)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != getattr(actor, "pk", None):
        raise PermissionDenied("自分のAPIトークンだけを失効させられます。")
    concurrency.check(token, base_version, subject=f"APIトークン{token}")
    if token.revoked_at:
        raise ValidationError("このトークンはすでに失効しています。")
    before = _snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action=AuditAction.REVOKE, obj=token, root=actor, before=before, after=_snapshot(token), summary="APIトークンの失効")
    return token


def token_used(token: ApiToken) -> None:
    """Note the token's last use, at most once a minute (bookkeeping like a login time: not audited)."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USE_EVERY:
        return
    ApiToken.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USE_EVERY), pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
