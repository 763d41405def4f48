"""Training screens: the sessions (paginated, sortable), one session's page with its history, its correction.
A form with errors comes back open, with what was typed and the message beside its field."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from mamori.core import audit, concurrency
from mamori.core import permissions as perm
from mamori.core.calendar import fiscal_year, fiscal_year_bounds, fiscal_year_label
from mamori.core.forms import attach_errors
from mamori.core.listing import Column, active_filters, listing
from mamori.training import selectors, services
from mamori.training.forms import SessionFilterForm, SessionForm
from mamori.training.models import TrainingSession

COLUMNS = [
    Column("held_on", "日程", ("held_on",)),
    Column("name", "研修名", ("name",)),
    Column("target", "対象者", ("target",)),
    Column("participants", "参加者数", ("participants",), numeric=True),
]


def session_list(request):
    perm.require(perm.can_read_training(request.user))
    form = SessionForm(request.POST or None, version=concurrency.token_for(None, TrainingSession))
    if request.method == "POST":
        perm.require(perm.can_record_training(request.user))
        if form.is_valid():
            try:
                session = services.session_save(actor=request.user, **form.cleaned_data)
                messages.success(request, f"研修「{session.name}」を記録しました。")
                return redirect("training:list")
            except ValidationError as exc:
                attach_errors(exc, form)
    year = fiscal_year(timezone.localdate())
    years = {fiscal_year(d) for d in TrainingSession.objects.dates("held_on", "month")} | {year}
    filters = SessionFilterForm(request.GET, years=years)
    qs = TrainingSession.objects.all()
    if filters.is_valid() and filters.cleaned_data.get("fiscal_year"):
        qs = qs.filter(held_on__range=fiscal_year_bounds(filters.cleaned_data["fiscal_year"]))
    result = listing(request, qs, COLUMNS, "-held_on")
    return render(request, "training/list.html", {
        "listing": result, "page": result.page, "filters": filters, "active": active_filters(filters), "sort": result.sort,
        "form": form, "year_label": fiscal_year_label(year), "untrained": selectors.untrained_my_number_staff(year), "can_edit": perm.can_record_training(request.user),
    })


def session_detail(request, pk):
    perm.require(perm.can_read_training(request.user))
    session = get_object_or_404(TrainingSession, pk=pk)
    return render(request, "training/detail.html", {"s": session, "attendees": session.attendees.select_related("unit").order_by("username"),
                                                    "history": audit.history(session), "can_edit": perm.can_record_training(request.user)})


def session_edit(request, pk):
    """Correct a session: its date, name, count, attendees."""
    perm.require(perm.can_record_training(request.user))
    session = get_object_or_404(TrainingSession, pk=pk)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session), version=concurrency.token_for(session))
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(actor=request.user, session=session, **form.cleaned_data)
            messages.success(request, "研修の記録を訂正しました。")
            return redirect("training:session", pk=pk)
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "training/edit.html", {"s": session, "form": form})
