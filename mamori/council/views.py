"""Council screens: meetings, the 届出 they report, and their documents (次第・資料1・資料2)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mamori.core import audit, concurrency
from mamori.core import permissions as perm
from mamori.core.forms import attach_errors
from mamori.core.reports import ANNUAL, NoData, download
from mamori.council import selectors, services
from mamori.council.forms import MeetingForm
from mamori.council.models import Meeting
from mamori.council.reports import MEETING_DOCUMENTS
from mamori.register.models import Notification, NotificationKind


def meeting_list(request):
    perm.require(perm.can_read_council(request.user))
    return render(request, "council/meeting_list.html", {
        "meetings": selectors.meetings_visible(request.user), "awaiting": selectors.awaiting_council(),
        "can_edit": perm.can_manage_council(request.user),
    })


def meeting_detail(request, pk):
    perm.require(perm.can_read_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(request, "council/meeting_detail.html", {
        "meeting": meeting,
        "new": selectors.meeting_notifications(meeting, NotificationKind.NEW),
        "changed": selectors.meeting_notifications(meeting, NotificationKind.CHANGE),
        "awaiting": selectors.awaiting_council() if perm.can_manage_council(request.user) else [],
        "documents": _documents(meeting),
        "can_edit": perm.can_manage_council(request.user),
        "history": audit.history(meeting),
    })


def meeting_edit(request, pk=None):
    perm.require(perm.can_manage_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk) if pk else None
    initial = {}
    if meeting:
        initial = {"fiscal_year": meeting.fiscal_year, "number": meeting.number, "date": meeting.date, "start_time": meeting.start_time,
                   "place": meeting.place, "agenda": "\n".join(meeting.agenda)}
    form = MeetingForm(request.POST or None, initial=initial, version=concurrency.token_for(meeting) if meeting else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in ("fiscal_year", "number", "date", "start_time", "place")}
        try:
            if meeting is None:
                meeting = services.meeting_create(actor=request.user, agenda=d["agenda_list"] or None, **fields)
                messages.success(request, f"{meeting.title}の審議会を登録しました。報告する届出を割り当ててください。")
            else:
                services.meeting_update(meeting=meeting, actor=request.user, agenda=d["agenda_list"], base_version=d["base_version"], **fields)
                messages.success(request, "審議会を保存しました。")
            return redirect("council:meeting", pk=meeting.pk)
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "council/meeting_edit.html", {"form": form, "meeting": meeting})


@require_POST
def meeting_assign(request, pk):
    perm.require(perm.can_manage_council(request.user))
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
    perm.require(perm.can_manage_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    services.meeting_unassign(meeting=meeting, notification=get_object_or_404(Notification, number=number), actor=request.user)
    messages.success(request, f"届出 {number} の割当てを外しました。")
    return redirect("council:meeting", pk=pk)


def _documents(meeting) -> list[tuple[str, str, tuple[str, ...]]]:
    """(key, label, formats): the meeting's own documents, then the yearly reports for the year before it."""
    year = meeting.fiscal_year - 1
    return [(d.key, d.label, d.formats) for d in MEETING_DOCUMENTS.values()] + [
        (r.key, f"{r.label}（{year}年度 {r.topic}）", r.file_formats) for r in sorted(ANNUAL.values(), key=lambda r: r.label)
    ]


def meeting_document(request, pk, document, fmt):
    perm.require(perm.can_read_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    if document in ANNUAL and fmt in ANNUAL[document].file_formats:
        report = ANNUAL[document]
        label = f"{report.label}（{report.topic}）"
        try:
            data = report.build(meeting.fiscal_year - 1, fmt)
        except NoData as exc:
            raise Http404(str(exc)) from exc
    elif document in MEETING_DOCUMENTS and fmt in MEETING_DOCUMENTS[document].formats:
        label = MEETING_DOCUMENTS[document].label
        data = MEETING_DOCUMENTS[document].build(meeting, fmt)
    else:
        raise Http404("その文書はありません。")
    return download(data, fmt, f"{meeting.title}_{label}.{fmt}")
