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


class FigureTopic(models.TextChoices):
    """What a year's figure counts, by the 資料 that reports it."""

    DISCLOSURE = "disclosure", "公文書公開請求・申出（資料3）"
    PERSONAL = "personal", "保有個人情報開示請求（資料3）"
    CORRECTION = "correction", "保有個人情報訂正等の請求（資料3）"
    TRAINING = "training", "職員への研修（資料4）"
    OUTSOURCING = "outsourcing", "委託（資料5）"
    INCIDENTS = "incidents", "個人情報保護委員会への漏えい等の報告（資料6）"
    NOTIFICATIONS = "notifications", "新規・変更・廃止の届出（資料1・2）"


class FigureStatus(models.TextChoices):
    DRAFT = "draft", "確認待ち"
    ACCEPTED = "accepted", "確認済み"
    REPLACED = "replaced", "置換え済み"  # an accepted row a later accepted row replaced, with the office's confirmation


class YearFigure(models.Model):
    """One figure of a past year as a council packet printed it (資料1〜6), kept as history, not as fake records.

    The measures and their units are listed in `mamori.council.history.MEASURES`; charts read the accepted
    rows for the years the system holds no live records of. `organ` is the 実施機関 as printed ("" = the total).
    """

    fiscal_year = models.PositiveIntegerField("年度")
    topic = models.CharField("区分", max_length=20, choices=FigureTopic.choices)
    measure = models.CharField("項目", max_length=40)
    organ = models.CharField("実施機関", max_length=100, blank=True)
    value = models.DecimalField("値", max_digits=12, decimal_places=2)
    source = models.ForeignKey(
        "register.IngestSource", null=True, blank=True, on_delete=models.PROTECT, related_name="year_figures", verbose_name="取込元"
    )
    source_text = models.TextField("取込元の記載", blank=True)
    status = models.CharField("状態", max_length=10, choices=FigureStatus.choices, default=FigureStatus.DRAFT)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    accepted_at = models.DateTimeField("確認日時", null=True, blank=True)

    class Meta:
        ordering = ["fiscal_year", "topic", "measure", "organ"]
        verbose_name = verbose_name_plural = "過年度の数値"
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "topic", "measure", "organ"],
                condition=models.Q(status="accepted"),
                name="yearfigure_one_accepted",
            )
        ]

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)} {self.get_topic_display()} {self.measure} {self.organ or '合計'}: {self.value}"


class PartStatus(models.TextChoices):
    READ = "read", "読み取り済み"
    FAILED = "failed", "読み取れませんでした"
    UNSUPPORTED = "unsupported", "読み取りに対応していない資料"


class PacketPart(models.Model):
    """One part of an ingested packet (次第, 資料N, 特記事項, 別紙N) and what became of it, for the review."""

    source = models.ForeignKey("register.IngestSource", on_delete=models.CASCADE, related_name="packet_parts", verbose_name="取込元")
    order = models.PositiveIntegerField("順序")
    label = models.CharField("資料", max_length=20)
    title = models.CharField("表題", max_length=120, blank=True)
    reader = models.CharField("読取りの種類", max_length=30, blank=True)
    status = models.CharField("状態", max_length=12, choices=PartStatus.choices)
    message = models.TextField("結果", blank=True)
    fiscal_year = models.PositiveIntegerField("年度", null=True, blank=True)
    count = models.PositiveIntegerField("読み取った数", default=0)
    first_line = models.PositiveIntegerField("開始行", default=1)

    class Meta:
        ordering = ["source", "order"]
        verbose_name = verbose_name_plural = "取り込んだ資料の部分"

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"
