"""漏えい等事案 (法第68条) with the facts the 規則第43条 assessment needs and the reporting record."""
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from mamori.core.models import OrgUnit
from mamori.register.models import Program

# Long texts (issue 12): the 概要 of a PPC report runs to a page; the other items to a paragraph or two.
SUMMARY_LIMIT = 4000
TEXT_LIMIT = 2000
NOTE_LIMIT = 1000


def _limit(n: int) -> MaxLengthValidator:
    return MaxLengthValidator(n, message=f"{n:,}文字以内で入力してください。")


class Incident(models.Model):
    NOTICE_EXCEPTIONS = [("", "例外なし（本人に通知）"), ("difficult", "通知が困難で代替措置（公表等）を講じる"), ("nondisclosure", "不開示情報を含む（法第78条第1項）")]
    title = models.CharField("件名", max_length=200)
    summary = models.TextField("概要", validators=[_limit(SUMMARY_LIMIT)])
    occurred_on = models.DateField("発生日", null=True, blank=True)
    learned_on = models.DateField("職員が知った日", db_index=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="incidents", verbose_name="該当部署")
    programs = models.ManyToManyField(Program, blank=True, related_name="incidents", verbose_name="関係する事務事業")
    contract = models.ForeignKey("outsourcing.Contract", null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents", verbose_name="関係する委託契約")
    contractor_name = models.CharField("委託先（契約がない場合）", max_length=200, blank=True)
    items = models.JSONField("漏えい等した項目", default=list, blank=True)
    media = models.CharField("媒体", max_length=100, blank=True)
    cause = models.TextField("原因", blank=True, validators=[_limit(TEXT_LIMIT)])
    malicious = models.BooleanField("不正の目的によるおそれ（不正アクセス・盗難等）", default=False)
    property_damage = models.BooleanField("財産的被害のおそれ（担当の判断）", default=False)
    encrypted = models.BooleanField("高度な暗号化等の措置あり", default=False)
    recovered_unseen = models.BooleanField("閲覧される前に回収", default=False)
    secondary_damage = models.TextField("二次被害の有無と内容", blank=True, validators=[_limit(TEXT_LIMIT)])
    measures_done = models.TextField("講じた措置", blank=True, validators=[_limit(TEXT_LIMIT)])
    measures_planned = models.TextField("再発防止策", blank=True, validators=[_limit(TEXT_LIMIT)])
    confirmed = models.BooleanField("報告の要否を保護担当が確認", default=False)
    override_reportable = models.BooleanField("判断の上書き（報告要否）", null=True, blank=True)
    override_note = models.TextField("上書きの理由", blank=True, validators=[_limit(NOTE_LIMIT)])
    sokuhou_on = models.DateField("速報日", null=True, blank=True)
    kakuhou_on = models.DateField("確報日", null=True, blank=True)
    notice_method = models.CharField("本人通知の方法", max_length=200, blank=True)
    notice_on = models.DateField("本人通知の日", null=True, blank=True)
    notice_exception = models.CharField("本人通知の例外（法第68条第2項）", max_length=15, choices=NOTICE_EXCEPTIONS, blank=True)
    notice_exception_reason = models.TextField("例外の理由・代替措置", blank=True, validators=[_limit(NOTE_LIMIT)])
    published_on = models.DateField("公表日", null=True, blank=True)
    publish_note = models.CharField("公表の方法", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-learned_on", "-id"]
        verbose_name = verbose_name_plural = "漏えい等事案"

    def __str__(self) -> str:
        return self.title

    # What the edit form changes besides the row itself (core.concurrency: the incident's version).
    VERSION_LABELS = {"programs": "関係する事務事業", "groups": "本人の区分と人数"}

    def version_extra(self) -> dict:
        return {"programs": sorted(p.code for p in self.programs.all()), "groups": [f"{g.name},{g.count}" for g in self.groups.all()]}

    @property
    def persons(self) -> int:
        return sum(g.count for g in self.groups.all())


class AffectedGroup(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField("本人の区分", max_length=60)
    count = models.PositiveIntegerField("人数")

    class Meta:
        ordering = ["incident", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.count:,}人（{self.incident.title}）"
