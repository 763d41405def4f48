"""Page geometry: boxes as a person sees the page (after CropBox and /Rotate), and PDF user space.

Every coordinate this package takes or gives is in *display* points: origin at the top-left corner of the page
as displayed, x to the right, y down (pdfplumber's convention), so a box drawn on a rendered page image is a Box
without conversion. PDF content lives in *user space* (origin bottom-left of the MediaBox, before /Rotate):
:class:`PageFrame` converts between the two for one page.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """One rectangle to remove, in display points (see the module docstring); ``page`` is 1-based."""
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    article: str  # the stamp, e.g. 「条例第7条第2号」 or 「法第78条第1項第2号」

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass(frozen=True)
class PageFrame:
    """The CropBox (user space) and /Rotate of a page: what a viewer shows."""
    left: float
    bottom: float
    right: float
    top: float
    rotation: int  # 0, 90, 180, 270 (clockwise, as /Rotate)

    @property
    def size(self) -> tuple[float, float]:
        w, h = self.right - self.left, self.top - self.bottom
        return (h, w) if self.rotation in (90, 270) else (w, h)

    def to_display(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 90:
            return y - self.bottom, x - self.left
        if r == 180:
            return self.right - x, y - self.bottom
        if r == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def rect_to_display(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        xa, ya = self.to_display(left, bottom)
        xb, yb = self.to_display(right, top)
        return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Area shared by two (x0, top, x1, bottom) rectangles."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def grow(r: tuple[float, float, float, float], by: float) -> tuple[float, float, float, float]:
    return (r[0] - by, r[1] - by, r[2] + by, r[3] + by)


def covers_char(box: tuple[float, float, float, float], char: tuple[float, float, float, float]) -> bool:
    """A character counts as under a box when its centre is inside, or a third of its area is (a glyph cut
    in half still reads)."""
    cx, cy = (char[0] + char[2]) / 2, (char[1] + char[3]) / 2
    if box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
        return True
    area = (char[2] - char[0]) * (char[3] - char[1])
    return area > 0 and overlap(box, char) >= area / 3


def touches(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
