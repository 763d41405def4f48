"""Files → text, within the limits (importers.limits), or a Japanese IngestError that says what to fix.

No Django here: ``importers.sandbox`` runs these in a child process held to a memory and time
limit. The checks that need no parsing come first (size, kind of content, the ZIP directory, the
PDF trailer and streams), so most hostile files are refused before anything is inflated.
"""
from __future__ import annotations

import os
import re
import zipfile
import zlib
from pathlib import Path

from mamori.register.importers import ocr
from mamori.register.importers.limits import MB, SPLIT, IngestError, Limits, mb, refuse, setting

SUFFIXES = (".txt", ".pdf", ".docx")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")  # PostgreSQL refuses NUL; lone surrogates cannot be stored
_BIG_MEMBER = 1 * MB  # the ratio limit applies above this inflated size


def read_document(path: Path, limits: Limits | None = None, *, report: dict | None = None) -> str:
    """The text of the file. ``report`` (when given) receives ``"ocr"``: the pages read by OCR (importers.ocr) and
    their confidence, for the review."""
    path = Path(path)
    limits = limits or Limits()
    raw = _read_file(path, limits)
    suffix = path.suffix.lower()
    _check_content(path, suffix, raw)
    if suffix == ".txt":
        text = read_txt(path.name, raw)
    elif suffix == ".pdf":
        text = read_pdf(path, raw, limits, report=report)
    else:
        text = read_docx(path, raw, limits)
    text = clean_text(text)
    if not text.strip():
        raise IngestError(f"ファイル「{path.name}」には文字がありません。")
    check_text(text, limits, suffix)
    return text


def _read_file(path: Path, limits: Limits) -> bytes:
    if not path.exists():
        raise IngestError(f"ファイル「{path}」が見つかりません。")
    if path.is_dir():
        raise IngestError(f"「{path.name}」はフォルダーです。取り込むファイルを指定してください。")
    if not path.is_file():
        raise IngestError(f"「{path.name}」は普通のファイルではありません。取り込むファイルを指定してください。")
    if path.suffix.lower() not in SUFFIXES:
        raise IngestError(f"「{path.suffix or '拡張子なし'}」のファイルは読めません。.txt、.pdf、.docx のいずれかを指定してください。")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(f"ファイル「{path.name}」は空です（0バイト）。")
    if size > limits.file_mb * MB:
        raise refuse("ファイルの大きさ", f"{limits.file_mb} MB", mb(size), "file_mb", "審議会資料・届出書ごとに" + SPLIT)
    try:
        with path.open("rb") as f:
            return f.read(limits.file_mb * MB + 1)
    except OSError as exc:
        raise IngestError(f"ファイル「{path.name}」を開けません（{os.strerror(exc.errno) if exc.errno else type(exc).__name__}）。"
                          "読み取りの権限を確認してください。") from exc


_KINDS = {b"%PDF-": "PDF", b"PK\x03\x04": "ZIP（Word・Excel など）", b"\xd0\xcf\x11\xe0": "古い形式の Office 文書（.doc・.xls）",
          b"\x89PNG": "PNG 画像", b"\xff\xd8\xff": "JPEG 画像"}


def _kind(raw: bytes) -> str | None:
    head = raw[:1024]
    return next((kind for magic, kind in _KINDS.items() if head.startswith(magic) or (magic == b"%PDF-" and magic in head)), None)


def _check_content(path: Path, suffix: str, raw: bytes) -> None:
    """The extension and the content agree (a .docx that is a PDF, a .txt that is a ZIP …)."""
    kind = _kind(raw)
    expected = {".pdf": "PDF", ".docx": "ZIP（Word・Excel など）", ".txt": None}[suffix]
    if kind == expected:
        return
    if suffix == ".pdf":
        raise IngestError(f"ファイル「{path.name}」はPDFとして読めません（先頭に %PDF- がありません{f'。中身は{kind}です' if kind else ''}）。"
                          "PDF を指定するか、正しい拡張子を付けてください。")
    if suffix == ".docx":
        raise IngestError(f"ファイル「{path.name}」はWord（.docx）として読めません（ZIP の形式ではありません{f'。中身は{kind}です' if kind else ''}）。"
                          "Word で .docx として保存し直してください。")
    raise IngestError(f"ファイル「{path.name}」は文字のファイルではありません（中身は{kind}です）。拡張子を中身に合わせてください。")


# ---------------------------------------------------------------- text files


def _line_at(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def read_txt(name: str, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(name, raw, "utf-16", "UTF-16")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise IngestError(f"ファイル「{name}」は文字のファイルではありません（バイナリです）: {nul} バイト目（{_line_at(raw, nul)}行目）に NUL 文字があります。"
                          "UTF-8 かシフトJISのテキストとして保存し直してください。")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8 = exc
    if utf8.end >= len(raw) and utf8.reason == "unexpected end of data":
        raise IngestError(f"ファイル「{name}」は途中で切れています: UTF-8 の文字の途中（{utf8.start} バイト目、{_line_at(raw, utf8.start)}行目）で終わっています。"
                          "元のファイルをもう一度コピーしてください。")
    looks_utf8 = any(b >= 0x80 for b in raw[:utf8.start])  # Japanese read well as UTF-8 before the bad byte
    for encoding, label in (("cp932", "シフトJIS"), ("euc_jp", "EUC-JP")):
        if looks_utf8:
            break
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "cp932" and exc.end >= len(raw) and "incomplete" in exc.reason:
                raise IngestError(f"ファイル「{name}」は途中で切れています: シフトJISの文字の途中（{exc.start} バイト目、{_line_at(raw, exc.start)}行目）で終わっています。"
                                  "元のファイルをもう一度コピーしてください。") from exc
    raise IngestError(f"ファイル「{name}」の文字コードが分かりません: UTF-8 としては {utf8.start} バイト目（{_line_at(raw, utf8.start)}行目）が正しくなく、"
                      "シフトJIS・EUC-JP としても読めません。UTF-8 かシフトJISで保存し直してください。")


def _decode(name: str, raw: bytes, encoding: str, label: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(f"ファイル「{name}」は {label} として {exc.start} バイト目が正しくありません（途中で切れているか壊れています）。"
                          "UTF-8 で保存し直してください。") from exc


# ---------------------------------------------------------------- checks on what was read


def check_text(text: str, limits: Limits, suffix: str) -> None:
    lines = text.split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    what = "段落" if suffix == ".docx" else "行"
    if len(lines[longest]) > limits.line_chars:
        raise refuse(f"一番長い{what}の長さ", f"{limits.line_chars:,} 文字", f"{longest + 1}{what}目が {len(lines[longest]):,} 文字", "line_chars",
                     f"改行のない文書は審議会資料として読めません。{what}を分けて保存し直す")
    if len(text) > limits.text_chars:
        raise refuse("文字数", f"{limits.text_chars:,} 文字", f"{len(text):,} 文字", "text_chars", SPLIT)
    if len(lines) > limits.blocks:
        raise refuse(f"{what}の数", f"{limits.blocks:,}", f"{len(lines):,}", "blocks", SPLIT)


def clean_text(text: str) -> str:
    """Control characters out (a PDF's unmapped glyphs come as NUL; PostgreSQL refuses NUL in text)."""
    return _CONTROL.sub("", text)


# ---------------------------------------------------------------- PDF


def _pdf_streams(raw: bytes):
    """(offset, dictionary, data) of each stream in the file, found in the bytes without parsing."""
    for m in re.finditer(rb"stream\r?\n", raw):
        if raw[max(0, m.start() - 3):m.start()] == b"end":
            continue
        end = raw.find(b"endstream", m.end())
        if end < 0:
            end = len(raw)
        head = raw.rfind(b" obj", max(0, m.start() - 4096), m.start())
        yield m.start(), raw[head if head >= 0 else max(0, m.start() - 512):m.start()], raw[m.end():end]


def check_pdf_streams(name: str, raw: bytes, limits: Limits) -> None:
    """Inflate each Flate stream with a bound before pdfminer does (it inflates streams whole)."""
    total = 0
    for offset, head, data in _pdf_streams(raw):
        if b"/Image" in head or not data[:1] == b"x":  # images are not read for text; only zlib streams inflate
            continue
        inflater = zlib.decompressobj()
        size = 0
        chunk = data
        try:
            while chunk and size <= limits.stream_mb * MB:
                size += len(inflater.decompress(chunk, MB))
                chunk = inflater.unconsumed_tail
        except zlib.error:
            continue  # pdfminer reports damaged streams itself
        if size > limits.stream_mb * MB:
            raise refuse("PDF の一つのデータ（ストリーム）の展開後の大きさ", f"{limits.stream_mb} MB",
                         f"{offset} バイト目のストリームが {limits.stream_mb} MB 超", "stream_mb", SPLIT)
        if size > _BIG_MEMBER and size > limits.ratio * max(len(data), 1):
            raise refuse("PDF のストリームの圧縮率", f"{limits.ratio} 倍", f"{offset} バイト目のストリームが {size // max(len(data), 1):,} 倍",
                         "ratio", "圧縮爆弾の疑いがあります。元の文書から PDF を作り直す")
        total += size
        if total > limits.expanded_mb * MB:
            raise refuse("PDF の展開後の大きさ", f"{limits.expanded_mb} MB", f"{limits.expanded_mb} MB 超", "expanded_mb", SPLIT)


def read_pdf(path: Path, raw: bytes, limits: Limits, *, report: dict | None = None) -> str:
    # pdfplumber (pdfminer) is heavy and only PDFs need it: imported when one is read.
    import pdfplumber
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    if b"%%EOF" not in raw[-2048:]:
        raise IngestError(f"ファイル「{path.name}」はPDFとして読めません: 途中で切れているようです（{len(raw):,} バイトで終わり、PDF の終わりの印 %%EOF がありません）。"
                          "元のファイルをもう一度コピーしてください。")
    check_pdf_streams(path.name, raw, limits)
    try:
        with path.open("rb") as f:
            doc = PDFDocument(PDFParser(f))
            pages = resolve1(resolve1(doc.catalog.get("Pages")) or {}).get("Count")
        if isinstance(pages, int) and pages > limits.pages:
            raise refuse("PDF のページ数", f"{limits.pages:,} ページ", f"{pages:,} ページ", "pages", SPLIT)
        texts: list[str] = []
        scanned: list[int] = []  # pages with an image and no text: read by OCR below
        chars = 0
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > limits.pages:
                raise refuse("PDF のページ数", f"{limits.pages:,} ページ", f"{len(pdf.pages):,} ページ", "pages", SPLIT)
            for page in pdf.pages:
                texts.append(clean_text(page.extract_text() or ""))
                if not texts[-1].strip() and page.images:
                    scanned.append(page.page_number - 1)
                chars += len(texts[-1])
                if chars > limits.text_chars:
                    raise refuse("文字数", f"{limits.text_chars:,} 文字", f"{page.page_number}ページ目までで {chars:,} 文字", "text_chars", SPLIT)
                page.close()
    except IngestError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise IngestError(f"PDF「{path.name}」はパスワードで保護されていて読めません。保護を外した PDF を指定してください。") from exc
    except RecursionError as exc:
        raise IngestError(f"ファイル「{path.name}」はPDFとして読めません（入れ子が深すぎます）。") from exc
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise IngestError(f"ファイル「{path.name}」はPDFとして読めません（{type(exc).__name__}）。壊れていないか確認してください。") from exc
    if scanned:
        read, record = ocr.ocr_pages(path, scanned, limits, on_page=(report or {}).get("on_page"))
        for n, text in read.items():
            texts[n] = clean_text(text)
        if report is not None:
            report["ocr"] = record.as_dict()
    if not "".join(texts).strip():
        raise IngestError(
            f"PDF「{path.name}」には文字のデータがありません（スキャンした画像のPDFと思われます）。"
            "OCRで文字を付けたPDFか、元のWord・テキストのファイルを指定してください。"
        )
    return "\n".join(texts)


# ---------------------------------------------------------------- DOCX


_DOCX_BLOCK = re.compile(rb"<w:(?:p|tr)[ >/]")


def check_zip(name: str, zf: zipfile.ZipFile, limits: Limits) -> None:
    """From the central directory, before anything is inflated; then inflate once, counting."""
    members = zf.infolist()
    if len(members) > limits.zip_members:
        raise refuse("Word 文書の部品の数", f"{limits.zip_members:,}", f"{len(members):,}", "zip_members", "Word で保存し直す")
    declared = sum(m.file_size for m in members)
    if declared > limits.expanded_mb * MB:
        raise refuse("展開後の大きさ", f"{limits.expanded_mb} MB", mb(declared), "expanded_mb", SPLIT)
    for m in members:
        if m.file_size > _BIG_MEMBER and m.file_size > limits.ratio * max(m.compress_size, 1):
            raise refuse("圧縮率", f"{limits.ratio} 倍", f"部品 {m.filename} が {m.file_size // max(m.compress_size, 1):,} 倍", "ratio",
                         "圧縮爆弾の疑いがあります。Word で保存し直す")
    total = blocks = 0
    for m in members:  # the streaming guard: what really inflates, whatever the directory says
        text_part = m.filename.startswith("word/") and m.filename.endswith(".xml")
        try:
            with zf.open(m) as member:
                tail = b""
                while block := member.read(MB):
                    total += len(block)
                    if total > limits.expanded_mb * MB:
                        raise refuse("展開後の大きさ", f"{limits.expanded_mb} MB", f"{limits.expanded_mb} MB 超", "expanded_mb", SPLIT)
                    if text_part:  # paragraphs and table rows, counted before lxml builds a tree of them
                        blocks += len(_DOCX_BLOCK.findall(tail + block))
                        tail = block[-4:]  # shorter than a match: none is counted twice
                        if blocks > limits.blocks:
                            raise refuse("段落と表の行の数", f"{limits.blocks:,}", f"{limits.blocks:,} 超", "blocks", SPLIT)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise IngestError(f"ファイル「{name}」はWord（.docx）として読めません: 部品 {m.filename} が壊れているか途中で切れています（{exc}）。"
                              "元のファイルをもう一度コピーしてください。") from exc


def read_docx(path: Path, raw: bytes, limits: Limits) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(path.name, zf, limits)
    except zipfile.BadZipFile as exc:
        raise IngestError(f"ファイル「{path.name}」はWord（.docx）として読めません: 途中で切れているか壊れています（{len(raw):,} バイト、ZIP の目次が読めません）。"
                          "元のファイルをもう一度コピーしてください。") from exc
    try:
        document = docx.Document(str(path))
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"ファイル「{path.name}」はWord（.docx）として読めません: 中の XML が壊れているか、入れ子が深すぎるか、実体参照（ENTITY）の展開が多すぎます（{exc.msg[:120]}）。") from exc
    except Exception as exc:  # python-docx raises several kinds (PackageNotFoundError, KeyError …)
        raise IngestError(f"ファイル「{path.name}」はWord（.docx）として読めません（{type(exc).__name__}）。Word で保存し直してください。") from exc
    lines: list[str] = []
    count = 0

    def counted():
        nonlocal count
        count += 1
        if count > limits.blocks:
            raise refuse("段落と表の行の数", f"{limits.blocks:,}", f"{limits.blocks:,} 超", "blocks", SPLIT)

    def walk(container):
        for block in container.iter_inner_content():
            counted()
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in block.rows:
                    counted()
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # merged cells repeat
                            continue
                        seen.add(id(cell._tc))
                        walk(cell)

    try:
        for section in document.sections:
            walk(section.header)
        walk(document)
    except IngestError:
        raise
    except RecursionError as exc:
        raise IngestError(f"ファイル「{path.name}」はWord（.docx）として読めません（表の入れ子が深すぎます）。") from exc
    except Exception as exc:
        raise IngestError(f"ファイル「{path.name}」はWord（.docx）として読めません（{type(exc).__name__}）。Word で保存し直してください。") from exc
    return clean_text("\n".join(lines))


__all__ = ["IngestError", "Limits", "read_document", "setting"]
