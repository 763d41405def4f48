"""The office's handbooks (手引), their printed editions and the revisions between them (資料7).

An edition keeps its text as printed: ``pages`` is a list of {"number": N, "lines": [...]}, so a
revision can say where a line stands (「５ページ 下から８行目」). A revision's table (新旧対照表) is
computed once from two editions (handbooks.rules) and then belongs to the office: its rows are
edited before printing, and a finalized revision is printed in the council packet as 資料7.
"""
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from mamori.core.calendar import wareki

TEXT_LIMIT = 2000  # one cell of the 新旧対照表


class Handbook(models.Model):
    name = models.CharField("名称", max_length=120, unique=True)  # 個人情報保護制度の手引
    order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "手引"

    def __str__(self) -> str:
        return self.name


class Edition(models.Model):
    """One printed 版 of a handbook: its pages and lines as printed, and the file it came from."""

    handbook = models.ForeignKey(Handbook, on_delete=models.CASCADE, related_name="editions", verbose_name="手引")
    label = models.CharField("版", max_length=60)  # 令和6年4月改訂版
    issued_on = models.DateField("発行日")
    pages = models.JSONField("本文（ページと行）", default=list, blank=True)
    source_name = models.CharField("元のファイル名", max_length=200, blank=True)
    source_sha256 = models.CharField("元のファイルのSHA-256", max_length=64, blank=True)
    source_file = models.BinaryField("元のファイル", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["handbook", "issued_on", "id"]
        verbose_name = verbose_name_plural = "手引の版"

    VERSION_FIELDS = ("label", "issued_on", "pages")  # the stored file is no edit of the text

    def __str__(self) -> str:
        return f"「{self.handbook.name}」{self.label}"

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def line_count(self) -> int:
        return sum(len(p.get("lines", [])) for p in self.pages)


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", "作成中"
    FINAL = "final", "確定"


class Revision(models.Model):
    """A revision of one handbook from edition A to edition B, with its reason (資料7's lead paragraph)."""

    handbook = models.ForeignKey(Handbook, on_delete=models.PROTECT, related_name="revisions", verbose_name="手引")
    from_edition = models.ForeignKey(Edition, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="改訂前の版")
    to_edition = models.ForeignKey(Edition, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="改訂後の版")
    reason = models.CharField("改訂の理由", max_length=200)  # 土地開発公社の実施機関からの除外
    background = models.TextField("資料の前文（経緯）", blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)],
                                  help_text="空欄なら理由から作ります。例：朝霞市土地開発公社の解散に伴い、朝霞市情報公開条例の実施機関の定義から「土地開発公社」を削除する改正を行いました")
    promulgated_on = models.DateField("条例の公布日", null=True, blank=True)
    enforced_on = models.DateField("条例の施行日", null=True, blank=True)
    revised_on = models.DateField("改訂日")
    status = models.CharField("状態", max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT)
    source = models.CharField("取込元", max_length=200, blank=True)  # a packet read back (handbooks.ingest)

    class Meta:
        ordering = ["-revised_on", "handbook__order", "id"]
        verbose_name = verbose_name_plural = "手引の改訂"

    def __str__(self) -> str:
        return f"「{self.handbook.name}」の改訂（{wareki(self.revised_on)}）"

    def get_absolute_url(self) -> str:
        return reverse("handbooks:revision", args=[self.pk])


class RevisionRow(models.Model):
    """One row of the 新旧対照表: 該当ページ等, 改訂前, 改訂後."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="rows", verbose_name="改訂")
    order = models.PositiveIntegerField("順序", default=0)
    location = models.CharField("該当ページ等", max_length=120)
    before = models.TextField("改訂前", blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)])
    after = models.TextField("改訂後", blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)])

    class Meta:
        ordering = ["revision", "order", "id"]
        verbose_name = verbose_name_plural = "新旧対照表の行"

    def __str__(self) -> str:
        return f"{self.location}"
