"""A document's file made into the PDF it is reviewed and redacted as: DOCX and XLSX through LibreOffice headless
(Debian's `soffice`, a separate program: its licence (MPL) stays out of our process), images through Pillow, a PDF
as it is. Each conversion has a time limit; every failure is a ConversionError whose message says what to do.

Which format a file is comes from its first bytes, not from its name: a renamed file is refused, not fed to a converter.
"""
import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pypdfium2
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from mamori.core.redaction.reading import PDFIUM
from mamori.core.rendering import FONT_DIR
from mamori.disclosure.models import FileKind

SOFFICE = "soffice"
IMAGE_MAX_PIXELS = 60_000_000  # a scan of A3 at 600 dpi is ~70 Mpx; larger is no page but a decompression bomb


class ConversionError(Exception):
    """The file could not become a PDF; the message is for the person who attached it."""


def kind_of(data: bytes, name: str) -> str | None:
    """The kind of file ``data`` is (FileKind), from its content; None for anything else."""
    if data.startswith(b"%PDF-"):
        return FileKind.PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return FileKind.DOCX
        if "xl/workbook.xml" in names:
            return FileKind.XLSX
        return None
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff" or data[:4] in (b"II*\x00", b"MM\x00*"):
        return FileKind.IMAGE
    return None


def timeout_seconds() -> int:
    return settings.MAMORI_CONVERT_TIMEOUT


# The fonts LibreOffice lays Japanese text out in: the project's Noto fonts (a bare Debian has no Japanese font), and
# the names Japanese documents ask for (ＭＳ 明朝, 游ゴシック …) mapped onto them, so a page breaks where it did in Word.
MINCHO = ("ＭＳ 明朝", "MS Mincho", "ＭＳ Ｐ明朝", "MS PMincho", "游明朝", "Yu Mincho", "HG明朝E", "serif")
GOTHIC = ("ＭＳ ゴシック", "MS Gothic", "ＭＳ Ｐゴシック", "MS PGothic", "游ゴシック", "Yu Gothic", "メイリオ", "Meiryo", "sans-serif")


def fonts_conf(tmp: Path) -> Path:
    aliases = "".join(f"<alias binding=\"same\"><family>{name}</family><prefer><family>{target}</family></prefer></alias>"
                      for names, target in ((MINCHO, "Noto Serif JP"), (GOTHIC, "Noto Sans JP")) for name in names)
    conf = tmp / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"<dir>{FONT_DIR}</dir><cachedir>{tmp / 'fc-cache'}</cachedir>{aliases}</fontconfig>", encoding="utf-8")
    return conf


def _office(data: bytes, suffix: str) -> bytes:
    if shutil.which(SOFFICE) is None:
        raise ConversionError("この機械にLibreOffice（soffice）がありません。システム管理者に scripts/system-setup.sh の実行を依頼してください。"
                              "それまではPDFにしてから登録してください。")
    with tempfile.TemporaryDirectory(prefix="mamori-convert-") as tmp:
        src = Path(tmp) / f"document{suffix}"
        src.write_bytes(data)
        # A profile of its own: two conversions at once (two workers) never share LibreOffice's user directory.
        profile = (Path(tmp) / "profile").as_uri()
        # A session of its own, so that a conversion over its time is ended with every process LibreOffice started.
        proc = subprocess.Popen([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                                 "--outdir", tmp, str(src)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                                env={"HOME": tmp, "PATH": "/usr/bin:/bin:/usr/local/bin", "FONTCONFIG_FILE": str(fonts_conf(Path(tmp)))})
        try:
            proc.wait(timeout=timeout_seconds())
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise ConversionError(f"PDFへの変換が{timeout_seconds()}秒で終わりませんでした。ファイルを分けるか、PDFにしてから登録してください。") from None
        out = Path(tmp) / "document.pdf"
        if not out.exists() or out.stat().st_size == 0:
            raise ConversionError("LibreOfficeでPDFにできませんでした。ファイルが壊れていないか、パスワードが掛かっていないか確かめてください。")
        return out.read_bytes()


def _image(data: bytes) -> bytes:
    Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as img:
            frames = []
            for i in range(getattr(img, "n_frames", 1)):
                img.seek(i)
                frames.append(img.convert("RGB"))
            dpi = img.info.get("dpi", (200, 200))[0] or 200
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise ConversionError("画像として読めないか、大きすぎます（6,000万画素まで）。スキャンの解像度を下げるか、PDFにして登録してください。") from None
    out = io.BytesIO()
    frames[0].save(out, "PDF", save_all=True, append_images=frames[1:], resolution=float(dpi))
    return out.getvalue()


def _check_pdf(data: bytes) -> bytes:
    with PDFIUM:  # PDFium is not thread-safe: every use holds core.redaction's lock
        try:
            pdf = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError:
            raise ConversionError("PDFとして開けません。壊れているか、パスワードが掛かっています。パスワードを外したPDFを登録してください。") from None
        try:
            if len(pdf) == 0:
                raise ConversionError("ページのないPDFです。")
        finally:
            pdf.close()
    return data


def to_pdf(data: bytes, kind: str) -> bytes:
    """The review PDF of a file of ``kind``; ConversionError when it cannot be made."""
    if kind == FileKind.PDF:
        return _check_pdf(data)
    if kind == FileKind.IMAGE:
        return _check_pdf(_image(data))
    if kind in (FileKind.DOCX, FileKind.XLSX):
        return _check_pdf(_office(data, f".{kind}"))
    raise ConversionError("PDF・Word（DOCX）・Excel（XLSX）・画像（PNG・JPEG・TIFF）のファイルを登録してください。")
