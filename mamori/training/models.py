from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

NOTE_LIMIT = 2000  # 備考: a paragraph about the session (資料4 prints only date, name, target and count)


class TrainingSession(models.Model):
    """A 研修 (資料4). Staff handling マイナンバー must be trained (番号法第29条の2)."""

    held_on = models.DateField("日程", db_index=True)
    name = models.CharField("研修名", max_length=120)
    target = models.CharField("対象者", max_length=120, blank=True)
    participants = models.PositiveIntegerField("参加者数")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="trainings", verbose_name="参加者（職員）")
    note = models.TextField("備考", blank=True, validators=[MaxLengthValidator(NOTE_LIMIT, message=f"{NOTE_LIMIT:,}文字以内で入力してください。")])

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = verbose_name_plural = "研修"

    def __str__(self) -> str:
        return self.name

    # What the edit form changes besides the row itself (core.concurrency: the session's version).
    VERSION_LABELS = {"attendees": "参加した職員"}

    def version_extra(self) -> dict:
        return {"attendees": sorted(self.attendees.values_list("username", flat=True))}
