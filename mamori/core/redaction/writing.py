"""Applying boxes: every page with a box is replaced by a picture of itself with the boxes painted black, an
invisible text layer (render mode 3) for the characters outside every box, and the article stamped in white on
each box; then everything a reader does not see is stripped from the whole file (docs/adr/0013-redaction.md)."""
import io
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pikepdf
from PIL import ImageDraw
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from mamori.core.redaction import reading
from mamori.core.redaction.geometry import Box, grow, touches

DPI = 200  # the picture of a redacted page: small print stays legible, 100 pages stay under the benchmark's 20 s
JPEG_QUALITY = 85
STAMP_FONT = "MamoriRedactionGothic"
STAMP_FILE = Path(__file__).resolve().parents[1] / "fonts" / "NotoSansJP_400Regular.ttf"
STAMP_MAX_PT, STAMP_MIN_PT = 10.5, 3.0
TEXT_MARGIN = 1.0  # points: a character this close to a box is left out of the text layer too

# Catalogue entries a reader does not see, or that can carry what was removed (ISO 32000-1 §7.7.2): document
# metadata, attachments and scripts (Names), actions run on opening, form fields, hidden layers, bookmarks
# (their titles quote the text), the structure tree (its /Alt and /ActualText repeat the text).
ROOT_KEYS = ("/Metadata", "/Names", "/OpenAction", "/AA", "/AcroForm", "/OCProperties", "/Outlines", "/StructTreeRoot",
             "/MarkInfo", "/Threads", "/SpiderInfo", "/PieceInfo", "/Perms", "/Legal", "/Collection", "/URI")
PAGE_KEYS = ("/Annots", "/AA", "/Thumb", "/PieceInfo", "/Metadata", "/B", "/StructParents", "/Trans", "/PresSteps")


class RedactionError(ValueError):
    """The boxes cannot be applied as given (a page that does not exist, an empty rectangle, no article)."""


@cache
def stamp_font() -> str:
    pdfmetrics.registerFont(TTFont(STAMP_FONT, str(STAMP_FILE)))
    return STAMP_FONT


def check_boxes(boxes: Sequence[Box], sizes: list[tuple[float, float]]) -> None:
    for i, b in enumerate(boxes, 1):
        if not 1 <= b.page <= len(sizes):
            raise RedactionError(f"枠{i}: {b.page}ページ目はありません（この PDF は {len(sizes)} ページです）。")
        if not (b.x1 > b.x0 and b.bottom > b.top):
            raise RedactionError(f"枠{i}（{b.page}ページ目）: 右端は左端より、下端は上端より大きくしてください。")
        w, h = sizes[b.page - 1]
        if b.x1 <= 0 or b.bottom <= 0 or b.x0 >= w or b.top >= h:
            raise RedactionError(f"枠{i}（{b.page}ページ目）はページの外にあります（ページは幅 {w:.0f} × 高さ {h:.0f} ポイント）。")
        if not (b.article or "").strip():
            raise RedactionError(f"枠{i}（{b.page}ページ目）に不開示の理由（条項）がありません。")


def _stamp(c, box: Box, page_height: float) -> None:
    font = stamp_font()
    text = box.article.strip()
    w, h = box.x1 - box.x0, box.bottom - box.top
    size = min(STAMP_MAX_PT, h * 0.75)
    width = pdfmetrics.stringWidth(text, font, size)
    if width > w * 0.94:
        size = size * w * 0.94 / width
    if size < STAMP_MIN_PT:
        return  # a box too small for any legible stamp: the black stays, the notice names the article
    width = pdfmetrics.stringWidth(text, font, size)
    c.setFillColorRGB(1, 1, 1)
    c.setFont(font, size)
    baseline = page_height - (box.top + box.bottom) / 2 - size * 0.35
    c.drawString((box.x0 + box.x1) / 2 - width / 2, baseline, text)


def _text_layer(c, kept: list, page_height: float) -> None:
    """The characters outside the boxes, invisible (render mode 3) where the source had them, so the page can
    still be searched and its text copied."""
    if not kept:
        return
    font = stamp_font()
    t = c.beginText()
    t.setTextRenderMode(3)
    for ch in kept:
        size = max(ch.size, 1.0)
        t.setFont(font, size)
        natural = pdfmetrics.stringWidth(ch.text, font, size)
        t.setHorizScale(max(1.0, min(1000.0, 100.0 * ch.advance / natural)) if natural > 0 and ch.advance > 0 else 100)
        t.setTextOrigin(ch.origin[0], page_height - ch.origin[1])
        t.textOut(ch.text)
    c.drawText(t)


def _pictures(doc, pages: list[int], by_page: dict[int, list[Box]]) -> bytes:
    """One PDF with the new pages, in the order of ``pages`` (0-based page numbers)."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pageCompression=1)
    c.setCreator("")
    c.setProducer("")
    scale = DPI / 72
    for n in pages:
        page = doc[n]
        fr = reading.frame(page)
        width, height = fr.size
        boxes = by_page.get(n + 1, [])
        image = reading.render(page, scale, annotations=True)
        draw = ImageDraw.Draw(image)
        for b in boxes:  # a pixel more on each side: anti-aliased edges of the source do not survive
            draw.rectangle((int(b.x0 * scale) - 1, int(b.top * scale) - 1, int(b.x1 * scale + 1) + 1, int(b.bottom * scale + 1) + 1), fill=(0, 0, 0))
        grown = [grow(b.rect, TEXT_MARGIN) for b in boxes]
        kept = [ch for ch in reading.chars(page, fr) if not any(touches(g, ch.rect) for g in grown)]
        page.close()
        c.setPageSize((width, height))
        jpeg = io.BytesIO()
        image.save(jpeg, format="JPEG", quality=JPEG_QUALITY)
        jpeg.seek(0)
        c.drawImage(ImageReader(jpeg), 0, 0, width=width, height=height)
        _text_layer(c, kept, height)
        for b in boxes:
            _stamp(c, b, height)
        c.showPage()
    c.save()
    return out.getvalue()


def strip(pdf: pikepdf.Pdf) -> None:
    """Remove what a reader does not see, in the whole file (pages without boxes included)."""
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    for key in ROOT_KEYS:
        if key in pdf.Root:
            del pdf.Root[key]
    for page in pdf.pages:
        for key in PAGE_KEYS:
            if key in page.obj:
                del page.obj[key]
    for obj in pdf.objects:  # XMP on images and forms, private application data
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            for key in ("/Metadata", "/PieceInfo"):
                if key in obj:
                    del obj[key]


def apply(source: bytes, boxes: Sequence[Box]) -> bytes:
    """The redacted file, not yet checked (redact() checks it)."""
    by_page: dict[int, list[Box]] = defaultdict(list)
    for b in boxes:
        by_page[b.page].append(b)
    with reading.opened(source) as doc:
        sizes = [reading.frame(doc[i]).size for i in range(len(doc))]
        check_boxes(boxes, sizes)
        with pikepdf.open(io.BytesIO(source)) as probe:
            hidden_layers = "/OCProperties" in probe.Root
        # With hidden layers, every page becomes the picture a reader sees: without /OCProperties their content would show.
        pages = list(range(len(doc))) if hidden_layers else sorted(p - 1 for p in by_page)
        pictures = _pictures(doc, pages, by_page) if pages else None
    with pikepdf.open(io.BytesIO(source)) as pdf:
        if pictures:
            new = pikepdf.open(io.BytesIO(pictures))
            for j, n in enumerate(pages):
                pdf.pages[n] = new.pages[j]
        strip(pdf)
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
    return out.getvalue()
