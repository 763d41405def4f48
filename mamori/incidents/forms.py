from django import forms

from mamori.core.concurrency import VersionedForm
from mamori.core.forms import LongTextField, WarekiDateField
from mamori.core.models import UNIT_CHAIN, OrgUnit
from mamori.incidents.models import NOTE_LIMIT, SUMMARY_LIMIT, TEXT_LIMIT, Incident
from mamori.incidents.selectors import CLOCK_FILTERS, STATUS_FILTERS
from mamori.register.models import Program


class IncidentForm(VersionedForm, forms.ModelForm):
    program_codes = LongTextField(label="関係する事務事業の管理番号（1行に1つ。項目は管理簿から読み込みます）", limit=NOTE_LIMIT, required=False, rows=2)
    groups_text = LongTextField(label="本人の区分と人数（1行に「区分,人数」。例：児童生徒,12073）", limit=NOTE_LIMIT, rows=3)
    items_text = LongTextField(label="漏えい等した項目（空欄なら事務事業の項目すべて）", limit=TEXT_LIMIT, required=False, rows=2)
    summary = LongTextField(label="概要", limit=SUMMARY_LIMIT, rows=4)
    cause = LongTextField(label="原因", limit=TEXT_LIMIT, required=False)
    secondary_damage = LongTextField(label="二次被害の有無と内容", limit=TEXT_LIMIT, required=False)
    measures_done = LongTextField(label="講じた措置", limit=TEXT_LIMIT, required=False)
    measures_planned = LongTextField(label="再発防止策", limit=TEXT_LIMIT, required=False)
    notice_exception_reason = LongTextField(label="例外の理由・代替措置", limit=NOTE_LIMIT, required=False, rows=2)

    class Meta:
        model = Incident
        fields = ["title", "summary", "occurred_on", "learned_on", "unit", "contractor_name", "media", "cause", "malicious", "property_damage",
                  "encrypted", "recovered_unseen", "secondary_damage", "measures_done", "measures_planned", "sokuhou_on", "kakuhou_on",
                  "notice_method", "notice_on", "notice_exception", "notice_exception_reason", "published_on", "publish_note"]
        field_classes = {f: WarekiDateField for f in ["occurred_on", "learned_on", "sokuhou_on", "kakuhou_on", "notice_on", "published_on"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(active=True).select_related(UNIT_CHAIN)
        self.fields["unit"].label_from_instance = lambda u: u.label

    def clean(self):
        data = super().clean()
        groups = []
        for n, line in enumerate((data.get("groups_text") or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, _, count = line.replace("，", ",").partition(",")
            try:
                value = int(count.strip().replace(",", "").replace("人", ""))
            except ValueError:
                self.add_error("groups_text", f"{n}行目の人数「{count.strip()}」が数字ではありません。「区分,人数」で書いてください。")
                continue
            if value < 0:
                self.add_error("groups_text", f"{n}行目の人数は0以上で入力してください。")
            groups.append((name.strip(), value))
        data["groups"] = groups
        programs = []
        for code in (data.get("program_codes") or "").split():
            program = Program.objects.filter(code=code.strip()).select_related("current").first()
            if program is None:
                self.add_error("program_codes", f"管理番号「{code}」の事務事業がありません。")
            else:
                programs.append(program)
        data["programs"] = programs
        data["items"] = [i.strip() for i in (data.get("items_text") or "").replace("、", "\n").splitlines() if i.strip()]
        return data


class ConfirmForm(VersionedForm):
    """The office confirms the assessment it sees on the incident's page (or overrides it)."""

    override = forms.ChoiceField(label="判断", required=False, choices=[("", "評価のとおり"), ("yes", "報告する（上書き）"), ("no", "報告しない（上書き）")])
    note = LongTextField(label="上書きの理由", limit=NOTE_LIMIT, required=False, widget=forms.TextInput)


class IncidentFilterForm(forms.Form):
    q = forms.CharField(label="件名", required=False, max_length=100)
    clock = forms.ChoiceField(label="報告", required=False, choices=[("", "すべて"), *CLOCK_FILTERS.items()])
    status = forms.ChoiceField(label="確認", required=False, choices=[("", "すべて"), *STATUS_FILTERS.items()])
