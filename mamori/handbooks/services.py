"""Every write on handbooks: permission-checked (core.permissions.can_keep_handbooks), validated, audited
in the same transaction. Edits carry the version they were based on (core.concurrency); a finalized
revision is printed (資料7) and no longer changes."""
import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mamori.core import audit, concurrency
from mamori.core.calendar import wareki
from mamori.core.models import AuditAction
from mamori.core.permissions import can_keep_handbooks, require
from mamori.handbooks import rules
from mamori.handbooks.ingest import RevisionDraft
from mamori.handbooks.models import Edition, Handbook, Revision, RevisionRow, RevisionStatus

DENIED = "手引を管理できるのは個人情報保護担当です。"
EDITION_SNAPSHOT_EXCLUDE = ("password", "source_file", "pages")  # the text is summarised (pages, lines), the file by its SHA-256
MAX_PAGES = 2000
MAX_LINES = 100_000
MAX_LINE_CHARS = 2000


def _allowed(actor) -> None:
    require(actor is None or can_keep_handbooks(actor), DENIED)  # None: the system itself (demo loader)


def _edition_snapshot(edition: Edition) -> dict:
    return audit.snapshot(edition, exclude=EDITION_SNAPSHOT_EXCLUDE) | {"page_count": edition.page_count, "line_count": edition.line_count}


def check_pages(pages: list[dict]) -> None:
    """An edition's text within limits, and its page numbers each once."""
    if not pages or not any(line.strip() for p in pages for line in p["lines"]):
        raise ValidationError({"text": "本文がありません。ページの区切り（改ページ、または「―― 5 ――」の行）で区切って本文を入力してください。"})
    if len(pages) > MAX_PAGES:
        raise ValidationError({"text": f"ページが多すぎます（{len(pages):,}ページ。{MAX_PAGES:,}ページまで）。"})
    lines = sum(len(p["lines"]) for p in pages)
    if lines > MAX_LINES:
        raise ValidationError({"text": f"行が多すぎます（{lines:,}行。{MAX_LINES:,}行まで）。"})
    for p in pages:
        for n, line in enumerate(p["lines"], start=1):
            if len(line) > MAX_LINE_CHARS:
                raise ValidationError({"text": f"{p['number']}ページの{n}行目が長すぎます（{len(line):,}文字。{MAX_LINE_CHARS:,}文字まで）。"})
    numbers = [p["number"] for p in pages]
    twice = sorted({n for n in numbers if numbers.count(n) > 1})
    if twice:
        raise ValidationError({"text": f"ページ番号 {'、'.join(map(str, twice))} が2回以上あります。「―― 5 ――」の行のページ番号を確かめてください。"})


@transaction.atomic
def handbook_create(*, name: str, order: int = 0, actor) -> Handbook:
    _allowed(actor)
    handbook = Handbook(name=name.strip(), order=order)
    handbook.full_clean()
    handbook.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=handbook, after=audit.snapshot(handbook))
    return handbook


@transaction.atomic
def edition_create(*, handbook: Handbook, label: str, issued_on: datetime.date, pages: list[dict], source_name: str = "",
                   source_bytes: bytes | None = None, actor) -> Edition:
    """A new 版: its pages and lines (from typed text, a DOCX or a PDF: handbooks.reading), and the file it came from."""
    _allowed(actor)
    check_pages(pages)
    edition = Edition(handbook=handbook, label=label.strip(), issued_on=issued_on, pages=pages, source_name=source_name[:200],
                      source_sha256=hashlib.sha256(source_bytes).hexdigest() if source_bytes else "", source_file=source_bytes)
    edition.full_clean()
    edition.save()
    audit.record(actor=actor, action=AuditAction.IMPORT if source_bytes else AuditAction.CREATE, obj=edition, root=handbook,
                 after=_edition_snapshot(edition), summary=f"版「{edition.label}」（{edition.page_count}ページ）{'を取り込み' if source_bytes else 'を作成'}")
    return edition


def _describe_pages(before, now) -> list[tuple[str, str, str]]:
    """A stale edit of an edition's text says what the text is now, as typed (the audit log keeps only its size)."""
    shown = rules.text_from_pages(rules.pages_from_json(now))
    return [("本文", rules.text_from_pages(rules.pages_from_json(before)) if before else "（履歴に記録なし）", shown[:200] + ("…" if len(shown) > 200 else ""))]


def _used_by_final(edition: Edition) -> bool:
    return Revision.objects.filter(status=RevisionStatus.FINAL).filter(from_edition=edition).exists() or \
        Revision.objects.filter(status=RevisionStatus.FINAL, to_edition=edition).exists()


@transaction.atomic
def edition_update(*, edition: Edition, label: str, issued_on: datetime.date, pages: list[dict], base_version: str | None = None, actor) -> Edition:
    """Correct an edition's text (page and line positions as printed)."""
    _allowed(actor)
    edition = Edition.objects.select_for_update().select_related("handbook").get(pk=edition.pk)
    concurrency.check(edition, base_version, subject=str(edition), describe={"pages": _describe_pages})
    if _used_by_final(edition):
        raise ValidationError("この版は確定した改訂（資料7）に使われているため、本文を直せません。新しい版として登録してください。")
    check_pages(pages)
    before = _edition_snapshot(edition)
    edition.label, edition.issued_on, edition.pages = label.strip(), issued_on, pages
    edition.full_clean()
    edition.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=edition, root=edition.handbook, before=before, after=_edition_snapshot(edition),
                 summary=f"版「{edition.label}」の本文を訂正")
    return edition


REVISION_FIELDS = ("reason", "background", "promulgated_on", "enforced_on", "revised_on")


def _validate_dates(revision: Revision) -> None:
    if revision.promulgated_on and revision.enforced_on and revision.enforced_on < revision.promulgated_on:
        raise ValidationError({"enforced_on": f"施行日（{wareki(revision.enforced_on)}）が公布日（{wareki(revision.promulgated_on)}）より前です。"})


def _write_rows(revision: Revision, rows: list[rules.Row]) -> None:
    RevisionRow.objects.bulk_create(RevisionRow(revision=revision, order=n, location=r.location[:120], before=r.before, after=r.after)
                                    for n, r in enumerate(rows, start=1))


@transaction.atomic
def revision_create(*, handbook: Handbook, from_edition: Edition, to_edition: Edition, reason: str, background: str = "",
                    promulgated_on=None, enforced_on=None, revised_on=None, actor) -> Revision:
    """「改訂を作成」: the 新旧対照表 between two editions of the handbook (handbooks.rules), as a draft the office edits."""
    _allowed(actor)
    if from_edition.handbook_id != handbook.pk or to_edition.handbook_id != handbook.pk:
        raise ValidationError({"to_edition": "改訂前と改訂後には、同じ手引の版を選んでください。"})
    if from_edition.pk == to_edition.pk:
        raise ValidationError({"to_edition": "改訂前と改訂後に同じ版が選ばれています。"})
    revision = Revision(handbook=handbook, from_edition=from_edition, to_edition=to_edition, reason=reason.strip(), background=background.strip(),
                        promulgated_on=promulgated_on, enforced_on=enforced_on, revised_on=revised_on or to_edition.issued_on)
    revision.full_clean()
    _validate_dates(revision)
    revision.save()
    rows = rules.revision_rows(rules.pages_from_json(from_edition.pages), rules.pages_from_json(to_edition.pages))
    _write_rows(revision, rows)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=revision, after=audit.snapshot(revision),
                 summary=f"新旧対照表を作成（{from_edition.label}→{to_edition.label}、{len(rows)}行）")
    return revision


def _draft(revision: Revision, base_version: str | None, subject: str, obj=None) -> None:
    concurrency.check(obj or revision, base_version, subject=subject)
    if revision.status != RevisionStatus.DRAFT:
        raise ValidationError("この改訂は確定済みです（資料7として印刷されます）。直すには確定を取り消してください。")


@transaction.atomic
def revision_update(*, revision: Revision, base_version: str | None = None, actor, **data) -> Revision:
    """The reason and the ordinance's dates (資料7's lead paragraph)."""
    _allowed(actor)
    revision = Revision.objects.select_for_update().select_related("handbook").get(pk=revision.pk)
    _draft(revision, base_version, str(revision))
    before = audit.snapshot(revision)
    for key in REVISION_FIELDS:
        if key in data:
            value = data[key]
            setattr(revision, key, value.strip() if isinstance(value, str) else value)
    revision.full_clean()
    _validate_dates(revision)
    revision.save()
    after = audit.snapshot(revision)
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=revision, before=before, after=after, summary=audit.correction_summary(Revision, before, after))
    return revision


@transaction.atomic
def row_update(*, row: RevisionRow, location: str, before: str, after: str, base_version: str | None = None, actor) -> RevisionRow:
    """The office corrects a row of the table before printing."""
    _allowed(actor)
    row = RevisionRow.objects.select_for_update().select_related("revision__handbook").get(pk=row.pk)
    _draft(row.revision, base_version, f"新旧対照表の行「{row.location}」", obj=row)
    old = audit.snapshot(row)
    row.location, row.before, row.after = location.strip(), before.rstrip(), after.rstrip()
    row.full_clean()
    row.save()
    new = audit.snapshot(row)
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=row, root=row.revision, before=old, after=new,
                 summary=audit.correction_summary(RevisionRow, old, new, lead=f"行「{row.location}」を訂正"))
    return row


@transaction.atomic
def row_add(*, revision: Revision, location: str, before: str, after: str, actor) -> RevisionRow:
    _allowed(actor)
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    _draft(revision, None, str(revision))
    last = revision.rows.order_by("-order").values_list("order", flat=True).first() or 0
    row = RevisionRow(revision=revision, order=last + 1, location=location.strip(), before=before.rstrip(), after=after.rstrip())
    row.full_clean()
    row.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=row, root=revision, after=audit.snapshot(row), summary=f"行「{row.location}」を追加")
    return row


@transaction.atomic
def row_delete(*, row: RevisionRow, actor) -> None:
    _allowed(actor)
    row = RevisionRow.objects.select_for_update().select_related("revision").get(pk=row.pk)
    _draft(row.revision, None, str(row.revision))
    audit.record(actor=actor, action=AuditAction.DELETE, obj=row, root=row.revision, before=audit.snapshot(row), summary=f"行「{row.location}」を削除")
    row.delete()


@transaction.atomic
def revision_finalize(*, revision: Revision, actor) -> Revision:
    """確定: the table is what 資料7 prints."""
    _allowed(actor)
    revision = Revision.objects.select_for_update().select_related("handbook").get(pk=revision.pk)
    if revision.status == RevisionStatus.FINAL:
        raise ValidationError("この改訂はすでに確定しています。")
    if not revision.rows.exists():
        raise ValidationError("新旧対照表に行がありません。行を追加してから確定してください。")
    before = audit.snapshot(revision)
    revision.status = RevisionStatus.FINAL
    revision.save(update_fields=["status"])
    audit.record(actor=actor, action=AuditAction.FINALIZE_REVISION, obj=revision, before=before, after=audit.snapshot(revision),
                 summary=f"新旧対照表を確定（{revision.rows.count()}行）")
    return revision


@transaction.atomic
def revision_reopen(*, revision: Revision, actor) -> Revision:
    """確定の取消し: back to a draft, to correct the table."""
    _allowed(actor)
    revision = Revision.objects.select_for_update().select_related("handbook").get(pk=revision.pk)
    if revision.status != RevisionStatus.FINAL:
        raise ValidationError("この改訂は確定していません。")
    before = audit.snapshot(revision)
    revision.status = RevisionStatus.DRAFT
    revision.save(update_fields=["status"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=revision, before=before, after=audit.snapshot(revision), summary="確定を取り消し")
    return revision


@transaction.atomic
def revision_from_packet(*, draft: RevisionDraft, source: str, actor) -> list[Revision]:
    """A printed 資料7 read back (handbooks.ingest.read_revision_text) → one draft revision per handbook, to review.
    A handbook not yet kept is created by its name; the revisions have no editions (the packet prints only the table)."""
    _allowed(actor)
    if not draft.tables:
        raise ValidationError("資料7から手引の新旧対照表を読み取れませんでした。" + "".join(draft.warnings))
    revised_on = draft.enforced_on or draft.promulgated_on or timezone.localdate()
    made = []
    for table in draft.tables:
        handbook = Handbook.objects.filter(name=table.handbook).first() or handbook_create(name=table.handbook, order=Handbook.objects.count() + 1, actor=actor)
        revision = Revision(handbook=handbook, reason=(draft.reason or draft.background or "資料7から取込")[:200], background=draft.background,
                            promulgated_on=draft.promulgated_on, enforced_on=draft.enforced_on, revised_on=revised_on, source=source[:200])
        revision.full_clean()
        revision.save()
        _write_rows(revision, table.rows)
        audit.record(actor=actor, action=AuditAction.IMPORT, obj=revision, after=audit.snapshot(revision),
                     summary=f"資料7から取込（{len(table.rows)}行、{source[:80]}）")
        made.append(revision)
    return made
