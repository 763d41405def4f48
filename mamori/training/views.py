from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from mamori.core import permissions as perm
from mamori.core.calendar import fiscal_year
from mamori.core.forms import WarekiDateField, attach_errors
from mamori.core.models import User
from mamori.training import selectors, services
from mamori.training.models import TrainingSession


class SessionForm(forms.Form):
    held_on = WarekiDateField(label="日程")
    name = forms.CharField(label="研修名", max_length=120)
    target = forms.CharField(label="対象者", max_length=120, required=False)
    participants = forms.IntegerField(label="参加者数", min_value=0)
    attendees = forms.ModelMultipleChoiceField(label="参加した職員（任意。マイナンバー研修の受講管理に使います）", required=False,
                                               queryset=User.objects.filter(is_active=True).order_by("username"), widget=forms.SelectMultiple(attrs={"size": 8}))


def session_list(request):
    perm.require(perm.can_read_training(request.user))
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        perm.require(perm.can_record_training(request.user))
        if form.is_valid():
            try:
                services.session_save(actor=request.user, **form.cleaned_data)
                messages.success(request, "研修を記録しました。")
                return redirect("training:list")
            except ValidationError as exc:
                attach_errors(exc, form)
    year = fiscal_year(timezone.localdate())
    return render(request, "training/list.html", {"sessions": TrainingSession.objects.order_by("-held_on"), "form": form, "year": year,
                                                  "untrained": selectors.untrained_my_number_staff(year), "can_edit": perm.can_record_training(request.user)})
