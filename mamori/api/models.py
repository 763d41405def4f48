"""Per-user API tokens: the secret is shown once and only its SHA-256 is kept."""
import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from mamori.core.calendar import wareki

PREFIX = "mamori_"  # every secret starts with it, so a secret scanner (or a person) can tell what it is


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Scope(models.TextChoices):
    READ = "read", "読み取りのみ"
    WRITE = "write", "読み取りと書き込み"


class ApiToken(models.Model):
    """A credential for /api/v1/ that acts as its user, with the user's permissions (never more).

    Valid while not revoked, not past ``expires_on`` (the whole day included) and while the user is active.
    ``scope`` read refuses every write whatever the user may do."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="利用者")
    name = models.CharField("名前（用途）", max_length=80)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField("トークンの先頭", max_length=16, editable=False)
    scope = models.CharField("権限", max_length=10, choices=Scope.choices, default=Scope.READ)
    expires_on = models.DateField("有効期限")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    revoked_at = models.DateTimeField("失効日時", null=True, blank=True)
    last_used_at = models.DateTimeField("最終利用日時", null=True, blank=True)

    # The version of a token (core.concurrency) is what a person sets or revokes, not its last use.
    VERSION_FIELDS = ("name", "scope", "expires_on", "revoked_at")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "APIトークン"

    def __str__(self) -> str:
        return f"「{self.name}」（{self.hint}…）"

    def state_on(self, today: datetime.date | None = None) -> str:
        """有効 / 期限切れ / 失効 as the token page shows it."""
        if self.revoked_at:
            return "失効"
        if (today or timezone.localdate()) > self.expires_on:
            return "期限切れ"
        return "有効"

    @property
    def usable(self) -> bool:
        return self.state_on() == "有効"

    @property
    def expires_label(self) -> str:
        return f"{wareki(self.expires_on)}まで"
