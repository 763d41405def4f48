"""A council packet split into its parts (次第, 資料N, 特記事項, 別紙N), and the readers that recognise and read them.

The packet's text (as the sandboxed reader returned it) is cut at its part headings: a line that is only
「資料３」, 「個人情報の取扱いに関する特記事項」 or 「別紙１（第２条関係）」. Each part then goes to the first
registered reader that recognises it. A reader turns the part's text into drafts (``read``) and writes them
for review (``stage``); a part no reader recognises, or whose reader cannot read it, is reported with the
reason, never dropped silently.

Readers register here (``register_part_reader``) from the app that owns what they produce: the council's own
for 資料1・2 (届出, read by register.importers) and 資料3〜6 (YearFigure, council.figure_readers); the
handbooks app's for 資料7 (a handbook revision) replaces the placeholder registered below.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

_MATERIAL = re.compile(r"^資\s*料\s*([0-9０-９]{1,2})$")
_PROVISIONS = re.compile(r"^(?:個人情報の(?:取扱い|保護)に関する)?特記事項$")
_ANNEX = re.compile(r"^別\s*紙\s*([0-9０-９]{1,2})\s*(?:[（(][^）)]{1,20}[）)])?$")
_YEAR = re.compile(r"(令和|平成)\s*(元|[0-9]{1,2})\s*年度")


@dataclass
class Part:
    label: str  # 「次第」「資料3」「特記事項」「別紙1」
    number: int | None  # N of 資料N
    lines: list[str]  # stripped, blank lines dropped
    first_line: int  # 1-based line number in the packet's text

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def title(self) -> str:
        """The part's first line that is not its label: 「令和５年度 職員への研修状況」."""
        return next((line for line in self.lines[:5] if len(line) > 3), "")[:120]

    @property
    def fiscal_year(self) -> int | None:
        """The fiscal year the part reports (「令和５年度…」 in its first lines)."""
        for line in self.lines[:8]:
            m = _YEAR.search(unicodedata.normalize("NFKC", line))
            if m:
                return {"令和": 2018, "平成": 1988}[m.group(1)] + (1 if m.group(2) == "元" else int(m.group(2)))
        return None


def split_parts(text: str) -> list[Part]:
    """The packet's parts in order; what comes before the first heading is the 次第 (or nothing, when blank)."""
    parts = [Part(label="次第", number=None, lines=[], first_line=1)]
    for n, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n"), start=1):
        line = raw.strip(" \t\u3000\u00a0")
        if not line:
            continue
        norm = unicodedata.normalize("NFKC", line)
        material, annex = _MATERIAL.match(norm), _ANNEX.match(norm)
        if material:
            parts.append(Part(label=f"資料{int(material.group(1))}", number=int(material.group(1)), lines=[line], first_line=n))
        elif annex:
            parts.append(Part(label=f"別紙{int(annex.group(1))}", number=None, lines=[line], first_line=n))
        elif _PROVISIONS.match(norm.replace(" ", "")):
            parts.append(Part(label="特記事項", number=None, lines=[line], first_line=n))
        else:
            parts[-1].lines.append(line)
    return [p for p in parts if p.lines]


class PartUnreadable(Exception):
    """A recognised part that could not be read; the message says why (in Japanese)."""


@dataclass
class Reading:
    """What a reader found in a part: drafts for its ``stage`` and the sentence the review shows."""

    drafts: list = field(default_factory=list)
    summary: str = ""  # 「58件の数値を読み取りました」
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PartReader:
    key: str
    label: str  # what the part is: 「運用状況の報告」
    recognise: Callable[[Part], bool]
    read: Callable[[Part], Reading] | None = None  # None: recognised, but not read by this version
    stage: Callable[..., int] | None = None  # stage(*, reading, part, source, actor) -> rows written
    unsupported: str = ""  # why a recognised part is not read (read is None)


READERS: dict[str, PartReader] = {}


def register_part_reader(reader: PartReader) -> None:
    """Add a reader, or replace the one with the same key (the handbooks app replaces 「handbook」)."""
    READERS[reader.key] = reader


def reader_for(part: Part) -> PartReader | None:
    return next((r for r in READERS.values() if r.recognise(part)), None)


def title_has(*words: str) -> Callable[[Part], bool]:
    """A 資料 whose first lines name one of ``words`` (not the 次第, whose 議題 name them all)."""
    return lambda part: part.number is not None and any(w in unicodedata.normalize("NFKC", "".join(part.lines[:4])) for w in words)
