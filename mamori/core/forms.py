from django import forms
from django.apps import apps
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from mamori.core import audit
from mamori.core.calendar import DateInputError, parse_date_input, wareki
from mamori.core.concurrency import StaleEdit, VersionedForm
from mamori.core.models import UNIT_CHAIN, AuditAction, Organ, OrgUnit, Role, UnitKind, User


def date_echo(value) -> tuple[str, bool]:
    """What a date field understood from the typed text, and whether it is an error (shown beside the field)."""
    try:
        day = parse_date_input(value) if isinstance(value, str) else value
    except DateInputError as exc:
        return str(exc), True
    if day is None:
        return "", False
    return f"{wareki(day, weekday=True)}（{day.year}年{day.month}月{day.day}日）と読みました。", False


class WarekiDateInput(forms.TextInput):
    """A date typed as a person writes it; shown in 和暦, with what was understood read back beside it
    (as the user types, through htmx on core:date_echo, and on every redisplay of the form)."""
    template_name = "core/widgets/wareki_date.html"

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "令和6年4月1日 / R6.4.1", "autocomplete": "off",
                          "class": "date-input", **(attrs or {})})

    def format_value(self, value):
        if value is None or value == "":
            return None
        return wareki(value) if hasattr(value, "year") else str(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        echo, failed = date_echo(value) if value not in (None, "") else ("", False)
        widget = context["widget"]
        widget["echo"], widget["echo_failed"] = echo, failed
        echo_id = f"{widget['attrs'].get('id', name)}_echo"
        widget["echo_id"] = echo_id
        described = widget["attrs"].get("aria-describedby", "")
        widget["attrs"]["aria-describedby"] = f"{described} {echo_id}".strip()
        return context


class WarekiDateField(forms.DateField):
    """Accepts 令和6年4月1日, R6.4.1, 令6.4.1, 2024-04-01, 2024/4/1 (core.calendar.parse_date_input);
    a date that does not exist gets a message that says why."""
    widget = WarekiDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value if not hasattr(value, "date") else value.date()
        try:
            return parse_date_input(str(value))
        except DateInputError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class LongTextField(forms.CharField):
    """A long text with a limit (issue 12): the limit is said beside the field and, when passed, in a
    message with the current length. The browser is not told (no maxlength): it would cut a pasted
    text silently, and what was typed must never be lost."""

    def __init__(self, *, limit: int, rows: int = 3, **kwargs):
        self.limit = limit
        hint = f"{limit:,}文字まで。"
        kwargs["help_text"] = f"{kwargs['help_text']}（{hint}）" if kwargs.get("help_text") else hint
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and len(value) > self.limit:
            raise forms.ValidationError(f"{self.limit:,}文字以内で入力してください（いまは{len(value):,}文字です）。", code="max_length")


def attach_errors(exc, *forms) -> None:
    """Put a service's ValidationError on the form(s) that own its fields (the first form gets the rest).
    A stale edit (core.concurrency) goes to the form that carries the version: it shows what changed."""
    if isinstance(exc, StaleEdit):
        target = next((f for f in forms if isinstance(f, VersionedForm)), None)
        if target is not None:
            target.refuse(exc)
            return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = next((f for f in forms if field in f.fields), None)
            for error in errors:
                (target or forms[0]).add_error(field if target else None, error)
    else:
        for message in exc.messages:
            forms[0].add_error(None, message)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "ユーザー名またはパスワードが正しくありません。入力を確認してください（大文字と小文字は区別されます）。",
        "inactive": "このアカウントは無効です。システム管理者に連絡してください。",
    }


class OTPForm(forms.Form):
    token = forms.RegexField(
        label="確認コード（6桁）", regex=r"^\d{6}$", max_length=6, strip=True,
        error_messages={"invalid": "確認コードは認証アプリに表示される6桁の数字です（空白やハイフンは入れません）。"},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )


def record_kinds() -> list[tuple[str, str]]:
    """Every kind of record of the project's apps, as (app_label.Model, its Japanese name), and the
    imports of exported data (core.transfer), in the order the apps define them."""
    kinds = [(m._meta.label, audit.kind_name(m._meta.label)) for m in apps.get_models() if m.__module__.startswith("mamori.")]
    return [*kinds, ("mamori.export", audit.kind_name("mamori.export"))]


def _kind_choices() -> list:
    """The kinds grouped by the app that keeps them (実施機関・組織…, 個人情報取扱管理簿, 請求…)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for label, name in record_kinds():
        app = label.split(".")[0]
        group = apps.get_app_config(app).verbose_name if app != "mamori" else apps.get_app_config("core").verbose_name
        groups.setdefault(str(group), []).append((label, name))
    return [("", "すべて"), *groups.items()]


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(label="実行者", queryset=User.objects.order_by("username"), required=False, empty_label="すべて")
    verb = forms.ChoiceField(label="操作", choices=[("", "すべて"), *AuditAction.choices], required=False)
    subject = forms.ChoiceField(label="記録の種類", choices=(), required=False,
                                help_text="その種類の記録と、それに属する記録（請求の文書・決定など）の操作を表示します。")
    q = forms.CharField(label="対象・内容・種類に含む語", required=False, max_length=100,
                        help_text="記録の名前、操作の内容、記録の種類（例：届出、委託契約）から探します。")
    object_id = forms.CharField(label="対象のID", required=False, max_length=64)
    date_from = WarekiDateField(label="期間（開始日）", required=False)
    date_to = WarekiDateField(label="期間（終了日）", required=False)
    # Not shown: the part of a kind's name (届出) or label (register) an older address may carry.
    model = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = _kind_choices()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "終了日は開始日以降の日付にしてください。")
        return data


class UserForm(VersionedForm, forms.ModelForm):
    password = forms.CharField(
        label="初期パスワード", required=False, widget=forms.PasswordInput(render_value=False),
        help_text="新規作成時のみ。本人は初回ログイン時に自分のパスワードに変更します。空欄ならパスワードなし（ログイン不可）で作成します。",
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "email", "role", "unit", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(active=True).select_related(UNIT_CHAIN)
        self.fields["unit"].label_from_instance = lambda u: u.label
        self.fields["role"].choices = Role.choices
        self.fields["password"].help_text += "".join(password_validation.password_validators_help_texts())

    def clean(self):
        data = super().clean()
        if data.get("role") in (Role.DEPT_STAFF, Role.DEPT_MANAGER) and not data.get("unit"):
            self.add_error("unit", "所管課の役割には所属を選んでください。")
        return data


class UnitCreateForm(forms.Form):
    organ = forms.ModelChoiceField(label="実施機関", queryset=None)
    kind = forms.ChoiceField(label="種別", choices=UnitKind.choices)
    parent = forms.ModelChoiceField(label="上位組織", queryset=None, required=False, help_text="部・実施機関直下の課は空欄にします。")
    code = forms.SlugField(label="組織コード", max_length=40, help_text="半角英数字とハイフン。書き出し・取込みで組織を指す名前です。")
    name = forms.CharField(label="名称", max_length=120)
    order = forms.IntegerField(label="表示順", min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = Organ.objects.all()
        self.fields["parent"].queryset = OrgUnit.objects.filter(active=True).select_related(UNIT_CHAIN)
        self.fields["parent"].label_from_instance = lambda u: u.label

    def clean_code(self):
        code = self.cleaned_data["code"]
        if OrgUnit.objects.filter(code=code).exists():
            raise forms.ValidationError("この組織コードはすでに使われています。別のコードにしてください。")
        return code


class OrganRemoveForm(VersionedForm):
    removed_on = WarekiDateField(label="実施機関から除く日（条例の施行日）", error_messages={"required": "実施機関から除く日を入力してください（例：令和6年3月25日）。"})


class UnitEditForm(VersionedForm):
    name = forms.CharField(label="名称", max_length=120)
    order = forms.IntegerField(label="表示順", min_value=0)
    active = forms.BooleanField(label="有効（無効にすると新しい届出で選べなくなります）", required=False)
