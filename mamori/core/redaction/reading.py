"""Reading a PDF with pdfium (pypdfium2): page frames, characters with their display boxes, page images."""
import ctypes
import io
import math
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


@contextmanager
def opened(pdf: bytes):
    try:
        doc = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise UnreadablePdf(f"PDF として読めません（{exc}）。壊れているか、パスワードで保護されています。") from None
    try:
        yield doc
    finally:
        doc.close()


def frame(page) -> PageFrame:
    left, bottom, right, top = page.get_cropbox()
    return PageFrame(left, bottom, right, top, page.get_rotation() % 360)


def chars(page, fr: PageFrame | None = None) -> list[Char]:
    """The page's characters (not the whitespace pdfium generates between lines), in content order."""
    fr = fr or frame(page)
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        out = []
        handle = textpage.raw
        left, bottom, right, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        loose = raw.FS_RECTF()
        matrix = raw.FS_MATRIX()
        for i in range(n):
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
            raw.FPDFText_GetCharBox(handle, i, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
            x0, t, x1, b = fr.rect_to_display(left.value, bottom.value, right.value, top.value)
            raw.FPDFText_GetLooseCharBox(handle, i, ctypes.byref(loose))
            lx0, lt, lx1, lb = fr.rect_to_display(loose.left, loose.bottom, loose.right, loose.top)
            if ch.isspace() and x1 - x0 <= 0:
                x0, t, x1, b = lx0, lt, lx1, lb
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


def render(page, scale: float, *, annotations: bool = True):
    """The displayed page as a PIL image (RGB), ``scale`` pixels per point."""
    bitmap = page.render(scale=scale, may_draw_forms=annotations, draw_annots=annotations)
    try:
        return bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()


def png(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
