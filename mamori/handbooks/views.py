"""Handbook screens: the handbooks, one handbook with its editions and revisions, an edition's text as printed
(edit it, or upload a DOCX/PDF), 「改訂を作成」 between two editions, the 新旧対照表 with editable rows, finalize,
and the revision as 資料7 (DOCX/PDF). Forms with errors come back with what was typed."""
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from mamori.core import audit, concurrency
from mamori.core import permissions as perm
from mamori.core.forms import attach_errors
from mamori.core.listing import Column, listing
from mamori.core.models import Organ
from mamori.core.reports import NoData, download
from mamori.handbooks import reading, rules, selectors, services
from mamori.handbooks.forms import EditionForm, EditionUploadForm, HandbookForm, RevisionForm, RevisionNewForm, RowAddForm, RowForm
from mamori.handbooks.models import Edition, Handbook, Revision, RevisionRow, RevisionStatus
from mamori.handbooks.reports import revisions as report
from mamori.register.importers.limits import IngestError

COLUMNS = [
    Column("name", "名称", ("name",)),
    Column("editions", "版の数", ("edition_count",), numeric=True),
    Column("revisions", "改訂の数", ("revision_count",), numeric=True),
]


def handbook_list(request):
    perm.require(perm.can_read_handbooks(request.user))
    form = HandbookForm(request.POST or None)
    if request.method == "POST":
        perm.require(perm.can_keep_handbooks(request.user))
        if form.is_valid():
            try:
                handbook = services.handbook_create(name=form.cleaned_data["name"], order=Handbook.objects.count() + 1, actor=request.user)
                messages.success(request, f"手引「{handbook.name}」を登録しました。")
                return redirect("handbooks:handbook", pk=handbook.pk)
            except ValidationError as exc:
                attach_errors(exc, form)
    result = listing(request, selectors.handbooks_for(request.user), COLUMNS, "name")
    return render(request, "handbooks/list.html", {"listing": result, "page": result.page, "form": form,
                                                   "can_edit": perm.can_keep_handbooks(request.user)})


def _edition_create(request, handbook, text_form, upload_form):
    """The two ways to add an edition: typed text, or an uploaded DOCX/PDF."""
    if "upload" in request.POST:
        if not upload_form.is_valid():
            return None
        upload = upload_form.cleaned_data["file"]
        raw = upload.read(reading.reading_limit() + 1)
        try:
            pages = reading.read_upload(upload.name, raw)
        except IngestError as exc:
            upload_form.add_error("file", str(exc))
            return None
        try:
            return services.edition_create(handbook=handbook, label=upload_form.cleaned_data["label"], issued_on=upload_form.cleaned_data["issued_on"],
                                           pages=rules.pages_to_json(pages), source_name=upload.name, source_bytes=raw, actor=request.user)
        except ValidationError as exc:
            attach_errors(exc, upload_form)
            return None
    if not text_form.is_valid():
        return None
    try:
        pages = rules.pages_to_json(rules.pages_from_text(text_form.cleaned_data["text"]))
        return services.edition_create(handbook=handbook, label=text_form.cleaned_data["label"], issued_on=text_form.cleaned_data["issued_on"],
                                       pages=pages, actor=request.user)
    except ValidationError as exc:
        attach_errors(exc, text_form)
        return None


def handbook_detail(request, pk):
    perm.require(perm.can_read_handbooks(request.user))
    handbook = get_object_or_404(Handbook, pk=pk)
    is_post = request.method == "POST"
    text_form = EditionForm(request.POST if is_post and "upload" not in request.POST else None, prefix="text",
                            version=concurrency.token_for(None, Edition))
    upload_form = EditionUploadForm(request.POST if is_post and "upload" in request.POST else None, request.FILES or None, prefix="file")
    if is_post:
        perm.require(perm.can_keep_handbooks(request.user))
        edition = _edition_create(request, handbook, text_form, upload_form)
        if edition:
            messages.success(request, f"版「{edition.label}」を登録しました（{edition.page_count}ページ、{edition.line_count}行）。")
            return redirect("handbooks:edition", pk=edition.pk)
    return render(request, "handbooks/handbook.html", {
        "h": handbook, "editions": selectors.editions_of(handbook), "revisions": selectors.revisions_of(handbook),
        "text_form": text_form, "upload_form": upload_form, "history": audit.history(handbook), "can_edit": perm.can_keep_handbooks(request.user),
    })


def edition_detail(request, pk):
    perm.require(perm.can_read_handbooks(request.user))
    edition = get_object_or_404(Edition.objects.select_related("handbook").defer("source_file"), pk=pk)
    pages = rules.pages_from_json(edition.pages)
    initial = {"label": edition.label, "issued_on": edition.issued_on, "text": rules.text_from_pages(pages)}
    form = EditionForm(request.POST or None, initial=initial, version=concurrency.token_for(edition))
    if request.method == "POST":
        perm.require(perm.can_keep_handbooks(request.user))
        if form.is_valid():
            try:
                new_pages = rules.pages_to_json(rules.pages_from_text(form.cleaned_data["text"]))
                services.edition_update(edition=edition, label=form.cleaned_data["label"], issued_on=form.cleaned_data["issued_on"], pages=new_pages,
                                        base_version=form.cleaned_data["base_version"], actor=request.user)
                messages.success(request, "版の本文を保存しました。")
                return redirect("handbooks:edition", pk=pk)
            except ValidationError as exc:
                attach_errors(exc, form)
    printed = [(p.number, [(line.top, line.bottom, line.article, line.article_line, line.text) for line in rules.lines_of([p])]) for p in pages]
    return render(request, "handbooks/edition.html", {"e": edition, "pages": printed, "form": form, "can_edit": perm.can_keep_handbooks(request.user),
                                                      "history": [x for x in audit.history(edition.handbook) if x.event.model == "handbooks.Edition"
                                                                  and x.event.object_id == str(edition.pk)]})


def edition_file(request, pk):
    perm.require(perm.can_read_handbooks(request.user))
    edition = get_object_or_404(Edition, pk=pk)
    if not edition.source_file:
        raise Http404("この版には元のファイルがありません。")
    fmt = "pdf" if edition.source_name.lower().endswith(".pdf") else "docx"
    return download(bytes(edition.source_file), fmt, edition.source_name)


def _initial_for_organ(request) -> dict:
    """Started from the organisation screen (an 実施機関 removed): the reason and the day of its removal pre-filled."""
    organ = Organ.objects.filter(pk=request.GET.get("organ") or 0).first()
    if organ is None:
        return {}
    day = organ.removed_on or datetime.date.today()
    return {"reason": f"{organ.name}の実施機関からの除外", "promulgated_on": day, "enforced_on": day}


def revision_new(request):
    perm.require(perm.can_keep_handbooks(request.user))
    initial = _initial_for_organ(request)
    if request.GET.get("handbook"):
        initial["handbook"] = request.GET["handbook"]
    form = RevisionNewForm(request.POST or None, initial=initial, version=concurrency.token_for(None, Revision))
    chosen = (request.POST or {}).get("handbook") or initial.get("handbook")
    if chosen and str(chosen).isdigit():  # the editions of the chosen handbook only
        for name in ("from_edition", "to_edition"):
            form.fields[name].queryset = Edition.objects.select_related("handbook").filter(handbook_id=int(chosen)).order_by("issued_on")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            revision = services.revision_create(handbook=d["handbook"], from_edition=d["from_edition"], to_edition=d["to_edition"], reason=d["reason"],
                                                background=d["background"], promulgated_on=d["promulgated_on"], enforced_on=d["enforced_on"] or d["promulgated_on"],
                                                revised_on=d["revised_on"], actor=request.user)
            messages.success(request, f"新旧対照表を作成しました（{revision.rows.count()}行）。行を確かめ、必要なら直してから確定してください。")
            return redirect("handbooks:revision", pk=revision.pk)
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "handbooks/revision_new.html", {"form": form, "handbooks": Handbook.objects.prefetch_related("editions")})


def _revision_page(request, revision, *, lead_form=None, row_forms=None, add_form=None):
    rows = list(revision.rows.all())
    draft = revision.status == RevisionStatus.DRAFT and perm.can_keep_handbooks(request.user)
    row_forms = row_forms or {}
    shown = []
    for row in rows:
        form = row_forms.get(row.pk) or RowForm(initial={"location": row.location, "before": row.before, "after": row.after},
                                                version=concurrency.token_for(row), prefix=f"row{row.pk}")
        before, after = rules.marks(row.before, row.after)
        shown.append((row, form, before, after))
    lead_form = lead_form or RevisionForm(initial={k: getattr(revision, k) for k in services.REVISION_FIELDS}, version=concurrency.token_for(revision))
    return render(request, "handbooks/revision.html", {
        "r": revision, "rows": shown, "lead_form": lead_form, "add_form": add_form or RowAddForm(prefix="add"), "draft": draft,
        "can_edit": perm.can_keep_handbooks(request.user), "lead": report.lead(revision, [revision.handbook.name]), "history": audit.history(revision),
    })


def revision_detail(request, pk):
    perm.require(perm.can_read_handbooks(request.user))
    revision = get_object_or_404(Revision.objects.select_related("handbook", "from_edition", "to_edition"), pk=pk)
    if request.method == "POST":
        perm.require(perm.can_keep_handbooks(request.user))
        form = RevisionForm(request.POST, version=concurrency.token_for(revision))
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.revision_update(revision=revision, base_version=d["base_version"], actor=request.user,
                                         **{k: d[k] for k in services.REVISION_FIELDS if k != "revised_on" or d[k]})
                messages.success(request, "改訂の理由と日付を保存しました。")
                return redirect("handbooks:revision", pk=pk)
            except ValidationError as exc:
                attach_errors(exc, form)
        return _revision_page(request, revision, lead_form=form)
    return _revision_page(request, revision)


def row_edit(request, pk, row):
    perm.require(perm.can_keep_handbooks(request.user))
    revision = get_object_or_404(Revision.objects.select_related("handbook"), pk=pk)
    target = get_object_or_404(RevisionRow, pk=row, revision=revision)
    if request.method != "POST":
        return redirect("handbooks:revision", pk=pk)
    form = RowForm(request.POST, prefix=f"row{target.pk}", version=concurrency.token_for(target))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.row_update(row=target, location=d["location"], before=d["before"], after=d["after"], base_version=d["base_version"], actor=request.user)
            messages.success(request, f"行「{d['location']}」を保存しました。")
            return redirect(f"{revision.get_absolute_url()}#row{target.pk}")
        except ValidationError as exc:
            attach_errors(exc, form)
    return _revision_page(request, revision, row_forms={target.pk: form})


def revision_action(request, pk, action):
    """finalize / reopen / add a row / delete a row (POST)."""
    perm.require(perm.can_keep_handbooks(request.user))
    revision = get_object_or_404(Revision.objects.select_related("handbook"), pk=pk)
    if request.method != "POST":
        return redirect("handbooks:revision", pk=pk)
    try:
        if action == "finalize":
            services.revision_finalize(revision=revision, actor=request.user)
            messages.success(request, "改訂を確定しました。資料7に載ります。")
        elif action == "reopen":
            services.revision_reopen(revision=revision, actor=request.user)
            messages.success(request, "確定を取り消しました。")
        elif action == "add":
            form = RowAddForm(request.POST, prefix="add")
            if not form.is_valid():
                return _revision_page(request, revision, add_form=form)
            services.row_add(revision=revision, actor=request.user, **form.cleaned_data)
            messages.success(request, "行を追加しました。")
        elif action == "delete":
            row = get_object_or_404(RevisionRow, pk=request.POST.get("row") or 0, revision=revision)
            services.row_delete(row=row, actor=request.user)
            messages.success(request, f"行「{row.location}」を削除しました。")
        else:
            raise Http404("その操作はありません。")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("handbooks:revision", pk=pk)


def revision_document(request, pk, fmt):
    """This revision alone, as 資料7 prints it (the meeting page prints the meeting's revisions together)."""
    perm.require(perm.can_read_handbooks(request.user))
    revision = get_object_or_404(Revision.objects.select_related("handbook"), pk=pk)
    if fmt not in ("pdf", "docx"):
        raise Http404("その形式はありません。")
    try:
        ctx = report.context([revision])
    except NoData as exc:
        raise Http404(str(exc)) from exc
    data = report.render_pdf(ctx) if fmt == "pdf" else report.render_docx(ctx)
    return download(data, fmt, f"資料7_{revision.handbook.name}_改訂.{fmt}")
