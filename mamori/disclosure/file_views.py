"""The screens of a request's documents as files (issue 16): attach a file, the redaction page (each page as an image
with its boxes, a form to add a box by page and coordinates — the path that needs no mouse — and the script's drawing
and word selection, which fill the same form), suggestions, the four-eyes 確認, 「黒塗りを確定」, and the 交付 set."""
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mamori.core import audit, concurrency
from mamori.core import permissions as perm
from mamori.core.forms import attach_errors
from mamori.core.models import Job, MunicipalSettings
from mamori.core.redaction import page_words, render_page
from mamori.core.redaction.rules import KIND_LABELS
from mamori.core.reports import download
from mamori.disclosure import file_services, rules, selectors
from mamori.disclosure.forms import BoxChangeForm, BoxForm, BoxRemoveForm, FileForm, FileRemoveForm, TermForm
from mamori.disclosure.models import BoxStatus, Delivery, DocumentFile, FileStatus, RedactionBox, RedactionTerm, Request, RequestDocument
from mamori.disclosure.reports import delivery as delivery_report

PAGE_SCALE = 1.5  # the page image: 1.5 px per point (108 dpi), legible on a laptop's screen


def _request(request, number) -> Request:
    """The request, for one who may see its documents (the office, the departments it concerns): 404 otherwise."""
    perm.require(perm.can_read_requests(request.user))
    r = get_object_or_404(selectors.requests_visible(request.user), number=number)
    if not selectors.can_see_documents(request.user, r):
        raise Http404("この請求の文書は請求を担当する職員だけが見られます。")
    return r


def _file(request, number, fid) -> DocumentFile:
    r = _request(request, number)
    return get_object_or_404(DocumentFile.objects.select_related("document__request", "reviewed_by", "redacted_by"), pk=fid, document__request=r)


def _back(file: DocumentFile):
    return redirect("disclosure:file", number=file.document.request.number, fid=file.pk)


# ---------------------------------------------------------------- attach


@require_POST
def file_attach(request, number, pk):
    perm.require(perm.can_decide_requests(request.user))
    r = _request(request, number)
    doc = get_object_or_404(RequestDocument, pk=pk, request=r)
    form = FileForm(request.POST, request.FILES, prefix=f"f{pk}")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        most = file_services.limit("document_bytes")
        try:
            if upload.size > most:  # refused before it is read into memory
                raise ValidationError({"file": f"ファイルが{upload.size:,}バイトあり、上限の{most:,}バイトを超えています。分けて登録してください。"})
            file = file_services.file_attach(document=doc, actor=request.user, name=upload.name, data=upload.read())
        except ValidationError as exc:
            attach_errors(exc, form)
        else:
            messages.success(request, f"「{upload.name}」を登録しました。PDFへの変換が終わると黒塗りの作業ができます。")
            return redirect("job", pk=file.conversion_job.pk)
    for error in [e for errors in form.errors.values() for e in errors]:
        messages.error(request, f"「{doc.title}」のファイル：{error}")
    return redirect("disclosure:request", number=r.number)


# ---------------------------------------------------------------- the redaction page


def _box_rows(file: DocumentFile, bound=None):
    rows = []
    for b in file.boxes.all():
        token = concurrency.token_for(b)
        change = bound if isinstance(bound, BoxChangeForm) and bound.prefix == f"b{b.pk}" else None
        remove = bound if type(bound) is BoxRemoveForm and bound.prefix == f"rm{b.pk}" else None
        rows.append({
            "box": b,
            "change": change or BoxChangeForm(prefix=f"b{b.pk}", version=token, reasons=_reasons(file), initial={"reason_code": b.reason_code}),
            "remove": remove or BoxRemoveForm(prefix=f"rm{b.pk}", version=token),
            "style": _style(file, b),
            "kind": KIND_LABELS.get(b.kind, b.kind),
        })
    return rows


def _reasons(file: DocumentFile) -> dict[str, str]:
    return rules.box_reasons(file.document.request.procedure)


def _style(file: DocumentFile, b: RedactionBox) -> str:
    w, h = file.page_sizes[b.page - 1] if 0 < b.page <= file.page_count else (1, 1)
    return (f"left:{100 * b.x0 / w:.3f}%;top:{100 * b.top / h:.3f}%;"
            f"width:{100 * (b.x1 - b.x0) / w:.3f}%;height:{100 * (b.bottom - b.top) / h:.3f}%")


def file_page(request, number, fid, bound=None, status=200):
    file = _file(request, number, fid)
    r = file.document.request
    rows = _box_rows(file, bound)
    by_page = {n: [] for n in range(1, file.page_count + 1)}
    for row in rows:
        by_page.setdefault(row["box"].page, []).append(row)
    can_edit = perm.can_decide_requests(request.user)
    box_form = bound if isinstance(bound, BoxForm) else BoxForm(prefix="box", reasons=_reasons(file),
                                                                 initial={"page": 1, "reason_code": file_services.individual_reason(r)})
    term_form = bound if isinstance(bound, TermForm) else TermForm(prefix="term", reasons=_reasons(file))
    remove_form = bound if isinstance(bound, FileRemoveForm) else FileRemoveForm(prefix="rmfile", version=concurrency.token_for(file))
    return render(request, "disclosure/document_file.html", {
        "r": r, "file": file, "doc": file.document, "pages": [(n, file.page_sizes[n - 1], by_page[n], [round(v * PAGE_SCALE) for v in file.page_sizes[n - 1]])
                  for n in range(1, file.page_count + 1)],
        "rows": rows, "proposed": [row for row in rows if row["box"].status == BoxStatus.PROPOSED],
        "box_form": box_form, "term_form": term_form, "remove_form": remove_form, "terms": r.redaction_terms.all(), "reasons": _reasons(file),
        "can_edit": can_edit, "ready": file.status == FileStatus.READY, "problems": file_services.release_problems(file),
        "version": concurrency.token_for(file), "derived": selectors.derived_decision(file.document),
        "history": audit.history(r), "scale": PAGE_SCALE,
    }, status=status)


def page_image(request, number, fid, page):
    file = _file(request, number, fid)
    if file.status != FileStatus.READY or not 1 <= page <= file.page_count:
        raise Http404("そのページはありません。")
    png = render_page(file_services.review_pdf(file), page, scale=PAGE_SCALE)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


def page_words_json(request, number, fid, page):
    file = _file(request, number, fid)
    if file.status != FileStatus.READY or not 1 <= page <= file.page_count:
        raise Http404("そのページはありません。")
    words = [{"text": w.text, "x0": round(w.x0, 2), "top": round(w.top, 2), "x1": round(w.x1, 2), "bottom": round(w.bottom, 2)}
             for w in page_words(file_services.review_pdf(file), page)]
    return HttpResponse(json.dumps({"page": page, "words": words}, ensure_ascii=False), content_type="application/json")


def file_download(request, number, fid, which):
    file = _file(request, number, fid)
    field = {"original": "original", "review": "pdf", "redacted": "redacted"}.get(which)
    if field is None or not getattr(file, field):
        raise Http404("そのファイルはありません。")
    data = file_services._read_file(file, field)
    if which == "original":
        ext = file.original.name.rsplit(".", 1)[-1]
        name = file.name if file.name.lower().endswith(f".{ext}") else f"{file.name}.{ext}"
        return download(data, ext if ext in ("pdf", "docx", "xlsx") else "bin", name)
    stem = file.name.rsplit(".", 1)[0]
    return download(data, "pdf", f"{stem}{'（黒塗り済み）' if which == 'redacted' else '（確認用）'}.pdf")


def _posted(request, file: DocumentFile, form, save, success: str):
    """One form of the redaction page: saved → back to the page with ``success``; refused → the page again with the form
    as it was sent and the service's messages beside its fields."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            attach_errors(exc, form)
        else:
            messages.success(request, success)
            return _back(file)
    return file_page(request, file.document.request.number, file.pk, bound=form, status=400)


@require_POST
def box_add(request, number, fid):
    perm.require(perm.can_decide_requests(request.user))
    file = _file(request, number, fid)
    form = BoxForm(request.POST, prefix="box", reasons=_reasons(file))
    return _posted(request, file, form, lambda d: file_services.box_place(file=file, actor=request.user, **d),
                   "黒塗りの箇所を追加しました。")


@require_POST
def box_change(request, number, fid, bid):
    perm.require(perm.can_decide_requests(request.user))
    file = _file(request, number, fid)
    box = get_object_or_404(RedactionBox, pk=bid, file=file)
    form = BoxChangeForm(request.POST, prefix=f"b{bid}", reasons=_reasons(file))
    status = request.POST.get("status") or None
    word = {BoxStatus.ACCEPTED: "黒塗りすることにしました。", BoxStatus.REJECTED: "黒塗りしないことにしました。"}.get(status, "理由を変更しました。")
    return _posted(request, file, form, lambda d: file_services.box_change(box=box, actor=request.user, status=status, reason_code=d["reason_code"] or None,
                                                                                 base_version=d["base_version"]),
                   f"{box.page}頁の箇所：{word}")


@require_POST
def box_remove(request, number, fid, bid):
    perm.require(perm.can_decide_requests(request.user))
    file = _file(request, number, fid)
    box = get_object_or_404(RedactionBox, pk=bid, file=file)
    form = BoxRemoveForm(request.POST, prefix=f"rm{bid}")
    return _posted(request, file, form, lambda d: file_services.box_remove(box=box, actor=request.user, **d),
                   f"{box.page}頁の黒塗りの箇所を取り消しました。")


def _action(request, file: DocumentFile, act, success):
    try:
        result = act()
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return _back(file)
    if isinstance(result, Job):
        messages.success(request, "ページが多いので、黒塗りの確定を順番に処理します。終わるとこの画面から確認できます。")
        return redirect("job", pk=result.pk)
    messages.success(request, success(result) if callable(success) else success)
    return _back(file)


@require_POST
def suggestions_find(request, number, fid):
    perm.require(perm.can_decide_requests(request.user))
    file = _file(request, number, fid)
    return _action(request, file, lambda: file_services.suggestions_find(file=file, actor=request.user),
                   lambda n: f"黒塗りの候補を{n}件見つけました。一覧で一つずつ判断してください。" if n else "新しい候補は見つかりませんでした。")


# The file's own acts, each sent with the version of the page (core.concurrency): (service, extra arguments, message).
FILE_ACTS = {
    "review": (file_services.file_review, lambda post: {}, "黒塗りの箇所を確認しました（確認者として記録しました）。"),
    "release": (file_services.file_release, lambda post: {}, "黒塗りを確定しました。検査に合格した黒塗り済みPDFを保存しました。"),
    "colour": (file_services.file_set_colour, lambda post: {"colour": post.get("colour") == "1"}, "交付の色を変更しました。"),
}


@require_POST
def file_act(request, number, fid, act):
    perm.require(perm.can_decide_requests(request.user))
    file = _file(request, number, fid)
    service, extra, message = FILE_ACTS[act]
    return _action(request, file, lambda: service(file=file, actor=request.user, base_version=concurrency.token_from(request.POST),
                                                  **extra(request.POST)), message)


@require_POST
def file_remove(request, number, fid):
    perm.require(perm.can_decide_requests(request.user))
    file = _file(request, number, fid)
    form = FileRemoveForm(request.POST, prefix="rmfile")
    if form.is_valid():
        try:
            file_services.file_remove(file=file, actor=request.user, why=form.cleaned_data["why"], base_version=form.cleaned_data["base_version"])
        except ValidationError as exc:
            attach_errors(exc, form)
        else:
            messages.success(request, f"「{file.name}」を削除しました。")
            return redirect("disclosure:request", number=number)
    return file_page(request, number, fid, bound=form, status=400)


@require_POST
def term_add(request, number, fid):
    perm.require(perm.can_decide_requests(request.user))
    file = _file(request, number, fid)
    form = TermForm(request.POST, prefix="term", reasons=_reasons(file))
    return _posted(request, file, form, lambda d: file_services.term_add(request=file.document.request, actor=request.user, **d),
                   "語句を登録しました。「候補を探す」で、この請求の各ファイルから探します。")


@require_POST
def term_remove(request, number, fid, tid):
    perm.require(perm.can_decide_requests(request.user))
    file = _file(request, number, fid)
    term = get_object_or_404(RedactionTerm, pk=tid, request=file.document.request)
    file_services.term_remove(term=term, actor=request.user)
    messages.success(request, "語句を削除しました。")
    return _back(file)


# ---------------------------------------------------------------- delivery


@require_POST
def delivery_create(request, number):
    perm.require(perm.can_decide_requests(request.user))
    r = _request(request, number)
    try:
        d = file_services.delivery_create(request=r, actor=request.user, build=delivery_report.build)
    except delivery_report.NotReady as exc:
        for m in exc.problems:
            messages.error(request, m)
    else:
        messages.success(request, f"交付の準備ができました（{d.pages:,}面・用紙{d.sheets:,}枚、写しの交付の費用 {d.fee:,}円）。")
    return redirect("disclosure:request", number=r.number)


def delivery_download(request, number, did, fmt):
    r = _request(request, number)
    d = get_object_or_404(Delivery, pk=did, request=r)
    if fmt not in ("zip", "pdf"):
        raise Http404()
    return _delivery_file(d, fmt, actor=request.user)


def _delivery_file(d: Delivery, fmt: str, *, actor, online: bool = False):
    field = d.zip_file if fmt == "zip" else d.print_file
    with field.open("rb") as fh:
        data = fh.read()
    file_services.delivery_downloaded(delivery=d, actor=actor, what="ZIP" if fmt == "zip" else "印刷用PDF", online=online)
    return download(data, fmt, f"{d.request.number}_交付{'一式' if fmt == 'zip' else '（印刷用）'}.{fmt}")


def delivery_online(request, token, fmt="zip"):
    """The online-delivery link: no login (the requester has none); it works until it expires, and every download is audited."""
    if not token or fmt not in ("zip", "pdf"):
        raise Http404()
    d = Delivery.objects.select_related("request").filter(link_token=token).first()
    if d is None or not MunicipalSettings.current().online_delivery_days:
        raise Http404("このリンクは使えません。")
    if d.link_expires_at is None or d.link_expires_at < timezone.now():
        return render(request, "disclosure/delivery_expired.html", {"d": d}, status=410)
    if request.GET.get("get") != "1":
        return render(request, "disclosure/delivery_online.html", {"d": d, "token": token})
    return _delivery_file(d, fmt, actor=None, online=True)
