from django import forms

from mamori.core.calendar import fiscal_year_label
from mamori.core.concurrency import VersionedForm
from mamori.core.forms import LongTextField, WarekiDateField
from mamori.outsourcing.models import FINDING_LIMIT, NOTE_LIMIT, PROVISIONS_LIMIT, Certification, Contractor
from mamori.outsourcing.rules import (
    CERTIFICATION_FILTERS,
    CHECKLIST,
    COMMENT_LIMIT,
    DISPOSAL_METHODS,
    FINDING_FILTERS,
    FORMS,
    KINDS,
    METHODS,
    RESULTS,
    WARNINGS,
    checklist_problems,
    checklist_required,
)
from mamori.register.models import Program


def fiscal_year_choices(years) -> list[tuple[int, str]]:
    """令和6年度 … for the years given (the value stays the year it starts in)."""
    return [(y, fiscal_year_label(y)) for y in sorted(set(years), reverse=True)]


class ContractorForm(VersionedForm):
    name = forms.CharField(label="名称", max_length=200)
    corporate_number = forms.CharField(label="法人番号（13桁）", max_length=20, required=False)
    address = forms.CharField(label="所在地", max_length=200, required=False)
    contact = forms.CharField(label="連絡先", max_length=120, required=False)
    note = LongTextField(label="備考", limit=NOTE_LIMIT, required=False)


class CertificationForm(VersionedForm):
    kind = forms.ChoiceField(label="認証", choices=Certification.KIND_CHOICES)
    number = forms.CharField(label="登録番号", max_length=60, required=False)
    scope = forms.CharField(label="適用範囲", max_length=200, required=False)
    issued_on = WarekiDateField(label="取得日", required=False)
    expires_on = WarekiDateField(label="有効期限")


class ContractForm(VersionedForm):
    program = forms.ModelChoiceField(label="事務事業", queryset=Program.objects.none(), to_field_name="code")
    contractor = forms.ModelChoiceField(label="受注者", queryset=Contractor.objects.all())
    kind = forms.ChoiceField(label="種類", choices=list(KINDS.items()))
    parent = forms.IntegerField(label="元の契約の番号（再委託・再々委託）", required=False, min_value=1,
                                help_text="契約の一覧の「番号」です。委託・指定管理・賃貸借では空欄にします。")
    approved_on = WarekiDateField(label="再委託の書面承認日（特記事項第10条）", required=False,
                                  help_text="再委託・再々委託を書面で承認した日。承認書が届いてから記録することもできます。")
    title = forms.CharField(label="契約件名", max_length=200)
    work = LongTextField(label="業務の内容", limit=NOTE_LIMIT, required=False, rows=2)
    items = LongTextField(label="引き渡す記録項目（1行に1つ、管理簿の項目から）", limit=NOTE_LIMIT, required=False)
    starts_on = WarekiDateField(label="契約期間（開始）")
    ends_on = WarekiDateField(label="契約期間（終了）")

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs if programs is not None else Program.objects.filter(current__isnull=False)
        self.fields["program"].label_from_instance = lambda p: f"{p.code} {p.current.name}"
        self.fields["contractor"].queryset = Contractor.objects.order_by("name")

    @staticmethod
    def initial_for(contract) -> dict:
        return {"program": contract.program.code, "contractor": contract.contractor_id, "kind": contract.kind, "parent": contract.parent_id,
                "approved_on": contract.approved_on, "title": contract.title, "work": contract.work, "items": "\n".join(contract.items),
                "starts_on": contract.starts_on, "ends_on": contract.ends_on}


class InspectionForm(VersionedForm):
    """別紙4: the year's inspection and its 11 answers. Every answer typed comes back with the form; an item
    not ready (no answer, a 否 without its comment) is marked beside it (rules.checklist_problems)."""

    comment_help = f"各項目のコメントは{COMMENT_LIMIT:,}文字まで。「否」の項目には不適合の内容を書きます。"
    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int, choices=())
    method = forms.ChoiceField(label="確認方法", choices=list(METHODS.items()))
    inspected_on = WarekiDateField(label="検査実施日")
    city_inspectors = forms.CharField(label="発注者検査実施者（所属・職名・氏名）", max_length=200, required=False)
    contractor_staff = forms.CharField(label="受注者検査対応者（職名・氏名）", max_length=200, required=False)
    handled_info = forms.CharField(label="取り扱う個人情報の内容", max_length=300, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = fiscal_year_choices(years)
        for number, title, content, article in CHECKLIST:
            self.fields[f"r{number}"] = forms.ChoiceField(label=f"{number} {title}", choices=[("", "（未記入）"), *RESULTS.items()], required=False,
                                                          help_text=f"{content}{'（' + article + '関係）' if article else ''}")
            self.fields[f"c{number}"] = forms.CharField(label=f"{number} のコメント", required=False)

    def header_fields(self):
        return [self[name] for name in ("fiscal_year", "method", "inspected_on", "city_inspectors", "contractor_staff", "handled_info")]

    def checklist_rows(self):
        """(number, title, answer field, comment field) for the template's table of 11 items."""
        return [(number, title, self[f"r{number}"], self[f"c{number}"]) for number, title, *_ in CHECKLIST]

    def results(self) -> dict:
        d = self.cleaned_data
        return {str(n): {"result": d.get(f"r{n}") or "", "comment": d.get(f"c{n}", "")} for n, *_ in CHECKLIST if d.get(f"r{n}") or d.get(f"c{n}")}

    def clean(self):
        data = super().clean()
        if not all(f"r{n}" in data and f"c{n}" in data for n, *_ in CHECKLIST):
            return data
        marked = []
        for number, what, message in checklist_problems(self.results(), complete=checklist_required(data.get("method", ""))):
            self.add_error(f"{'r' if what == 'result' else 'c'}{number}", message)
            marked.append(number)
        if marked:
            self.add_error(None, f"別紙4の回答に直すところがあります（点検項目{'・'.join(str(n) for n in dict.fromkeys(marked))}）。"
                                 "印のある項目を直してから、もう一度記録してください。入力した回答はそのまま残っています。")
        return data

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {"results": self.results(), "base_version": d["base_version"],
                **{k: d[k] for k in ("fiscal_year", "method", "inspected_on", "city_inspectors", "contractor_staff", "handled_info")}}

    @staticmethod
    def initial_for(inspection) -> dict:
        initial = {k: getattr(inspection, k) for k in ("fiscal_year", "method", "inspected_on", "city_inspectors", "contractor_staff", "handled_info")}
        for number, *_ in CHECKLIST:
            entry = inspection.results.get(str(number)) or {}
            initial[f"r{number}"], initial[f"c{number}"] = entry.get("result", ""), entry.get("comment", "")
        return initial


class FindingForm(VersionedForm):
    action = LongTextField(label="是正措置", limit=FINDING_LIMIT, rows=2)
    due_on = WarekiDateField(label="是正期限", required=False)
    done_on = WarekiDateField(label="是正確認日", required=False)


class DisposalForm(VersionedForm):
    method = forms.ChoiceField(label="方法（特記事項第14条）", choices=list(DISPOSAL_METHODS.items()))
    done_on = WarekiDateField(label="実施日")
    person = forms.CharField(label="担当者名", max_length=120)
    detail = forms.CharField(label="方法の詳細", max_length=200, required=False)
    report_received_on = WarekiDateField(label="書面報告の受領日", required=False)


class IncidentForm(forms.Form):
    occurred_on = WarekiDateField(label="発生日", required=False)
    reported_on = WarekiDateField(label="報告を受けた日")
    summary = LongTextField(label="概要（特記事項第13条の報告）", limit=NOTE_LIMIT)


class ReceiptForm(forms.Form):
    form = forms.ChoiceField(label="様式", choices=list(FORMS.items()))
    received_on = WarekiDateField(label="受領日")
    name = forms.CharField(label="別紙3：個人情報の名称", max_length=200, required=False)
    media = forms.ChoiceField(label="別紙3：記録の媒体", required=False, choices=[("", "—"), ("紙", "紙"), ("ＣＤ", "ＣＤ"), ("その他", "その他")])
    media_other = forms.CharField(label="別紙3：その他の媒体", max_length=100, required=False)
    place = forms.CharField(label="別紙3：保管場所", max_length=200, required=False)
    return_on = WarekiDateField(label="別紙3：返還（消去・廃棄）予定日", required=False)

    def service_fields(self) -> dict:
        d = self.cleaned_data
        details = {}
        if d["form"] == "3":
            details = {"name": d["name"], "media": d["media"] or "", "media_other": d["media_other"], "place": d["place"],
                       "return_on": d["return_on"].isoformat() if d["return_on"] else None}
        return {"form": d["form"], "received_on": d["received_on"], "details": details}


# ---------------------------------------------------------------- the lists' filters (GET)


class ContractFilterForm(forms.Form):
    q = forms.CharField(label="受注者・契約件名・事務事業", required=False, max_length=100)
    kind = forms.ChoiceField(label="種類", required=False, choices=[("", "すべて"), *KINDS.items()])
    warning = forms.ChoiceField(label="要対応", required=False, choices=[("", "すべて"), *WARNINGS.items()])
    period = forms.ChoiceField(label="契約期間", required=False, choices=[("", "すべて"), ("current", "契約期間中"), ("ended", "終了した契約"), ("future", "開始前")])


class ContractorFilterForm(forms.Form):
    q = forms.CharField(label="名称・法人番号", required=False, max_length=100)
    cert = forms.ChoiceField(label="認証", required=False, choices=[("", "すべて"), *CERTIFICATION_FILTERS.items(), ("none", "認証の登録がない事業者")])


class InspectionFilterForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None, choices=())
    method = forms.ChoiceField(label="確認方法", required=False, choices=[("", "すべて"), *METHODS.items()])
    findings = forms.ChoiceField(label="指摘事項", required=False, choices=[("", "すべて"), *FINDING_FILTERS.items()])

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [("", "すべて"), *fiscal_year_choices(years)]


class SpecialProvisionsForm(forms.Form):
    """A new edition of the 特記事項: its 施行日 and its text, one paragraph a line."""
    in_force_on = WarekiDateField(label="施行日")
    note = forms.CharField(label="改正の内容・備考", max_length=200, required=False)
    body = LongTextField(label="本文", limit=PROVISIONS_LIMIT, rows=18, help_text="見出し（基本的事項）、第１条…、項（２…）、号（(1)…）をそれぞれ1行に")
