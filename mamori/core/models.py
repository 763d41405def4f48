"""Organisation, users and roles, the audit trail and municipal settings.

Dependency direction: every other app may point at core; core points at none.
"""
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from mamori.core.calendar import wareki


class Organ(models.Model):
    """実施機関: 市長, 教育委員会, 選挙管理委員会, ... (情報公開条例・個人情報保護法施行条例)."""

    code = models.SlugField("コード", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60, unique=True)
    order = models.PositiveIntegerField("表示順", default=0)
    # The day it ceased to be an 実施機関 (an ordinance amended: 土地開発公社 dissolved). Its records stay.
    removed_on = models.DateField("実施機関から除いた日", null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "実施機関"

    def __str__(self) -> str:
        return self.name

    @property
    def formal_name(self) -> str:
        """How the 実施機関 is named as sender or reporter: 「朝霞市長」, 「朝霞市教育委員会」."""
        settings = MunicipalSettings.current()
        return settings.head_title if self.code == "mayor" or self.name == "市長" else f"{settings.name}{self.name}"


# select_related path that loads a unit's whole ancestry (team → 係 → 課 → 部), so
# that ``label`` needs no further query: use as f"{field}__{UNIT_CHAIN}".
UNIT_CHAIN = "parent__parent__parent"


class UnitKind(models.TextChoices):
    DIVISION = "division", "部"
    SECTION = "section", "課"
    UNIT = "unit", "係"
    TEAM = "team", "プロジェクト・チーム"


class OrgUnit(models.Model):
    """A node of the 部 → 課 → 係 tree. A team hangs under its home 係 or 課.

    ``path`` is a materialised path ("/1/4/9/") so that "this unit and everything
    under it" is one indexed prefix query.
    """

    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="units", verbose_name="実施機関")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上位組織"
    )
    kind = models.CharField("種別", max_length=10, choices=UnitKind.choices)
    code = models.SlugField("組織コード", max_length=40, unique=True)
    name = models.CharField("名称", max_length=120)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    order = models.PositiveIntegerField("表示順", default=0)
    active = models.BooleanField("有効", default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = "組織"
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_in_parent")]

    def __str__(self) -> str:
        return self.label

    def ancestors(self) -> list["OrgUnit"]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def _part(self, kind: str) -> "OrgUnit | None":
        for node in self.ancestors():
            if node.kind == kind:
                return node
        return None

    @property
    def division(self):
        return self._part(UnitKind.DIVISION)

    @property
    def section(self):
        return self._part(UnitKind.SECTION)

    @property
    def team(self):
        return self if self.kind == UnitKind.TEAM else None

    @property
    def label(self) -> str:
        """担当 as the city writes it: 「総務部 人権庶務課 人権庶務係」, a team with its home in parentheses."""
        chain = self.ancestors()
        if self.kind == UnitKind.TEAM:
            home = " ".join(n.name for n in chain[:-1])
            return f"{self.name}（{home}）" if home else self.name
        return " ".join(n.name for n in chain)

    @classmethod
    def choices_for(cls, queryset) -> list[tuple[int, str]]:
        """(pk, label) for the units of ``queryset``, labelled from one light query of the whole tree
        instead of an instance per ancestor (a filter's unit list is on many pages)."""
        tree = {pk: (parent, name, kind) for pk, parent, name, kind in cls.objects.values_list("pk", "parent_id", "name", "kind")}

        def chain(pk):
            out = []
            while pk is not None:
                parent, name, kind = tree[pk]
                out.append((name, kind))
                pk = parent
            return list(reversed(out))

        labels = []
        for pk in queryset.values_list("pk", flat=True):
            names = chain(pk)
            if names[-1][1] == UnitKind.TEAM:
                home = " ".join(n for n, _ in names[:-1])
                labels.append((pk, f"{names[-1][0]}（{home}）" if home else names[-1][0]))
            else:
                labels.append((pk, " ".join(n for n, _ in names)))
        return labels

    def parts(self) -> dict:
        """The 担当 split into its levels: division / section / unit / team."""
        out = {"division": None, "section": None, "unit": None, "team": None}
        for node in self.ancestors():
            out[node.kind if node.kind != UnitKind.TEAM else "team"] = node.name
        return out


class Role(models.TextChoices):
    DEPT_STAFF = "dept_staff", "所管課担当"
    DEPT_MANAGER = "dept_manager", "所管課長"
    PRIVACY_OFFICE = "privacy_office", "個人情報保護担当"
    COUNCIL = "council", "審議会委員"
    AUDITOR = "auditor", "監査"
    SYSADMIN = "sysadmin", "システム管理者"


DEPARTMENT_ROLES = {Role.DEPT_STAFF, Role.DEPT_MANAGER}


class User(AbstractUser):
    """A person who logs in. Department roles are scoped to ``unit`` and its subtree."""

    role = models.CharField("役割", max_length=20, choices=Role.choices, default=Role.DEPT_STAFF)
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name="所属"
    )
    display_name = models.CharField("氏名", max_length=60, blank=True)
    # Set when an administrator gives the password (a new account, a reset): the person changes it at
    # their next login before anything else (core.middleware.SignInStepsMiddleware).
    must_change_password = models.BooleanField("次回ログイン時にパスワード変更が必要", default=False)

    objects = UserManager()
    # What the user form edits makes a user's version (core.concurrency): logging in is no edit.
    VERSION_FIELDS = ("username", "display_name", "email", "role", "unit", "is_active")

    class Meta:
        verbose_name = verbose_name_plural = "利用者"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_department(self) -> bool:
        return self.role in DEPARTMENT_ROLES


class AuditAction(models.TextChoices):
    """The business verb of an audit event: a closed list, so an auditor can ask for every 決定.

    Generic verbs (作成・更新・削除) are for edits with no act of their own; every step of a
    procedure has its verb (docs/adr/0006-structure.md lists where each is written).
    """

    CREATE = "create", "作成"
    UPDATE = "update", "更新"
    DELETE = "delete", "削除"
    IMPORT = "import", "取込"
    SUBMIT = "submit", "提出"
    APPROVE = "approve", "承認"
    RETURN = "return", "差戻し"
    WITHDRAW = "withdraw", "取下げ"
    ACCEPT = "accept", "受理"
    COMMENT = "comment", "コメント"
    RECEIVE = "receive", "受付"
    DECIDE = "decide", "決定"
    EXTEND = "extend", "延長"
    SPECIAL = "special", "特例延長"
    CORRECT = "correct", "補正"
    NOTIFY = "notify", "通知"
    APPEAL = "appeal", "審査請求"
    RULE = "rule", "裁決"
    INSPECT = "inspect", "検査"
    CONFIRM = "confirm", "確認"
    PUBLISH = "publish", "公表"
    REPORT = "report", "報告"
    DISPOSE = "dispose", "返還・廃棄"
    ASSIGN = "assign", "割当て"
    UNASSIGN = "unassign", "割当て解除"
    LOGIN = "login", "ログイン"
    LOCKOUT = "lockout", "ログイン停止"
    UNLOCK = "unlock", "ログイン停止の解除"
    PASSWORD = "password", "パスワード設定"
    OTP_ENROL = "otp_enrol", "二段階認証の登録"
    OTP_RESET = "otp_reset", "二段階認証の解除"
    REVOKE = "revoke", "失効"  # an API token revoked by its user (mamori.api.services.token_revoke)
    FINALIZE_REVISION = "finalize_revision", "改訂の確定"  # a handbook's 新旧対照表 fixed for 資料7 (mamori.handbooks.services)
    # Redaction of a request's documents (issue 16, mamori.disclosure.file_services).
    MASK = "mask", "黒塗り箇所の指定"
    UNMASK = "unmask", "黒塗り箇所の取消し"
    REDACT = "redact", "黒塗りの確定"
    DELIVER = "deliver", "交付"
    DOWNLOAD = "download", "ダウンロード"


class AuditEvent(models.Model):
    """Who did what to which record, when, with the record before and after.

    ``model``/``object_id`` name the subject (the row written: a decision, a clock event);
    ``root_*`` the record a person looks it up by (the request, the contract, the 届出): every
    record's page shows the events whose root it is. Written by services in the same
    transaction as the change (core.audit.record).
    """

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="実行者")
    actor_name = models.CharField("実行者名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices)
    model = models.CharField("対象の種類", max_length=60, db_index=True)
    object_id = models.CharField("対象ID", max_length=64, db_index=True)
    object_repr = models.CharField("対象", max_length=255)
    summary = models.CharField("内容", max_length=255, blank=True)
    before = models.JSONField("変更前", null=True, blank=True)
    after = models.JSONField("変更後", null=True, blank=True)
    root_model = models.CharField("元の記録の種類", max_length=60, blank=True, default="")
    root_id = models.CharField("元の記録ID", max_length=64, blank=True, default="")
    root_repr = models.CharField("元の記録", max_length=255, blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "監査記録"
        indexes = [models.Index(fields=["model", "object_id", "at"]), models.Index(fields=["root_model", "root_id", "at"])]

    def __str__(self) -> str:
        at = timezone.localtime(self.at) if self.at else None
        when = f"{wareki(at)} {at:%H:%M}" if at else ""
        return f"{when} {self.actor_name}の{self.get_action_display()}（{self.object_repr}）".strip()

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for the fields that differ."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class MunicipalSettings(models.Model):
    """Where municipalities differ (DOMAIN.md **(setting)**). One row; defaults are 朝霞市's."""

    name = models.CharField("自治体名", max_length=40, default="朝霞市")
    head_title = models.CharField("長の職名", max_length=40, default="朝霞市長")
    # 個人情報保護法第75条第1項・同法施行令第20条: ファイル簿 for files of 1,000 persons or more.
    file_register_threshold = models.PositiveIntegerField("個人情報ファイル簿の対象となる本人数", default=1000)
    # 個人情報保護法第60条第5項: 条例要配慮個人情報 (only if the ordinance defines any).
    ordinance_sensitive_items = models.TextField("条例要配慮個人情報（定めがある場合）", blank=True, default="")
    council_name = models.CharField("審議会の名称", max_length=80, default="朝霞市情報公開・個人情報保護審議会")
    disclosure_office = models.CharField(
        "開示請求等を受理する組織の名称及び所在地", max_length=200, default="総務部 総務課 情報公開係（朝霞市役所本庁舎）"
    )
    # 個人情報保護法第89条第2項: the 開示請求 fee and the cost of copies, as the city's 条例 sets them (DOMAIN.md §8).
    # Shown on the public ファイル簿's 「開示を請求する」 pages (mamori.public).
    personal_request_fee = models.PositiveIntegerField("保有個人情報の開示請求手数料（円）", default=0,
                                                       help_text="法第89条第2項により条例で定める額。無料は0。")
    copy_fee_monochrome = models.PositiveIntegerField("写しの交付の費用（白黒1枚・円）", default=10)
    copy_fee_colour = models.PositiveIntegerField("写しの交付の費用（カラー1枚・円）", default=20)
    # The 交付 set (issue 16): whether a double-sided sheet costs per side (朝霞市: 片面1枚ごと), the 閲覧 fee, online delivery.
    copy_fee_per_side = models.BooleanField("両面印刷は片面ごとに1枚と数える", default=True)
    double_sided = models.BooleanField("写しは両面に印刷する", default=False)
    inspection_fee = models.PositiveIntegerField("閲覧の費用（1面・円）", default=0, help_text="無料は0。")
    online_delivery_days = models.PositiveIntegerField("オンライン交付のリンクの有効日数", default=0,
                                                       help_text="0はオンライン交付をしない。リンクはこの日数で失効し、ダウンロードは記録されます。")
    # 個人情報保護法施行令第20条: an entry is made and amended 直ちに (1項・3項) and deleted 遅滞なく (4項).
    # The office publishes a drafted entry within these open days of the act that caused it (filebook.rules).
    file_register_prompt_days = models.PositiveIntegerField(
        "ファイル簿の作成・変更を公表するまでの開庁日数（直ちに）", default=3,
        help_text="施行令第20条第1項・第3項「直ちに」。届出の受理の翌開庁日から数えます。")
    file_register_deletion_days = models.PositiveIntegerField(
        "ファイル簿の消除を公表するまでの開庁日数（遅滞なく）", default=10,
        help_text="施行令第20条第4項「遅滞なく」。届出の受理の翌開庁日から数えます。")

    # Requests (DOMAIN.md §3): periods and counting where the municipality decides.
    personal_request_days = models.PositiveIntegerField("保有個人情報の開示等の決定期間（日）", default=30,
                                                        help_text="法第108条により条例で短くできます（延長は30日まで）。")
    public_request_days = models.PositiveIntegerField("公文書公開請求の決定期間（日）", default=15)
    public_extension_days = models.PositiveIntegerField("公文書公開請求の延長の上限（日）", default=30)
    public_ordinance = models.CharField("情報公開条例の名称", max_length=60, default="朝霞市情報公開条例")
    decision_roll_forward = models.BooleanField("決定期限の末日が閉庁日なら翌開庁日とする", default=True)
    rate_formula = models.CharField(
        "公開率の計算", max_length=20, default="asaka",
        choices=[("asaka", "取下げを公開に含める（朝霞市）"), ("exclude-withdrawn", "取下げを除く")],
    )

    class Meta:
        verbose_name = verbose_name_plural = "自治体設定"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "MunicipalSettings":
        obj = cls.objects.order_by("id").first()
        return obj or cls.objects.create()


class ClosureDay(models.Model):
    """A day the city's offices are closed beyond 土日・祝日・年末年始 (休日条例)."""

    date = models.DateField("日付", unique=True)
    name = models.CharField("名称", max_length=60)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "市独自の閉庁日"

    def __str__(self) -> str:
        return f"{wareki(self.date)} {self.name}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "待機中"
    RUNNING = "running", "実行中"
    DONE = "done", "完了"
    FAILED = "failed", "失敗"


class Job(models.Model):
    """Long work run by a background worker (core.jobs): a large import, OCR, a bound packet, publishing.

    All of its state is here, in the database, so any app server shows its progress and any worker
    (``mamori worker``, as many as wanted) may run it; the queue itself is django-tasks' database backend.
    ``params`` name what to work on (ids, options), never personal data.
    """

    id = models.UUIDField(primary_key=True, editable=False)
    kind = models.CharField("処理の種類", max_length=60)
    title = models.CharField("処理", max_length=200)
    status = models.CharField("状態", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField("進み具合（％）", default=0)
    step = models.CharField("いまの作業", max_length=200, blank=True)
    params = models.JSONField("対象", default=dict, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="依頼者")
    created_at = models.DateTimeField("依頼日時", auto_now_add=True)
    started_at = models.DateTimeField("開始日時", null=True, blank=True)
    finished_at = models.DateTimeField("終了日時", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最終応答", null=True, blank=True)
    worker = models.CharField("実行した処理系", max_length=80, blank=True)
    result_url = models.CharField("結果の画面", max_length=300, blank=True)
    result_label = models.CharField("結果の説明", max_length=200, blank=True)
    result_file = models.FileField("結果のファイル", upload_to="jobs/", blank=True)
    error = models.TextField("失敗の理由", blank=True)

    class Meta:
        verbose_name = "バックグラウンド処理"
        verbose_name_plural = "バックグラウンド処理"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
