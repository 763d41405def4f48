"""Every write for a request's documents as files (issue 16): attaching a file (converted to PDF in a background job),
the boxes of its redaction with their grounds, the request's list of terms, the second person's 確認 (four eyes),
「黒塗りを確定」 (the redacted PDF, kept only when the engine's check passes), and the 交付 set.

The office (個人情報保護担当) writes. Every box placed, changed or removed is audited with who and why (the article);
what a box covers, and the request's terms, are personal data: the audit says that they exist, not what they say."""
import datetime
import hashlib
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from mamori.core import audit, concurrency, jobs
from mamori.core.inputfiles import limit
from mamori.core.models import AuditAction, MunicipalSettings
from mamori.core.permissions import can_decide_requests, require
from mamori.core.redaction import Box, RedactionError, RedactionFailed, UnreadablePdf, page_sizes, redact, suggest, verify
from mamori.disclosure import conversion, rules
from mamori.disclosure.models import (
    FILE_NAME_LIMIT,
    TERM_LIMIT,
    TERMS_PER_REQUEST,
    BoxSource,
    BoxStatus,
    Delivery,
    DocumentFile,
    FileStatus,
    RedactionBox,
    RedactionTerm,
    Request,
    RequestDocument,
)

CONVERT_JOB = "disclosure.convert"
RELEASE_JOB = "disclosure.release"
RELEASE_IN_PAGE_AT_MOST = 30  # a larger file is redacted by the worker (「黒塗りを確定」 starts a background job)
MIN_BOX_POINTS = 1.0  # a box narrower or lower than this covers nothing a reader could see
WHY_LIMIT = 200
# The suggestion kinds of the engine (core.redaction.suggest) and the ground a box of that kind is proposed with:
# another person's name, address, phone, e-mail, birth date, マイナンバー — information about an individual.
INDIVIDUAL = {"public": "条例第7条第2号", "personal": "法第78条第1項第2号"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _box_snapshot(box: RedactionBox) -> dict:
    snap = audit.snapshot(box)
    snap["text"] = "（記録あり）" if snap.get("text") else ""  # what lies under the box is personal data
    return snap


def _reasons(r: Request) -> dict[str, str]:
    return rules.box_reasons(r.procedure)


def individual_reason(r: Request) -> str:
    return INDIVIDUAL["public" if r.is_public else "personal"]


def _read_file(file: DocumentFile, field: str) -> bytes:
    with getattr(file, field).open("rb") as fh:
        return fh.read()


def review_pdf(file: DocumentFile) -> bytes:
    return _read_file(file, "pdf")


def _why(why: str, act: str) -> str:
    """The reason for removing something, required (it stays in the audit log) and at most WHY_LIMIT characters."""
    why = (why or "").strip()
    if not why:
        raise ValidationError({"why": f"{act}理由を入力してください（監査の記録に残ります）。"})
    if len(why) > WHY_LIMIT:
        raise ValidationError({"why": f"{act}理由は{WHY_LIMIT}字以内にしてください（いま{len(why)}字あります）。"})
    return why


def _unreview(file: DocumentFile) -> None:
    """A box changed: the second person's 確認 and any redacted PDF no longer match the boxes."""
    DocumentFile.objects.filter(pk=file.pk).update(reviewed_by=None, reviewed_at=None, redacted="", redacted_sha256="",
                                                   redacted_by=None, redacted_at=None)


# ---------------------------------------------------------------- files


@transaction.atomic
def file_attach(*, document: RequestDocument, actor, name: str, data: bytes) -> DocumentFile:
    """Keep a file of the document (with its sha256) and start its conversion to the review PDF (``file.conversion_job``)."""
    require(can_decide_requests(actor), "文書のファイルを登録できるのは個人情報保護担当です。")
    name = (name or "").strip().replace("/", "／").replace("\\", "＼") or "文書"
    most = limit("document_bytes")
    if not data:
        raise ValidationError({"file": "ファイルが空です。登録するファイルを選んでください。"})
    if len(data) > most:
        raise ValidationError({"file": f"ファイルが{len(data):,}バイトあり、上限の{most:,}バイトを超えています。分けて登録してください。"})
    if len(name) > FILE_NAME_LIMIT:
        name = name[-FILE_NAME_LIMIT:]
    kind = conversion.kind_of(data, name)
    if kind is None:
        raise ValidationError({"file": f"「{name}」はPDF・Word（DOCX）・Excel（XLSX）・画像（PNG・JPEG・TIFF）のどれでもありません。"
                                       "この形式で保存し直して登録してください。"})
    file = DocumentFile(document=document, name=name, kind=kind, size=len(data), original_sha256=sha256(data), uploaded_by=actor)
    file.original.save(f"{uuid.uuid4().hex}-original.{'jpg' if kind == 'image' else kind}", ContentFile(data), save=False)
    file.full_clean()
    file.save()
    r = document.request
    audit.record(actor=actor, action=AuditAction.CREATE, obj=file, root=r, object_repr=f"{r.number} {document.title}のファイル",
                 after={"name": name, "kind": kind, "size": len(data), "original_sha256": file.original_sha256},
                 summary=f"「{document.title}」にファイルを登録")
    file.conversion_job = jobs.start(CONVERT_JOB, actor=actor, params={"file": file.pk}, title=f"{r.number} 「{document.title}」のPDF変換")
    return file


def file_convert(file: DocumentFile) -> DocumentFile:
    """The conversion itself (run by the worker): the review PDF and its page sizes, or the reason it failed."""
    data = _read_file(file, "original")
    try:
        pdf = conversion.to_pdf(data, file.kind)
        sizes = [list(s) for s in page_sizes(pdf)]
        most = limit("pdf_pages")
        if len(sizes) > most:
            raise conversion.ConversionError(f"{len(sizes):,}ページあり、上限の{most:,}ページを超えています。分けて登録してください。")
    except conversion.ConversionError as exc:
        error, pdf, sizes = str(exc), None, []
    except UnreadablePdf as exc:
        error, pdf, sizes = f"PDFのページを読めませんでした（{exc}）。", None, []
    with transaction.atomic():
        file = DocumentFile.objects.select_for_update().get(pk=file.pk)
        if pdf is None:
            file.status, file.error = FileStatus.FAILED, error
        else:
            file.pdf.save(f"{uuid.uuid4().hex}-review.pdf", ContentFile(pdf), save=False)
            file.pdf_sha256, file.page_sizes, file.status, file.error = sha256(pdf), sizes, FileStatus.READY, ""
        file.save()
        r = file.document.request
        audit.record(actor=None, action=AuditAction.UPDATE, obj=file, root=r, object_repr=f"{r.number} {file.document.title}のファイル",
                     after={"status": file.status, "pages": len(sizes), "pdf_sha256": file.pdf_sha256},
                     summary="PDFに変換しました" if pdf is not None else "PDFに変換できませんでした")
    return file


@transaction.atomic
def file_set_colour(*, file: DocumentFile, actor, colour: bool, base_version: str | None = None) -> DocumentFile:
    require(can_decide_requests(actor))
    file = DocumentFile.objects.select_for_update().get(pk=file.pk)
    concurrency.check(file, base_version, subject=f"ファイル「{file.name}」")
    before = {"colour": file.colour}
    file.colour = bool(colour)
    file.save(update_fields=["colour"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=file, root=file.document.request, before=before, after={"colour": file.colour})
    return file


@transaction.atomic
def file_remove(*, file: DocumentFile, actor, why: str, base_version: str | None = None) -> None:
    """Remove a file attached by mistake, with its boxes; ``why`` and the checksums stay in the audit log.
    A 交付 set already made keeps its own copy."""
    require(can_decide_requests(actor), "文書のファイルを削除できるのは個人情報保護担当です。")
    file = DocumentFile.objects.select_for_update().select_related("document__request").get(pk=file.pk)
    concurrency.check(file, base_version, subject=f"ファイル「{file.name}」")
    why = _why(why, "削除する")
    r = file.document.request
    audit.record(actor=actor, action=AuditAction.DELETE, obj=file, root=r, object_repr=f"{r.number} {file.document.title}のファイル",
                 before={"name": file.name, "original_sha256": file.original_sha256, "pdf_sha256": file.pdf_sha256,
                         "redacted_sha256": file.redacted_sha256, "boxes": file.boxes.count()},
                 summary=f"{file.name}を削除：{why}"[:255])
    stored = [f for f in (file.original, file.pdf, file.redacted) if f]
    file.delete()
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in stored])


# ---------------------------------------------------------------- boxes


def _check_box(file: DocumentFile, page: int, x0: float, top: float, x1: float, bottom: float, reason_code: str, *, needs_reason: bool) -> dict:
    errors = {}
    if file.status != FileStatus.READY:
        raise ValidationError("このファイルはまだPDFになっていません。変換が終わってから黒塗りの箇所を指定してください。")
    if not 1 <= page <= file.page_count:
        errors["page"] = f"ページは1から{file.page_count}までです（{page}が指定されました）。"
    else:
        w, h = file.page_sizes[page - 1]
        if x1 - x0 < MIN_BOX_POINTS or bottom - top < MIN_BOX_POINTS:
            errors["x1"] = "範囲が小さすぎるか、左右・上下が逆です。左端より右端を、上端より下端を大きくしてください（単位はポイント）。"
        elif x0 < 0 or top < 0 or x1 > w + 0.5 or bottom > h + 0.5:
            errors["x1"] = f"範囲がページの外にはみ出しています。このページは幅{w:.0f}・高さ{h:.0f}ポイントです。"
    reasons = _reasons(file.document.request)
    if reason_code and reason_code not in reasons:
        errors["reason_code"] = f"「{reason_code}」は黒塗りの理由の一覧にありません。一覧から条項を選んでください。"
    elif needs_reason and not reason_code:
        errors["reason_code"] = "黒塗りする箇所には理由（条項）が必要です。一覧から選んでください。"
    return errors


@transaction.atomic
def box_place(*, file: DocumentFile, actor, page: int, x0: float, top: float, x1: float, bottom: float, reason_code: str,
              source: str = BoxSource.MANUAL, text: str = "", kind: str = "") -> RedactionBox:
    """A box the handler draws, types in or selects the words of: withheld under ``reason_code``."""
    require(can_decide_requests(actor), "黒塗りの箇所を指定できるのは個人情報保護担当です。")
    file = DocumentFile.objects.select_for_update().get(pk=file.pk)
    errors = _check_box(file, page, x0, top, x1, bottom, reason_code, needs_reason=True)
    if file.boxes.count() >= limit("redaction_boxes"):
        errors["page"] = f"1つのファイルの黒塗りの箇所は{limit('redaction_boxes'):,}件までです。ファイルを分けてください。"
    if errors:
        raise ValidationError(errors)
    box = RedactionBox(file=file, page=page, x0=x0, top=top, x1=x1, bottom=bottom, reason_code=reason_code, source=source,
                       status=BoxStatus.ACCEPTED, text=text[:200], kind=kind, created_by=actor, decided_by=actor)
    box.full_clean()
    box.save()
    _unreview(file)
    audit.record(actor=actor, action=AuditAction.MASK, obj=box, root=file.document.request, after=_box_snapshot(box),
                 summary=f"{file.name} {page}頁に黒塗り（{reason_code}）")
    return box


@transaction.atomic
def box_change(*, box: RedactionBox, actor, base_version: str | None = None, reason_code: str | None = None,
               status: str | None = None) -> RedactionBox:
    """Change a box's ground, or accept (黒塗りする) / reject (黒塗りしない) a suggested one."""
    require(can_decide_requests(actor), "黒塗りの箇所を変更できるのは個人情報保護担当です。")
    box = RedactionBox.objects.select_for_update().select_related("file__document__request").get(pk=box.pk)
    concurrency.check(box, base_version, subject=f"{box.page}頁の黒塗りの箇所")
    before = _box_snapshot(box)
    if status is not None and status not in BoxStatus.values:
        raise ValidationError({"status": "判断を選んでください。"})
    new_status = status or box.status
    new_reason = box.reason_code if reason_code is None else reason_code
    errors = _check_box(box.file, box.page, box.x0, box.top, box.x1, box.bottom, new_reason, needs_reason=new_status == BoxStatus.ACCEPTED)
    if errors:
        raise ValidationError(errors)
    box.status, box.reason_code, box.decided_by = new_status, new_reason, actor
    box.full_clean()
    box.save()
    _unreview(box.file)
    verb = AuditAction.MASK if box.status == BoxStatus.ACCEPTED else AuditAction.UNMASK if before["status"] == BoxStatus.ACCEPTED else AuditAction.UPDATE
    what = {BoxStatus.ACCEPTED: f"黒塗りする（{box.reason_code}）", BoxStatus.REJECTED: "黒塗りしない", BoxStatus.PROPOSED: "未判断に戻す"}[box.status]
    audit.record(actor=actor, action=verb, obj=box, root=box.file.document.request, before=before, after=_box_snapshot(box),
                 summary=f"{box.file.name} {box.page}頁：{what}")
    return box


@transaction.atomic
def box_remove(*, box: RedactionBox, actor, why: str, base_version: str | None = None) -> None:
    """Remove a box; ``why`` is kept in the audit log (a 審査会 may ask why a part was once withheld and then not)."""
    require(can_decide_requests(actor), "黒塗りの箇所を取り消せるのは個人情報保護担当です。")
    box = RedactionBox.objects.select_for_update().select_related("file__document__request").get(pk=box.pk)
    concurrency.check(box, base_version, subject=f"{box.page}頁の黒塗りの箇所")
    why = _why(why, "取り消す")
    before, file, r = _box_snapshot(box), box.file, box.file.document.request
    audit.record(actor=actor, action=AuditAction.UNMASK, obj=box, root=r, before=before, after=None,
                 summary=f"{file.name} {box.page}頁の黒塗りを取消し：{why}"[:255])
    box.delete()
    _unreview(file)


def _same_place(a: RedactionBox, page: int, x0: float, top: float, x1: float, bottom: float) -> bool:
    return a.page == page and abs(a.x0 - x0) < 1 and abs(a.top - top) < 1 and abs(a.x1 - x1) < 1 and abs(a.bottom - bottom) < 1


@transaction.atomic
def suggestions_find(*, file: DocumentFile, actor) -> int:
    """Look for names, addresses, phone numbers, e-mail addresses, birth dates, マイナンバー and the request's terms;
    each hit not yet a box becomes a suggestion (候補, 未判断). Returns how many were added."""
    require(can_decide_requests(actor), "黒塗りの候補を探せるのは個人情報保護担当です。")
    file = DocumentFile.objects.select_for_update().select_related("document__request").get(pk=file.pk)
    if file.status != FileStatus.READY:
        raise ValidationError("このファイルはまだPDFになっていません。")
    r = file.document.request
    terms = {t.term: t.reason_code for t in r.redaction_terms.all()}
    found = suggest(review_pdf(file), terms=list(terms))
    existing = list(file.boxes.all())
    added, room = 0, max(0, limit("redaction_boxes") - len(existing))
    for s in found[:room]:
        x0, top, x1, bottom = s.rect
        if any(_same_place(b, s.page, x0, top, x1, bottom) for b in existing):
            continue
        reason = terms.get(s.text) or individual_reason(r)
        box = RedactionBox(file=file, page=s.page, x0=x0, top=top, x1=x1, bottom=bottom, reason_code=reason,
                           source=BoxSource.SUGGESTED, status=BoxStatus.PROPOSED, kind=s.kind[:30], text=s.text[:200], created_by=actor)
        box.save()
        existing.append(box)
        added += 1
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=file, root=r, object_repr=f"{r.number} {file.name}",
                 after={"suggestions_added": added}, summary=f"{file.name}：黒塗りの候補 {added}件")
    return added


@transaction.atomic
def term_add(*, request: Request, actor, term: str, reason_code: str = "") -> RedactionTerm:
    """A term to look for in every file of the request (a third party's name)."""
    require(can_decide_requests(actor), "語句を登録できるのは個人情報保護担当です。")
    term = (term or "").strip()
    errors = {}
    if not term:
        errors["term"] = "探す語句を入力してください（例：第三者の氏名）。"
    elif len(term) > TERM_LIMIT:
        errors["term"] = f"語句は{TERM_LIMIT}字以内にしてください（いま{len(term)}字あります）。"
    elif len(term) < 2:
        errors["term"] = "1文字の語句はあちこちに当たるので登録できません。2文字以上にしてください。"
    elif request.redaction_terms.filter(term=term).exists():
        errors["term"] = "この語句はもう登録されています。"
    elif request.redaction_terms.count() >= TERMS_PER_REQUEST:
        errors["term"] = f"語句は1件の請求に{TERMS_PER_REQUEST}件までです。"
    if reason_code and reason_code not in _reasons(request):
        errors["reason_code"] = "一覧から条項を選んでください。"
    if errors:
        raise ValidationError(errors)
    t = RedactionTerm.objects.create(request=request, term=term, reason_code=reason_code)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=t, root=request, after={"term": "（記録あり）", "reason_code": reason_code},
                 summary="黒塗りの候補を探す語句を登録")
    return t


@transaction.atomic
def term_remove(*, term: RedactionTerm, actor) -> None:
    require(can_decide_requests(actor))
    audit.record(actor=actor, action=AuditAction.DELETE, obj=term, root=term.request, before={"term": "（記録あり）"},
                 summary="黒塗りの候補を探す語句を削除")
    term.delete()


# ---------------------------------------------------------------- four eyes, release


def _deciders(file: DocumentFile) -> set[int]:
    return {pk for b in file.boxes.filter(status=BoxStatus.ACCEPTED) for pk in (b.created_by_id, b.decided_by_id) if pk}


def release_problems(file: DocumentFile) -> list[str]:
    """Why 「黒塗りを確定」 cannot run yet, as things to do; empty when it can."""
    problems = []
    if file.status != FileStatus.READY:
        problems.append("PDFへの変換が終わっていません。")
        return problems
    open_ = file.boxes.filter(status=BoxStatus.PROPOSED).count()
    if open_:
        problems.append(f"判断していない候補が{open_}件あります。「黒塗りする」か「黒塗りしない」を選んでください。")
    if file.boxes.filter(status=BoxStatus.ACCEPTED, reason_code="").exists():
        problems.append("理由（条項）のない黒塗りの箇所があります。")
    if file.boxes.filter(status=BoxStatus.ACCEPTED).exists() and not file.reviewed_by_id:
        problems.append("黒塗りの箇所を、指定した職員とは別の職員が確認していません（「確認した」を押してもらってください）。")
    return problems


@transaction.atomic
def file_review(*, file: DocumentFile, actor, base_version: str | None = None) -> DocumentFile:
    """The second person's 確認 (four eyes): someone who placed or judged none of the boxes has checked them."""
    require(can_decide_requests(actor), "黒塗りを確認できるのは個人情報保護担当です。")
    file = DocumentFile.objects.select_for_update().get(pk=file.pk)
    concurrency.check(file, base_version, subject=f"ファイル「{file.name}」")
    if file.boxes.filter(status=BoxStatus.PROPOSED).exists():
        raise ValidationError("判断していない候補があります。先に候補をすべて判断してください。")
    if not file.boxes.filter(status=BoxStatus.ACCEPTED).exists():
        raise ValidationError("黒塗りの箇所がありません。確認するものがありません。")
    if actor.pk in _deciders(file):
        raise ValidationError("黒塗りの箇所を指定・判断した職員は確認できません。別の職員に確認を依頼してください。")
    file.reviewed_by, file.reviewed_at = actor, timezone.now()
    file.save(update_fields=["reviewed_by", "reviewed_at"])
    r = file.document.request
    audit.record(actor=actor, action=AuditAction.CONFIRM, obj=file, root=r, object_repr=f"{r.number} {file.name}",
                 after={"boxes": file.boxes.filter(status=BoxStatus.ACCEPTED).count()}, summary=f"{file.name}の黒塗りを確認")
    return file


def engine_boxes(file: DocumentFile) -> list[Box]:
    return [Box(page=b.page, x0=b.x0, top=b.top, x1=b.x1, bottom=b.bottom, article=b.reason_code)
            for b in file.boxes.filter(status=BoxStatus.ACCEPTED).order_by("page", "top", "x0", "id")]


def file_release_run(file: DocumentFile, actor) -> DocumentFile:
    """Redact, check, and keep the redacted PDF only when the check passes (called directly or by the worker)."""
    source = review_pdf(file)
    boxes = engine_boxes(file)
    try:
        output = redact(source, boxes)  # the engine checks its own output; we check again before keeping it
        failures = verify(output, source, boxes)
    except RedactionFailed as exc:
        failures = exc.failures
    except (RedactionError, UnreadablePdf) as exc:
        raise ValidationError(f"黒塗りを確定できませんでした：{exc}") from None
    if failures:
        listed = "／".join(f.message for f in failures[:5])
        more = f"ほか{len(failures) - 5}件" if len(failures) > 5 else ""
        raise ValidationError(f"黒塗りの検査で、元の内容が箱の中に残っていました（{listed}{more}）。黒塗り済みのファイルは作りませんでした。"
                              "システム管理者に連絡してください。")
    with transaction.atomic():
        file = DocumentFile.objects.select_for_update().get(pk=file.pk)
        if engine_boxes(file) != boxes or release_problems(file):  # a box changed while the PDF was being made
            raise ValidationError("黒塗りの箇所が確定の途中で変更されました。黒塗り済みのファイルは保存していません。箇所を確かめて、もう一度「黒塗りを確定」を押してください。")
        file.redacted.save(f"{uuid.uuid4().hex}-redacted.pdf", ContentFile(output), save=False)
        file.redacted_sha256, file.redacted_by, file.redacted_at = sha256(output), actor, timezone.now()
        file.save()
        r = file.document.request
        audit.record(actor=actor, action=AuditAction.REDACT, obj=file, root=r, object_repr=f"{r.number} {file.name}",
                     after={"boxes": len(boxes), "redacted_sha256": file.redacted_sha256, "pdf_sha256": file.pdf_sha256},
                     summary=f"{file.name}の黒塗りを確定（{len(boxes)}箇所、検査に合格）")
    return file


def file_release(*, file: DocumentFile, actor, base_version: str | None = None):
    """「黒塗りを確定」: a small file at once (returns the file), a large one as a background job (returns the Job)."""
    require(can_decide_requests(actor), "黒塗りを確定できるのは個人情報保護担当です。")
    with transaction.atomic():
        locked = DocumentFile.objects.select_for_update().get(pk=file.pk)
        concurrency.check(locked, base_version, subject=f"ファイル「{locked.name}」")
        problems = release_problems(locked)
        if problems:
            raise ValidationError(problems)
        if locked.page_count > RELEASE_IN_PAGE_AT_MOST:
            return jobs.start(RELEASE_JOB, actor=actor, params={"file": locked.pk}, title=f"{locked.name}の黒塗りの確定")
    return file_release_run(locked, actor)


# ---------------------------------------------------------------- delivery


@transaction.atomic
def delivery_create(*, request: Request, actor, build) -> Delivery:
    """Keep a 交付 set made by ``build(request) -> (zip bytes, print pdf bytes, pages, fee)`` (reports.delivery)."""
    require(can_decide_requests(actor), "交付の準備ができるのは個人情報保護担当です。")
    r = Request.objects.select_for_update().get(pk=request.pk)
    zip_data, print_data, pages, fee = build(r)
    settings = MunicipalSettings.current()
    d = Delivery(request=r, zip_sha256=sha256(zip_data), print_sha256=sha256(print_data), pages=pages, sheets=fee.sheets,
                 fee=fee.amount, fee_explanation=fee.explanation, created_by=actor)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    d.zip_file.save(f"{r.pk}-{stamp}-{uuid.uuid4().hex[:8]}.zip", ContentFile(zip_data), save=False)
    d.print_file.save(f"{r.pk}-{stamp}-{uuid.uuid4().hex[:8]}.pdf", ContentFile(print_data), save=False)
    if settings.online_delivery_days:
        d.link_token = secrets.token_urlsafe(32)
        d.link_expires_at = timezone.now() + datetime.timedelta(days=settings.online_delivery_days)
    d.save()
    audit.record(actor=actor, action=AuditAction.DELIVER, obj=d, root=r, object_repr=f"{r.number} 交付",
                 after={"pages": pages, "sheets": fee.sheets, "fee": fee.amount, "zip_sha256": d.zip_sha256,
                        "online_until": d.link_expires_at.isoformat() if d.link_expires_at else ""},
                 summary=f"交付の準備（{pages}面、{fee.amount:,}円）")
    return d


@transaction.atomic
def delivery_downloaded(*, delivery: Delivery, actor, what: str, online: bool = False) -> None:
    """Each download of a 交付 set leaves an audit event (the online link's ones with who: 「請求者（オンライン交付）」)."""
    r = delivery.request
    audit.record(actor=actor if not online else "請求者（オンライン交付）", action=AuditAction.DOWNLOAD, obj=delivery, root=r,
                 object_repr=f"{r.number} 交付", after={"file": what, "online": online}, summary=f"交付ファイル（{what}）のダウンロード")
