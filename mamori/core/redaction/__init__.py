"""Redaction that removes (issue 16): apply boxes to a PDF, check any redacted PDF, suggest boxes.

Generic PDF work in core, used by the request documents and by `mamori redact`. Coordinates are display points
(geometry.py); the choice of libraries is docs/adr/0013-redaction.md.

    from mamori.core.redaction import Box, Suggestion, Failure, RedactionFailed, redact, verify, suggest, page_sizes, render_page, page_words
"""
from collections.abc import Sequence
from dataclasses import dataclass

from mamori.core.redaction import checking, reading, writing
from mamori.core.redaction.checking import Failure
from mamori.core.redaction.geometry import Box
from mamori.core.redaction.reading import UnreadablePdf
from mamori.core.redaction.suggesting import Suggestion, suggest
from mamori.core.redaction.writing import RedactionError

__all__ = ["Box", "Failure", "RedactionError", "RedactionFailed", "Suggestion", "UnreadablePdf", "Word", "page_sizes",
           "page_words", "redact", "render_page", "suggest", "verify"]


class RedactionFailed(Exception):
    """The redacted file did not pass the check: it must not be released. ``failures`` say where."""

    def __init__(self, failures: Sequence[Failure]):
        self.failures = list(failures)
        super().__init__("墨塗りの確認で問題が見つかりました: " + " / ".join(f.message for f in self.failures[:5])
                         + (f" ほか {len(self.failures) - 5} 件" if len(self.failures) > 5 else ""))


@dataclass(frozen=True)
class Word:
    """A run of characters without whitespace on one line, and each character's box (display points)."""
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    chars: tuple[tuple[str, float, float, float, float], ...]  # (char, x0, top, x1, bottom)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Displayed (width, height) in points of each page."""
    with reading.opened(pdf) as doc:
        return [reading.frame(doc[i]).size for i in range(len(doc))]


def _page(doc, page: int):
    if not 1 <= page <= len(doc):
        raise RedactionError(f"{page}ページ目はありません（この PDF は {len(doc)} ページです）。")
    return doc[page - 1]


def render_page(pdf: bytes, page: int, *, scale: float = 1.5) -> bytes:
    """PNG of the page as displayed (1-based ``page``), ``scale`` pixels per point."""
    with reading.opened(pdf) as doc:
        return reading.png(reading.render(_page(doc, page), scale))


def page_words(pdf: bytes, page: int) -> list[Word]:
    """The page's text as words with display boxes, for marking by selecting text."""
    with reading.opened(pdf) as doc:
        chars = reading.chars(_page(doc, page), detail=False)
    return words_of(chars)


def words_of(chars) -> list[Word]:
    words, run = [], []

    def flush():
        if run:
            words.append(Word("".join(c.text for c in run), min(c.x0 for c in run), min(c.top for c in run),
                              max(c.x1 for c in run), max(c.bottom for c in run),
                              tuple((c.text, c.x0, c.top, c.x1, c.bottom) for c in run)))
            run.clear()

    for c in chars:
        if c.text.isspace():
            flush()
            continue
        if run:
            prev = run[-1]
            gap = c.flow[0] - prev.flow[2]  # loose boxes of one word touch; a word space is about a quarter em
            if not reading.same_line(prev, c) or gap > max(prev.size, c.size) * 0.15 or gap < -max(prev.size, c.size):
                flush()
        run.append(c)
    flush()
    return words


def verify(output: bytes, source: bytes, boxes: Sequence[Box]) -> list[Failure]:
    """What of the source survives in ``output`` inside the boxes, or in the file: empty means safe to release."""
    return checking.check(output, source, boxes)


def redact(pdf: bytes, boxes: Sequence[Box]) -> bytes:
    """The redacted PDF: boxes applied and stamped, hidden content stripped, then checked with verify().

    Raises RedactionError for boxes that cannot be applied, UnreadablePdf for a file pdfium cannot open, and
    RedactionFailed when the check finds anything: the output is then not returned."""
    output = writing.apply(pdf, boxes)
    failures = verify(output, pdf, boxes)
    if failures:
        raise RedactionFailed(failures)
    return output
