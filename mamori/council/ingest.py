"""`mamori ingest` and the upload on 「文書からの取込」: a council packet, every part of it, awaiting the office's check.

One path for both. The document is read and parsed in a child process within the limits
(register.importers.sandbox, settings.MAMORI_INGEST_LIMITS), outside any transaction. Its text is
then cut into parts (council.packet_parts: 次第, 資料N, 特記事項, 別紙N) and each part goes to the reader
that recognises it (資料1・2 → 届出, 資料3〜6 → a year's figures, 資料7 → a handbook revision once that reader
is registered); a part no reader reads is reported as such. The 届出, the source, the meeting, the
parts and their drafts are written in one short transaction. A refusal is an IngestError with a
Japanese message, and nothing is written.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from mamori.core.permissions import can_review_notifications, require
from mamori.council import services as council
from mamori.council.models import PartStatus
from mamori.council.packet_parts import PartUnreadable, reader_for, split_parts
from mamori.register.importers.ingest import ingest
from mamori.register.importers.limits import IngestError, Limits
from mamori.register.importers.sandbox import read_and_parse

NAME_LENGTH = 255  # IngestSource.file_name
NOT_MATERIAL = {"次第": "会議の次第（開催日・場所・議題）として読みました。", "特記事項": "委託契約の様式のため取り込みません。"}


def read_parts(text: str, *, progress: Callable[[int, str], None] | None = None) -> list[tuple]:
    """(order, part, reader, reading, message, status) for every part of the packet's text."""
    out = []
    parts = split_parts(text)
    for order, part in enumerate(parts, start=1):
        if progress:
            progress(30 + 50 * order // max(len(parts), 1), f"{part.label}を読んでいます")
        reader = reader_for(part)
        reading, status = None, PartStatus.UNSUPPORTED
        if reader is None:
            message = NOT_MATERIAL.get(part.label) or ("委託契約の様式のため取り込みません。" if part.label.startswith("別紙")
                                                      else "読み取りに対応していない資料です（内容を判断できませんでした）。")
            status = PartStatus.READ if part.label == "次第" else PartStatus.UNSUPPORTED
        elif reader.read is None:
            message = f"読み取りに対応していない資料です（{reader.label}）。{reader.unsupported}".rstrip()
        else:
            try:
                if reader.stage is council.year_figures_stage and part.fiscal_year is None:
                    raise PartUnreadable("どの年度の数値か（「令和５年度…」）が表題から読み取れませんでした")
                reading = reader.read(part)
                message, status = reading.summary + "".join(f" {w}" for w in reading.warnings), PartStatus.READ
            except PartUnreadable as exc:
                message, status = f"読み取れませんでした（{exc}）。", PartStatus.FAILED
        out.append((order, part, reader, reading, message, status))
    return out


def ingest_file(*, path: Path, actor, dry_run: bool = False, limits: Limits | None = None, name: str | None = None,
                progress: Callable[[int, str], None] | None = None) -> dict:
    """What was read (the JSON of `mamori ingest --format json`) and, unless ``dry_run``, what was created."""
    if actor is not None:
        require(can_review_notifications(actor), "文書を取り込めるのは個人情報保護担当です。")
    name = name or Path(path).name
    if len(name) > NAME_LENGTH:
        raise IngestError(f"ファイル名が長すぎます（{len(name)} 文字、上限 {NAME_LENGTH} 文字）。短い名前にしてください。")
    if progress:
        progress(5, "文書を読み取っています")
    pages = (lambda done, total: progress(5 + 20 * done // total, f"文字認識（OCR）: {done}／{total}ページ")) if progress else None
    outcome = read_and_parse(Path(path), limits, progress=pages)
    result = outcome.result
    result.source = name
    parts = read_parts(outcome.text, progress=progress)
    drafted = [p for p in parts if p[3] is not None and p[3].drafts]  # parts that give something to review
    if not result.notifications and not drafted:
        raise IngestError(f"「{name}」に事務事業のブロック（事務事業名・理由及び経緯・内容・担当）が見つかりませんでした"
                          "（運用状況・研修・委託・漏えい等の報告の数値もありません）。"
                          + "".join(f"{p.label}: {m}" for _, p, _, _, m, s in parts if s == PartStatus.FAILED))
    found = result.as_json() | {"parts": [{"label": p.label, "title": p.title, "reader": r.key if r else "", "status": str(s), "message": m}
                                          for _, p, r, _, m, s in parts]}
    if outcome.ocr:
        found["ocr"] = outcome.ocr
    if dry_run:
        return found
    if progress:
        progress(85, "確認待ちとして書き込んでいます")
    placed: dict = {"meeting": None, "created": False, "parts": []}

    def assign(report) -> None:
        meeting, created = council.meeting_for_document(header=result.meeting.as_json() if result.meeting else {}, actor=actor)
        if meeting and report.created:
            council.meeting_assign(meeting=meeting, notifications=report.created, actor=actor, imported=True)
        placed.update(meeting=meeting, created=created)
        placed["parts"] = council.packet_parts_stage(source=report.source, outcomes=parts, actor=actor)

    report = ingest(result=result, text=outcome.text, sha256=outcome.sha256, size=outcome.size, actor=actor, then=assign, ocr=outcome.ocr)
    meeting = placed["meeting"]
    return found | {
        "source_id": report.source.pk if report.source else None,
        "already_ingested": report.already_ingested,
        "created": [n.number for n in report.created],
        "figures": sum(p.count for p in placed["parts"] if p.reader != "handbook"),
        "handbook_rows": sum(p.count for p in placed["parts"] if p.reader == "handbook"),
        "skipped": report.skipped,
        "meeting_record": (meeting.title + ("（新規作成）" if placed["created"] else "（既存）")) if meeting else None,
        "unknown_units": report.unknown_units,
        "unknown_items": report.unknown_items,
        "unknown_programs": report.unknown_programs,
    }
