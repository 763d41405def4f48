"""The ファイル簿 inside the app: the list, a file's page as the public will see it (with its unpublished
differences), the office's edits, confirmation and publication, and the bulk data."""
import difflib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mamori.core import actions, audit, concurrency
from mamori.core import permissions as perm
from mamori.core.forms import attach_errors
from mamori.core.listing import Column, listing
from mamori.core.models import UNIT_CHAIN, MunicipalSettings, OrgUnit
from mamori.filebook import entry, opendata, rules, selectors, services
from mamori.filebook.forms import DecideForm, FileForm, FilterForm, NewFileForm, PublishForm
from mamori.filebook.models import Assessment, RevisionKind, RevisionStatus
from mamori.register.models import Program

COLUMNS = [
    Column("code", "ファイル番号", ("code",)),
    Column("name", "個人情報ファイルの名称", ("sort_name",)),
    Column("unit", "組織", ("unit_path", "sort_name")),
    Column("", "種別"),
    Column("", "要配慮"),
    Column("status", "状態", ("pending_kind", "last_kind")),
    Column("due", "公表期限", ("due_on",)),
]


def _filters(form: FilterForm) -> selectors.FileFilters:
    if not form.is_valid():
        return selectors.FileFilters()
    d = form.cleaned_data
    return selectors.FileFilters(q=(d.get("q") or "").strip(), organ=d["organ"].pk if d.get("organ") else None, unit=d.get("unit"),
                                 sensitive=bool(d.get("sensitive")), kind=d.get("kind") or "", status=d.get("status") or "",
                                 overdue=bool(d.get("overdue")), unconfirmed=bool(d.get("unconfirmed")))


NOT_LISTED = {"exempt": "掲載しない（適用除外）", "unknown": "未掲載（判定できない）", "not_held": "未掲載（保有なし）", "listed": "未掲載"}


def _status_label(f) -> str:
    key = selectors.status_of(f)
    return NOT_LISTED[f.assessment] if key == "not_listed" else selectors.STATUSES[key]


def file_list(request):
    perm.require(perm.can_read_files(request.user))
    today = timezone.localdate()
    units = OrgUnit.objects.filter(perm.units_q(request.user)) if not perm.sees_all_files(request.user) else OrgUnit.objects.all()
    form = FilterForm(request.GET, units=units.select_related(UNIT_CHAIN))
    result = listing(request, selectors.file_search(request.user, _filters(form), today), COLUMNS, default="code")
    files = list(result.page.object_list)
    computed = entry.for_files(files)
    cal = services.calendar()
    rows = [{"file": f, "entry": computed[f.pk].content, "status": _status_label(f),
             "due": rules.due_note(f.due_on, today, cal) if f.due_on else "", "overdue": bool(f.due_on and rules.overdue(f.due_on, today)),
             "pending": RevisionKind(f.pending_kind).label if f.pending_kind else ""} for f in files]
    can_keep = perm.can_keep_files(request.user)
    unfiled = Program.objects.filter(current__isnull=False, current__abolished_on__isnull=True, file_links__isnull=True).count() if can_keep else 0
    return render(request, "filebook/list.html", {
        "form": form, "listing": result, "page": result.page, "rows": rows, "can_keep": can_keep, "unfiled": unfiled,
        "formats": ("csv", "xlsx", "json"), "page_actions": actions.actions_for("filebook:list", request.user),
    })


def _file_or_404(request, code):
    file = selectors.file_get(request.user, code)
    if file is None:
        raise Http404("個人情報ファイルが見つかりません。")
    return file


def _lines(old: str, new: str) -> list[tuple[str, str]]:
    """A text field's lines marked "same", "removed" or "added" (a 収集方法 of several sentences changes one of them)."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out += [(line, "same") for line in a[i1:i2]]
        else:
            out += [(line, "removed") for line in a[i1:i2]] + [(line, "added") for line in b[j1:j2]]
    return out


def _entry_rows(computed: entry.Computed, published: dict | None) -> list[dict]:
    """The entry field by field: the value to be published, and, where it differs from the published one, what changes."""
    out = []
    for f in rules.ENTRY_FIELDS:
        new = computed.content.get(f.key)
        old = published.get(f.key) if published is not None else None
        changed = published is not None and old != new
        row = {"field": f, "source": rules.SOURCE_LABELS[computed.sources[f.key]], "value": rules.shown(f, new), "changed": changed,
               "old": rules.shown(f, old) if published is not None else "", "type": f.type}
        if f.type == "list":
            old_items = (old or []) if changed else (new or [])
            row["marks"] = [(x, "same" if x in old_items else "added") for x in new or []] + [(x, "removed") for x in old_items if x not in (new or [])]
        elif f.type == "string" and changed:
            row["marks"] = _lines(old, new)
        out.append(row)
    return out


def _detail(request, file, *, decide_form=None, publish_form=None, status=200):
    user = request.user
    computed = entry.for_file(file)
    last = services.last_published(file)
    waiting = services.pending(file)
    published = last.content if last and last.kind != RevisionKind.DELETE else None
    today = timezone.localdate()
    cal = services.calendar()
    token = concurrency.token_for(file)
    can_keep = perm.can_keep_files(user)
    versions = {v.program_id: v for v in computed.versions}
    programs = [{"program": link.program, "version": versions.get(link.program_id),
                 "link": perm.sees_all_departments(user) or (versions.get(link.program_id) and perm.unit_in_scope(user, versions[link.program_id].unit))}
                for link in file.fileprogram_set.select_related("program").order_by("order", "id")]
    differs = last is None or (last.kind != RevisionKind.DELETE and last.content != computed.content)
    revisions = list(file.revisions.select_related("notification", "drafted_by", "published_by").order_by("-drafted_at", "-id"))
    rows = _entry_rows(computed, published)
    published_history = sorted((r for r in revisions if r.status == RevisionStatus.PUBLISHED), key=lambda r: r.number)
    return render(request, "filebook/file.html", {
        "file": file, "computed": computed, "content": computed.content, "assessment": computed.assessment,
        "assessment_label": Assessment(computed.assessment.status).label, "rows": rows, "any_changed": any(r["changed"] for r in rows),
        "dates": selectors.entry_dates(published_history), "can_read_register": perm.can_read_register(user),
        "last": last, "waiting": waiting, "on_register": last is not None and last.kind != RevisionKind.DELETE,
        "due_note": rules.due_note(waiting.due_on, today, cal) if waiting else "", "overdue": bool(waiting and rules.overdue(waiting.due_on, today)),
        "published_history": published_history,
        "revisions": revisions, "programs": programs, "can_keep": can_keep,
        "can_refresh": can_keep and waiting is None and last is not None and last.kind != RevisionKind.DELETE and differs,
        "decide_form": decide_form or DecideForm(initial={"exemption": file.exemption, "exemption_note": file.exemption_note,
                                                          "person_count": file.person_count}, version=token, prefix="d"),
        "publish_form": publish_form or PublishForm(initial={"shown": computed.digest}, version=token, prefix="p"),
        "history": audit.history(file),
    }, status=status)


def file_detail(request, code):
    perm.require(perm.can_read_files(request.user))
    return _detail(request, _file_or_404(request, code))


@require_POST
def file_decide(request, code):
    perm.require(perm.can_keep_files(request.user))
    file = _file_or_404(request, code)
    form = DecideForm(request.POST, prefix="d")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.file_decide(file=file, actor=request.user, exemption=d["exemption"], exemption_note=d["exemption_note"],
                                 person_count=d["person_count"], base_version=d["base_version"])
            messages.success(request, "判定を確認しました。")
            return redirect("filebook:file", code=code)
        except ValidationError as exc:
            attach_errors(exc, form)
    return _detail(request, file, decide_form=form, status=200)


@require_POST
def revision_publish(request, code):
    perm.require(perm.can_keep_files(request.user))
    file = _file_or_404(request, code)
    form = PublishForm(request.POST, prefix="p")
    form.is_valid()
    try:
        revision = services.revision_publish(file=file, actor=request.user, shown=form.cleaned_data.get("shown") or None,
                                             base_version=form.cleaned_data.get("base_version", ""))
        messages.success(request, f"ファイル簿の記載（{revision.get_kind_display()}）を公表しました。")
        return redirect("filebook:file", code=code)
    except ValidationError as exc:
        attach_errors(exc, form)
    return _detail(request, file, publish_form=form)


@require_POST
def file_refresh(request, code):
    perm.require(perm.can_keep_files(request.user))
    file = _file_or_404(request, code)
    revision = services.file_refresh(file=file, actor=request.user)
    if revision is not None:
        messages.success(request, f"管理簿の内容に合わせて記載（{revision.get_kind_display()}）を起案しました。内容を確かめて公表してください。")
    else:
        messages.info(request, "公表済みの記載と管理簿の内容に違いはありません。")
    return redirect("filebook:file", code=code)


def _program_initial(file) -> list:
    return [link.program for link in file.fileprogram_set.select_related("program").order_by("order", "id")]


def file_edit(request, code):
    perm.require(perm.can_keep_files(request.user))
    file = _file_or_404(request, code)
    initial = {"programs": _program_initial(file), "name": file.name, "scope_text": file.scope_text,
               "collection_text": file.collection_text, "note": file.note}
    form = FileForm(request.POST or None, initial=initial, version=concurrency.token_for(file))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.file_update(file=file, actor=request.user, programs=list(d["programs"]), base_version=d["base_version"],
                                 **{k: d[k] for k in services.FILE_FIELDS})
            messages.success(request, "ファイルの記録を保存しました。記載が変わる場合は、公表待ちの記載が起案されています。")
            return redirect("filebook:file", code=code)
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "filebook/edit.html", {"form": form, "file": file, "computed": entry.for_file(file)})


def file_new(request):
    perm.require(perm.can_keep_files(request.user))
    program = Program.objects.filter(code=request.GET.get("program", ""), current__isnull=False).first()
    form = NewFileForm(request.POST or None, initial={"programs": [program] if program else []})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            file = services.file_create(programs=list(d["programs"]), actor=request.user, **{k: d[k] for k in services.FILE_FIELDS})
            messages.success(request, f"個人情報ファイル {file.code} を登録しました。")
            return redirect("filebook:file", code=file.code)
        except ValidationError as exc:
            attach_errors(exc, form)
    unfiled = (Program.objects.filter(current__isnull=False, current__abolished_on__isnull=True, file_links__isnull=True)
               .select_related(f"current__unit__{UNIT_CHAIN}").order_by("code"))
    return render(request, "filebook/new.html", {"form": form, "unfiled": unfiled})


def download(request, fmt):
    """The published register as open data (what the public site offers for download)."""
    perm.require(perm.can_read_files(request.user))
    if fmt not in opendata.MEDIA_TYPES:
        raise Http404("形式は csv・xlsx・json のいずれかです。")
    today = timezone.localdate()
    data = opendata.render(fmt, selectors.public_entries(), MunicipalSettings.current().name, today)
    response = HttpResponse(data, content_type=opendata.MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename=\"file-register-{today.isoformat()}.{fmt}\""
    return response

