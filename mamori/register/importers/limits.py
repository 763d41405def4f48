"""The limits an ingested document must keep (settings.MAMORI_INGEST_LIMITS, docs/operations.md).

Council packets come from outside. Every reader checks these before and while it works, and the
whole read runs in a child process (importers.sandbox) held to ``memory_mb`` and ``seconds``, so a
hostile file is refused with a message that names the limit instead of exhausting the server.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

MB = 1024 * 1024
SETTING = "MAMORI_INGEST_LIMITS"


class IngestError(Exception):
    """A file that cannot be read as council materials; the message says why, in Japanese."""


@dataclass(frozen=True)
class Limits:
    file_mb: int = 20  # the file as given
    expanded_mb: int = 100  # DOCX: sum of the ZIP members; PDF: sum of the inflated streams
    stream_mb: int = 50  # one PDF stream, inflated
    ratio: int = 200  # inflated ÷ compressed, for a ZIP member or PDF stream above 1 MB inflated
    zip_members: int = 2000
    pages: int = 1000  # PDF
    text_chars: int = 2_000_000  # the text read
    line_chars: int = 20_000  # its longest line (a paragraph in a DOCX)
    blocks: int = 100_000  # lines (TXT, PDF) or paragraphs and table rows (DOCX)
    programs: int = 200  # 事務事業 blocks found; also bounds the write transaction (about 10 ms per 届出)
    seconds: float = 30  # the whole read and parse; the child process is killed after it
    ocr_pages: int = 30  # PDF pages without a text layer read by OCR (importers.ocr), about 1–3 s each
    ocr_seconds: float = 300  # all the OCR of one document, on top of ``seconds``
    memory_mb: int = 400  # address space of the child process (RLIMIT_AS); with the ~100 MB of the calling process, under 500 MB

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings  # the child process reads its limits from its parent, not from Django

        return cls.from_dict(getattr(settings, SETTING, {}) or {})

    @classmethod
    def from_dict(cls, data: dict) -> Limits:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"{SETTING} に知らない項目があります: {', '.join(unknown)}（使える項目: {', '.join(sorted(known))}）")
        return cls(**data)

    def as_dict(self) -> dict:
        return asdict(self)


def setting(name: str) -> str:
    return f"設定 {SETTING}['{name}']"


def mb(n: int) -> str:
    return f"{n / MB:.1f} MB" if n < 10 * MB else f"{n / MB:.0f} MB"


def refuse(what: str, limit: str, actual: str, name: str, fix: str) -> IngestError:
    """「<what>が上限 <limit> を超えます（この文書は <actual>）。<fix>か、設定 … を見直してください。」"""
    return IngestError(f"{what}が上限 {limit} を超えます（この文書は {actual}）。{fix}か、{setting(name)} を見直してください。")


SPLIT = "文書を分けて取り込む"
