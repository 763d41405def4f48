"""An uploaded edition (DOCX or PDF) → pages and lines as printed, within limits (register.importers.limits:
file size, ZIP expansion and ratio, PDF streams, page count, characters).

* PDF (pdfplumber): each page of the file is a page; its lines are the text lines pdfplumber reads, top to
  bottom. A page's printed number is taken from a last (or first) line 「― 5 ―」「- 5 -」「5」 when there is
  one (and that line is dropped); else the pages are numbered from 1.
* DOCX (python-docx): each paragraph is a line (a handbook kept in Word with a hard return at each printed
  line end keeps its positions; otherwise the office corrects the text after upload). A page ends at a page
  break, or at a paragraph 「―― 5 ――」 (which gives the page its number), as in typed text.

An upload is read in a child process held to the ingestion limits' memory and time (``read_upload``; the same
bounds as register.importers.sandbox), so a hostile file is refused with a message instead of holding the server.
"""
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from mamori.handbooks import rules
from mamori.register.importers.limits import MB, SPLIT, IngestError, Limits, refuse, setting
from mamori.register.importers.readers import check_pdf_streams, check_zip

PAGE_FOOT = re.compile(r"^\s*[―—－\-─]*\s*([0-9０-９]{1,4})\s*[―—－\-─]*\s*$")


def _size(name: str, raw: bytes, limits: Limits) -> None:
    if len(raw) > limits.file_mb * MB:
        raise refuse("ファイルの大きさ", f"{limits.file_mb} MB", f"{len(raw) / MB:.1f} MB", "file_mb", "文書を分けて取り込む")


def pages_from_pdf(name: str, raw: bytes, limits: Limits | None = None) -> list[rules.Page]:
    # pdfplumber (pdfminer) is heavy and only PDFs need it: imported when one is read.
    import pdfplumber

    limits = limits or Limits.from_settings()
    _size(name, raw, limits)
    if not raw.startswith(b"%PDF") or b"%%EOF" not in raw[-2048:]:
        raise IngestError(f"ファイル「{name}」はPDFとして読めません（途中で切れているか、PDFではありません）。")
    check_pdf_streams(name, raw, limits)
    pages, chars = [], 0
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            if len(pdf.pages) > limits.pages:
                raise refuse("PDF のページ数", f"{limits.pages:,} ページ", f"{len(pdf.pages):,} ページ", "pages", "文書を分けて取り込む")
            for index, page in enumerate(pdf.pages, start=1):
                lines = [line.rstrip() for line in (page.extract_text() or "").split("\n")]
                chars += sum(len(x) for x in lines)
                if chars > limits.text_chars:
                    raise refuse("文字数", f"{limits.text_chars:,} 文字", f"{index}ページ目までで {chars:,} 文字", "text_chars", "文書を分けて取り込む")
                number = index
                for at in (-1, 0):
                    if lines and PAGE_FOOT.match(lines[at]):
                        number = int(unicodedata.normalize("NFKC", PAGE_FOOT.match(lines.pop(at)).group(1)))
                        break
                pages.append(rules.Page(number, tuple(lines)))
                page.close()
    except IngestError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise IngestError(f"ファイル「{name}」はPDFとして読めません（{type(exc).__name__}）。壊れていないか確認してください。") from exc
    if not any(line.strip() for p in pages for line in p.lines):
        raise IngestError(f"PDF「{name}」には文字のデータがありません（スキャンした画像と思われます）。文字の入ったPDFか、Word の文書を指定してください。")
    return pages


def pages_from_docx(name: str, raw: bytes, limits: Limits | None = None) -> list[rules.Page]:
    import docx

    limits = limits or Limits.from_settings()
    _size(name, raw, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            check_zip(name, zf, limits)
        document = docx.Document(io.BytesIO(raw))
    except IngestError:
        raise
    except Exception as exc:  # BadZipFile, lxml and python-docx errors
        raise IngestError(f"ファイル「{name}」はWord（.docx）として読めません（{type(exc).__name__}）。Word で保存し直してください。") from exc
    text = []
    for paragraph in document.paragraphs:
        breaks = paragraph._p.xpath('.//w:br[@w:type="page"]')
        if breaks and not paragraph.text.strip():
            text.append(rules.FORM_FEED)
            continue
        text.append(paragraph.text)
        if breaks:
            text.append(rules.FORM_FEED)
    return rules.pages_from_text("\n".join(text))


def pages_from_upload(name: str, raw: bytes, limits: Limits | None = None) -> list[rules.Page]:
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        return pages_from_pdf(name, raw, limits)
    if suffix == ".docx":
        return pages_from_docx(name, raw, limits)
    raise IngestError(f"ファイル「{name}」は読めません。Word（.docx）か PDF を指定してください。")


ROOT = Path(__file__).resolve().parents[2]


def read_upload(name: str, raw: bytes, limits: Limits | None = None) -> list[rules.Page]:
    """``pages_from_upload`` in a child process (``python -m mamori.handbooks.reading``) held to ``memory_mb`` and
    ``seconds``; IngestError with the reason in Japanese."""
    limits = limits or Limits.from_settings()
    _size(name, raw, limits)
    if Path(name).suffix.lower() not in (".pdf", ".docx"):
        raise IngestError(f"ファイル「{name}」は読めません。Word（.docx）か PDF を指定してください。")
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix.lower()) as f:
        f.write(raw)
        f.flush()
        try:
            child = subprocess.run([sys.executable, "-m", "mamori.handbooks.reading"], capture_output=True, timeout=limits.seconds, env=env,
                                   cwd=str(ROOT), input=json.dumps({"path": f.name, "name": name, "limits": limits.as_dict()}).encode())
        except subprocess.TimeoutExpired as exc:
            raise IngestError(f"読み取りの時間が上限 {limits.seconds:g} 秒を超えたため中止しました。{SPLIT}か、{setting('seconds')} を見直してください。") from exc
    try:
        answer = json.loads(child.stdout)
    except ValueError:
        answer = {"error": f"ファイル「{name}」は読み取りの途中で処理が止まりました（メモリの上限 {limits.memory_mb} MB を超えたか、ファイルが壊れています）。"}
    if "error" in answer:
        raise IngestError(answer["error"])
    return rules.pages_from_json(answer["pages"])


def _child(request: dict) -> dict:
    # Imported here: the child sets its limits before anything heavy is imported.
    from mamori.register.importers.sandbox import _limit_self

    limits = Limits.from_dict(request["limits"])
    _limit_self(limits)
    try:
        raw = Path(request["path"]).read_bytes()
        return {"pages": rules.pages_to_json(pages_from_upload(request["name"], raw, limits))}
    except IngestError as exc:
        return {"error": str(exc)}
    except MemoryError:
        return {"error": f"読み取りに使うメモリが上限 {limits.memory_mb} MB を超えたため中止しました。{SPLIT}か、{setting('memory_mb')} を見直してください。"}
    except Exception as exc:  # noqa: BLE001 — a reader's bug: refused all the same, with its kind
        return {"error": f"ファイル「{request['name']}」は読み取れませんでした（{type(exc).__name__}）。ファイルが壊れていないか確認してください。"}


if __name__ == "__main__":
    sys.stdout.write(json.dumps(_child(json.loads(sys.stdin.buffer.read())), ensure_ascii=True))


def reading_limit() -> int:
    """Bytes read from an upload at most (one more tells a file that is too large)."""
    return Limits.from_settings().file_mb * MB
