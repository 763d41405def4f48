"""審議会 meetings: date, place, 議題, and the accepted 届出 reported to them (資料1・資料2)."""
import datetime

from django.db import models

from mamori.core.calendar import fiscal_year_label
from mamori.register.models import Notification


def default_agenda(fiscal_year: int) -> list[str]:
    """The 議題 of the year's first meeting as the seed lists them, for the year before."""
    last = fiscal_year_label(fiscal_year - 1)
    return [
        "新規・変更事業の報告について",
        f"{last}情報公開制度・個人情報保護制度運用状況の報告について",
        f"{last}職員への研修に関する報告について",
        f"{last}委託に関する報告について",
        f"{last}個人情報保護委員会への漏えい等の報告について",
        "その他",
    ]


class Meeting(models.Model):
    fiscal_year = models.PositiveIntegerField("年度")
    number = models.PositiveIntegerField("回")
    council_name = models.CharField("審議会の名称", max_length=80)
    date = models.DateField("開催日")
    start_time = models.TimeField("開始時刻", null=True, blank=True)
    place = models.CharField("場所", max_length=120, blank=True)
    agenda = models.JSONField("議題", default=list, blank=True)
    notifications = models.ManyToManyField(Notification, through="MeetingNotification", related_name="meetings", blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        ordering = ["-fiscal_year", "-number"]
        verbose_name = verbose_name_plural = "審議会"
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "number"], name="meeting_unique_number")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """令和6年度第1回"""
        return f"{fiscal_year_label(self.fiscal_year)}第{self.number}回"

    @property
    def is_past(self) -> bool:
        return self.date < datetime.date.today()


class MeetingNotification(models.Model):
    """A 届出 reported at a meeting; each 届出 is reported once."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="links")
    notification = models.OneToOneField(Notification, on_delete=models.PROTECT, related_name="meeting_link")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return f"{self.meeting.title}に報告する届出{self.notification.number}"
