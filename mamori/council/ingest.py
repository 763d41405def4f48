"""`mamori ingest` and the upload on 「文書からの取込」: a council packet becomes 届出 awaiting the office's check.

One path for both. The document is read and parsed in a child process within the limits
(register.importers.sandbox, settings.MAMORI_INGEST_LIMITS), outside any transaction; then the
届出, the source and the meeting assignment are written in one short transaction. A refusal is
an IngestError with a Japanese message, and nothing is written.
"""
from __future__ import annotations

from pathlib import Path

from mamori.core.permissions import can_review_notifications, require
from mamori.council import services as council
from mamori.register.importers.ingest import ingest
from mamori.register.importers.limits import IngestError, Limits
from mamori.register.importers.sandbox import read_and_parse

NAME_LENGTH = 255  # IngestSource.file_name


def ingest_file(*, path: Path, actor, dry_run: bool = False, limits: Limits | None = None, name: str | None = None) -> dict:
    """What was read (the JSON of `mamori ingest --format json`) and, unless ``dry_run``, what was created."""
    if actor is not None:
        require(can_review_notifications(actor), "文書を取り込めるのは個人情報保護担当です。")
    name = name or Path(path).name
    if len(name) > NAME_LENGTH:
        raise IngestError(f"ファイル名が長すぎます（{len(name)} 文字、上限 {NAME_LENGTH} 文字）。短い名前にしてください。")
    outcome = read_and_parse(Path(path), limits)
    result = outcome.result
    result.source = name
    if not result.notifications:
        raise IngestError(f"「{name}」に事務事業のブロック（事務事業名・理由及び経緯・内容・担当）が見つかりませんでした。")
    if dry_run:
        return result.as_json()
    placed: dict = {"meeting": None, "created": False}

    def assign(report) -> None:
        meeting, created = council.meeting_for_document(header=result.meeting.as_json() if result.meeting else {}, actor=actor)
        if meeting and report.created:
            council.meeting_assign(meeting=meeting, notifications=report.created, actor=actor, imported=True)
        placed.update(meeting=meeting, created=created)

    report = ingest(result=result, text=outcome.text, sha256=outcome.sha256, size=outcome.size, actor=actor, then=assign)
    meeting = placed["meeting"]
    return result.as_json() | {
        "already_ingested": report.already_ingested,
        "created": [n.number for n in report.created],
        "skipped": report.skipped,
        "meeting_record": (meeting.title + ("（新規作成）" if placed["created"] else "（既存）")) if meeting else None,
        "unknown_units": report.unknown_units,
        "unknown_items": report.unknown_items,
        "unknown_programs": report.unknown_programs,
    }
