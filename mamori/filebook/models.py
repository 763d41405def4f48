"""The 個人情報ファイル簿 (個人情報保護法第75条): files kept from the register, and their published entries.

A PersonalFile (個人情報ファイル, 法60条2項) is a record of its own, linked to the program(s) whose
data it holds. What the register knows (items, 要配慮, recipients, organ, unit, 電算/マニュアル, the
特別の手続) is not stored here: ``filebook.entry`` computes it from the linked programs' current
versions. The file stores only what the register does not know — a name that differs, the office's
wording of 記録範囲 and 収集方法, the person count of a file spanning programs, the exemption the
office claims — and the office's confirmation of the rule's assessment (``filebook.rules.assess``).

A FileRevision is one act on the entry: drafted at once when an accepted 届出 makes the entry
differ (令20条1項・3項 直ちに, 4項 遅滞なく), then published by the office; the published content is
kept as it was published, because the public history must show what the public was shown.

Dependency direction: filebook points at register and core; nothing there points here.
"""
from django.conf import settings
from django.db import models

from mamori.register.models import Notification, Program


class Assessment(models.TextChoices):
    """What the rule says of a file (filebook.rules.assess), and what the office confirmed."""

    LISTED = "listed", "掲載する"
    EXEMPT = "exempt", "適用除外（掲載しない）"
    NOT_HELD = "not_held", "保有していない（事務事業の廃止）"
    UNKNOWN = "unknown", "判定できない（本人の数が不明）"


class PersonalFile(models.Model):
    code = models.CharField("ファイル番号", max_length=12, unique=True)
    programs = models.ManyToManyField(Program, through="FileProgram", related_name="personal_files", verbose_name="事務事業")
    name = models.CharField(
        "個人情報ファイルの名称", max_length=200, blank=True,
        help_text="法第74条第1項第1号。空欄なら事務事業名から「（事務事業名）ファイル」とします。")
    scope_text = models.TextField(
        "記録範囲（文言）", blank=True,
        help_text="法第74条第1項第4号。空欄なら管理簿の本人の範囲を並べます。")
    collection_text = models.TextField(
        "収集方法（文言）", blank=True,
        help_text="法第74条第1項第5号。空欄なら管理簿の収集（本人・他機関・目的外利用）から文にします。")
    person_count = models.PositiveIntegerField(
        "本人の数（重複を除く）", null=True, blank=True,
        help_text="複数の事務事業にまたがるファイルで、管理簿の本人の数から決まらないときだけ。法第74条第2項第9号の判定に使い、公表しません。")
    exemption = models.CharField(
        "適用除外", max_length=10, blank=True,
        help_text="法第75条第2項（第74条第2項各号の準用）・第3項。本人の数による除外（第9号）は自動で判定します。")
    exemption_note = models.TextField("適用除外の理由", blank=True)
    # The rule's result at the last event (acceptance, edit, confirmation), for the office to confirm.
    assessment = models.CharField("判定", max_length=10, choices=Assessment.choices, default=Assessment.UNKNOWN)
    assessment_ground = models.CharField("判定の根拠", max_length=10, blank=True)
    assessment_reason = models.TextField("判定の理由", blank=True)
    # The office's confirmation (service file_decide, or the publication of an entry).
    decision = models.CharField("確認した判定", max_length=10, choices=Assessment.choices, blank=True)
    decision_ground = models.CharField("確認した根拠", max_length=10, blank=True)
    decided_at = models.DateTimeField("判定の確認日時", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="判定の確認者")
    note = models.TextField("備考（庁内用・公表しません）", blank=True)
    created_at = models.DateTimeField("登録日時")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="登録者")

    VERSION_LABELS = {"programs": "事務事業"}

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "個人情報ファイル"

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.name else f"{self.code}（個人情報ファイル）"

    def version_extra(self) -> dict:
        """The linked programs, edited with the file (core.concurrency)."""
        return {"programs": list(self.fileprogram_set.order_by("order", "id").values_list("program__code", flat=True))}

    @property
    def confirmed(self) -> bool:
        return self.decided_at is not None and (self.decision, self.decision_ground) == (self.assessment, self.assessment_ground)


class FileProgram(models.Model):
    file = models.ForeignKey(PersonalFile, on_delete=models.CASCADE)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="file_links")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["file", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["file", "program"], name="file_program_once")]
        verbose_name = verbose_name_plural = "個人情報ファイルの事務事業"

    def __str__(self) -> str:
        return f"{self.file}：{self.program}"


class RevisionKind(models.TextChoices):
    CREATE = "create", "作成"
    CHANGE = "change", "変更"
    DELETE = "delete", "消除"


class RevisionStatus(models.TextChoices):
    DRAFTED = "drafted", "公表待ち"
    PUBLISHED = "published", "公表済み"
    SUPERSEDED = "superseded", "取消（公表不要になった）"


class FileRevision(models.Model):
    """One act on a file's entry: drafted (with its cause and due date), then published or superseded."""

    file = models.ForeignKey(PersonalFile, on_delete=models.CASCADE, related_name="revisions", verbose_name="個人情報ファイル")
    kind = models.CharField("種類", max_length=10, choices=RevisionKind.choices)
    status = models.CharField("状態", max_length=12, choices=RevisionStatus.choices, default=RevisionStatus.DRAFTED, db_index=True)
    cause = models.CharField("きっかけ", max_length=255, help_text="庁内用（公表しません）。例：届出2024-0003（変更）の受理")
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.PROTECT, related_name="file_revisions",
                                     verbose_name="届出")
    reason = models.CharField("消除の理由", max_length=200, blank=True, help_text="消除のとき公表する理由（令第20条第4項）")
    drafted_at = models.DateTimeField("起案日時")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="起案者")
    due_on = models.DateField("公表期限", help_text="施行令第20条の「直ちに」「遅滞なく」を自治体設定の開庁日数で数えた日")
    number = models.PositiveIntegerField("公表の回", null=True, blank=True)
    published_at = models.DateTimeField("公表日時", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="公表者")
    content = models.JSONField("公表した記載", default=dict, blank=True)
    changes = models.JSONField("変更の内容", default=list, blank=True)
    closed_at = models.DateTimeField("取消日時", null=True, blank=True)

    class Meta:
        ordering = ["file", "drafted_at", "id"]
        verbose_name = verbose_name_plural = "ファイル簿の記載"
        constraints = [
            models.UniqueConstraint(fields=["file"], condition=models.Q(status="drafted"), name="one_drafted_revision_per_file"),
            models.UniqueConstraint(fields=["file", "number"], name="revision_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.file.code} {self.get_kind_display()}（{self.get_status_display()}）"
