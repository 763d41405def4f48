"""Council screens: meetings, the 届出 they report, and their documents (次第・資料1・資料2)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mamori.core import permissions as perm
from mamori.core.forms import attach_errors
from mamori.core.models import AuditEvent
from mamori.core.reports import download
from mamori.council import selectors, services
from mamori.council.forms import MeetingForm
from mamori.council.models import Meeting
from mamori.council.reports import agenda, notifications
from mamori.register.models import Notification, NotificationKind

DOCUMENTS = {
    "agenda": ("次第", lambda m: agenda.context(m), agenda),
    "shiryo1": ("資料1（新規分）", lambda m: notifications.context(m, NotificationKind.NEW), notifications),
    "shiryo2": ("資料2（変更分）", lambda m: notifications.context(m, NotificationKind.CHANGE), notifications),
}


def _shiryo3():
    from mamori.disclosure.reports import build
    from mamori.disclosure.reports.operation_status import NoData

    return "資料3（運用状況）", build, NoData


def _shiryo5():
    from mamori.outsourcing.reports import build
    from mamori.outsourcing.reports.outsourcing_report import NoData

    return "資料5（委託）", build, NoData


def _shiryo4():
    from mamori.training.reports import NoData, build

    return "資料4（研修）", build, NoData


def _shiryo6():
    from mamori.incidents.reports import NoData, build

    return "資料6（漏えい等）", build, NoData


# The year's reports the first meeting of a fiscal year presents, for the year before.
ANNUAL = {"shiryo3": _shiryo3, "shiryo4": _shiryo4, "shiryo5": _shiryo5, "shiryo6": _shiryo6}


def meeting_list(request):
    perm.require(perm.can_view_council(request.user))
    return render(request, "council/meeting_list.html", {
        "meetings": selectors.meetings_visible(request.user), "awaiting": selectors.awaiting_council(),
        "can_edit": perm.can_review(request.user),
    })


def meeting_detail(request, pk):
    perm.require(perm.can_view_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(request, "council/meeting_detail.html", {
        "meeting": meeting,
        "new": selectors.meeting_notifications(meeting, NotificationKind.NEW),
        "changed": selectors.meeting_notifications(meeting, NotificationKind.CHANGE),
        "awaiting": selectors.awaiting_council() if perm.can_review(request.user) else [],
        "documents": [(key, label) for key, (label, _, _) in DOCUMENTS.items()]
        + [("shiryo3", f"資料3（{meeting.fiscal_year - 1}年度 運用状況）"), ("shiryo4", f"資料4（{meeting.fiscal_year - 1}年度 研修）"),
           ("shiryo5", f"資料5（{meeting.fiscal_year - 1}年度 委託）"), ("shiryo6", f"資料6（{meeting.fiscal_year - 1}年度 漏えい等）")],
        "can_edit": perm.can_review(request.user),
        "history": AuditEvent.objects.filter(model="council.Meeting", object_id=str(meeting.pk))[:20],
    })


def meeting_edit(request, pk=None):
    perm.require(perm.can_review(request.user))
    meeting = get_object_or_404(Meeting, pk=pk) if pk else None
    initial = {}
    if meeting:
        initial = {"fiscal_year": meeting.fiscal_year, "number": meeting.number, "date": meeting.date, "start_time": meeting.start_time,
                   "place": meeting.place, "agenda": "\n".join(meeting.agenda)}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in ("fiscal_year", "number", "date", "start_time", "place")}
        try:
            if meeting is None:
                meeting = services.meeting_create(actor=request.user, agenda=d["agenda_list"] or None, **fields)
                messages.success(request, f"{meeting.title}の審議会を登録しました。報告する届出を割り当ててください。")
            else:
                services.meeting_update(meeting=meeting, actor=request.user, agenda=d["agenda_list"], **fields)
                messages.success(request, "審議会を保存しました。")
            return redirect("council:meeting", pk=meeting.pk)
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "council/meeting_edit.html", {"form": form, "meeting": meeting})


@require_POST
def meeting_assign(request, pk):
    perm.require(perm.can_review(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    chosen = list(Notification.objects.filter(number__in=request.POST.getlist("notification")).order_by("kind", "accepted_at", "number"))
    if not chosen:
        messages.error(request, "割り当てる届出を選んでください。")
    else:
        try:
            services.meeting_assign(meeting=meeting, notifications=chosen, actor=request.user)
            messages.success(request, f"{len(chosen)}件の届出を割り当てました。")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    return redirect("council:meeting", pk=pk)


@require_POST
def meeting_unassign(request, pk, number):
    perm.require(perm.can_review(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    services.meeting_unassign(meeting=meeting, notification=get_object_or_404(Notification, number=number), actor=request.user)
    messages.success(request, f"届出 {number} の割当てを外しました。")
    return redirect("council:meeting", pk=pk)


def meeting_document(request, pk, document, fmt):
    perm.require(perm.can_view_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    if document in ANNUAL and fmt in ("docx", "pdf", "xlsx") and not (document == "shiryo6" and fmt == "xlsx"):
        label, build_annual, no_data = ANNUAL[document]()
        try:
            data = build_annual(meeting.fiscal_year - 1, fmt)
        except no_data as exc:
            raise Http404(str(exc)) from exc
    elif document in DOCUMENTS and fmt in ("docx", "pdf"):
        label, build, module = DOCUMENTS[document]
        ctx = build(meeting)
        data = module.render_pdf(ctx) if fmt == "pdf" else module.render_docx(ctx)
    else:
        raise Http404("その文書はありません。")
    return download(data, fmt, f"{meeting.title}_{label}.{fmt}")
