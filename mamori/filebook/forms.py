from django import forms

from mamori.core.concurrency import VersionedForm
from mamori.core.models import UNIT_CHAIN, Organ, OrgUnit
from mamori.filebook import rules
from mamori.filebook.selectors import STATUSES
from mamori.register.models import Program

EXEMPTION_CHOICES = [("", "適用除外に当たらない（本人の数で判定する）")] + [
    (code, f"{rules.EXEMPTIONS[code][0]}：{rules.EXEMPTIONS[code][1]}") for code in rules.CLAIMABLE
]


class ProgramChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, p):
        return f"{p.code} {p.current.name}（{p.current.unit.name}）" + ("・廃止" if p.current.abolished_on else "")


def _programs_field(**kwargs) -> ProgramChoice:
    return ProgramChoice(
        label="記録を持つ事務事業", queryset=Program.objects.filter(current__isnull=False).select_related("current__unit").order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="このファイルに記録を持つ管理簿の事務事業（複数選べます。Ctrl キーを押しながら選びます）。記録項目・要配慮・提供先などは、選んだ事務事業の現行の版から表示します。",
        error_messages={"required": "このファイルが記録を持つ事務事業を1つ以上選んでください。"}, **kwargs)


class FileForm(VersionedForm):
    """What the file itself records (filebook.models.PersonalFile): the rest comes from the register."""

    programs = _programs_field()
    name = forms.CharField(label="個人情報ファイルの名称", max_length=200, required=False,
                           help_text="法第74条第1項第1号。空欄なら「（最初の事務事業名）ファイル」とします。")
    scope_text = forms.CharField(label="記録範囲（文言）", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text="法第74条第1項第4号。空欄なら管理簿の本人の範囲を並べます。")
    collection_text = forms.CharField(label="収集方法（文言）", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text="法第74条第1項第5号。空欄なら管理簿の収集（本人から・他機関から・目的外利用）から文にします。")
    note = forms.CharField(label="備考（庁内用・公表しません）", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NewFileForm(forms.Form):
    programs = _programs_field()
    name = FileForm.base_fields["name"]
    scope_text = FileForm.base_fields["scope_text"]
    collection_text = FileForm.base_fields["collection_text"]
    note = FileForm.base_fields["note"]


class DecideForm(VersionedForm):
    """The facts only the office knows, on which the rule (filebook.rules.assess) decides."""

    exemption = forms.ChoiceField(label="適用除外", choices=EXEMPTION_CHOICES, required=False,
                                  help_text="法第75条第2項（第74条第2項各号）・第3項。本人の数による除外（第74条第2項第9号）は自動で判定します。")
    exemption_note = forms.CharField(label="適用除外とする理由", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                     help_text="適用除外を選んだときは必須。どの記録がその号に当たるかを書きます（庁内用）。")
    person_count = forms.IntegerField(label="本人の数（重複を除く）", min_value=0, required=False,
                                      help_text="複数の事務事業にまたがるファイルで、管理簿の本人の数から決まらないときだけ入力します（公表しません）。",
                                      error_messages={"min_value": "本人の数は0以上の整数で入力してください。", "invalid": "本人の数は整数で入力してください（例：1200）。"})


class PublishForm(VersionedForm):
    shown = forms.CharField(widget=forms.HiddenInput, required=False)


class FilterForm(forms.Form):
    q = forms.CharField(label="名称・ファイル番号", required=False, widget=forms.TextInput(attrs={"type": "search"}))
    organ = forms.ModelChoiceField(label="実施機関", queryset=Organ.objects.all(), required=False, empty_label="すべて")
    unit = forms.TypedChoiceField(label="組織", choices=(), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label="種別（電算・マニュアル）", choices=[("", "すべて"), *rules.KIND_LABELS.items()], required=False)
    status = forms.ChoiceField(label="状態", choices=[("", "すべて"), *STATUSES.items()], required=False)
    sensitive = forms.BooleanField(label="要配慮個人情報を含む", required=False)
    overdue = forms.BooleanField(label="公表期限を過ぎたもの", required=False)
    unconfirmed = forms.BooleanField(label="判定の確認が必要なもの", required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units if units is not None else OrgUnit.objects.select_related(UNIT_CHAIN)
        self.fields["unit"].choices = [("", "すべて"), *OrgUnit.choices_for(units)]
