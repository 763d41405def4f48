from django import forms

from mamori.core.concurrency import VersionedForm
from mamori.core.forms import WarekiDateField
from mamori.outsourcing.models import Contractor
from mamori.outsourcing.rules import CHECKLIST, DISPOSAL_METHODS, FORMS, KINDS, METHODS, RESULTS
from mamori.register.models import Program


class ContractorForm(VersionedForm):
    name = forms.CharField(label="名称", max_length=200)
    corporate_number = forms.CharField(label="法人番号（13桁）", max_length=20, required=False)
    address = forms.CharField(label="所在地", max_length=200, required=False)
    contact = forms.CharField(label="連絡先", max_length=120, required=False)


class CertificationForm(forms.Form):
    kind = forms.ChoiceField(label="認証", choices=[("pmark", "プライバシーマーク"), ("isms", "ISMS（ISO/IEC 27001）")])
    number = forms.CharField(label="登録番号", max_length=60, required=False)
    scope = forms.CharField(label="適用範囲", max_length=200, required=False)
    issued_on = WarekiDateField(label="取得日", required=False)
    expires_on = WarekiDateField(label="有効期限")


class ContractForm(forms.Form):
    program = forms.ModelChoiceField(label="事務事業", queryset=Program.objects.none(), to_field_name="code")
    contractor = forms.ModelChoiceField(label="受注者", queryset=Contractor.objects.all())
    kind = forms.ChoiceField(label="種類", choices=list(KINDS.items()))
    parent = forms.IntegerField(label="元の契約の番号（再委託・再々委託）", required=False)
    approved_on = WarekiDateField(label="再委託の書面承認日（特記事項第10条）", required=False)
    title = forms.CharField(label="契約件名", max_length=200)
    work = forms.CharField(label="業務の内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    items = forms.CharField(label="引き渡す記録項目（1行に1つ、管理簿の項目から）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = WarekiDateField(label="契約期間（開始）")
    ends_on = WarekiDateField(label="契約期間（終了）")

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs if programs is not None else Program.objects.filter(current__isnull=False)
        self.fields["program"].label_from_instance = lambda p: f"{p.code} {p.current.name}"


class InspectionForm(forms.Form):
    fiscal_year = forms.IntegerField(label="年度（西暦の開始年）", min_value=2000, max_value=2100)
    method = forms.ChoiceField(label="確認方法", choices=list(METHODS.items()))
    inspected_on = WarekiDateField(label="検査実施日")
    city_inspectors = forms.CharField(label="発注者検査実施者（所属・職名・氏名）", required=False)
    contractor_staff = forms.CharField(label="受注者検査対応者（職名・氏名）", required=False)
    handled_info = forms.CharField(label="取り扱う個人情報の内容", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, title, content, article in CHECKLIST:
            self.fields[f"r{number}"] = forms.ChoiceField(label=f"{number} {title}", choices=[("", "（未記入）"), *RESULTS.items()], required=False,
                                                          help_text=f"{content}{'（' + article + '関係）' if article else ''}")
            self.fields[f"c{number}"] = forms.CharField(label=f"{number} のコメント", required=False)

    def results(self) -> dict:
        d = self.cleaned_data
        return {str(n): {"result": d.get(f"r{n}") or "", "comment": d.get(f"c{n}", "")} for n, *_ in CHECKLIST if d.get(f"r{n}") or d.get(f"c{n}")}


class FindingForm(VersionedForm):
    action = forms.CharField(label="是正措置", widget=forms.Textarea(attrs={"rows": 2}))
    due_on = WarekiDateField(label="是正期限", required=False)
    done_on = WarekiDateField(label="是正確認日", required=False)


class DisposalForm(forms.Form):
    method = forms.ChoiceField(label="方法（特記事項第14条）", choices=list(DISPOSAL_METHODS.items()))
    done_on = WarekiDateField(label="実施日")
    person = forms.CharField(label="担当者名", max_length=120)
    detail = forms.CharField(label="方法の詳細", max_length=200, required=False)
    report_received_on = WarekiDateField(label="書面報告の受領日", required=False)


class IncidentForm(forms.Form):
    occurred_on = WarekiDateField(label="発生日", required=False)
    reported_on = WarekiDateField(label="報告を受けた日")
    summary = forms.CharField(label="概要（特記事項第13条の報告）", widget=forms.Textarea(attrs={"rows": 3}))


class ReceiptForm(forms.Form):
    form = forms.ChoiceField(label="様式", choices=list(FORMS.items()))
    received_on = WarekiDateField(label="受領日")
    name = forms.CharField(label="別紙3：個人情報の名称", required=False)
    media = forms.ChoiceField(label="別紙3：記録の媒体", required=False, choices=[("", "—"), ("紙", "紙"), ("ＣＤ", "ＣＤ"), ("その他", "その他")])
    media_other = forms.CharField(label="別紙3：その他の媒体", required=False)
    place = forms.CharField(label="別紙3：保管場所", required=False)
    return_on = WarekiDateField(label="別紙3：返還（消去・廃棄）予定日", required=False)

    def service_fields(self) -> dict:
        d = self.cleaned_data
        details = {}
        if d["form"] == "3":
            details = {"name": d["name"], "media": d["media"] or "", "media_other": d["media_other"], "place": d["place"],
                       "return_on": d["return_on"].isoformat() if d["return_on"] else None}
        return {"form": d["form"], "received_on": d["received_on"], "details": details}
