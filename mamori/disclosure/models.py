"""Requests: 公文書公開請求・申出 and 保有個人情報の開示・訂正・利用停止請求, decided per document,
with the clock as a ledger of events, and appeals (審査請求 → 諮問 → 答申 → 裁決)."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible

from mamori.core.models import Organ, OrgUnit
from mamori.disclosure import rules


@deconstructible
class TextLimit(MaxLengthValidator):
    """A long text's limit, with a message that says the limit and how long the text is now."""

    message = "%(limit_value)s字以内で入力してください（いま%(show_value)s字あります）。"
    code = "max_length"

    def __call__(self, value):
        if len(value) > self.limit_value:
            raise ValidationError(self.message, code=self.code,
                                  params={"limit_value": f"{self.limit_value:,}", "show_value": f"{len(value):,}", "value": ""})


# The limits of this app's long texts (decided in issue 12; docs/adr/0003-requests-and-clocks.md says why).
SUBJECT_LIMIT = 4_000  # 請求の内容: a request form's box; a long list of document names fits, a pasted file does not
REASON_TEXT_LIMIT = 4_000  # 理由の説明: printed on the decision notice, a page or two per document at most
CLOCK_REASON_LIMIT = 1_000  # 延長・特例の理由: one item of the extension notice
APPEAL_NOTE_LIMIT = 2_000  # 審査請求の備考: the office's own notes on the stage
DOCUMENTS_AT_ONCE = 200  # the intake's list of documents (1 line each); more are added on the request's page


class Procedure(models.TextChoices):
    PUBLIC_REQUEST = "public-request", "公文書公開請求"
    PUBLIC_OFFER = "public-offer", "公文書公開申出"
    PERSONAL_DISCLOSURE = "personal-disclosure", "保有個人情報開示請求"
    PERSONAL_CORRECTION = "personal-correction", "保有個人情報訂正請求"
    PERSONAL_SUSPENSION = "personal-suspension", "保有個人情報利用停止請求"


PUBLIC_PROCEDURES = {Procedure.PUBLIC_REQUEST, Procedure.PUBLIC_OFFER}


class Channel(models.TextChoices):
    COUNTER = "counter", "窓口"
    MAIL = "mail", "郵送"
    ONLINE = "online", "電子申請"
    FAX = "fax", "ファクシミリ"
    EMAIL = "email", "電子メール"


class RequesterRole(models.TextChoices):
    SELF = "self", "本人"
    LEGAL = "legal", "法定代理人"
    AGENT = "agent", "任意代理人"
    OTHER = "other", "（公文書の請求者）"


class RequesterKind(models.TextChoices):
    NATURAL = "natural", "個人"
    LEGAL_PERSON = "legal", "法人・団体"


class RequestStatus(models.TextChoices):
    OPEN = "open", "処理中"
    DECIDED = "decided", "決定済み"


class Request(models.Model):
    number = models.CharField("受付番号", max_length=20, unique=True)
    procedure = models.CharField("手続", max_length=30, choices=Procedure.choices, db_index=True)
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="requests", verbose_name="実施機関")
    departments = models.ManyToManyField(OrgUnit, related_name="requests", verbose_name="担当課")
    received_on = models.DateField("受付日", db_index=True)
    channel = models.CharField("受付方法", max_length=10, choices=Channel.choices, default=Channel.COUNTER)
    requester_role = models.CharField("請求者の区分", max_length=10, choices=RequesterRole.choices, default=RequesterRole.SELF)
    requester_kind = models.CharField("請求者の種別", max_length=10, choices=RequesterKind.choices, default=RequesterKind.NATURAL)
    # Personal data of the requester: shown only to those handling the request (selectors.can_see_requester).
    requester_name = models.CharField("請求者の氏名・名称", max_length=120)
    requester_address = models.CharField("請求者の住所・所在地", max_length=200, blank=True)
    requester_contact = models.CharField("請求者の連絡先", max_length=120, blank=True)
    subject = models.TextField("請求の内容（公文書・保有個人情報の件名等）", validators=[TextLimit(SUBJECT_LIMIT)])
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="handled_requests", verbose_name="担当者")
    status = models.CharField("状態", max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN, db_index=True)
    due_on = models.DateField("決定期限", null=True, blank=True, db_index=True, editable=False,
                              help_text="受付日と期限の記録から計算（rules.compute_due）。保存のたびに更新。")
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-number"]
        verbose_name = verbose_name_plural = "請求"

    def __str__(self) -> str:
        return f"{self.number} {self.get_procedure_display()}"

    @property
    def is_public(self) -> bool:
        return self.procedure in PUBLIC_PROCEDURES

    @property
    def requester_label(self) -> str:
        """本人（個人）for a 保有個人情報; only 個人 or 法人・団体 for a 公文書, which has no 本人 (rules.requester_roles)."""
        if self.is_public:
            return self.get_requester_kind_display()
        return f"{self.get_requester_role_display()}（{self.get_requester_kind_display()}）"


class Decision(models.TextChoices):
    DISCLOSE = "disclose", "公開（開示）"
    PARTIAL = "partial", "部分公開（部分開示）"
    NONDISCLOSE = "nondisclose", "非公開（不開示）"
    NONEXISTENT = "nonexistent", "非公開（不存在）"
    NEITHER = "neither", "存否応答拒否"
    WITHDRAWN = "withdrawn", "取下げ"
    REJECTED = "rejected", "却下"
    TRANSFERRED = "transferred", "移送"



class RequestDocument(models.Model):
    """A 文書 (or a 保有個人情報) asked for; each gets its own decision."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="documents")
    department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="request_documents", verbose_name="担当課")
    title = models.CharField("文書の件名", max_length=300)
    decision = models.CharField("決定", max_length=15, choices=Decision.choices, blank=True, db_index=True)
    decided_on = models.DateField("決定日", null=True, blank=True)
    reasons = models.JSONField("不開示の理由（条項）", default=list, blank=True)
    reason_text = models.TextField("理由の説明", blank=True, validators=[TextLimit(REASON_TEXT_LIMIT)])
    after_ruling = models.BooleanField("審査会の答申に基づく裁決後の決定", default=False)
    third_party_objection = models.BooleanField("第三者が反対意見書を提出（法第86条）", default=False)
    disclose_on = models.DateField("開示の実施日", null=True, blank=True)
    override_reason = models.TextField("黒塗りから求まる決定と違う決定にした理由", blank=True, validators=[TextLimit(REASON_TEXT_LIMIT)])

    class Meta:
        ordering = ["request", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def decision_label(self) -> str:
        """The decision in the words of the request's procedure (rules.DECISION_WORDS); empty when undecided."""
        if not self.decision:
            return ""
        return rules.decision_word(self.request.procedure, self.decision) or self.get_decision_display()


class ClockKind(models.TextChoices):
    CORRECTION = "correction", "補正"
    EXTENSION = "extension", "延長"
    SPECIAL = "special", "特例"


class ClockEvent(models.Model):
    """The ledger the deadline is computed from: 補正 asked/returned, 延長, 特例."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="clock_events")
    kind = models.CharField("種類", max_length=12, choices=ClockKind.choices)
    start_on = models.DateField("補正を求めた日／通知日")
    end_on = models.DateField("補正された日", null=True, blank=True)
    days = models.PositiveIntegerField("延長日数", null=True, blank=True)
    rest_due = models.DateField("特例：残りの決定期限", null=True, blank=True)
    reason = models.TextField("理由", blank=True, validators=[TextLimit(CLOCK_REASON_LIMIT)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "start_on", "id"]

    def __str__(self) -> str:
        return f"{self.request.number} {self.get_kind_display()}"


class AppealStage(models.TextChoices):
    FILED = "filed", "審査請求"
    CONSULTED = "consulted", "諮問"
    REPORTED = "reported", "答申"
    RULED = "ruled", "裁決"
    REDECIDED = "redecided", "再決定"


class Appeal(models.Model):
    """審査請求 against a decision → 諮問 to the 審査会 (法第105条) → 答申 → 裁決 → a new decision."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="appeals")
    filed_on = models.DateField("審査請求の日")
    consulted_on = models.DateField("諮問の日", null=True, blank=True)
    reported_on = models.DateField("答申の日", null=True, blank=True)
    ruled_on = models.DateField("裁決の日", null=True, blank=True)
    ruling = models.CharField("裁決", max_length=20, blank=True, choices=[("granted", "認容"), ("partly", "一部認容"), ("dismissed", "棄却"), ("rejected", "却下")])
    redecided_on = models.DateField("裁決後の決定日", null=True, blank=True)
    note = models.TextField("備考", blank=True, validators=[TextLimit(APPEAL_NOTE_LIMIT)])

    class Meta:
        ordering = ["request", "filed_on"]

    def __str__(self) -> str:
        return f"{self.request.number} 審査請求"

    @property
    def stage(self) -> str:
        for field, stage in (("redecided_on", AppealStage.REDECIDED), ("ruled_on", AppealStage.RULED),
                             ("reported_on", AppealStage.REPORTED), ("consulted_on", AppealStage.CONSULTED)):
            if getattr(self, field):
                return stage
        return AppealStage.FILED


class NoticeKind(models.TextChoices):
    DISCLOSE = "disclose", "開示（公開）決定通知書"
    PARTIAL = "partial", "部分開示（部分公開）決定通知書"
    NONE = "none", "不開示（非公開）決定通知書"
    EXTENSION = "extension", "決定期間延長通知書"
    SPECIAL = "special", "決定期限の特例延長通知書"
    TRANSFER = "transfer", "事案移送通知書"
    THIRD_PARTY = "third_party", "第三者への意見照会書"


class NoticeTemplate(models.Model):
    """The wording of a notice, editable by the office; {差込み項目} are filled from the request."""

    kind = models.CharField("種類", max_length=15, choices=NoticeKind.choices, unique=True)
    title = models.CharField("表題", max_length=80, help_text="{手続} は「公文書」「保有個人情報」に置き換わります。")
    body = models.TextField("本文")
    teaching = models.TextField("教示", blank=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = verbose_name_plural = "通知書のひな形"

    def __str__(self) -> str:
        return self.get_kind_display()


class Notice(models.Model):
    """A notice as it was issued: its text is kept, so it prints the same later."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("種類", max_length=15, choices=NoticeKind.choices)
    number = models.CharField("文書番号", max_length=40, blank=True)
    issued_on = models.DateField("発出日")
    recipient = models.CharField("宛先", max_length=120)
    sender = models.CharField("差出人", max_length=80)
    title = models.CharField("表題", max_length=80)
    body = models.TextField("本文")
    documents = models.JSONField("対象の文書", default=list)
    teaching = models.TextField("教示", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "issued_on", "id"]

    def __str__(self) -> str:
        # The title and the request's number, not the recipient (the requester's name).
        return f"{self.request.number} {self.title}"


# ---------------------------------------------------------------- the documents' files and their redaction (issue 16)

FILE_NAME_LIMIT = 200
TERM_LIMIT = 100  # one term of the request's list (a third party's name, a company's name)
TERMS_PER_REQUEST = 100


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word（DOCX）"
    XLSX = "xlsx", "Excel（XLSX）"
    IMAGE = "image", "画像"


class FileStatus(models.TextChoices):
    CONVERTING = "converting", "PDFに変換中"
    READY = "ready", "黒塗りの作業ができます"
    FAILED = "failed", "PDFにできませんでした"


def _file_path(instance, filename: str) -> str:
    # The stored name is ours (the request's id, the document's id, a random part): a person's file name never
    # becomes a path on the server. The name as uploaded is kept in DocumentFile.name.
    return f"requests/{instance.document.request_id}/{instance.document_id}/{filename}"


class DocumentFile(models.Model):
    """A file of a 文書, as the department handed it (original), the PDF it was converted to for review (pdf), and once
    「黒塗りを確定」 passed its check, the redacted PDF (redacted). Each with its sha256, so a copy can be proved the same."""

    document = models.ForeignKey(RequestDocument, on_delete=models.CASCADE, related_name="files", verbose_name="文書")
    name = models.CharField("ファイル名", max_length=FILE_NAME_LIMIT)
    kind = models.CharField("形式", max_length=10, choices=FileKind.choices)
    size = models.PositiveBigIntegerField("大きさ（バイト）")
    original = models.FileField("元のファイル", upload_to=_file_path, max_length=300)
    original_sha256 = models.CharField("元のファイルのSHA-256", max_length=64)
    status = models.CharField("状態", max_length=12, choices=FileStatus.choices, default=FileStatus.CONVERTING)
    error = models.TextField("変換できなかった理由", blank=True)
    pdf = models.FileField("確認用PDF", upload_to=_file_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField("確認用PDFのSHA-256", max_length=64, blank=True)
    page_sizes = models.JSONField("各ページの大きさ（ポイント）", default=list, blank=True)
    colour = models.BooleanField("カラーで交付する", default=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="黒塗りを確認した職員")
    reviewed_at = models.DateTimeField("黒塗りの確認日時", null=True, blank=True)
    redacted = models.FileField("黒塗り済みPDF", upload_to=_file_path, max_length=300, blank=True)
    redacted_sha256 = models.CharField("黒塗り済みPDFのSHA-256", max_length=64, blank=True)
    redacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="黒塗りを確定した職員")
    redacted_at = models.DateTimeField("黒塗りの確定日時", null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="登録した職員")
    uploaded_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        ordering = ["document", "id"]
        verbose_name = verbose_name_plural = "文書のファイル"

    def __str__(self) -> str:
        return f"{self.document.title}（{self.name}）"

    @property
    def page_count(self) -> int:
        return len(self.page_sizes)


class BoxSource(models.TextChoices):
    MANUAL = "manual", "範囲を指定"
    TEXT = "text", "文字を選択"
    SUGGESTED = "suggested", "候補から"


class BoxStatus(models.TextChoices):
    PROPOSED = "proposed", "候補（未判断）"
    ACCEPTED = "accepted", "黒塗りする"
    REJECTED = "rejected", "黒塗りしない"


class RedactionBox(models.Model):
    """A part of a page withheld, with its ground: a rectangle in PDF points on the page as displayed (origin at the
    top left), and the article of the ordinance or of 法第78条第1項 it is withheld under (rules.box_reasons)."""

    file = models.ForeignKey(DocumentFile, on_delete=models.CASCADE, related_name="boxes", verbose_name="ファイル")
    page = models.PositiveIntegerField("ページ")
    x0 = models.FloatField("左端（pt）")
    top = models.FloatField("上端（pt）")
    x1 = models.FloatField("右端（pt）")
    bottom = models.FloatField("下端（pt）")
    reason_code = models.CharField("理由（条項）", max_length=80, blank=True)
    source = models.CharField("指定の方法", max_length=10, choices=BoxSource.choices, default=BoxSource.MANUAL)
    status = models.CharField("判断", max_length=10, choices=BoxStatus.choices, default=BoxStatus.ACCEPTED)
    kind = models.CharField("候補の種類", max_length=30, blank=True)
    # What lies under the box, for the handler's list of suggestions: personal data, never in the audit log or a log.
    text = models.CharField("覆う文字", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="指定した職員")
    created_at = models.DateTimeField("指定日時", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="判断した職員")

    class Meta:
        ordering = ["file", "page", "top", "x0", "id"]
        verbose_name = verbose_name_plural = "黒塗りの箇所"

    def __str__(self) -> str:
        return f"{self.page}頁 {self.reason_code or '（理由未選択）'}"


class RedactionTerm(models.Model):
    """A term to look for in every file of the request (a third party's name): its hits are offered as suggestions."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="redaction_terms")
    term = models.CharField("語句", max_length=TERM_LIMIT)
    reason_code = models.CharField("理由（条項）", max_length=80, blank=True)

    class Meta:
        ordering = ["request", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "term"], name="redaction_term_unique")]
        verbose_name = verbose_name_plural = "黒塗りの候補を探す語句"

    def __str__(self) -> str:
        return f"{self.request.number} の語句"


class Delivery(models.Model):
    """A 交付 set: the redacted files, the notice and an index as a ZIP, the same as one print-ready PDF, and the fee
    of its copies (rules.copy_fee). An online-delivery link (when the city allows it) expires at ``link_expires_at``."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="deliveries")
    zip_file = models.FileField("交付ファイル（ZIP）", upload_to="deliveries/", max_length=300)
    zip_sha256 = models.CharField("ZIPのSHA-256", max_length=64)
    print_file = models.FileField("印刷用PDF", upload_to="deliveries/", max_length=300)
    print_sha256 = models.CharField("印刷用PDFのSHA-256", max_length=64)
    pages = models.PositiveIntegerField("ページ数（面数）")
    sheets = models.PositiveIntegerField("用紙の枚数")
    fee = models.PositiveIntegerField("写しの交付の費用（円）")
    fee_explanation = models.TextField("費用の内訳", blank=True)
    link_token = models.CharField("オンライン交付のリンク", max_length=64, blank=True, db_index=True)
    link_expires_at = models.DateTimeField("リンクの有効期限", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        ordering = ["request", "-created_at", "-id"]
        verbose_name = verbose_name_plural = "交付"

    def __str__(self) -> str:
        return f"{self.request.number} 交付"
