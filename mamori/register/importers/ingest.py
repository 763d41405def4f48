"""Ingested documents into 届出 awaiting the office's check (取込済・確認待ち).

Nothing in the register (programs, versions) changes here: the office reviews each
notification beside its source text, corrects what was read, and accepts it
(services.imported_accept). Importing the same file twice, or another file with the
same blocks, creates nothing new.
"""
from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from mamori.core import audit
from mamori.core.models import AuditAction, OrgUnit, UnitKind
from mamori.register.importers.council_documents import Extracted, ParseResult, parse, read_document
from mamori.register.models import (
    IngestSource,
    Notification,
    NotificationEvent,
    NotificationEventKind,
    NotificationKind,
    NotificationStatus,
    Program,
    name_key,
)
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
    from django.db.models import Q

    same_name = Notification.objects.filter(kind=e.kind).filter(Q(proposed__name=e.program) | Q(extracted__program=e.program))
    return any(notification_key(n.kind, e.program, n.reason, n.content) == key for n in same_name.exclude(status=NotificationStatus.WITHDRAWN))


class Matcher:
    """Names in a document → programs and units of this installation (NFKC, spaces ignored)."""

    def __init__(self):
        self.programs = {name_key(p.current.name): p for p in Program.objects.filter(current__isnull=False).select_related("current")}
        self.units = list(OrgUnit.objects.select_related("parent__parent__parent"))

    def program(self, name: str) -> Program | None:
        return self.programs.get(name_key(name))

    def unit(self, department: dict) -> OrgUnit | None:
        def named(kind, name, parent_name=None):
            for u in self.units:
                if u.kind == kind and name_key(u.name) == name_key(name):
                    if parent_name is None or (u.parent and name_key(u.parent.name) == name_key(parent_name)):
                        return u
            return None

        if department.get("team"):
            return named(UnitKind.TEAM, department["team"])
        if department.get("unit") and department.get("section"):
            found = named(UnitKind.UNIT, department["unit"], department["section"])
            if found:
                return found
        if department.get("section"):
            return named(UnitKind.SECTION, department["section"])
        if department.get("division"):
            return named(UnitKind.DIVISION, department["division"])
        return None


def review_lists(extracted: dict, matcher: Matcher | None = None, vocabulary: Vocabulary | None = None) -> dict:
    """What the office must map or create before accepting: unknown items, programs, unit."""
    matcher = matcher or Matcher()
    vocabulary = vocabulary or Vocabulary()
    provided_programs = [p for p in extracted.get("provided_to", []) if matcher.program(p) or p.endswith("事業")]
    return {
        "unknown_items": [i for i in extracted.get("items", []) if vocabulary.find(i) is None],
        "unknown_programs": [p for p in [*extracted.get("reuse_sources", []), *provided_programs] if matcher.program(p) is None],
    }


@dataclass
class IngestReport:
    source: IngestSource | None
    already_ingested: bool = False
    created: list[Notification] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # programs whose block was already imported
    unknown_units: list[str] = field(default_factory=list)
    unknown_items: list[str] = field(default_factory=list)
    unknown_programs: list[str] = field(default_factory=list)


def read(path: Path) -> tuple[bytes, ParseResult]:
    path = Path(path)
    text = read_document(path)
    return path.read_bytes(), parse(text, path.name)


@transaction.atomic
def ingest(*, raw: bytes, result: ParseResult, actor=None, text: str | None = None) -> IngestReport:
    digest = hashlib.sha256(raw).hexdigest()
    existing = IngestSource.objects.filter(sha256=digest).first()
    if existing:
        return IngestReport(source=existing, already_ingested=True)
    source = IngestSource.objects.create(
        file_name=result.source, sha256=digest, size=len(raw), text=text or "\n".join(n.source_text for n in result.notifications),
        meeting=result.meeting.as_json() if result.meeting else None, created_by=actor if getattr(actor, "pk", None) else None,
    )
    report = IngestReport(source=source)
    matcher, vocabulary = Matcher(), Vocabulary()
    effective = datetime.date.fromisoformat(result.meeting.date) if result.meeting and result.meeting.date else timezone.localdate()
    from mamori.register.services import next_notification_number

    for e in result.notifications:
        key = block_key(e)
        if already_filed(e, key):
            report.skipped.append(e.program)
            continue
        data = e.as_json() | {"department_text": e.department_text, "titles": e.titles}
        unit = matcher.unit(data["department"])
        program = matcher.program(e.program) if e.kind != NotificationKind.NEW else None
        if unit is None and (e.department_text or e.program) not in report.unknown_units:
            report.unknown_units.append(e.department_text or e.program)
        lists = review_lists(data, matcher, vocabulary)
        report.unknown_items += [i for i in lists["unknown_items"] if i not in report.unknown_items]
        report.unknown_programs += [p for p in lists["unknown_programs"] if p not in report.unknown_programs]
        now = timezone.now()
        n = Notification.objects.create(
            number=next_notification_number(timezone.localdate()), kind=e.kind, status=NotificationStatus.IMPORTED,
            program=program, base_version=program.current if program else None, unit=unit,
            reason=e.reason_paragraphs or e.reason, content=e.content_paragraphs or e.content, proposed={},
            effective_date=effective, created_by=actor, created_at=now, updated_at=now,
            source=source, source_block=e.source_text, extracted=data, import_key=key,
        )
        NotificationEvent.objects.create(notification=n, actor=actor, kind=NotificationEventKind.IMPORT, at=now, comment=f"{source.file_name} から取込")
        audit.record(actor=actor, action=AuditAction.IMPORT, obj=n, after={"source": source.file_name, "extracted": data}, summary="文書から取込")
        report.created.append(n)
    return report


HIGHLIGHT_CLASSES = (
    ("program", "事務事業名"), ("items", "記録項目"), ("reuse_sources", "目的外利用の収集元"),
    ("provided_to", "提供先"), ("contractors", "委託先"),
)


def highlighted(source: str, extracted: dict) -> str:
    """The source block as HTML, each extracted phrase in a <mark> saying what it was read as.

    A phrase may cross a line break of the source, so the pattern allows one between any two characters.
    """
    import html
    import re

    phrases: dict[str, str] = {}
    for key, label in HIGHLIGHT_CLASSES:
        values = extracted.get(key) or []
        for value in [values] if isinstance(values, str) else values:
            if value and value not in phrases:
                phrases[value] = (key, label)
    dept = extracted.get("department") or {}
    for value in dept.values():
        if value and value not in phrases:
            phrases[value] = ("department", "担当")
    if not phrases:
        return html.escape(source)
    ordered = sorted(phrases, key=len, reverse=True)
    pattern = re.compile("|".join("\n?".join(re.escape(ch) for ch in phrase) for phrase in ordered))
    out, pos = [], 0
    for m in pattern.finditer(source):
        out.append(html.escape(source[pos:m.start()]))
        found = m.group(0).replace("\n", "")
        key, label = phrases.get(found, ("other", ""))
        out.append(f'<mark class="x-{key}" title="{label}">{html.escape(m.group(0))}</mark>')
        pos = m.end()
    out.append(html.escape(source[pos:]))
    return "".join(out)
