"""Signing in: the login throttle (django-axes), the second factor (django-otp) and what they ask of a user.

The writes (a lockout recorded, an unlock, a device enrolled or reset, a password set) are services in
core.services; this module holds what axes and the middleware call and the reads the pages need.
"""
import base64
import binascii
import datetime
import urllib.parse

import segno
from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from django.conf import settings
from django.core import checks
from django.db.models import Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from mamori.core import services
from mamori.core.models import Role
from mamori.core.permissions import can_enrol_second_factor


class ThrottledLoginBackend(AxesStandaloneBackend):
    """axes' lockout check for logins over HTTP. ``authenticate()`` without a request (a shell, a command,
    the restore probe) has no address to count and nothing to throttle: it goes on to the password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The client's address for the per-address count. Behind nginx (deploy/nginx-mamori.conf) REMOTE_ADDR is the
    proxy; nginx appends the address it saw to X-Forwarded-For, so the right-most entry is the client. The header
    is believed only when the request comes from a trusted proxy (MAMORI_FORWARDED_ALLOW_IPS): anyone else could
    write it to escape the count."""
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    trusted = "*" in settings.MAMORI_TRUSTED_PROXIES or remote in settings.MAMORI_TRUSTED_PROXIES  # "*" as gunicorn reads it
    if trusted and forwarded.strip():
        return forwarded.split(",")[-1].strip() or remote
    return remote


def _cooloff() -> datetime.timedelta:
    return settings.AXES_COOLOFF_TIME


def is_locked(username: str) -> bool:
    """The account has reached the failure limit within the cool-off, counted over every address and browser
    (axes keeps one record per username, address and browser, and adds them up)."""
    since = timezone.now() - _cooloff()
    failures = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(n=Sum("failures_since_start"))["n"]
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT


def on_logged_in(sender, request, user, **kwargs):
    """A successful login clears the failures counted against that account, and only those (AXES_RESET_ON_SUCCESS
    is off: axes would also clear the address's count, which another account's login must not do)."""
    AccessAttempt.objects.filter(username=user.get_username()).delete()


def retry_at() -> datetime.datetime:
    """When a locked-out person may try again: a try during the lockout starts the wait again
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so it is the cool-off from now."""
    return timezone.localtime(timezone.now() + _cooloff())


# ---------------------------------------------------------------- second factor

def otp_required(user) -> bool:
    """The user's role must sign in with a code (MAMORI_OTP_REQUIRED_ROLES)."""
    return can_enrol_second_factor(user)


def otp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def new_otp_key() -> str:
    """A fresh TOTP key (hex, 20 bytes as django-otp uses), kept in the session until the user confirms it."""
    return random_hex(20)


def otp_secret(key: str) -> str:
    """The key as the Base32 text an authenticator app accepts when typed in."""
    return base64.b32encode(binascii.unhexlify(key)).decode().rstrip("=")


def otp_config_url(user, key: str) -> str:
    issuer = settings.OTP_TOTP_ISSUER
    label = urllib.parse.quote(f"{issuer}:{user.username}")
    query = urllib.parse.urlencode({"secret": otp_secret(key), "issuer": issuer, "algorithm": "SHA1", "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{query}"


def otp_qr_svg(url: str) -> str:
    """The enrolment QR code as inline SVG (no image library, nothing fetched from outside)."""
    return segno.make(url, error="m").svg_inline(scale=5, border=2, title="二段階認証の登録用QRコード")


def signin_state(user) -> dict:
    """What the administrator sees on a user's page: locked out, enrolled, password still to change."""
    return {"locked": is_locked(user.username), "otp_required": otp_required(user),
            "otp_enrolled": otp_device(user) is not None, "must_change_password": user.must_change_password,
            "has_password": user.has_usable_password()}


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    """axes' user_locked_out signal: the event is audited once, when the limit is reached (further tries while
    locked out are counted by axes but are the same lockout)."""
    if getattr(request, "axes_failures_since_start", None) != settings.AXES_FAILURE_LIMIT:
        return
    services.login_locked_out(username=username or "", ip_address=ip_address, limit=settings.AXES_FAILURE_LIMIT,
                              minutes=int(_cooloff().total_seconds() // 60))


def check_otp_roles(app_configs=None, **kwargs) -> list:
    """A misspelt role in MAMORI_OTP_REQUIRED_ROLES would silently ask nobody for a code: refuse to start."""
    unknown = [r for r in settings.MAMORI_OTP_REQUIRED_ROLES if r not in Role.values]
    if not unknown:
        return []
    return [checks.Error(f"MAMORI_OTP_REQUIRED_ROLES に知らない役割があります: {', '.join(unknown)}。"
                         f"使える値は {', '.join(Role.values)} です。", id="mamori.E001")]
