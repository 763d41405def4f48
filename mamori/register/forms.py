"""Forms: the 届出 editor (basic fields, 本人の範囲 and flows) and the vocabulary."""
import re

from django import forms
from django.forms import formset_factory

from mamori.core.concurrency import VersionedForm
from mamori.core.forms import LongTextField, WarekiDateField
from mamori.core.models import OrgUnit
from mamori.register.models import PARTY_FLOW_KINDS, PROGRAM_FLOW_KINDS, FlowKind, Item, ItemCategory, NotificationKind, Program, name_key
from mamori.register.vocabulary import join_items, split_items

ITEMS_HELP = "「氏名」、「住所」のように読点（、）または改行で区切って入力します。"


# One long-text field for the whole project (core.forms.LongTextField): the limit stated, no maxlength.
LimitedText = LongTextField


ITEM_NAME_LIMIT = 120  # Item.name, GroupItem.written_name
PARTY_LIMIT = 200  # Flow.party, ProgramVersion.name


def too_long(names: list[str], limit: int, what: str) -> str | None:
    """The message for the names longer than a record can hold (each one, not the whole text)."""
    long = [n for n in names if len(n) > limit]
    if not long:
        return None
    shown = "、".join(f"「{n[:15]}…」（{len(n):,}文字）" for n in long[:3])
    return f"{what}は1つ{limit:,}文字以内にしてください：{shown}。区切り（、や改行）が抜けていないかも確かめてください。"


class NotificationHeadForm(VersionedForm):
    reason = LimitedText(label="理由及び経緯", limit=2000, widget=forms.Textarea(attrs={"rows": 5}))
    content = LimitedText(label="内容", limit=4000, widget=forms.Textarea(attrs={"rows": 6}))
    effective_date = WarekiDateField(
        label="適用年月日",
        help_text="新規は開始日、変更は変更日、廃止は廃止日です。届出はその日より前に行います。",
    )


class ProgramForm(forms.Form):
    name = forms.CharField(label="事務事業名", max_length=200)
    unit = forms.ModelChoiceField(label="担当", queryset=OrgUnit.objects.none(), to_field_name="code")
    purpose = LimitedText(label="利用目的", limit=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = LimitedText(label="根拠法令", limit=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    computerized = forms.BooleanField(label="電算処理", required=False)
    manual = forms.BooleanField(label="マニュアル処理（紙など）", required=False)
    retention = forms.CharField(label="保存期間", max_length=60, required=False)
    person_count = forms.IntegerField(label="本人の数（概数）", min_value=0, required=False)
    started_on = WarekiDateField(label="開始年月日", required=False)
    special_procedures = LimitedText(label="訂正・利用停止の特別の手続", limit=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = LimitedText(label="備考", limit=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.all()
        self.fields["unit"].label_from_instance = lambda u: u.label

    def clean(self):
        data = super().clean()
        if not data.get("computerized") and not data.get("manual"):
            self.add_error("computerized", "電算処理かマニュアル処理の少なくとも一方を選んでください。")
        return data


class GroupForm(forms.Form):
    name = forms.CharField(label="本人の範囲", max_length=120, required=False, help_text="例：相談者、相談員")
    items = LimitedText(label="記録項目", limit=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=ITEMS_HELP)
    note = forms.CharField(label="備考", max_length=255, required=False)

    def clean(self):
        data = super().clean()
        if data.get("items", "").strip() and not data.get("name", "").strip():
            self.add_error("name", "記録項目を入力した本人の範囲には名前を付けてください（例：相談者）。")
        message = too_long(split_items(data.get("items", "")), ITEM_NAME_LIMIT, "記録項目")
        if message:
            self.add_error("items", message)
        return data


class FlowForm(forms.Form):
    kind = forms.ChoiceField(label="種別", choices=[("", "（選択してください）"), *FlowKind.choices], required=False)
    program = forms.CharField(
        label="相手の事務事業", max_length=200, required=False,
        help_text="目的外利用・他の事務事業への提供のとき、事務事業名または管理番号を入力します。",
        widget=forms.TextInput(attrs={"list": "program-names"}),
    )
    party = forms.CharField(
        label="相手先", max_length=200, required=False,
        help_text="他機関・他市町村、外部提供先、委託先（例：アデコ株式会社）、オンライン結合の相手。",
    )
    purpose = LimitedText(label="目的・内容", limit=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    items = LimitedText(label="項目", limit=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=ITEMS_HELP)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        filled = any((data.get(k) or "").strip() for k in ("program", "party", "purpose", "items"))
        if not kind:
            if filled:
                self.add_error("kind", "種別を選んでください。")
            return data
        if kind in PROGRAM_FLOW_KINDS:
            text = (data.get("program") or "").strip()
            program = resolve_program(text)
            if not text:
                self.add_error("program", "相手の事務事業を入力してください。")
            elif program is None:
                self.add_error("program", f"事務事業「{text}」が登録簿に見つかりません。名称または管理番号（例：P00012）を確認してください。")
            else:
                data["program_code"] = program.code
        if kind in PARTY_FLOW_KINDS and not (data.get("party") or "").strip():
            self.add_error("party", f"{FlowKind(kind).label}の相手先を入力してください。")
        message = too_long(split_items(data.get("items", "")), ITEM_NAME_LIMIT, "項目")
        if message:
            self.add_error("items", message)
        return data


def resolve_program(text: str) -> Program | None:
    text = (text or "").strip()
    if not text:
        return None
    by_code = Program.objects.filter(code__iexact=text).first()
    if by_code:
        return by_code
    key = name_key(text)
    for program in Program.objects.filter(current__name__icontains=text.strip()[:20]).select_related("current"):
        if name_key(program.current.name) == key:
            return program
    return None


GroupFormSet = formset_factory(GroupForm, extra=2)
FlowFormSet = formset_factory(FlowForm, extra=3)


def initial_from_proposed(proposed: dict) -> tuple[dict, list[dict], list[dict]]:
    """Form initial data from the version JSON shape."""
    program_names = {p.code: p.current.name for p in Program.objects.filter(
        code__in=[f.get("program") for f in proposed.get("flows") or [] if f.get("program")]
    ).select_related("current") if p.current_id}
    head = {k: proposed.get(k) for k in ProgramForm.base_fields}
    groups = [{"name": g["name"], "note": g.get("note", ""), "items": join_items(g.get("items") or [])} for g in proposed.get("groups") or []]
    flows = [
        {
            "kind": f["kind"],
            "program": program_names.get(f.get("program"), f.get("program") or ""),
            "party": f.get("party") or "",
            "purpose": f.get("purpose") or "",
            "items": join_items(f.get("items") or []),
        }
        for f in proposed.get("flows") or []
    ]
    return head, groups, flows


def proposed_from_forms(program_form: ProgramForm, groups: GroupFormSet, flows: FlowFormSet) -> dict:
    d = program_form.cleaned_data
    proposed = {
        "name": d["name"].strip(),
        "unit": d["unit"].code,
        "purpose": d["purpose"],
        "legal_basis": d["legal_basis"],
        "computerized": d["computerized"],
        "manual": d["manual"],
        "retention": d["retention"],
        "person_count": d["person_count"],
        "started_on": d["started_on"].isoformat() if d.get("started_on") else None,
        "abolished_on": None,
        "special_procedures": d["special_procedures"],
        "note": d["note"],
        "groups": [],
        "flows": [],
    }
    for g in groups.cleaned_data:
        if g and (g.get("name") or "").strip():
            proposed["groups"].append({"name": g["name"].strip(), "note": g.get("note", ""), "items": split_items(g.get("items", ""))})
    for f in flows.cleaned_data:
        if f and f.get("kind"):
            proposed["flows"].append(
                {
                    "kind": f["kind"],
                    "program": f.get("program_code") if f["kind"] in PROGRAM_FLOW_KINDS else None,
                    "party": (f.get("party") or "").strip() if f["kind"] not in PROGRAM_FLOW_KINDS else "",
                    "purpose": f.get("purpose", ""),
                    "items": split_items(f.get("items", "")),
                }
            )
    return proposed


class NewNotificationForm(forms.Form):
    kind = forms.ChoiceField(label="届出の種類", choices=NotificationKind.choices, widget=forms.RadioSelect)
    program = forms.CharField(
        label="変更・廃止する事務事業", required=False, widget=forms.TextInput(attrs={"list": "program-names"}),
        help_text="変更・廃止のとき、事務事業名または管理番号を入力します。",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") in (NotificationKind.CHANGE, NotificationKind.ABOLISH):
            program = resolve_program(data.get("program", ""))
            if program is None:
                self.add_error("program", "変更・廃止する事務事業を登録簿から選んでください（名称または管理番号）。")
            data["program_obj"] = program
        return data


class ActionForm(VersionedForm):
    comment = LimitedText(label="コメント（差し戻すときは修正してほしい点）", limit=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ItemForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Item
        fields = ["name", "category", "sensitive", "my_number", "alias_of", "reviewed", "note"]
        help_texts = {
            "alias_of": "この名前が別の項目の言い換え（同義語）のときに選びます。要配慮などの区分はその項目に従います。",
            "reviewed": "届出で初めて使われた項目名は未確認として一覧に表示されます。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alias_of"].queryset = Item.objects.filter(alias_of__isnull=True, reviewed=True).exclude(pk=self.instance.pk)
        self.fields["category"].queryset = ItemCategory.objects.all()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n、]", text or "") if line.strip()]


class ImportedReviewForm(VersionedForm):
    """The office's corrections to what was read from a document."""

    kind = forms.ChoiceField(label="届出の種類", choices=NotificationKind.choices)
    program_name = forms.CharField(label="事務事業名", max_length=200)
    department_action = forms.ChoiceField(label="文書の担当が組織にありません", required=False, widget=forms.RadioSelect, choices=())
    unit = forms.ModelChoiceField(label="担当", queryset=OrgUnit.objects.none(), required=False,
                                  help_text="文書の担当にあたる組織を選びます。")
    effective_date = WarekiDateField(label="適用年月日")
    reason = LimitedText(label="理由及び経緯", limit=2000, widget=forms.Textarea(attrs={"rows": 5}))
    content = LimitedText(label="内容", limit=4000, widget=forms.Textarea(attrs={"rows": 8}))
    items = LimitedText(label="記録項目（1行に1つ）", limit=4000, required=False, widget=forms.Textarea(attrs={"rows": 6}))
    reuse_sources = LimitedText(label="目的外利用の収集元の事務事業（1行に1つ）", limit=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    provided_to = LimitedText(label="提供先（1行に1つ）", limit=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contractors = LimitedText(label="委託先（1行に1つ）", limit=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    online_partners = LimitedText(label="オンライン結合の相手（1行に1つ）", limit=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text="委託先ではなく、オンライン結合で結ぶ相手です。")
    uses_my_number = forms.BooleanField(label="マイナンバー（特定個人情報）を利用する", required=False)
    online_link = forms.BooleanField(label="オンライン結合がある", required=False)

    LIST_FIELDS = ("items", "reuse_sources", "provided_to", "contractors", "online_partners")
    CREATE, CHOOSE = "create", "choose"

    def __init__(self, *args, create_label: str | None = None, **kwargs):
        """``create_label``: what 「文書のとおり作成」 would create, when the document's 担当 is not in the
        organisation; the office then decides, by choice, to create it or to map it to an existing unit."""
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(active=True).select_related("parent__parent__parent")
        self.fields["unit"].label_from_instance = lambda u: u.label
        if create_label:
            self.fields["department_action"].choices = [
                (self.CREATE, f"文書のとおり組織を作成して担当にする（{create_label}）"),
                (self.CHOOSE, "既存の組織を担当にする（下の「担当」で選ぶ）"),
            ]
        else:
            del self.fields["department_action"]

    def clean(self):
        data = super().clean()
        if data.get("department_action") == self.CHOOSE and not data.get("unit"):
            self.add_error("unit", "担当にする既存の組織を選んでください。")
        for name, limit, what in (("items", ITEM_NAME_LIMIT, "記録項目"), ("reuse_sources", PARTY_LIMIT, "事務事業名"),
                                  ("provided_to", PARTY_LIMIT, "提供先"), ("contractors", PARTY_LIMIT, "委託先"),
                                  ("online_partners", PARTY_LIMIT, "オンライン結合の相手")):
            message = too_long(_lines(data.get(name, "")), limit, what)
            if message:
                self.add_error(name, message)
        return data

    @property
    def creates_units(self) -> bool:
        return self.cleaned_data.get("department_action") == self.CREATE

    @classmethod
    def initial_for(cls, n) -> dict:
        e = n.extracted
        return {
            "kind": n.kind, "program_name": e.get("program", ""), "unit": n.unit, "effective_date": n.effective_date,
            "reason": n.reason, "content": n.content, "uses_my_number": e.get("uses_my_number"), "online_link": e.get("online_link"),
            "department_action": cls.CHOOSE if n.unit_id else "",
            **{f: "\n".join(e.get(f, [])) for f in cls.LIST_FIELDS},
        }

    def service_fields(self) -> dict:
        d = self.cleaned_data
        out = {k: d[k] for k in ("kind", "program_name", "effective_date", "reason", "content", "uses_my_number", "online_link")}
        out.update({f: _lines(d[f]) for f in self.LIST_FIELDS})
        return out
