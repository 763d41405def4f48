from django import forms
from django.contrib.auth.forms import AuthenticationForm

from mamori.core.models import UNIT_CHAIN, OrgUnit, Role, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "ユーザー名またはパスワードが正しくありません。入力を確認してください（大文字と小文字は区別されます）。",
        "inactive": "このアカウントは無効です。システム管理者に連絡してください。",
    }


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(label="実行者", queryset=User.objects.order_by("username"), required=False)
    model = forms.CharField(label="対象の種類", required=False)
    object_id = forms.CharField(label="対象ID", required=False)
    q = forms.CharField(label="対象・内容に含む語", required=False)
    date_from = forms.DateField(label="期間（開始日）", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="期間（終了日）", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "終了日は開始日以降の日付にしてください。")
        return data


class UserForm(forms.ModelForm):
    password = forms.CharField(
        label="初期パスワード", required=False, widget=forms.PasswordInput(render_value=False),
        help_text="新規作成時のみ。空欄ならパスワードなし（ログイン不可）で作成します。",
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "email", "role", "unit", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(active=True).select_related(UNIT_CHAIN)
        self.fields["unit"].label_from_instance = lambda u: u.label
        self.fields["role"].choices = Role.choices

    def clean(self):
        data = super().clean()
        if data.get("role") in (Role.DEPT_STAFF, Role.DEPT_MANAGER) and not data.get("unit"):
            self.add_error("unit", "所管課の役割には所属を選んでください。")
        return data
