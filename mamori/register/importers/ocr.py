"""Text for the PDF pages that have none (a scanned packet): Tesseract's Japanese model, as a separate program.

The page is rendered with pypdfium2 at ``DPI`` into a temporary PNG and read by the ``tesseract`` CLI (Apache-2.0;
Debian ``tesseract-ocr`` and ``tesseract-ocr-jpn``, scripts/system-setup.sh) with ``-l jpn --psm 6`` into TSV: one
row per word with its box and confidence. Words are joined into lines as Japanese is written (no space), with a
space where the page leaves a wide gap (a table's columns) or between Latin words, so that the parsers read an
OCR'd page like a text one.

Runs inside the ingest sandbox (importers.sandbox) and keeps its limits: at most ``Limits.ocr_pages`` pages, each
``tesseract`` run within what is left of ``Limits.ocr_seconds``; tesseract runs with one thread (the server's
cores are shared). No Django here.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from mamori.register.importers.limits import SPLIT, IngestError, Limits, refuse, setting

DPI = 300
LOW_CONFIDENCE = 60  # below this, a word is listed for the office to check
TESSERACT = "tesseract"


@dataclass
class OcrRecord:
    """What the review shows: which pages came from OCR, how confident it was, and the doubtful words."""

    pages: list[int] = field(default_factory=list)  # 1-based
    confidences: list[float] = field(default_factory=list)
    low: list[dict] = field(default_factory=list)  # {"page", "text", "confidence"}

    def as_dict(self) -> dict:
        mean = round(sum(self.confidences) / len(self.confidences)) if self.confidences else 0
        return {"pages": self.pages, "confidence": mean, "low": self.low[:200]}


def available() -> bool:
    return shutil.which(TESSERACT) is not None


def _lines(tsv: str, page: int, record: OcrRecord) -> list[str]:
    """TSV rows (level 5 = word) grouped into lines, in reading order."""
    rows = [r.split("\t") for r in tsv.splitlines()[1:]]
    lines: dict[tuple, list[tuple[int, int, int, str, float]]] = {}
    for r in rows:
        if len(r) < 12 or r[0] != "5" or not r[11].strip():
            continue
        key = (int(r[2]), int(r[3]), int(r[4]))
        lines.setdefault(key, []).append((int(r[6]), int(r[7]), int(r[9]), r[11].strip(), float(r[10]), int(r[8])))
    out = []
    for key in sorted(lines):
        words = lines[key]
        text, end = "", None
        # the line's height, not the word's: 「ー」 or 「・」 have boxes a few pixels high
        heights = sorted(w[2] for w in words)
        height = heights[len(heights) // 2]
        for left, _top, _h, word, conf, width in words:
            record.confidences.append(conf)
            gap = left - end if end is not None else 0
            latin = text[-1:].isascii() and text[-1:].isalnum() and word[:1].isascii() and word[:1].isalnum()
            # Japanese has no spaces between words: a space only at a column's gap, or between two Latin words
            # (tesseract's own word breaks inside Japanese — 「警察 署」「・チ ーム」 — are not the page's).
            if end is not None and (gap > 1.5 * height or (latin and gap > 0.2 * height)):
                text += " "
            text += word
            end = left + width
        low = [w for w in words if 0 <= w[4] < LOW_CONFIDENCE]
        if low:
            record.low.append({"page": page, "text": text, "confidence": round(min(w[4] for w in low))})
        out.append(text)
    return out


def ocr_pages(path: Path, numbers: list[int], limits: Limits, on_page=None) -> tuple[dict[int, str], OcrRecord]:
    """The text of the pages ``numbers`` (0-based) of the PDF at ``path``, and the OCR record.
    ``on_page(done, total)`` after each page (the sandbox passes it on to the job's progress)."""
    if not available():
        raise IngestError(f"PDF「{path.name}」には文字のデータがないページがあります（スキャンした画像のPDFと思われます）。"
                          "このサーバーには文字認識（Tesseract）が入っていないため読めません。システム管理者に "
                          "scripts/system-setup.sh の実行を依頼するか、OCRで文字を付けたPDFを指定してください。")
    if len(numbers) > limits.ocr_pages:
        raise refuse("文字認識（OCR）するページ数", f"{limits.ocr_pages:,} ページ", f"{len(numbers):,} ページ", "ocr_pages", SPLIT)
    import pypdfium2 as pdfium  # only scanned PDFs need it

    record = OcrRecord()
    texts: dict[int, str] = {}
    deadline = time.monotonic() + limits.ocr_seconds
    left, _ = signal.getitimer(signal.ITIMER_REAL)
    if left > 0:  # the sandbox's alarm (importers.sandbox): OCR has its own time on top of the read's
        signal.setitimer(signal.ITIMER_REAL, left + limits.ocr_seconds)
    env = os.environ | {"OMP_THREAD_LIMIT": "1"}
    pdf = pdfium.PdfDocument(str(path))
    try:
        with tempfile.TemporaryDirectory(prefix="mamori-ocr-") as directory:
            for n in numbers:
                image = Path(directory) / f"page-{n + 1}.png"
                page = pdf[n]
                try:
                    page.render(scale=DPI / 72, grayscale=True).to_pil().save(image)
                finally:
                    page.close()
                left = deadline - time.monotonic()
                try:
                    if left <= 0:
                        raise subprocess.TimeoutExpired(TESSERACT, 0)
                    done = subprocess.run([TESSERACT, str(image), "stdout", "-l", "jpn", "--psm", "6", "tsv"],
                                          capture_output=True, timeout=left, env=env)
                except subprocess.TimeoutExpired:
                    raise IngestError(f"文字認識（OCR）の時間が上限 {limits.ocr_seconds:g} 秒を超えたため中止しました（{n + 1}ページ目）。"
                                      f"{SPLIT}か、{setting('ocr_seconds')} を見直してください。") from None
                if done.returncode != 0:
                    raise IngestError(f"PDF「{path.name}」の{n + 1}ページ目を文字認識（OCR）できませんでした。"
                                      "日本語の文字認識（tesseract-ocr-jpn）が入っているか、システム管理者に確認してください。")
                image.unlink()
                record.pages.append(n + 1)
                texts[n] = "\n".join(_lines(done.stdout.decode("utf-8", "replace"), n + 1, record))
                if on_page:
                    on_page(len(texts), len(numbers))
    finally:
        pdf.close()
    return texts, record
