import datetime

from django import forms

from mamori.core.forms import WarekiDateField
from mamori.impact.selectors import KINDS

HELP = {
    "contractor": "名称（一部でも）または法人番号（13桁）。再委託・再々委託で受けている契約も含めます。",
    "item": "語彙の項目名。同義語（例：メールアドレス）でも同じ結果になります。",
    "program": "管理番号または事務事業名。目的外利用で渡った先の事務事業もたどります。",
    "recipient": "外部提供先の名称（一部でも）。",
    "partner": "オンライン結合の相手先の名称（一部でも）。",
}


class AskForm(forms.Form):
    kind = forms.ChoiceField(label="何から調べるか", choices=list(KINDS.items()), initial="contractor", widget=forms.RadioSelect)
    value = forms.CharField(label="名称・番号", max_length=200,
                            help_text="調べる相手を選ぶと、候補が表示されます。", widget=forms.TextInput(attrs={"list": "impact-suggestions", "autocomplete": "off"}))
    on = WarekiDateField(label="基準日", required=False, help_text="この日に期間内の契約だけを数えます（空欄なら今日）。")

    def clean_on(self):
        return self.cleaned_data.get("on") or datetime.date.today()


class MapForm(forms.Form):
    unit = forms.TypedChoiceField(label="担当（下の組織を含む）", coerce=int, required=False, empty_value=None)
    item = forms.CharField(label="記録項目を含む", max_length=120, required=False)
    sensitive = forms.BooleanField(label="要配慮個人情報を含む", required=False)
    my_number = forms.BooleanField(label="個人番号を含む", required=False)
    on = WarekiDateField(label="基準日（契約）", required=False)
    only = forms.BooleanField(label="影響範囲の事務事業だけを表示", required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "すべて"), *units]

    def clean_on(self):
        return self.cleaned_data.get("on") or datetime.date.today()
