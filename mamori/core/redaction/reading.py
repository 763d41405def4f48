"""Reading a PDF with pdfium (pypdfium2): page frames, characters with their display boxes, page images."""
import ctypes
import io
import math
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from mamori.core.redaction.geometry import PageFrame


class UnreadablePdf(ValueError):
    """Not a PDF pdfium can open; the message is Japanese."""


@dataclass(frozen=True)
class Char:
    text: str
    x0: float  # display points, tight glyph box
    top: float
    x1: float
    bottom: float
    size: float  # the font size, points
    origin: tuple[float, float]  # the glyph's origin in user space, from the CropBox's lower-left corner
    advance: float  # the loose box along the line (the glyph's advance), points
    flow: tuple[float, float, float, float]  # the loose box turned upright (the line's direction undone): lines run along x
    angle: float  # direction of the line in user space (before /Rotate), degrees counter-clockwise


    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


# PDFium is not thread-safe (pypdfium2's documentation): the web server runs threads (MAMORI_THREADS), so every
# use of it in this package holds this lock, from opening a document to closing it (re-entrant: the check opens
# the output and the source together).
PDFIUM = threading.RLock()


@contextmanager
def opened(pdf: bytes):
    with PDFIUM:
        try:
            doc = pdfium.PdfDocument(pdf)
            doc.init_forms()  # form fields drawn with their values, as a viewer shows them (before any page is loaded)
        except pdfium.PdfiumError as exc:
            raise UnreadablePdf(f"PDF として読めません（{exc}）。壊れているか、パスワードで保護されています。") from None
        try:
            yield doc
        finally:
            doc.close()


def frame(page) -> PageFrame:
    left, bottom, right, top = page.get_cropbox()
    return PageFrame(left, bottom, right, top, page.get_rotation() % 360)


def _affine(fr: PageFrame) -> tuple[float, float, float, float, float, float]:
    """(a, b, c, d, e, f) with display X = a·x + c·y + e, Y = b·x + d·y + f (PageFrame.to_display, inlined)."""
    r = fr.rotation
    if r == 90:
        return (0, 1, 1, 0, -fr.bottom, -fr.left)
    if r == 180:
        return (-1, 0, 0, 1, fr.right, -fr.bottom)
    if r == 270:
        return (0, -1, -1, 0, fr.top, fr.right)
    return (1, 0, 0, -1, -fr.left, fr.top)


def _unicode(textpage, n: int) -> str | None:
    """All the page's characters in one call, one per index (None when a character outside the BMP takes two)."""
    text = textpage.get_text_range(0, n) if n else ""
    return text if len(text) == n else None


def chars(page, fr: PageFrame | None = None, *, detail: bool = True) -> list[Char]:
    """The page's characters (not the whitespace pdfium generates between lines), in content order. Without
    ``detail`` only the text, the boxes and ``flow`` are read (origin, size and direction are zero): enough to
    check and to search a page, and three times faster."""
    fr = fr or frame(page)
    a, b_, c, d, e, f = _affine(fr)
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        out = []
        handle = textpage.raw
        text = _unicode(textpage, n)
        left, bottom, right, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        loose = raw.FS_RECTF()
        matrix = raw.FS_MATRIX()
        p_left, p_right, p_bottom, p_top, p_loose = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top),
                                                     ctypes.byref(loose))
        for i in range(n):
            if text is not None:
                ch = text[i]
                if ch.isspace() and raw.FPDFText_IsGenerated(handle, i) == 1:
                    continue
                if ch in "\x00\ufffe\uffff":
                    continue
            else:
                code = raw.FPDFText_GetUnicode(handle, i)
                if raw.FPDFText_IsGenerated(handle, i) == 1 or code in (0, 0xFFFE, 0xFFFF):
                    continue
                if 0xD800 <= code <= 0xDFFF:  # a half of a surrogate pair: keep the pair as one character
                    if code >= 0xDC00:
                        continue
                    low = raw.FPDFText_GetUnicode(handle, i + 1) if i + 1 < n else 0
                    ch = chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)) if 0xDC00 <= low <= 0xDFFF else "\ufffd"
                else:
                    ch = chr(code)
            raw.FPDFText_GetCharBox(handle, i, p_left, p_right, p_bottom, p_top)
            xa, ya = a * left.value + c * bottom.value + e, b_ * left.value + d * bottom.value + f
            xb, yb = a * right.value + c * top.value + e, b_ * right.value + d * top.value + f
            x0, x1 = (xa, xb) if xa < xb else (xb, xa)
            t, b = (ya, yb) if ya < yb else (yb, ya)
            raw.FPDFText_GetLooseCharBox(handle, i, p_loose)
            xa, ya = a * loose.left + c * loose.bottom + e, b_ * loose.left + d * loose.bottom + f
            xb, yb = a * loose.right + c * loose.top + e, b_ * loose.right + d * loose.top + f
            lx0, lx1 = (xa, xb) if xa < xb else (xb, xa)
            lt, lb = (ya, yb) if ya < yb else (yb, ya)
            if x1 - x0 <= 0 and ch.isspace():
                x0, t, x1, b = lx0, lt, lx1, lb
            if not detail:
                flow = upright((lx0, lt, lx1, lb), fr.rotation)
                out.append(Char(ch, x0, t, x1, b, flow[3] - flow[1], (0.0, 0.0), 0.0, flow, 0.0))
                continue
            raw.FPDFText_GetCharOrigin(handle, i, ctypes.byref(ox), ctypes.byref(oy))
            size = raw.FPDFText_GetFontSize(handle, i)
            angle = 0.0
            if raw.FPDFText_GetMatrix(handle, i, ctypes.byref(matrix)) and (matrix.a or matrix.b):
                angle = math.degrees(math.atan2(matrix.b, matrix.a))
            along_x = abs(math.cos(math.radians(angle))) >= abs(math.sin(math.radians(angle)))
            advance = (loose.right - loose.left) if along_x else (loose.top - loose.bottom)
            shown = round((fr.rotation - angle) / 90) % 4 * 90  # how far the line is turned clockwise on the display
            out.append(Char(ch, x0, t, x1, b, size if size > 0 else lb - lt, (ox.value - fr.left, oy.value - fr.bottom), advance,
                            upright((lx0, lt, lx1, lb), shown), angle))
        return out
    finally:
        textpage.close()


def upright(r: tuple[float, float, float, float], rotation: int) -> tuple[float, float, float, float]:
    """A display rectangle in a frame turned back by ``rotation`` (clockwise degrees): x along the line, y down,
    up to a shift."""
    x0, t, x1, b = r
    if rotation == 90:
        return (t, -x1, b, -x0)
    if rotation == 180:
        return (-x1, -b, -x0, -t)
    if rotation == 270:
        return (-b, x0, -t, x1)
    return r


def same_line(a: "Char", b: "Char") -> bool:
    fa, fb = a.flow, b.flow
    return min(fa[3], fb[3]) - max(fa[1], fb[1]) > 0.3 * min(fa[3] - fa[1], fb[3] - fb[1])


MAX_PIXELS = 80_000_000  # a page picture of A1 at 200 dpi; a larger page is drawn at a lower resolution


def safe_scale(width: float, height: float, scale: float) -> float:
    """``scale``, lowered so that a page of ``width`` × ``height`` points stays under MAX_PIXELS (a PDF can declare
    a page of 200 × 200 inches: at 200 dpi that is 1.6 billion pixels)."""
    area = max(width * height, 1.0)
    return min(scale, (MAX_PIXELS / area) ** 0.5)


def render(page, scale: float, *, annotations: bool = True, grey: bool = False):
    """The displayed page as a PIL image (RGB, or L when ``grey``), ``scale`` pixels per point (lowered by
    safe_scale)."""
    w, h = frame(page).size
    scale = safe_scale(w, h, scale)
    bitmap = page.render(scale=scale, may_draw_forms=annotations, draw_annots=annotations, grayscale=grey)
    try:
        return bitmap.to_pil().convert("L" if grey else "RGB")
    finally:
        bitmap.close()


def png(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
