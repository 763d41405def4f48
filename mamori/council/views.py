"""Council screens: meetings, the 届出 they report, and their documents (次第・資料1・資料2)."""
import tempfile
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace

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
from mamori.council import history, ingest_job, jobs, selectors, services, trends
from mamori.council.forms import IngestUploadForm, MeetingForm
from mamori.council.ingest import ingest_file
from mamori.council.models import FigureStatus, FigureTopic, Meeting, PacketPart
from mamori.council.reports import MEETING_DOCUMENTS, packet
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
    """(key, label, formats): 次第, then 資料1〜 in their numbers' order, the meeting's own documents (資料1・2・7) and the
    yearly reports for the year before it (資料3〜6) among them, as the packet prints them."""
    year = meeting.fiscal_year - 1
    documents = [(d.label, (d.key, d.label, d.formats)) for d in MEETING_DOCUMENTS.values()] + [
        (r.label, (r.key, f"{r.label}（{fiscal_year_label(year)} {r.topic}）", r.file_formats)) for r in ANNUAL.values()
    ]
    return [doc for _, doc in sorted(documents, key=lambda pair: packet.label_number(pair[0]))]


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
    """「文書からの取込」: upload a packet. A check (読み取りだけ) is read at once; an ingest runs as a background job
    (council.ingest_job) whose page shows the parts as they are read and links to the review. A refusal comes back as the form's error."""
    perm.require(perm.can_review_notifications(request.user))
    form = IngestUploadForm(request.POST or None, request.FILES or None)
    found = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = Path(upload.name).name or "upload.txt"
        if not form.cleaned_data["dry_run"]:
            try:
                job = ingest_job.start(upload=upload, name=name, actor=request.user)
            except OSError:
                form.add_error("file", "ファイルを一時保存できませんでした。もう一度お試しください。")
            else:
                return redirect("job", pk=job.pk)
        else:
            try:
                with tempfile.TemporaryDirectory(prefix="mamori-ingest-") as directory:
                    path = Path(directory) / name
                    with path.open("wb") as f:
                        for chunk in upload.chunks():
                            f.write(chunk)
                    found = ingest_file(path=path, actor=request.user, dry_run=True, name=name)
            except (IngestError, OSError) as exc:
                form.add_error("file", str(exc) if isinstance(exc, IngestError) else "ファイルを一時保存できませんでした。もう一度お試しください。")
                found = None
            if found is not None:
                for n in found["notifications"]:
                    n["kind_label"] = NotificationKind(n["kind"]).label
    return render(request, "council/ingest_upload.html", {"form": form, "found": found}, status=400 if form.errors else 200)


PACKET_COLUMNS = [
    Column("file", "ファイル", ("file_name",)),
    Column("created", "取込日時", ("created_at",)),
    Column("parts", "部分", ("parts",), numeric=True),
    Column("figures", "数値", ("figures",), numeric=True),
]


def packet_list(request):
    """取り込んだ資料: every ingested document, newest first, with its parts and figures."""
    perm.require(perm.can_review_notifications(request.user))
    result = listing(request, selectors.ingested_packets(request.user), PACKET_COLUMNS, default="-created")
    return render(request, "council/packet_list.html", {"listing": result, "page": result.page})


def packet_detail(request, pk):
    """The review of an ingested packet: each part, read or not and why, and the figures to check and accept."""
    perm.require(perm.can_review_notifications(request.user))
    source = get_object_or_404(selectors.ingested_packets(request.user), pk=pk)
    errors: dict[int, str] = {}
    typed: dict[str, str] = {}
    ticked: set[str] = set()
    if request.method == "POST":
        part = get_object_or_404(PacketPart, pk=request.POST.get("part"), source=source)
        drafts = {f.pk: f for f in selectors.part_figures(part).filter(status=FigureStatus.DRAFT)}
        ticked = {x for row in request.POST.getlist("row") for x in row.split(",")}
        chosen = [int(x) for x in ticked if x.isdigit() and int(x) in drafts]
        values, bad = {}, []
        for pk_ in drafts:
            raw = unicodedata.normalize("NFKC", request.POST.get(f"value-{pk_}", "")).strip().replace(",", "")
            typed[str(pk_)] = request.POST.get(f"value-{pk_}", "")
            try:
                values[pk_] = Decimal(raw)
                if values[pk_] < 0 or values[pk_] >= 10**10:
                    raise InvalidOperation
            except InvalidOperation:
                if pk_ in chosen:
                    bad.append(drafts[pk_])
        if bad:
            errors[part.pk] = "数値として読めない値があります（" + "、".join(f"{f.organ or '合計'} {_label(f)}" for f in bad[:5]) + "）。半角の数字で入力してください。"
        elif not chosen:
            errors[part.pk] = "確認する数値を1つ以上選んでください。"
        else:
            try:
                accepted = services.year_figures_accept(part=part, actor=request.user, values=values, chosen=chosen,
                                                        replace=request.POST.get("replace") == "1")
            except ValidationError as exc:
                errors[part.pk] = "".join(exc.messages)
            else:
                messages.success(request, f"{part.label}の数値 {len(accepted)}件を確認済みにしました（過年度の記録になりました）。")
                return redirect("council:packet", pk=source.pk)
    parts = []
    for part in source.packet_parts.all():
        figures = list(selectors.part_figures(part))
        for f in figures:
            f.label = _label(f)
            f.typed = typed.get(str(f.pk), f"{f.value.normalize():f}")
        parts.append({"part": part, "tables": _figure_tables(figures, ticked if request.method == "POST" else None),
                      "year": fiscal_year_label(part.fiscal_year) if part.fiscal_year else "",
                      "drafts": sum(f.status == FigureStatus.DRAFT for f in figures), "error": errors.get(part.pk, "")})
    notifications = source.notifications.order_by("number")
    return render(request, "council/packet_detail.html", {
        "source": source, "parts": parts, "notifications": notifications, "ocr": source.ocr,
        "history": audit.history(source),
    }, status=400 if errors else 200)


def _figure_tables(figures, ticked: set[str] | None) -> list[dict]:
    """A part's figures as the packet printed them: one table per topic, a row per 実施機関 (its text from the
    packet once, below it), a column per measure."""
    tables = []
    for topic in FigureTopic:
        mine = [f for f in figures if f.topic == topic]
        if not mine:
            continue
        # the columns in the order the packet printed them (the order they were read in)
        measures = [history.measure(topic, k) or SimpleNamespace(key=k, label=k, unit="") for k in dict.fromkeys(f.measure for f in mine)]
        rows: dict[str, dict] = {}
        for f in mine:
            row = rows.setdefault(f.organ, {"organ": f.organ or "合計", "source": f.source_text, "cells": {}, "drafts": []})
            row["cells"][f.measure] = f
            if f.status == FigureStatus.DRAFT:
                row["drafts"].append(str(f.pk))
            if f.source_text not in row["source"]:
                row["source"] += "\n" + f.source_text
        for row in rows.values():
            row["cells"] = [row["cells"].get(m.key) for m in measures]
            row["ids"] = ",".join(row["drafts"])
            row["source"] = " ".join(row["source"].split())
            row["checked"] = ticked is None or bool(set(row["drafts"]) & ticked)
        tables.append({"topic": topic.label, "measures": measures, "rows": list(rows.values())})
    return tables


def _label(f) -> str:
    m = history.measure(f.topic, f.measure)
    return f"{m.label}（{m.unit}）" if m else f.measure
