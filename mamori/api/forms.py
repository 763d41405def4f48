import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from mamori.api.models import Scope
from mamori.core.calendar import wareki
from mamori.core.forms import WarekiDateField


class TokenForm(forms.Form):
    name = forms.CharField(label="名前（何に使うか）", max_length=80, help_text="例：財務会計システム連携。一覧で見分けるための名前です。")
    scope = forms.ChoiceField(label="権限", choices=Scope.choices, initial=Scope.READ, widget=forms.RadioSelect,
                              help_text="書き込み（届出の作成・提出など）をしない連携には「読み取りのみ」を選んでください。")
    expires_on = WarekiDateField(label="有効期限")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        most = today + datetime.timedelta(days=settings.MAMORI_API_TOKEN_MAX_DAYS)
        self.fields["expires_on"].help_text = f"この日まで使えます。最長{settings.MAMORI_API_TOKEN_MAX_DAYS}日（{wareki(most)}まで）。"
        self.fields["expires_on"].initial = today + datetime.timedelta(days=90)
