"""Applying boxes: every page with a box is replaced by a picture of itself with the boxes painted black, an
invisible text layer (render mode 3) for the characters outside every box, and the article stamped in white on
each box; then everything a reader does not see is stripped from the whole file (docs/adr/0013-redaction.md)."""
import io
import math
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pikepdf
from PIL import Image, ImageChops, ImageDraw
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from mamori.core.redaction import reading, rules
from mamori.core.redaction.geometry import Box, grow, touches

DPI = 200  # the picture of a redacted page: small print stays legible, 100 pages stay under the benchmark's 20 s
JPEG_QUALITY = 80  # pages in colour (scans, photographs)
GREY_LEVELS = 16  # pages without colour: 16 greys, 4 bits a pixel, Flate (text stays sharp, half a JPEG's size)
COLOUR_TOLERANCE = 12  # a pixel whose channels differ by more than this is coloured
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
        if not all(math.isfinite(v) for v in b.rect):
            raise RedactionError(f"枠{i}: 座標は有限の数にしてください。")
        if not 1 <= b.page <= len(sizes):
            raise RedactionError(f"枠{i}: {b.page}ページ目はありません（この PDF は {len(sizes)} ページです）。")
        if not (b.x1 > b.x0 and b.bottom > b.top):
            raise RedactionError(f"枠{i}（{b.page}ページ目）: 右端は左端より、下端は上端より大きくしてください。")
        w, h = sizes[b.page - 1]
        if b.x1 <= 0 or b.bottom <= 0 or b.x0 >= w or b.top >= h:
            raise RedactionError(f"枠{i}（{b.page}ページ目）はページの外にあります（ページは幅 {w:.0f} × 高さ {h:.0f} ポイント）。")
        if not (b.article or "").strip():
            raise RedactionError(f"枠{i}（{b.page}ページ目）に不開示の理由（条項）がありません。")


def _stamp_size(text: str, font: str, along: float, across: float) -> float:
    size = min(STAMP_MAX_PT, across * 0.75)
    width = pdfmetrics.stringWidth(text, font, size)
    return size * along * 0.94 / width if width > along * 0.94 else size


def _fit(text: str, font: str, w: float, h: float) -> tuple[float, bool]:
    """The stamp's size in a box of w × h, and whether it runs along the box's height (turned)."""
    size, turned = _stamp_size(text, font, w, h), False
    if h > w and _stamp_size(text, font, h, w) > size:
        size, turned = _stamp_size(text, font, h, w), True
    return size, turned


def _stamp(c, box: Box) -> None:
    """The article in white, centred on the box; along the box's long side when it is taller than wide (a
    box over a line of a turned page). When the article does not fit at STAMP_MIN_PT, its short form
    (rules.stamp_texts: 「7条2号」, then 「7-2」)."""
    font = stamp_font()
    w, h = box.x1 - box.x0, box.bottom - box.top
    for text in rules.stamp_texts(box.article):
        size, turned = _fit(text, font, w, h)
        if size >= STAMP_MIN_PT:
            break
    else:
        return  # a box too small even for 「7-2」: the black stays, the notice names the article
    width = pdfmetrics.stringWidth(text, font, size)
    c.saveState()
    c.setFillColorRGB(1, 1, 1)
    c.setFont(font, size)
    c.translate((box.x0 + box.x1) / 2, (box.top + box.bottom) / 2)
    c.scale(1, -1)  # the display frame is y down: the stamp reads upright
    if turned:
        c.rotate(-90)
    c.drawString(-width / 2, -size * 0.35, text)
    c.restoreState()


def _runs(chars: list, kept: list[bool]) -> list[list]:
    """Kept characters in runs: consecutive in the source, on one line, in one direction and size."""
    runs, run = [], []
    for i, ch in enumerate(chars):
        if not kept[i]:
            run = []
            continue
        if run:
            prev = run[-1]
            if not (reading.same_line(prev, ch) and abs(prev.angle - ch.angle) < 1 and abs(prev.size - ch.size) < 0.1
                    and -0.5 * ch.size < ch.flow[0] - prev.flow[2] < 2 * ch.size):
                run = []
        if not run:
            runs.append(run)
        run.append(ch)
    return runs


def _text_layer(c, runs: list[list]) -> None:
    """The characters outside the boxes, invisible (render mode 3) where the source had them, so the page can
    still be searched and its text copied. One string per run (a viewer keeps a string's order), stretched to
    the run's length in the source."""
    if not runs:
        return
    font = stamp_font()
    t = c.beginText()
    t.setTextRenderMode(3)
    for run in runs:
        first, last = run[0], run[-1]
        text = "".join(ch.text for ch in run)
        size = max(first.size, 1.0)
        t.setFont(font, size)
        cos, sin = math.cos(math.radians(first.angle)), math.sin(math.radians(first.angle))
        length = (last.origin[0] - first.origin[0]) * cos + (last.origin[1] - first.origin[1]) * sin + last.advance
        natural = pdfmetrics.stringWidth(text, font, size)
        t.setHorizScale(max(1.0, min(1000.0, 100.0 * length / natural)) if natural > 0 and length > 0 else 100)
        t.setTextTransform(cos, sin, -sin, cos, first.origin[0], first.origin[1])
        t.textOut(text)
    c.drawText(t)


# From the display frame (y down) to the user space of a new page of the CropBox's size with the same /Rotate
# (the inverse of PageFrame.to_display with the CropBox at the origin), as reportlab's transform(a, b, c, d, e, f).
def _display_to_user(rotation: int, w: float, h: float) -> tuple[float, ...]:
    return {0: (1, 0, 0, -1, 0, h), 90: (0, 1, 1, 0, 0, 0), 180: (-1, 0, 0, 1, w, 0), 270: (0, -1, -1, 0, w, h)}[rotation]


def _objgen(obj) -> tuple[int, int]:
    return obj.objgen if isinstance(obj, pikepdf.Object) else (0, 0)


def _hidden_groups(pdf: pikepdf.Pdf) -> set:
    """The optional content groups the default configuration switches off (ISO 32000-1 §8.11.4.3)."""
    ocp = pdf.Root.get("/OCProperties")
    config = ocp.get("/D", pikepdf.Dictionary()) if ocp is not None else pikepdf.Dictionary()
    groups = {_objgen(g) for g in ocp.get("/OCGs", [])} if ocp is not None else set()
    on = {_objgen(g) for g in config.get("/ON", [])}
    off = {_objgen(g) for g in config.get("/OFF", [])}
    if config.get("/BaseState") == pikepdf.Name.OFF:
        off |= groups - on
    return off


def _hidden(oc, hidden: set) -> bool:
    """Whether content marked with ``oc`` (a group or a membership dictionary) is hidden; a membership is taken
    as hidden when any of its groups is (more is left out of the text layer, never less)."""
    if not isinstance(oc, pikepdf.Dictionary):
        return False
    if oc.get("/Type") == pikepdf.Name.OCMD:
        groups = oc.get("/OCGs", [])
        groups = [groups] if isinstance(groups, pikepdf.Dictionary) else groups
        return any(_objgen(g) in hidden for g in groups)
    return _objgen(oc) in hidden


def visible_only(source: bytes) -> bytes:
    """The source without the content of hidden layers (pdfium extracts text regardless of layers): the text
    layer of a redacted page is read from this copy, so hidden text does not become extractable."""
    with pikepdf.open(io.BytesIO(source)) as pdf:
        hidden = _hidden_groups(pdf)
        for page in pdf.pages:
            resources = page.obj.get("/Resources", pikepdf.Dictionary())
            properties = resources.get("/Properties", pikepdf.Dictionary())
            xobjects = resources.get("/XObject", pikepdf.Dictionary())
            kept, stack = [], []
            for operands, op in pikepdf.parse_content_stream(page):
                name = str(op)
                if name in ("BDC", "BMC"):
                    marked = (name == "BDC" and len(operands) == 2 and operands[0] == pikepdf.Name.OC
                              and _hidden(properties.get(str(operands[1])) if isinstance(operands[1], pikepdf.Name) else operands[1], hidden))
                    stack.append(marked or (bool(stack) and stack[-1]))
                    if not stack[-1]:
                        kept.append((operands, op))
                    continue
                if name == "EMC":
                    was_hidden = stack.pop() if stack else False
                    if not was_hidden:
                        kept.append((operands, op))
                    continue
                if stack and stack[-1]:
                    continue
                if name == "Do" and operands and _hidden(xobjects.get(str(operands[0]), pikepdf.Dictionary()).get("/OC"), hidden):
                    continue
                kept.append((operands, op))
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


@dataclass(frozen=True)
class Picture:
    """A page's picture as a PDF image stream: JPEG in colour, or 16 greys packed 4 bits a pixel, Flate."""
    data: bytes
    width: int
    height: int
    colour: bool

    def stream(self, pdf: pikepdf.Pdf) -> pikepdf.Stream:
        common = dict(Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=self.width, Height=self.height)
        if self.colour:
            return pikepdf.Stream(pdf, self.data, ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8, Filter=pikepdf.Name.DCTDecode, **common)
        return pikepdf.Stream(pdf, self.data, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=4, Filter=pikepdf.Name.FlateDecode, **common)


GREY_LUT = [round(v * (GREY_LEVELS - 1) / 255) for v in range(256)]


def _in_colour(page) -> bool:
    """Whether the page shows any colour: a thumbnail at 18 dpi is enough (a coloured mark of 4 points shows)."""
    r, g, b = reading.render(page, 0.25).split()
    spread = ImageChops.lighter(ImageChops.difference(r, g), ImageChops.difference(g, b))
    return spread.getextrema()[1] > COLOUR_TOLERANCE


def _picture(image: Image.Image) -> Picture:
    if image.mode == "RGB":
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=JPEG_QUALITY)
        return Picture(buf.getvalue(), image.width, image.height, True)
    # 0..15, packed two pixels a byte, each row from a byte boundary (PIL's "L;4" packs the low nibble)
    packed = image.point(GREY_LUT).tobytes("raw", "L;4")
    return Picture(zlib.compress(packed, 3), image.width, image.height, False)


NO_TEXT = object()  # _pictures(text_doc=NO_TEXT): pictures without a text layer


def _pictures(doc, pages: list[int], by_page: dict[int, list[Box]], text_doc=None) -> tuple[bytes, list[Picture]]:
    """One PDF with the new pages (text layer and stamps), in the order of ``pages`` (0-based page numbers),
    and each page's picture, which apply() puts under them. A new page is the CropBox of the old one, with its
    /Rotate: the text layer keeps the source's coordinates and direction."""
    pictures: list[Picture] = []
    out = io.BytesIO()
    c = canvas.Canvas(out, pageCompression=1)
    c.setCreator("")
    c.setProducer("")
    for n in pages:
        page = doc[n]
        fr = reading.frame(page)
        w, h = fr.right - fr.left, fr.top - fr.bottom
        scale = reading.safe_scale(w, h, DPI / 72)
        boxes = by_page.get(n + 1, [])
        colour = _in_colour(page)
        image = reading.render(page, scale, annotations=True, grey=not colour)
        draw = ImageDraw.Draw(image)
        black = (0, 0, 0) if colour else 0
        for b in boxes:  # a pixel more on each side: anti-aliased edges of the source do not survive
            draw.rectangle((int(b.x0 * scale) - 1, int(b.top * scale) - 1, int(b.x1 * scale + 1) + 1, int(b.bottom * scale + 1) + 1), fill=black)
        grown = [grow(b.rect, TEXT_MARGIN) for b in boxes]
        if text_doc is NO_TEXT:
            chars = []
        else:
            chars = reading.chars(text_doc[n], fr) if text_doc is not None else reading.chars(page, fr)
        dw, dh = fr.size  # a character outside the CropBox is in the file, not on the screen: it goes too
        runs = _runs(chars, [0 <= (ch.x0 + ch.x1) / 2 <= dw and 0 <= (ch.top + ch.bottom) / 2 <= dh and ch.text >= " "
                             and not any(touches(g, ch.rect) for g in grown) for ch in chars])  # control characters: not text
        page.close()
        if fr.rotation:
            image = image.rotate(fr.rotation, expand=True)  # back to the page before /Rotate (PIL turns anticlockwise)
        c.setPageSize((w, h))
        pictures.append(_picture(image))
        c.saveState()  # the text render mode is graphics state: it must not reach the stamps
        _text_layer(c, runs)
        c.restoreState()
        c.saveState()
        c.transform(*_display_to_user(fr.rotation, w, h))
        for b in boxes:
            _stamp(c, b)
        c.restoreState()
        c.showPage()
    c.save()
    return out.getvalue(), pictures


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


def _beyond_crop(page, fr) -> bool:
    """Whether the page's MediaBox reaches beyond its CropBox: content there is in the file but not on the screen."""
    left, bottom, right, top = page.get_mediabox()
    return left < fr.left - 0.5 or bottom < fr.bottom - 0.5 or right > fr.right + 0.5 or top > fr.top + 0.5


def apply(source: bytes, boxes: Sequence[Box]) -> bytes:
    """The redacted file, not yet checked (redact() checks it)."""
    try:
        return _apply(source, boxes)
    except pikepdf.PdfError as exc:
        raise reading.UnreadablePdf(f"PDF の構造を読めません（{exc}）。壊れているか、対応していない形式です。") from None


def fields_into_content(source: bytes) -> bytes:
    """Filled form fields drawn into their pages' content, as a reader sees them (from their appearance streams,
    as pdfium shows them to the handler); every other annotation (comments, notes, highlights, links) dropped
    first: they are the handlers' marks or carry their names, not the document. A file pikepdf cannot flatten is
    returned as it is (strip() removes its fields)."""
    try:
        with pikepdf.open(io.BytesIO(source)) as pdf:
            if not any("/Annots" in page.obj for page in pdf.pages):
                return source
            for page in pdf.pages:
                annots = page.obj.get("/Annots")
                if annots is None:
                    continue
                widgets = [a for a in annots if isinstance(a, pikepdf.Dictionary) and a.get("/Subtype") == pikepdf.Name.Widget]
                if widgets:
                    page.obj.Annots = pdf.make_indirect(pikepdf.Array(widgets))
                else:
                    del page.obj["/Annots"]
            pdf.flatten_annotations("all")
            for page in pdf.pages:  # what is left has no appearance: a viewer shows nothing of it
                if "/Annots" in page.obj:
                    del page.obj["/Annots"]
            if "/AcroForm" in pdf.Root:
                del pdf.Root["/AcroForm"]
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()
    except pikepdf.PdfError:
        return source


def _apply(source: bytes, boxes: Sequence[Box]) -> bytes:
    source = fields_into_content(source)
    by_page: dict[int, list[Box]] = defaultdict(list)
    for b in boxes:
        by_page[b.page].append(b)
    with reading.opened(source) as doc:
        frames = [reading.frame(doc[i]) for i in range(len(doc))]
        check_boxes(boxes, [f.size for f in frames])
        with pikepdf.open(io.BytesIO(source)) as probe:
            hidden_layers = "/OCProperties" in probe.Root
        # Pictures replace the pages with boxes, and every page whose file holds what its reader cannot see: with
        # hidden layers every page (without /OCProperties their content would show), and a page cropped smaller
        # than its MediaBox (what lies outside the CropBox is still in the file).
        pages = [n for n in range(len(doc)) if hidden_layers or (n + 1) in by_page or _beyond_crop(doc[n], frames[n])]
        layers, pictures = None, []
        if pages and hidden_layers:
            try:
                visible = visible_only(source)
            except (pikepdf.PdfError, ValueError, TypeError):
                visible = None  # the layers cannot be taken apart: no text layer (hidden text must not become text)
            if visible is None:
                layers, pictures = _pictures(doc, pages, by_page, NO_TEXT)
            else:
                with reading.opened(visible) as text_doc:
                    layers, pictures = _pictures(doc, pages, by_page, text_doc)
        elif pages:
            layers, pictures = _pictures(doc, pages, by_page)
    with pikepdf.open(io.BytesIO(source)) as pdf:
        if layers:
            with pikepdf.open(io.BytesIO(layers)) as new:
                for j, n in enumerate(pages):
                    pdf.pages[n] = new.pages[j]
                    page = pdf.pages[n]
                    page.obj.Rotate = frames[n].rotation  # set here: reportlab's page rotation is a document setting
                    name = page.add_resource(pictures[j].stream(pdf), pikepdf.Name.XObject, prefix="MamoriPage")
                    w, h = frames[n].right - frames[n].left, frames[n].top - frames[n].bottom
                    page.contents_add(pikepdf.Stream(pdf, f"q {w:.4f} 0 0 {h:.4f} 0 0 cm {name} Do Q\n".encode()), prepend=True)
        strip(pdf)
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True,
                 encryption=False)
    return out.getvalue()
