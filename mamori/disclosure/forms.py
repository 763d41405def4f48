from django import forms

from mamori.core.concurrency import VersionedForm
from mamori.core.forms import WarekiDateField
from mamori.core.models import UNIT_CHAIN, Organ, OrgUnit
from mamori.disclosure.models import Appeal, Channel, ClockKind, Decision, NoticeKind, Procedure, RequesterKind, RequesterRole
from mamori.disclosure.notices import TEXT_LIMIT


def _units():
    return OrgUnit.objects.filter(active=True, kind__in=["section", "unit", "team"]).select_related(UNIT_CHAIN)


class RequestForm(forms.Form):
    procedure = forms.ChoiceField(label="手続", choices=Procedure.choices)
    organ = forms.ModelChoiceField(label="実施機関", queryset=Organ.objects.all())
    departments = forms.ModelMultipleChoiceField(label="担当課（複数可）", queryset=OrgUnit.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8}))
    received_on = WarekiDateField(label="受付日")
    channel = forms.ChoiceField(label="受付方法", choices=Channel.choices)
    requester_role = forms.ChoiceField(label="請求者の区分", choices=RequesterRole.choices)
    requester_kind = forms.ChoiceField(label="請求者の種別", choices=RequesterKind.choices)
    requester_name = forms.CharField(label="請求者の氏名・名称", max_length=120)
    requester_address = forms.CharField(label="請求者の住所・所在地", max_length=200, required=False)
    requester_contact = forms.CharField(label="請求者の連絡先", max_length=120, required=False)
    subject = forms.CharField(label="請求の内容", widget=forms.Textarea(attrs={"rows": 3}))
    documents = forms.CharField(label="対象の文書（1行に1件・最初の担当課に割り当て）", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="後から請求の画面で担当課ごとに追加できます。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = _units()
        self.fields["departments"].label_from_instance = lambda u: u.label

    def clean(self):
        data = super().clean()
        if data.get("procedure", "").startswith("personal") and data.get("requester_role") == RequesterRole.OTHER:
            self.add_error("requester_role", "保有個人情報の請求では、本人・法定代理人・任意代理人のいずれかを選んでください。")
        return data


class DocumentForm(forms.Form):
    department = forms.ModelChoiceField(label="担当課", queryset=OrgUnit.objects.none())
    title = forms.CharField(label="文書の件名", max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _units()
        self.fields["department"].label_from_instance = lambda u: u.label


class DecisionForm(VersionedForm):
    decision = forms.ChoiceField(label="決定", choices=[("", "（選択）"), *Decision.choices])
    decided_on = WarekiDateField(label="決定日")
    reasons = forms.CharField(label="不開示の条項（例：法第78条第1項第2号）", required=False, widget=forms.TextInput(attrs={"list": "reason-codes"}),
                              help_text="複数あるときは読点（、）で区切ります。公文書は情報公開条例の条項を書きます。")
    reason_text = forms.CharField(label="理由の説明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    after_ruling = forms.BooleanField(label="審査会の答申に基づく裁決後の決定", required=False)
    third_party_objection = forms.BooleanField(label="第三者が反対意見書を提出（法第86条）", required=False)


class ClockForm(forms.Form):
    kind = forms.ChoiceField(label="種類", choices=ClockKind.choices)
    start_on = WarekiDateField(label="補正を求めた日／延長・特例を通知した日")
    end_on = WarekiDateField(label="補正された日（補正のみ）", required=False)
    days = forms.IntegerField(label="延長日数（延長のみ・30日まで）", required=False, min_value=1)
    rest_due = WarekiDateField(label="残りの決定期限（特例のみ）", required=False)
    reason = forms.CharField(label="理由（延長・特例は通知書に記載）", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Appeal
        fields = ["filed_on", "consulted_on", "reported_on", "ruled_on", "ruling", "redecided_on", "note"]
        field_classes = {f: WarekiDateField for f in ["filed_on", "consulted_on", "reported_on", "ruled_on", "redecided_on"]}


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label="通知書", choices=NoticeKind.choices)
    issued_on = WarekiDateField(label="発出日")
    recipient = forms.CharField(label="宛先（空欄なら請求者。第三者への照会では必須）", max_length=120, required=False)
    opinion_due = WarekiDateField(label="意見書の提出期限（第三者への照会）", required=False)


class NoticeTemplateForm(VersionedForm):
    title = forms.CharField(label="表題", max_length=80)
    body = forms.CharField(label="本文", max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 12}))
    teaching = forms.CharField(label="教示", required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 8}))


class ClosureDayForm(forms.Form):
    date = WarekiDateField(label="日付")
    name = forms.CharField(label="名称（例：庁舎停電のため閉庁）", max_length=60)
