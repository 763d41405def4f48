from django import forms

from mamori.core.calendar import fiscal_year_label
from mamori.core.concurrency import VersionedForm
from mamori.core.forms import LongTextField, WarekiDateField
from mamori.core.models import User
from mamori.training.models import NOTE_LIMIT


class SessionForm(VersionedForm):
    held_on = WarekiDateField(label="日程", error_messages={"required": "日程を入力してください（例：令和6年5月1日、R6.5.1）。"})
    name = forms.CharField(label="研修名", max_length=120, error_messages={"required": "研修名を入力してください。"})
    target = forms.CharField(label="対象者", max_length=120, required=False)
    participants = forms.IntegerField(label="参加者数", min_value=0, max_value=100_000,
                                      error_messages={"required": "参加者数を入力してください（例：35）。", "min_value": "参加者数は0以上の数で入力してください。",
                                                      "max_value": "参加者数は100,000人以下で入力してください。",
                                                      "invalid": "参加者数は数字で入力してください（例：35）。"})
    attendees = forms.ModelMultipleChoiceField(label="参加した職員（任意。マイナンバー研修の受講管理に使います）", required=False,
                                               queryset=User.objects.filter(is_active=True).order_by("username"), widget=forms.SelectMultiple(attrs={"size": 8}))
    note = LongTextField(label="備考", limit=NOTE_LIMIT, required=False, rows=2)

    @staticmethod
    def initial_for(session) -> dict:
        return {"held_on": session.held_on, "name": session.name, "target": session.target, "participants": session.participants,
                "attendees": list(session.attendees.all()), "note": session.note}


class SessionFilterForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None, choices=())

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [("", "すべて"), *((y, fiscal_year_label(y)) for y in sorted(set(years), reverse=True))]
