"""The request screens' forms. A form on a request's page speaks the words of that request's procedure
(rules.decision_choices, notices.kind_choices): a 公文書 is 公開/非公開, a 保有個人情報 開示/不開示."""
from django import forms
from django.urls import reverse_lazy

from mamori.core.concurrency import VersionedForm
from mamori.core.forms import WarekiDateField
from mamori.core.models import UNIT_CHAIN, Organ, OrgUnit
from mamori.disclosure import rules
from mamori.disclosure.models import (
    APPEAL_NOTE_LIMIT,
    CLOCK_REASON_LIMIT,
    DOCUMENTS_AT_ONCE,
    REASON_TEXT_LIMIT,
    SUBJECT_LIMIT,
    Appeal,
    Channel,
    ClockKind,
    Procedure,
    RequestDocument,
    RequesterKind,
    RequesterRole,
    TextLimit,
)
from mamori.disclosure.notices import TEXT_LIMIT

TITLE_LIMIT = RequestDocument._meta.get_field("title").max_length
REASONS_LIMIT = 500  # 不開示（非公開）の条項: a list of article numbers


def _units():
    return OrgUnit.objects.filter(active=True, kind__in=["section", "unit", "team"]).select_related(UNIT_CHAIN)


def _limited(limit: int, rows: int, **kwargs) -> forms.CharField:
    """A long text with its limit said beside it (and no maxlength attribute: a browser would cut a pasted text without a word)."""
    kwargs.setdefault("help_text", f"{limit:,}字まで。")
    return forms.CharField(validators=[TextLimit(limit)], widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


ROLE_LABELS = dict(RequesterRole.choices)


class RequestForm(forms.Form):
    """Intake. The 請求者の区分 is asked only for a 保有個人情報 (rules.requester_roles): choosing the procedure
    fetches the field again (htmx on this page's own address), and clean() refuses a 区分 the procedure does not know."""

    procedure = forms.ChoiceField(label="手続", choices=Procedure.choices)
    organ = forms.ModelChoiceField(label="実施機関", queryset=Organ.objects.all())
    departments = forms.ModelMultipleChoiceField(label="担当課（複数可）", queryset=OrgUnit.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8}))
    received_on = WarekiDateField(label="受付日")
    channel = forms.ChoiceField(label="受付方法", choices=Channel.choices)
    requester_role = forms.ChoiceField(label="請求者の区分", required=False)
    requester_kind = forms.ChoiceField(label="請求者の種別", choices=RequesterKind.choices)
    requester_name = forms.CharField(label="請求者の氏名・名称", max_length=120)
    requester_address = forms.CharField(label="請求者の住所・所在地", max_length=200, required=False)
    requester_contact = forms.CharField(label="請求者の連絡先", max_length=120, required=False)
    subject = _limited(SUBJECT_LIMIT, 3, label="請求の内容")
    documents = forms.CharField(label="対象の文書（1行に1件・最初の担当課に割り当て）", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=f"後から請求の画面で担当課ごとに追加できます。1件{TITLE_LIMIT}字まで、一度に{DOCUMENTS_AT_ONCE}件まで。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = _units()
        self.fields["departments"].label_from_instance = lambda u: u.label
        self.fields["procedure"].widget.attrs.update({
            "hx-get": reverse_lazy("disclosure:request_new"), "hx-trigger": "change", "hx-target": "#requester-role",
            "hx-select": "#requester-role", "hx-swap": "outerHTML",
        })
        chosen = (self.data.get(self.add_prefix("procedure")) if self.is_bound else self.initial.get("procedure")) or Procedure.choices[0][0]
        self.chosen_procedure = chosen if chosen in Procedure.values else ""
        role = self.fields["requester_role"]
        personal = [(v, ROLE_LABELS[v]) for v in rules.PERSONAL_REQUESTER_ROLES]
        if self.chosen_procedure and rules.is_public(self.chosen_procedure):
            role.choices = [("", "---------"), *personal]  # shown only to say that a 公文書 has none (clean)
        else:
            role.choices, role.required = personal, True
            role.initial = RequesterRole.SELF
            role.help_text = "本人のほか、未成年者・成年被後見人の法定代理人、本人が委任した任意代理人が請求できます（個人情報保護法第76条第2項）。"
        if self.chosen_procedure:  # a value not on the list gets the rule's words, not Django's 「正しく選択してください」
            role.error_messages = {**role.error_messages, "invalid_choice": rules.requester_role_problem(self.chosen_procedure, "\0")}

    @property
    def asks_requester_role(self) -> bool:
        """Whether the page shows the 区分: for a 保有個人情報, or when a 公文書's form came back with one chosen."""
        return not rules.is_public(self.chosen_procedure) or bool(self["requester_role"].errors)

    def clean_documents(self):
        lines = [t.strip() for t in (self.cleaned_data.get("documents") or "").splitlines() if t.strip()]
        for i, title in enumerate(lines, start=1):
            if len(title) > TITLE_LIMIT:
                raise forms.ValidationError(f"{i}行目の件名が{len(title):,}字あります。1件の件名は{TITLE_LIMIT}字までです。")
        if len(lines) > DOCUMENTS_AT_ONCE:
            raise forms.ValidationError(f"一度に受け付けられる文書は{DOCUMENTS_AT_ONCE}件までです（{len(lines):,}行あります）。残りは請求の画面で追加してください。")
        return lines

    def clean(self):
        data = super().clean()
        procedure, role = data.get("procedure", ""), data.get("requester_role", "")
        if procedure and rules.is_public(procedure):
            if role:
                self.add_error("requester_role", rules.requester_role_problem(procedure, role))
            else:
                data["requester_role"] = RequesterRole.OTHER
        elif procedure and "requester_role" in data and rules.requester_role_problem(procedure, role):
            self.add_error("requester_role", rules.requester_role_problem(procedure, role))
        return data


class DocumentForm(forms.Form):
    department = forms.ModelChoiceField(label="担当課", queryset=OrgUnit.objects.none())
    title = forms.CharField(label="文書の件名", max_length=TITLE_LIMIT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _units()
        self.fields["department"].label_from_instance = lambda u: u.label


class DecisionForm(VersionedForm):
    decision = forms.ChoiceField(label="決定")
    decided_on = WarekiDateField(label="決定日")
    reasons = forms.CharField(label="不開示の条項", required=False, widget=forms.TextInput(attrs={"list": "reason-codes"}), max_length=REASONS_LIMIT)
    reason_text = _limited(REASON_TEXT_LIMIT, 2, label="理由の説明", required=False)
    after_ruling = forms.BooleanField(label="審査会の答申に基づく裁決後の決定", required=False)
    third_party_objection = forms.BooleanField(label="第三者が反対意見書を提出", required=False)
    override_reason = _limited(REASON_TEXT_LIMIT, 2, label="黒塗りから求まる決定と違う決定にする理由", required=False,
                               help_text="文書のファイルに黒塗りの箇所があるとき、決定はそこから求まります（なし＝公開、一部＝部分公開、全部＝非公開）。違う決定にするときだけ書きます。")

    def __init__(self, *args, procedure: str, **kwargs):
        super().__init__(*args, **kwargs)
        words = rules.procedure_words(procedure)
        self.fields["decision"].choices = [("", "---------"), *rules.decision_choices(procedure)]
        if rules.is_public(procedure):
            self.fields["reasons"].label = "非公開の条項（例：情報公開条例第7条第2号）"
            self.fields["reasons"].help_text = f"複数あるときは読点（、）で区切ります。{REASONS_LIMIT}字まで。"
            self.fields["third_party_objection"].label = "第三者が反対意見書を提出（情報公開条例）"
            self.fields["reasons"].widget.attrs.pop("list", None)  # the 候補 are 個人情報保護法第78条's; the ordinance's are the city's own
        else:
            self.fields["reasons"].label = "不開示の条項（例：法第78条第1項第2号）"
            self.fields["reasons"].help_text = f"複数あるときは読点（、）で区切ります（候補から選べます）。{REASONS_LIMIT}字まで。"
            self.fields["third_party_objection"].label = "第三者が反対意見書を提出（個人情報保護法第86条）"
        self.fields["reason_text"].help_text = f"{words['開示']}しない部分とその理由を、通知書に書くとおりに。{REASON_TEXT_LIMIT:,}字まで。"


class ClockForm(forms.Form):
    kind = forms.ChoiceField(label="種類", choices=ClockKind.choices)
    start_on = WarekiDateField(label="補正を求めた日／延長・特例を通知した日")
    end_on = WarekiDateField(label="補正された日（補正のみ）", required=False)
    days = forms.IntegerField(label="延長日数（延長のみ・30日まで）", required=False, min_value=1)
    rest_due = WarekiDateField(label="残りの決定期限（特例のみ）", required=False)
    reason = _limited(CLOCK_REASON_LIMIT, 2, label="理由（延長・特例は通知書に記載）", required=False)


class CorrectionReturnedForm(VersionedForm):
    end_on = WarekiDateField(label="補正された日")


class WithdrawForm(VersionedForm):
    withdrawn_on = WarekiDateField(label="取下げの日（取下書を受け付けた日）")
    note = _limited(REASON_TEXT_LIMIT, 2, label="備考（取下げの理由など）", required=False)


class AppealForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Appeal
        fields = ["filed_on", "consulted_on", "reported_on", "ruled_on", "ruling", "redecided_on", "note"]
        field_classes = {f: WarekiDateField for f in ["filed_on", "consulted_on", "reported_on", "ruled_on", "redecided_on"]}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"note": f"{APPEAL_NOTE_LIMIT:,}字まで。"}


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label="通知書")
    issued_on = WarekiDateField(label="発出日")
    recipient = forms.CharField(label="宛先（空欄なら請求者。第三者への照会では必須）", max_length=120, required=False)
    opinion_due = WarekiDateField(label="意見書の提出期限（第三者への照会）", required=False)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds


class NoticeTemplateForm(VersionedForm):
    title = forms.CharField(label="表題", max_length=80)
    body = forms.CharField(label="本文", max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 12}))
    teaching = forms.CharField(label="教示", required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 8}))


class ClosureDayForm(forms.Form):
    date = WarekiDateField(label="日付")
    name = forms.CharField(label="名称（例：庁舎停電のため閉庁）", max_length=60)


# ---------------------------------------------------------------- a document's files and their redaction (issue 16)


class FileForm(forms.Form):
    file = forms.FileField(label="ファイル（PDF・Word・Excel・画像）",
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.tif,.tiff"}))


def _reason_choices(reasons: dict[str, str]) -> list[tuple[str, str]]:
    return [("", "---------"), *((code, f"{code}（{label}）") for code, label in reasons.items())]


class BoxForm(forms.Form):
    """A box by page and coordinates: the path without a mouse. Drawing on the page or selecting its words fills it."""

    page = forms.IntegerField(label="ページ", min_value=1)
    x0 = forms.FloatField(label="左端（pt）", min_value=0, help_text="ページの左上を原点に、ポイント（1/72インチ）で。")
    top = forms.FloatField(label="上端（pt）", min_value=0)
    x1 = forms.FloatField(label="右端（pt）", min_value=0)
    bottom = forms.FloatField(label="下端（pt）", min_value=0)
    reason_code = forms.ChoiceField(label="黒塗りの理由（条項）")
    source = forms.ChoiceField(choices=[("manual", "manual"), ("text", "text")], initial="manual", widget=forms.HiddenInput)
    text = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, reasons: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = _reason_choices(reasons)


class BoxChangeForm(VersionedForm):
    reason_code = forms.ChoiceField(label="理由（条項）", required=False)

    def __init__(self, *args, reasons: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = _reason_choices(reasons)


class BoxRemoveForm(VersionedForm):
    why = forms.CharField(label="取り消す理由", max_length=200, help_text="監査の記録に残ります。200字まで。")


class FileRemoveForm(VersionedForm):
    why = forms.CharField(label="削除する理由", max_length=200, help_text="監査の記録に残ります。200字まで。")


class TermForm(forms.Form):
    term = forms.CharField(label="探す語句（第三者の氏名など）", max_length=100, help_text="この請求のすべてのファイルから探し、候補にします。100字まで。")
    reason_code = forms.ChoiceField(label="理由（条項）", required=False)

    def __init__(self, *args, reasons: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = _reason_choices(reasons)
