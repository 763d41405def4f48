"""The register: programs (事務事業), their immutable versions, subject groups and
items, flows, the item vocabulary, and 届出 (notifications).

The register is the hub: other apps (council, outsourcing, incidents, ...) point at
these models; nothing here points at them.

A Program is a stable identity (its code); everything a 届出 can change lives in a
ProgramVersion, which is never edited once written (services create a new one).
"""
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from mamori.core.models import OrgUnit


def name_key(text: str) -> str:
    """Comparison key for Japanese names: NFKC, no spaces or quote marks (ARCHITECTURE.md)."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace() and ch not in "「」『』\"'")


# ---------------------------------------------------------------- vocabulary


class ItemCategory(models.Model):
    name = models.CharField("分類", max_length=60, unique=True)
    order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "記録項目の分類"

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """A 記録項目 of the standard vocabulary, a synonym of one, or an unknown name.

    * ``alias_of`` set: a synonym (メールアドレス → 電子メールアドレス); its flags are
      those of the item it stands for.
    * ``reviewed`` false: a name a department wrote that the vocabulary did not know.
      It is kept as written and flagged until the office maps or accepts it.
    """

    name = models.CharField("項目名", max_length=120, unique=True)
    key = models.CharField(max_length=120, unique=True, editable=False)
    category = models.ForeignKey(
        ItemCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="items", verbose_name="分類"
    )
    sensitive = models.BooleanField("要配慮個人情報", default=False)
    my_number = models.BooleanField("個人番号（特定個人情報）", default=False)
    alias_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="aliases", verbose_name="同義語の正式名"
    )
    reviewed = models.BooleanField("確認済み", default=True)
    note = models.CharField("備考", max_length=255, blank=True)
    order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        ordering = ["category__order", "order", "name"]
        verbose_name = verbose_name_plural = "記録項目"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        if self.alias_of_id and self.alias_of_id == self.pk:
            raise ValidationError({"alias_of": "自分自身を同義語の正式名にはできません。"})
        if self.alias_of and self.alias_of.alias_of_id:
            raise ValidationError({"alias_of": "同義語ではなく正式名の項目を選んでください。"})

    @property
    def canonical(self) -> "Item":
        return self.alias_of if self.alias_of_id else self

    @property
    def is_sensitive(self) -> bool:
        return self.canonical.sensitive

    @property
    def is_my_number(self) -> bool:
        return self.canonical.my_number


# ---------------------------------------------------------------- programs


class Program(models.Model):
    """A 事務事業 that handles personal information: a stable identity over its versions."""

    code = models.CharField("管理番号", max_length=20, unique=True)
    current = models.OneToOneField(
        "ProgramVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="現行版"
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "事務事業"

    def __str__(self) -> str:
        return self.current.name if self.current_id else self.code


class ProgramVersion(models.Model):
    """One accepted state of a program. Written once, never updated."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="versions", verbose_name="事務事業")
    number = models.PositiveIntegerField("版")
    name = models.CharField("事務事業名", max_length=200, db_index=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="program_versions", verbose_name="担当")
    purpose = models.TextField("利用目的", blank=True)
    legal_basis = models.TextField("根拠法令", blank=True)
    computerized = models.BooleanField("電算処理", default=True)
    manual = models.BooleanField("マニュアル処理", default=False)
    retention = models.CharField("保存期間", max_length=60, blank=True)
    person_count = models.PositiveIntegerField("本人の数", null=True, blank=True)
    started_on = models.DateField("開始年月日", null=True, blank=True)
    abolished_on = models.DateField("廃止年月日", null=True, blank=True)
    effective_from = models.DateField("適用年月日")
    special_procedures = models.TextField("訂正・利用停止の特別の手続", blank=True)
    note = models.TextField("備考", blank=True)
    created_at = models.DateTimeField("作成日時")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="作成者"
    )

    class Meta:
        ordering = ["program", "number"]
        verbose_name = verbose_name_plural = "事務事業の版"
        constraints = [models.UniqueConstraint(fields=["program", "number"], name="version_unique_number")]

    def __str__(self) -> str:
        return f"{self.name}（第{self.number}版）"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError("事務事業の版は変更できません。新しい届出で新しい版を作成してください。")
        super().save(*args, **kwargs)

    def all_items(self) -> list[Item]:
        """Every item of the version (groups and flows); needs the usual prefetch."""
        items = [gi.item for g in self.groups.all() for gi in g.items.all()]
        return items + [fi.item for f in self.flows.all() for fi in f.items.all()]

    @property
    def has_sensitive(self) -> bool:
        # 法2条3項・令2条: 要配慮個人情報, as the vocabulary classifies the items now.
        return any(item.is_sensitive for item in self.all_items())

    @property
    def has_my_number(self) -> bool:
        # 番号法2条8項: 特定個人情報 = personal information containing a 個人番号.
        return any(item.is_my_number for item in self.all_items())

    @property
    def is_abolished(self) -> bool:
        return self.abolished_on is not None

    @property
    def processing_label(self) -> str:
        kinds = [label for flag, label in ((self.computerized, "電算"), (self.manual, "マニュアル")) if flag]
        return "・".join(kinds) or "—"


class SubjectGroup(models.Model):
    """本人の範囲: one group of persons (相談員, 相談者, 死亡者 ...) and its items."""

    version = models.ForeignKey(ProgramVersion, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveIntegerField(default=0)
    name = models.CharField("本人の範囲", max_length=120)
    note = models.CharField("備考", max_length=255, blank=True)

    class Meta:
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.name


class GroupItem(models.Model):
    group = models.ForeignKey(SubjectGroup, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="group_links")
    written_name = models.CharField("記載どおりの項目名", max_length=120)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["group", "order", "id"]

    def __str__(self) -> str:
        return f"{self.group.name}の「{self.written_name}」"


class FlowKind(models.TextChoices):
    COLLECT_PERSON = "collect_person", "本人から収集"
    REUSE_IN = "reuse_in", "目的外利用による収集"
    COLLECT_BODY = "collect_body", "他市町村・他機関から収集"
    PROVIDE_BODY = "provide_body", "外部提供"
    PROVIDE_PROGRAM = "provide_program", "他の事務事業への提供（目的外提供）"
    OUTSOURCE = "outsource", "外部委託"
    ONLINE = "online", "オンライン結合"


PROGRAM_FLOW_KINDS = {FlowKind.REUSE_IN, FlowKind.PROVIDE_PROGRAM}
PARTY_FLOW_KINDS = {FlowKind.COLLECT_BODY, FlowKind.PROVIDE_BODY, FlowKind.OUTSOURCE, FlowKind.ONLINE}


class Flow(models.Model):
    """A movement of personal information into or out of a program version.

    ``program`` is the other program for 目的外利用 (reuse_in: we collect from it;
    provide_program: we provide to it). ``party`` names the outside body, the other
    municipalities, the contractor, or the online counterpart.
    """

    version = models.ForeignKey(ProgramVersion, on_delete=models.CASCADE, related_name="flows")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField("種別", max_length=20, choices=FlowKind.choices, db_index=True)
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.PROTECT, related_name="incoming_flows", verbose_name="相手の事務事業"
    )
    party = models.CharField("相手先", max_length=200, blank=True, db_index=True)
    purpose = models.TextField("目的・内容", blank=True)

    class Meta:
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.counterpart}）"

    @property
    def counterpart(self) -> str:
        if self.program_id:
            return str(self.program)
        return self.party or "本人"


class FlowItem(models.Model):
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="flow_links")
    written_name = models.CharField("記載どおりの項目名", max_length=120)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["flow", "order", "id"]

    def __str__(self) -> str:
        return f"{self.flow}の「{self.written_name}」"


# ---------------------------------------------------------------- 届出


class NotificationKind(models.TextChoices):
    NEW = "new", "新規"
    CHANGE = "change", "変更"
    ABOLISH = "abolish", "廃止"


class NotificationStatus(models.TextChoices):
    IMPORTED = "imported", "取込済・確認待ち"
    DRAFT = "draft", "作成中"
    SUBMITTED = "submitted", "課長承認待ち"
    APPROVED = "approved", "保護担当審査待ち"
    RETURNED = "returned", "差戻し"
    ACCEPTED = "accepted", "受理"
    WITHDRAWN = "withdrawn", "取下げ"


EDITABLE_STATUSES = {NotificationStatus.DRAFT, NotificationStatus.RETURNED}


class Notification(models.Model):
    """個人情報取扱管理簿届出書: a department's 新規・変更・廃止 notification.

    ``proposed`` holds the program as it will be after the change, in the same JSON
    shape as the export format (docs/data-format.md, "version"). On acceptance it
    becomes a new ProgramVersion.

    Accepted notifications wait for the next 審議会 meeting: the council app links
    meetings to them (council.selectors.awaiting_council).
    """

    number = models.CharField("届出番号", max_length=20, unique=True)
    kind = models.CharField("届出の種類", max_length=10, choices=NotificationKind.choices)
    status = models.CharField(
        "状態", max_length=12, choices=NotificationStatus.choices, default=NotificationStatus.DRAFT, db_index=True
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications", verbose_name="事務事業"
    )
    base_version = models.ForeignKey(
        ProgramVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="変更前の版"
    )
    result_version = models.OneToOneField(
        ProgramVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="notification", verbose_name="受理後の版"
    )
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications", verbose_name="届出課",
        help_text="取り込んだ届出で担当が組織にないときだけ空になります（受理の前に選びます）。",
    )
    reason = models.TextField("理由及び経緯")
    content = models.TextField("内容")
    proposed = models.JSONField("届出後の登録内容", default=dict)
    effective_date = models.DateField("適用年月日")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="drafted_notifications",
        verbose_name="作成者", help_text="文書から取り込んだ届出では取り込んだ人（コマンドからなら空）",
    )
    created_at = models.DateTimeField("作成日時")
    updated_at = models.DateTimeField("更新日時")
    submitted_at = models.DateTimeField("提出日時", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="課長承認者"
    )
    approved_at = models.DateTimeField("課長承認日時", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="受理者"
    )
    accepted_at = models.DateTimeField("受理日時", null=True, blank=True)
    # Ingested from a document (mamori ingest): where it came from and what was read.
    source = models.ForeignKey(
        "IngestSource", null=True, blank=True, on_delete=models.PROTECT, related_name="notifications", verbose_name="取込元"
    )
    source_block = models.TextField("取込元の記載", blank=True)
    extracted = models.JSONField("読み取った内容", default=dict, blank=True)
    import_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = verbose_name_plural = "届出"

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()} {self.program_name}"

    @property
    def program_name(self) -> str:
        return (self.proposed or {}).get("name") or (str(self.program) if self.program_id else "")

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class IngestSource(models.Model):
    """A document read by `mamori ingest`: kept whole, so each 届出 shows the text it came from."""

    file_name = models.CharField("ファイル名", max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveIntegerField("大きさ")
    text = models.TextField("読み取った文字")
    meeting = models.JSONField("記載された審議会", null=True, blank=True)
    # Pages read by OCR (register.importers.ocr): {"pages": [n, …], "confidence": mean, "low": [{"page", "text", "confidence"}, …]}
    ocr = models.JSONField("OCRの記録", null=True, blank=True)
    created_at = models.DateTimeField("取込日時", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "取込元の文書"

    def __str__(self) -> str:
        return self.file_name


class NotificationEventKind(models.TextChoices):
    CREATE = "create", "作成"
    IMPORT = "import", "文書から取込"
    EDIT = "edit", "修正"
    SUBMIT = "submit", "提出"
    APPROVE = "approve", "課長承認"
    RETURN = "return", "差戻し"
    ACCEPT = "accept", "受理"
    WITHDRAW = "withdraw", "取下げ"
    COMMENT = "comment", "コメント"


class NotificationEvent(models.Model):
    """The notification's timeline: each step with who, when and the comment."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("日時")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField("操作", max_length=10, choices=NotificationEventKind.choices)
    comment = models.TextField("コメント", blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"届出{self.notification.number}の{self.get_kind_display()}"
