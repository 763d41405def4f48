"""The check of a redacted file, whoever made it (Mamori, Acrobat, a printer and a scanner).

For each box, on the output page: no character is under it (the stamp, the box's article or its short form, excepted); its pixels
are dark or the stamp, and none of them is a pixel of the source's content (the two renders are compared inside
the box); no black shape hides what is still under it (the shape is taken away and the page rendered again); no
annotation overlaps it. For the file: no document metadata (Info beyond producer and dates, XMP), attachments,
JavaScript or opening actions, form fields or hidden layers.
"""
import ctypes
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from PIL import Image, ImageChops

from mamori.core.redaction import reading, rules
from mamori.core.redaction.geometry import Box, covers_char, touches

SCALE = 1.5  # 108 dpi: a 6-point glyph is 9 pixels high
INSET = 2  # pixels left out at each edge of a box: anti-aliasing of its border
DARK = 80  # grey level (0-255) under which a pixel is black
INK = 60  # a source pixel differing this much from the box's background is content
SAME = 40  # an output pixel this close to the source pixel is the source's
DARK_SHARE = 0.5  # at least this share of a box is black (the stamp is the rest)
# A box fails when more than this many of the source's content pixels show through unchanged, and more than
# this share of them: the stamp's anti-aliased edges match grey source pixels by chance (up to 15 % of them
# on the test pages), an untouched box shows 45 % or more (its black ink counts as dark, not as surviving).
SURVIVED_MIN, SURVIVED_SHARE = 12, 0.25
INFO_ALLOWED = {"/Producer", "/CreationDate", "/ModDate", "/Trapped"}


@dataclass(frozen=True)
class Failure:
    """What survived: ``page`` is 1-based, ``box`` the 0-based index into the boxes given (None for the file)."""
    page: int | None
    box: int | None
    kind: str  # text, pixels, covered, not-black, annotation, metadata, attachment, javascript, form, layers, pages
    detail: str  # Japanese, without the surviving text itself (it is personal data)

    @property
    def message(self) -> str:
        where = []
        if self.page is not None:
            where.append(f"{self.page}ページ目")
        if self.box is not None:
            where.append(f"枠{self.box + 1}")
        return f"{'の'.join(where) or 'ファイル全体'}: {self.detail}"

    def __str__(self) -> str:
        return self.message


def _survivors(out: Image.Image, src: Image.Image) -> tuple[int, int, float]:
    """(source pixels that survive, source content pixels, share of dark output pixels) in one box's crop, grey."""
    hist = src.histogram()
    background = max(range(256), key=hist.__getitem__)
    ink = src.point(lambda v: 255 if abs(v - background) > INK else 0)
    light = out.point(lambda v: 255 if v >= DARK else 0)
    same = ImageChops.difference(out, src).point(lambda v: 255 if v < SAME else 0)
    survived = ImageChops.multiply(ImageChops.multiply(ink, light), same).histogram()[255]
    area = out.width * out.height
    return survived, ink.histogram()[255], 1 - light.histogram()[255] / area


def _box_image(page, b: Box, size: tuple[float, float]) -> Image.Image | None:
    """The box's part of the displayed page, grey, less INSET pixels at each edge; only that part is rendered."""
    w, h = size
    x0, top, x1, bottom = max(b.x0, 0.0), max(b.top, 0.0), min(b.x1, w), min(b.bottom, h)
    if x1 - x0 <= 2 * INSET / SCALE or bottom - top <= 2 * INSET / SCALE:
        return None
    scale = reading.safe_scale(x1 - x0, bottom - top, SCALE)
    bitmap = page.render(scale=scale, crop=(x0, h - bottom, w - x1, top), may_draw_forms=True, draw_annots=True)
    try:
        image = bitmap.to_pil().convert("L")
    finally:
        bitmap.close()
    if image.width <= 2 * INSET or image.height <= 2 * INSET:
        return None
    return image.crop((INSET, INSET, image.width - INSET, image.height - INSET))


def _pixel_failures(out_page, src_images, page_boxes, size, kind: str, detail: str, *, check_dark: bool) -> list[Failure]:
    failures = []
    for i, b in page_boxes:
        o, s = _box_image(out_page, b, size), src_images.get(i)
        if o is None or s is None or o.size != s.size:
            continue
        survived, ink, dark_share = _survivors(o, s)
        if survived > max(SURVIVED_MIN, ink * SURVIVED_SHARE):
            failures.append(Failure(b.page, i, kind, detail.format(n=survived)))
        elif check_dark and dark_share < DARK_SHARE:
            failures.append(Failure(b.page, i, "not-black", f"枠が黒く塗られていません（黒い部分は {dark_share:.0%}）。"))
    return failures


def _text_failures(page, fr, page_boxes, articles: set[str]) -> list[Failure]:
    failures = []
    chars = reading.chars(page, fr, detail=False)
    for i, b in page_boxes:
        under = "".join(ch.text for ch in chars if touches(b.rect, ch.rect) and covers_char(b.rect, ch.rect))
        for article in sorted(articles, key=len, reverse=True):
            under = under.replace(article, "")
        left = "".join(under.split())
        if left:
            failures.append(Failure(b.page, i, "text", f"枠の中に文字が {len(left)} 字残っています（テキストとして抽出できます）。"))
    return failures


def _all_dark(image) -> bool:
    """Whether every pixel of an image object is nearly black (its own pixels, not as drawn)."""
    try:
        bitmap = image.get_bitmap(render=False)
    except pdfium.PdfiumError:  # pdfium cannot decode it: it is not taken away (the box is checked as drawn)
        return False
    try:
        return bitmap.to_pil().convert("L").getextrema()[1] <= DARK
    finally:
        bitmap.close()


def _black_shapes(page, page_boxes, fr) -> list:
    """Filled shapes and pictures, nearly black, that may cover a box: what a person draws or pastes in Word to
    'redact' (a picture only when smaller than half the page and on the page itself). A shape on the
    page is taken when it overlaps a box; a shape inside a form (whose bounds pdfium gives in the form's own space)
    is taken wherever it is: taking away one too many changes nothing inside the boxes but what it covered."""
    found = []
    r, g, b_, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    page_w, page_h = fr.size
    for obj in page.get_objects(max_depth=15):
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE and obj.level == 0:  # a black picture pasted over the text
            rect = fr.rect_to_display(*obj.get_bounds())
            if ((rect[2] - rect[0]) * (rect[3] - rect[1]) < 0.5 * page_w * page_h
                    and any(touches(rect, bx.rect) for _, bx in page_boxes) and _all_dark(obj)):
                found.append(obj)
            continue
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        if not raw.FPDFPageObj_GetFillColor(obj.raw, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b_), ctypes.byref(a)):
            continue
        if max(r.value, g.value, b_.value) > DARK or a.value < 128:
            continue
        if obj.level > 0 or any(touches(fr.rect_to_display(*obj.get_bounds()), bx.rect) for _, bx in page_boxes):
            found.append(obj)
    return found


def _structure_failures(output: bytes, by_page: dict, frames: list) -> list[Failure]:
    failures = []
    try:
        pdf = pikepdf.open(io.BytesIO(output))
    except pikepdf.PdfError as exc:
        return [Failure(None, None, "unreadable", f"PDF の構造を読めません（{exc}）。")]
    with pdf:
        info = pdf.trailer.get("/Info")
        if info is not None and set(info.keys()) - INFO_ALLOWED:
            keys = "、".join(sorted(k.lstrip("/") for k in set(info.keys()) - INFO_ALLOWED))
            failures.append(Failure(None, None, "metadata", f"文書情報（{keys}）が残っています。"))
        root = pdf.Root
        if "/Metadata" in root:
            failures.append(Failure(None, None, "metadata", "XMP メタデータが残っています。"))
        names = root.get("/Names")
        if names is not None and "/EmbeddedFiles" in names:
            failures.append(Failure(None, None, "attachment", "添付ファイルが残っています。"))
        if names is not None and "/JavaScript" in names:
            failures.append(Failure(None, None, "javascript", "JavaScript が残っています。"))
        action = root.get("/OpenAction")
        if isinstance(action, pikepdf.Dictionary) and action.get("/S") in (pikepdf.Name.JavaScript, pikepdf.Name.Launch):
            failures.append(Failure(None, None, "javascript", "開いたときに実行される処理（OpenAction）が残っています。"))
        if "/AA" in root:
            failures.append(Failure(None, None, "javascript", "文書の自動実行アクション（AA）が残っています。"))
        form = root.get("/AcroForm")
        if form is not None and len(form.get("/Fields", [])) > 0:
            failures.append(Failure(None, None, "form", "フォームのフィールドが残っています。"))
        if "/OCProperties" in root:
            failures.append(Failure(None, None, "layers", "レイヤー（オプションコンテンツ）が残っています。非表示の内容が含まれることがあります。"))
        for n, page in enumerate(pdf.pages, 1):
            if "/AA" in page.obj:
                failures.append(Failure(n, None, "javascript", "ページの自動実行アクション（AA）が残っています。"))
            for annot in page.obj.get("/Annots", []):
                if not isinstance(annot, pikepdf.Dictionary):
                    continue
                subtype = str(annot.get("/Subtype", ""))
                if subtype == "/FileAttachment":
                    failures.append(Failure(n, None, "attachment", "添付ファイルの注釈が残っています。"))
                rect = annot.get("/Rect")
                if rect is None or n - 1 >= len(frames) or not by_page.get(n):
                    continue
                x0, y0, x1, y1 = (float(v) for v in rect)
                shown = frames[n - 1].rect_to_display(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
                for i, b in by_page[n]:
                    if touches(shown, b.rect):
                        failures.append(Failure(n, i, "annotation", f"枠に重なる注釈（{subtype.lstrip('/') or '種類不明'}）が残っています。"))
    return failures


def check(output: bytes, source: bytes, boxes: Sequence[Box]) -> list[Failure]:
    by_page: dict[int, list[tuple[int, Box]]] = defaultdict(list)
    for i, b in enumerate(boxes):
        by_page[b.page].append((i, b))
    failures: list[Failure] = []
    with reading.opened(output) as out_doc, reading.opened(source) as src_doc:
        if len(out_doc) != len(src_doc):
            failures.append(Failure(None, None, "pages", f"ページ数が元の PDF と違います（元 {len(src_doc)}、出力 {len(out_doc)}）。"))
        frames = [reading.frame(out_doc[n]) for n in range(len(out_doc))]
        for page_no, page_boxes in sorted(by_page.items()):
            if page_no > len(out_doc) or page_no > len(src_doc):
                failures += [Failure(page_no, i, "pages", "このページが出力にありません。") for i, _ in page_boxes]
                continue
            out_page, src_page = out_doc[page_no - 1], src_doc[page_no - 1]
            fr = frames[page_no - 1]
            articles = {t for b in boxes if b.page == page_no for t in rules.stamp_texts(b.article)}  # a stamp, short or not
            failures += _text_failures(out_page, fr, page_boxes, articles)
            size = fr.size
            if any(abs(a - b) > 0.5 for a, b in zip(size, reading.frame(src_page).size)):
                failures.append(Failure(page_no, None, "pages", "ページの大きさが元の PDF と違います。"))
                continue
            src_images = {i: _box_image(src_page, b, size) for i, b in page_boxes}
            failures += _pixel_failures(out_page, src_images, page_boxes, size, "pixels",
                                        "枠の中に元の内容が見えています（{n} 画素が元のまま）。", check_dark=True)
            shapes = _black_shapes(out_page, page_boxes, fr)
            if shapes:  # take the black shapes away: what is under them must not be the source either
                for obj in shapes:
                    out_page.remove_obj(obj)
                failures += _pixel_failures(out_page, src_images, page_boxes, size, "covered",
                                            "黒い図形を重ねただけで、その下に元の内容が残っています（{n} 画素）。", check_dark=False)
    return failures + _structure_failures(output, by_page, frames)
