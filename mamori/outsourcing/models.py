"""Contractors and their supervision (法第66条第2項; the city's 特記事項 and 別紙1〜4).

Contracts point at the register's programs (the register is the hub)."""
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from mamori.core.calendar import fiscal_year_label, wareki
from mamori.outsourcing.rules import DISPOSAL_METHODS, FORMS, KINDS, METHODS
from mamori.register.models import Program

# Long texts (issue 12): enough for what the 特記事項 and 別紙 ask, small enough for a page and a printed cell.
NOTE_LIMIT = 2000
FINDING_LIMIT = 1000


def _limit(n: int) -> MaxLengthValidator:
    return MaxLengthValidator(n, message=f"{n:,}文字以内で入力してください。")


class Contractor(models.Model):
    name = models.CharField("名称", max_length=200, db_index=True)
    corporate_number = models.CharField("法人番号", max_length=13, blank=True, db_index=True)
    address = models.CharField("所在地", max_length=200, blank=True)
    contact = models.CharField("連絡先", max_length=120, blank=True)
    note = models.TextField("備考", blank=True, validators=[_limit(NOTE_LIMIT)])

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "委託事業者"

    def __str__(self) -> str:
        return self.name


class Certification(models.Model):
    KIND_CHOICES = [("pmark", "プライバシーマーク"), ("isms", "ISMS（ISO/IEC 27001）")]
    contractor = models.ForeignKey(Contractor, on_delete=models.CASCADE, related_name="certifications")
    kind = models.CharField("種類", max_length=10, choices=KIND_CHOICES)
    number = models.CharField("登録番号", max_length=60, blank=True)
    scope = models.CharField("適用範囲", max_length=200, blank=True)
    issued_on = models.DateField("取得日", null=True, blank=True)
    expires_on = models.DateField("有効期限", db_index=True)

    class Meta:
        ordering = ["contractor", "kind", "expires_on"]

    def __str__(self) -> str:
        number = f"（{self.number}）" if self.number else ""
        return f"{self.contractor.name}の{self.get_kind_display()}{number}"


class Contract(models.Model):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="contracts", verbose_name="事務事業")
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="contracts", verbose_name="受注者")
    kind = models.CharField("種類", max_length=12, choices=list(KINDS.items()), default="outsourcing")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="元の契約")
    approved_on = models.DateField("再委託の書面承認日（特記事項第10条）", null=True, blank=True)
    title = models.CharField("契約件名", max_length=200)
    work = models.TextField("業務の内容", blank=True, validators=[_limit(NOTE_LIMIT)])
    items = models.JSONField("引き渡す記録項目", default=list, blank=True)
    starts_on = models.DateField("契約期間（開始）", db_index=True)
    ends_on = models.DateField("契約期間（終了）", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "starts_on", "id"]
        verbose_name = verbose_name_plural = "委託契約"

    def __str__(self) -> str:
        return f"{self.title}（{self.contractor}）"

    @property
    def unapproved_sub(self) -> bool:
        return self.kind in ("sub", "subsub") and self.approved_on is None


class FormReceipt(models.Model):
    """別紙1〜3 received from the contractor, with what they say."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="forms")
    form = models.CharField("様式", max_length=2, choices=list(FORMS.items()))
    received_on = models.DateField("受領日")
    details = models.JSONField("記載内容", default=dict, blank=True)

    class Meta:
        ordering = ["contract", "form"]
        constraints = [models.UniqueConstraint(fields=["contract", "form"], name="form_once_per_contract")]

    def __str__(self) -> str:
        return f"{self.get_form_display()}（{self.contract.title}）"


class Inspection(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="inspections")
    fiscal_year = models.PositiveIntegerField("年度", db_index=True)
    method = models.CharField("確認方法", max_length=10, choices=list(METHODS.items()))
    inspected_on = models.DateField("検査実施日")
    city_inspectors = models.CharField("発注者検査実施者（所属・職名・氏名）", max_length=200, blank=True)
    contractor_staff = models.CharField("受注者検査対応者（職名・氏名）", max_length=200, blank=True)
    handled_info = models.CharField("取り扱う個人情報の内容", max_length=300, blank=True)
    results = models.JSONField("点検結果", default=dict, blank=True, help_text='{"1": {"result": "ok|ng|na", "comment": "…"}, …}')
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fiscal_year", "contract"]
        constraints = [models.UniqueConstraint(fields=["contract", "fiscal_year"], name="one_inspection_per_year")]

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)}の{self.get_method_display()}（{self.contract.title}）"

    @property
    def year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    item = models.PositiveIntegerField("点検項目")
    finding = models.TextField("指摘事項", validators=[_limit(FINDING_LIMIT)])
    action = models.TextField("是正措置", blank=True, validators=[_limit(FINDING_LIMIT)])
    due_on = models.DateField("是正期限", null=True, blank=True)
    done_on = models.DateField("是正確認日", null=True, blank=True)

    class Meta:
        ordering = ["inspection", "item"]

    def __str__(self) -> str:
        return f"点検項目{self.item}の指摘（{self.inspection}）"


class Disposal(models.Model):
    """特記事項第14条: return or erasure at the end, recorded and reported in writing."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="disposal")
    method = models.CharField("方法", max_length=10, choices=list(DISPOSAL_METHODS.items()))
    done_on = models.DateField("実施日")
    person = models.CharField("担当者名", max_length=120)
    detail = models.CharField("方法の詳細（例：物理破壊、データ消去ソフト）", max_length=200, blank=True)
    report_received_on = models.DateField("書面報告の受領日", null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_method_display()}の記録（{self.contract.title}）"


class ContractIncident(models.Model):
    """特記事項第13条: the contractor's report of an incident. The incidents app picks these up."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="incident_reports")
    occurred_on = models.DateField("発生日", null=True, blank=True)
    reported_on = models.DateField("報告を受けた日")
    summary = models.TextField("概要", validators=[_limit(NOTE_LIMIT)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on"]

    def __str__(self) -> str:
        return f"受注者からの事故報告（{self.contract.title}・{wareki(self.reported_on)}報告）"


PROVISIONS_LIMIT = 40000  # the seed's 特記事項 (17 articles) is about 4,000 characters


class SpecialProvisions(models.Model):
    """The office's 「個人情報の取扱いに関する特記事項」, kept as editions: the newest in force on a date applies
    (the bound packet prints the one in force on the meeting's date after 資料5). 本文 as typed: one paragraph a
    line — an article's heading （基本的事項）, 第１条…, its 項 ２…, its 号 (1)…."""

    title = models.CharField("名称", max_length=100, default="個人情報の取扱いに関する特記事項")
    in_force_on = models.DateField("施行日", unique=True, error_messages={"unique": "この施行日の版は登録済みです。施行日を確かめてください。"})
    body = models.TextField("本文", validators=[_limit(PROVISIONS_LIMIT)])
    note = models.CharField("改正の内容・備考", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-in_force_on"]
        verbose_name = verbose_name_plural = "個人情報の取扱いに関する特記事項"

    def __str__(self) -> str:
        return f"{self.title}（{wareki(self.in_force_on)}施行）"

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.body.splitlines() if line.strip()]
