"""Reads of API tokens: a user sees only their own."""
from django.db.models import QuerySet

from mamori.api.models import ApiToken, digest


def tokens_of(user) -> QuerySet[ApiToken]:
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def token_for_secret(secret: str) -> ApiToken | None:
    """The token a presented secret stands for (compared by its SHA-256: the secret itself is never stored)."""
    if not secret:
        return None
    return ApiToken.objects.select_related("user", "user__unit").filter(key_hash=digest(secret)).first()
