"""Ingested documents into 届出 awaiting the office's check (取込済・確認待ち).

Nothing in the register (programs, versions) changes here: the office reviews each
notification beside its source text, corrects what was read, and accepts it (``accept``,
through services.imported_accept). Importing the same file twice, or another file with the
same blocks, creates nothing new. Every write goes through register.services.
"""
from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mamori.register import services
from mamori.register.importers.council_documents import Extracted, ParseResult, form_name_warning
from mamori.register.importers.mapping import Matcher, proposed_from_extracted, review_lists
from mamori.register.models import IngestSource, Notification, NotificationKind, NotificationStatus
from mamori.register.vocabulary import Vocabulary


def notification_key(kind: str, program: str, reason: str, content: str) -> str:
    """Same 届出 whatever the layout: NFKC, without any white space or line break."""
    text = "\x1f".join(re.sub(r"\s+", "", unicodedata.normalize("NFKC", x or "")) for x in (kind, program, reason, content))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def block_key(e: Extracted) -> str:
    return notification_key(e.kind, e.program, e.reason, e.content)


def already_filed(e: Extracted, key: str) -> bool:
    """Imported before, or the same 届出 entered in Mamori (by its kind, name and text)."""
    if Notification.objects.filter(import_key=key).exists():
        return True
    same_name = Notification.objects.filter(kind=e.kind).filter(Q(proposed__name=e.program) | Q(extracted__program=e.program))
    return any(notification_key(n.kind, e.program, n.reason, n.content) == key for n in same_name.exclude(status=NotificationStatus.WITHDRAWN))


@dataclass
class IngestReport:
    source: IngestSource | None
    already_ingested: bool = False
    created: list[Notification] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # programs whose block was already imported
    unknown_units: list[str] = field(default_factory=list)
    unknown_items: list[str] = field(default_factory=list)
    unknown_programs: list[str] = field(default_factory=list)


@dataclass
class _Planned:
    extracted: Extracted
    key: str
    data: dict
    unit: object
    program: object


def _plan(result: ParseResult, report: IngestReport) -> list[_Planned]:
    """Everything that only reads (matching units and programs, the review lists, what was filed
    before), done before the write transaction so that it stays short (SQLite has one writer)."""
    matcher, vocabulary = Matcher(), Vocabulary()
    planned, keys = [], set()
    for e in result.notifications:
        key = block_key(e)
        if key in keys or already_filed(e, key):
            report.skipped.append(e.program)
            continue
        keys.add(key)
        for name in e.form_names:  # a 「…書」 the item vocabulary knows is a 記録項目 after all
            if vocabulary.find(name) is not None:
                e.items.append(name)
                e.warnings = [w for w in e.warnings if w != form_name_warning(name)]
        data = e.as_json() | {"department_text": e.department_text, "titles": e.titles}
        unit = matcher.unit(data["department"])
        program = matcher.program(e.program) if e.kind != NotificationKind.NEW else None
        if unit is None and (e.department_text or e.program) not in report.unknown_units:
            report.unknown_units.append(e.department_text or e.program)
        lists = review_lists(data, matcher, vocabulary)
        report.unknown_items += [i for i in lists["unknown_items"] if i not in report.unknown_items]
        report.unknown_programs += [p for p in lists["unknown_programs"] if p not in report.unknown_programs]
        planned.append(_Planned(extracted=e, key=key, data=data, unit=unit, program=program))
    return planned


def ingest(*, result: ParseResult, text: str, sha256: str, size: int, actor=None, then=None, ocr: dict | None = None) -> IngestReport:
    """The parsed document becomes 届出 awaiting the office's check, in one short transaction.

    Parse first, outside any transaction (importers.sandbox); ``then(report)`` runs inside the
    same transaction, after the 届出 exist (the council assigns them to their meeting).
    """
    if IngestSource.objects.filter(sha256=sha256).exists():
        return IngestReport(source=IngestSource.objects.filter(sha256=sha256).first(), already_ingested=True)
    report = IngestReport(source=None)
    planned = _plan(result, report)
    effective = datetime.date.fromisoformat(result.meeting.date) if result.meeting and result.meeting.date else timezone.localdate()
    try:
        with transaction.atomic():
            # The first statement is a write: SQLite takes the write lock here, waiting its busy timeout.
            # A read first would pin a snapshot, and the later write would fail at once with
            # "database is locked" if another writer committed meanwhile (WAL, deferred transactions).
            report.source = services.ingest_source_create(
                actor=actor, file_name=result.source, sha256=sha256, size=size, text=text,
                meeting=result.meeting.as_json() if result.meeting else None, ocr=ocr,
            )
            for p in planned:
                if Notification.objects.filter(import_key=p.key).exists():  # imported meanwhile
                    report.skipped.append(p.extracted.program)
                    continue
                e = p.extracted
                report.created.append(services.notification_import(
                    actor=actor, source=report.source, kind=e.kind, unit=p.unit, program=p.program,
                    reason=e.reason_paragraphs or e.reason, content=e.content_paragraphs or e.content, effective_date=effective,
                    source_block=e.source_text, extracted=p.data, import_key=p.key,
                ))
            if then is not None:
                then(report)
    except IntegrityError:
        existing = IngestSource.objects.filter(sha256=sha256).first()
        if existing is None:
            raise
        return IngestReport(source=existing, already_ingested=True)  # the same file, ingested meanwhile
    return report


def accept(*, notification: Notification, actor, comment: str = "") -> Notification:
    """Accept a checked import: what was read becomes the program's next version."""
    return services.imported_accept(notification=notification, actor=actor, propose=proposed_from_extracted, comment=comment)
