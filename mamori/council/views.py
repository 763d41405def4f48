"""Council screens: meetings, the 届出 they report, and their documents (次第・資料1・資料2)."""
import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mamori.core import audit, concurrency
from mamori.core import jobs as core_jobs
from mamori.core import permissions as perm
from mamori.core.calendar import fiscal_year_label
from mamori.core.forms import attach_errors
from mamori.core.listing import Column, listing
from mamori.core.models import Job
from mamori.core.reports import ANNUAL, NoData, download
from mamori.council import jobs, selectors, services, trends
from mamori.council.forms import IngestUploadForm, MeetingForm
from mamori.council.ingest import ingest_file
from mamori.council.models import Meeting
from mamori.council.reports import MEETING_DOCUMENTS
from mamori.register.importers.limits import IngestError
from mamori.register.models import Notification, NotificationKind

MEETING_COLUMNS = [
    Column("meeting", "回", ("fiscal_year", "number")),
    Column("date", "開催日", ("date",)),
    Column("place", "場所", ("place",)),
    Column("reported", "報告する届出", ("reported",), numeric=True),
]
AWAITING_COLUMNS = [
    Column("number", "届出番号", ("number",)),
    Column("kind", "種類", ("kind",)),
    Column("name", "事務事業名", ("sort_name",)),
    Column("unit", "担当", ("unit__path",)),
    Column("accepted", "受理", ("accepted_at",)),
]


def meeting_list(request):
    perm.require(perm.can_read_council(request.user))
    meetings = selectors.meetings_visible(request.user).annotate(reported=Count("links"))
    result = listing(request, meetings, MEETING_COLUMNS, default="-meeting")
    return render(request, "council/meeting_list.html", {
        "listing": result, "page": result.page, "awaiting_count": selectors.awaiting_council().count(),
        "can_edit": perm.can_manage_council(request.user),
    })


def trends_page(request):
    """「年度の推移」: the yearly figures as charts, each with its table (live records, then accepted past packets)."""
    perm.require(perm.can_read_council(request.user))
    charts = [c for c in trends.charts() if not c.empty]
    return render(request, "council/trends.html", {"charts": charts, "span": trends.caption_years(charts)})


def awaiting(request):
    """The accepted 届出 no meeting reports yet (what the home page's entry counts)."""
    perm.require(perm.can_read_council(request.user))
    result = listing(request, selectors.with_sort_name(selectors.awaiting_council()), AWAITING_COLUMNS, default="accepted")
    return render(request, "council/awaiting.html", {"listing": result, "page": result.page})


def meeting_detail(request, pk):
    perm.require(perm.can_read_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    return _render_meeting(request, meeting)


def _render_meeting(request, meeting, *, assign_error: str = "", chosen=None, packet_error: str = "", packet_choice=None, status=200):
    """The meeting page; a refused assignment comes back with the boxes as they were ticked and the reason beside them."""
    awaiting = list(selectors.awaiting_council()) if perm.can_manage_council(request.user) else []
    return render(request, "council/meeting_detail.html", {
        "meeting": meeting,
        "new": selectors.meeting_notifications(meeting, NotificationKind.NEW),
        "changed": selectors.meeting_notifications(meeting, NotificationKind.CHANGE),
        "awaiting": awaiting, "chosen": set(chosen) if chosen is not None else {n.number for n in awaiting},
        "assign_error": assign_error,
        "documents": _documents(meeting),
        "packet_formats": jobs.FORMAT_LABELS, "packet_error": packet_error,
        "packet_choice": packet_choice or {"format": "pdf", "charts": False},
        "packet_jobs": Job.objects.filter(kind=jobs.KIND, created_by=request.user, params__meeting=meeting.pk).order_by("-created_at")[:3],
        "can_edit": perm.can_manage_council(request.user),
        "history": audit.history(meeting),
    }, status=status)


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
    numbers = request.POST.getlist("notification")
    chosen = list(Notification.objects.filter(number__in=numbers).order_by("kind", "accepted_at", "number"))
    if not chosen:
        return _render_meeting(request, meeting, assign_error="割り当てる届出を1件以上選んでください。", chosen=numbers)
    try:
        services.meeting_assign(meeting=meeting, notifications=chosen, actor=request.user)
    except ValidationError as exc:
        return _render_meeting(request, meeting, assign_error="".join(exc.messages), chosen=numbers)
    messages.success(request, f"{len(chosen)}件の届出を割り当てました。")
    return redirect("council:meeting", pk=pk)


@require_POST
def meeting_unassign(request, pk, number):
    perm.require(perm.can_manage_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    services.meeting_unassign(meeting=meeting, notification=get_object_or_404(Notification, number=number), actor=request.user)
    messages.success(request, f"届出 {number} の割当てを外しました。")
    return redirect("council:meeting", pk=pk)


@require_POST
def meeting_packet(request, pk):
    """「会議資料一式を作成」: the bound packet as a background job; its page offers the file."""
    perm.require(perm.can_read_council(request.user))
    meeting = get_object_or_404(Meeting, pk=pk)
    fmt, charts = request.POST.get("format", ""), request.POST.get("charts") == "on"
    if fmt not in jobs.FORMAT_LABELS:
        return _render_meeting(request, meeting, packet_error="作成する形式（PDF・DOCX・ZIP）を選んでください。",
                               packet_choice={"format": fmt, "charts": charts}, status=400)
    job = core_jobs.start(jobs.KIND, actor=request.user, params={"meeting": meeting.pk, "format": fmt, "charts": charts},
                          title=f"{meeting.title}の会議資料一式（{jobs.FORMAT_LABELS[fmt]}{'、付録「年度の推移」付き' if charts else ''}）")
    return redirect("job", pk=job.pk)


def _documents(meeting) -> list[tuple[str, str, tuple[str, ...]]]:
    """(key, label, formats): the meeting's own documents, then the yearly reports for the year before it."""
    year = meeting.fiscal_year - 1
    return [(d.key, d.label, d.formats) for d in MEETING_DOCUMENTS.values()] + [
        (r.key, f"{r.label}（{fiscal_year_label(year)} {r.topic}）", r.file_formats) for r in sorted(ANNUAL.values(), key=lambda r: r.label)
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
        try:
            data = MEETING_DOCUMENTS[document].build(meeting, fmt)
        except NoData as exc:
            raise Http404(str(exc)) from exc
    else:
        raise Http404("その文書はありません。")
    return download(data, fmt, f"{meeting.title}_{label}.{fmt}")


def ingest_upload(request):
    """「文書からの取込」: upload a packet; it is read within the limits, and a refusal comes back as the form's error."""
    perm.require(perm.can_review_notifications(request.user))
    form = IngestUploadForm(request.POST or None, request.FILES or None)
    found = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = Path(upload.name).name or "upload.txt"
        try:
            with tempfile.TemporaryDirectory(prefix="mamori-ingest-") as directory:
                path = Path(directory) / name
                with path.open("wb") as f:
                    for chunk in upload.chunks():
                        f.write(chunk)
                found = ingest_file(path=path, actor=request.user, dry_run=form.cleaned_data["dry_run"], name=name)
        except (IngestError, OSError) as exc:
            form.add_error("file", str(exc) if isinstance(exc, IngestError) else "ファイルを一時保存できませんでした。もう一度お試しください。")
            found = None
        if found is not None and form.cleaned_data["dry_run"]:
            for n in found["notifications"]:
                n["kind_label"] = NotificationKind(n["kind"]).label
        elif found is not None:
            # After the upload the office lands on the review of the first 届出 read (the others are linked from it).
            if found["already_ingested"]:
                messages.info(request, f"「{name}」は取込済みです。何も追加していません。")
                return redirect("register:imports")
            skipped = f"既に取り込まれていた {len(found['skipped'])} 件は省略しました。" if found["skipped"] else ""
            if not found["created"]:
                messages.info(request, f"「{name}」の届出はすべて取込済みでした。何も追加していません。{skipped}")
                return redirect("register:imports")
            messages.success(request, f"「{name}」から {len(found['created'])} 件を取り込みました（確認待ち）。{skipped}"
                                      + ("1件目の確認画面です。" if len(found["created"]) > 1 else ""))
            return redirect("register:notification_detail", number=found["created"][0])
    return render(request, "council/ingest_upload.html", {"form": form, "found": found}, status=400 if form.errors else 200)
