"""Redaction that removes (issue 16): for each box no extracted text and no pixel of the source survives, the
text outside stays, what a viewer hides is gone, and a box drawn over text is caught."""
import io
from concurrent.futures import ThreadPoolExecutor

import pdfplumber
import pikepdf
import pytest
from PIL import Image, ImageChops

from mamori.core.redaction import Box, RedactionError, RedactionFailed, checking, page_sizes, page_words, redact, render_page, rules, verify
from mamori.core.tests import redaction_pdfs as make

ART = "条例第7条第2号"
LINES = [(72, 80, "氏名 山田太郎 電話 03-1234-5678", 12), (72, 110, "Secret ASCII text here", 12),
         (72, 140, "本文はそのまま読めること。", 12)]


def word(pdf, page, text):
    return next(w for w in page_words(pdf, page) if w.text == text)


def box_on(pdf, page, text, article=ART, pad=1.0):
    w = word(pdf, page, text)
    return Box(page, w.x0 - pad, w.top - pad, w.x1 + pad, w.bottom + pad, article)


def plumber_text(pdf: bytes, page: int, rect=None) -> str:
    """Text read by pdfplumber (pdfminer: not the library the engine uses); the output's pages are upright."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        p = doc.pages[page - 1]
        if rect is None:
            return p.extract_text()
        x0, top, x1, bottom = rect
        return "".join(c["text"] for c in p.chars if c["x0"] < x1 and c["x1"] > x0 and c["top"] < bottom and c["bottom"] > top)


def crop(pdf: bytes, page: int, b: Box, scale=2.0) -> Image.Image:
    image = Image.open(io.BytesIO(render_page(pdf, page, scale=scale))).convert("RGB")
    return image.crop((int(b.x0 * scale) + 2, int(b.top * scale) + 2, int(b.x1 * scale) - 2, int(b.bottom * scale) - 2))


def dark_share(image: Image.Image) -> float:
    grey = image.convert("L")
    return sum(grey.histogram()[:80]) / (grey.width * grey.height)


def reds(image: Image.Image) -> int:
    r, g, _ = image.split()
    return ImageChops.multiply(r.point(lambda v: 255 if v > 150 else 0), g.point(lambda v: 255 if v < 100 else 0)).histogram()[255]


def assert_removed(out: bytes, src: bytes, boxes, *, stamp=True):
    assert verify(out, src, boxes) == []
    for b in boxes:
        under = plumber_text(out, b.page, b.rect)
        assert under in ("",) + rules.stamp_texts(b.article), (b, under)  # the stamp, short where the box is small
        assert dark_share(crop(out, b.page, b)) > 0.6
    if stamp:
        assert ART in plumber_text(out, boxes[0].page)


def test_japanese_and_ascii_text():
    src = make.text_pdf([LINES, [(72, 80, "二ページ目は触らない 山田太郎", 12)]])
    boxes = [box_on(src, 1, "山田太郎"), box_on(src, 1, "Secret", "法第78条第1項第2号")]
    out = redact(src, boxes)
    assert_removed(out, src, boxes)
    text = plumber_text(out, 1)
    assert "山田" not in text and "Secret" not in text
    assert "氏名" in text and "ASCII text here" in text and "本文はそのまま読めること。" in text and "03-1234-5678" in text
    assert "法第78条第1項第2号" in text  # each box its own article
    assert "山田太郎" in plumber_text(out, 2)  # a page without boxes keeps its content
    assert page_sizes(out) == page_sizes(src)


def test_text_layer_keeps_positions():
    src = make.text_pdf([LINES])
    out = redact(src, [box_on(src, 1, "山田太郎")])
    before, after = word(src, 1, "ASCII"), word(out, 1, "ASCII")
    assert abs(before.x0 - after.x0) < 1.5 and abs(before.top - after.top) < 2.5


@pytest.mark.parametrize("rotate,cropbox", [(90, None), (180, None), (270, None), (None, (50, 100, 500, 800)), (90, (50, 100, 500, 800))])
def test_rotated_and_cropped_pages(rotate, cropbox):
    src = make.turned(make.text_pdf([LINES]), 1, rotate=rotate, cropbox=cropbox)
    width, height = page_sizes(src)[0]
    if rotate in (90, 270):
        assert width > height if cropbox is None else (width, height) == (700, 450)
    # The words' boxes are where the renderer puts their ink (display coordinates are pdfium's picture).
    image = Image.open(io.BytesIO(render_page(src, 1, scale=2))).convert("L")
    for w in page_words(src, 1):
        ink = image.crop((int(w.x0 * 2), int(w.top * 2), int(w.x1 * 2) + 1, int(w.bottom * 2) + 1))
        assert ink.getextrema()[0] < 100, w.text
    boxes = [box_on(src, 1, "山田太郎"), box_on(src, 1, "Secret")]
    out = redact(src, boxes)
    assert_removed(out, src, boxes)
    assert page_sizes(out) == page_sizes(src)
    texts = [w.text for w in page_words(out, 1)]
    assert "ASCII" in texts and "氏名" in texts and "山田太郎" not in texts and "Secret" not in texts


def test_scanned_page():
    src = make.scanned_pdf([(72, 80, "申請者 山田太郎", 14), (72, 120, "住所 朝霞市本町1丁目1番1号", 14)])
    assert page_words(src, 1) == []
    b = Box(1, 120, 76, 200, 98, ART)
    assert dark_share(crop(src, 1, b)) < 0.3  # the name is there in the picture
    out = redact(src, [b])
    assert_removed(out, src, [b], stamp=False)
    outside = Box(1, 70, 118, 300, 142, ART)  # the address line, not boxed, is still in the picture
    assert 0.02 < dark_share(crop(out, 1, outside)) < 0.5


def test_coloured_content_leaves_no_pixel():
    src = make.scanned_pdf([(72, 80, "■■■■■■", 20)], colour=(220, 30, 30))
    b = Box(1, 60, 70, 220, 110, ART)
    assert reds(crop(src, 1, b)) > 1000
    out = redact(src, [b])
    assert reds(crop(out, 1, b)) == 0
    assert verify(out, src, [b]) == []


def test_metadata_annotations_attachments_scripts_forms_and_layers_are_gone():
    src = make.decorated(make.layered_pdf(LINES, [(72, 400, "非表示の層の文字", 12)]))
    with pdfplumber.open(io.BytesIO(src)) as doc:
        assert "非表示の層の文字" in doc.pages[0].extract_text()  # it is in the file, only switched off
    b = box_on(src, 1, "山田太郎")
    kinds = {f.kind for f in verify(src, src, [b])}
    assert {"text", "metadata", "attachment", "javascript", "form", "layers", "annotation"} <= kinds
    out = redact(src, [b])
    assert_removed(out, src, [b])
    with pikepdf.open(io.BytesIO(out)) as doc:
        assert "/Info" not in doc.trailer and "/Metadata" not in doc.Root
        assert len(doc.attachments) == 0 and "/Names" not in doc.Root
        assert "/OpenAction" not in doc.Root and "/AcroForm" not in doc.Root and "/OCProperties" not in doc.Root
        assert all("/Annots" not in p.obj for p in doc.pages)
    raw = out
    assert b"JavaScript" not in raw and "山田太郎".encode("utf-16-be") not in raw
    text = plumber_text(out, 1)
    assert "非表示の層の文字" not in text and "ASCII" in text


def test_box_drawn_over_text_is_caught():
    src = make.text_pdf([LINES])
    b = box_on(src, 1, "山田太郎")
    broken = make.painted_over(src, 1, [b.rect])
    assert dark_share(crop(broken, 1, b)) > 0.9  # it looks redacted
    failures = verify(broken, src, [b])
    assert {(f.page, f.box, f.kind) for f in failures} >= {(1, 0, "text"), (1, 0, "covered")}
    assert any(f.message.startswith("1ページ目の枠1: 枠の中に文字が 4 字残っています") for f in failures)
    assert all("山田" not in f.message for f in failures)  # what survived is personal data: not in the message


def test_box_drawn_in_a_form_is_caught():
    src = make.scanned_pdf([(72, 80, "申請者 山田太郎", 14)])
    b = Box(1, 120, 76, 200, 98, ART)
    broken = make.painted_in_a_form(src, 1, [b.rect])
    assert dark_share(crop(broken, 1, b)) > 0.9
    assert [(f.box, f.kind) for f in verify(broken, src, [b]) if f.page] == [(0, "covered")]


def test_black_picture_pasted_over_a_scan_is_caught():
    src = make.scanned_pdf([(72, 80, "申請者 山田太郎", 14)])
    b = Box(1, 120, 76, 200, 98, ART)
    broken = make.pasted_over(src, 1, [b.rect])
    assert dark_share(crop(broken, 1, b)) > 0.9
    assert [(f.box, f.kind) for f in verify(broken, src, [b]) if f.page] == [(0, "covered")]
    assert verify(redact(src, [b]), src, [b]) == []  # Mamori's own page picture is not taken for a pasted black picture


def test_box_over_a_scan_is_caught():
    src = make.scanned_pdf([(72, 80, "申請者 山田太郎", 14)])
    b = Box(1, 120, 76, 200, 98, ART)
    broken = make.painted_over(src, 1, [b.rect])
    assert [(f.box, f.kind) for f in verify(broken, src, [b]) if f.page] == [(0, "covered")]


def test_untouched_or_missed_box_is_caught():
    src = make.text_pdf([LINES])
    b = box_on(src, 1, "山田太郎")
    assert {f.kind for f in verify(src, src, [b]) if f.page} == {"text", "pixels"}
    out = redact(src, [b])
    elsewhere = box_on(src, 1, "Secret")
    assert [(f.box, f.kind) for f in verify(out, src, [b, elsewhere]) if f.page] == [(1, "text"), (1, "pixels")]


@pytest.mark.parametrize("box,message", [
    (Box(3, 10, 10, 20, 20, ART), "3ページ目はありません"),
    (Box(1, 50, 10, 40, 20, ART), "右端は左端より"),
    (Box(1, 900, 10, 950, 20, ART), "ページの外にあります"),
    (Box(1, 10, 10, 20, 20, " "), "不開示の理由（条項）がありません"),
    (Box(1, 10, 10, float("inf"), 20, ART), "有限の数"),
    (Box(1, float("nan"), 10, 20, 20, ART), "有限の数"),
])
def test_boxes_that_cannot_be_applied(box, message):
    with pytest.raises(RedactionError, match=message):
        redact(make.text_pdf([LINES]), [box])


def test_redaction_failed_names_page_and_box():
    failure = checking.Failure(2, 4, "text", "枠の中に文字が 3 字残っています。")
    exc = RedactionFailed([failure])
    assert failure.message == "2ページ目の枠5: 枠の中に文字が 3 字残っています。"
    assert failure.message in str(exc)


def test_content_outside_the_cropbox_goes_even_on_pages_without_boxes():
    page2 = [(72, 30, "切り取られた外側の文字", 12), (72, 300, "見えている内側の文字", 12)]
    src = make.turned(make.text_pdf([LINES, page2]), 2, cropbox=(0, 0, 595, 742))  # the top 100 points are cut off
    with pdfplumber.open(io.BytesIO(src)) as doc:
        assert "切り取られた外側の文字" in doc.pages[1].extract_text()  # in the file, not on the screen
    out = redact(src, [box_on(src, 1, "山田太郎")])
    text = plumber_text(out, 2)
    assert "切り取られた外側の文字" not in text and "見えている内側の文字" in text
    assert page_sizes(out) == page_sizes(src)


def test_a_proper_redaction_made_elsewhere_passes():
    """What Acrobat leaves: the text under the box removed, a black rectangle in its place, no stamp."""
    name = (108, 80, "山田太郎", 12)
    rest = [(72, 80, "氏名", 12), (170, 80, "電話 03-1234-5678", 12), (72, 110, "Secret ASCII text here", 12)]
    src = make.pieces_pdf(rest + [name])
    b = box_on(src, 1, "山田太郎", "")
    elsewhere = make.painted_over(make.pieces_pdf(rest), 1, [b.rect])
    assert verify(elsewhere, src, [b]) == [checking.Failure(None, None, "metadata", "文書情報（Author、Creator、Keywords、Subject、Title）が残っています。")]


def test_a_weasyprint_document():
    src = make.weasyprint_pdf("<h1>開示請求書</h1><table><tr><td>氏名</td><td>朝霞 一郎</td></tr>"
                              "<tr><td>住所</td><td>埼玉県朝霞市本町1丁目1番1号</td></tr></table><p>以上のとおり請求します。</p>")
    boxes = [box_on(src, 1, "朝霞"), box_on(src, 1, "一郎"), box_on(src, 1, "埼玉県朝霞市本町1丁目1番1号")]
    out = redact(src, boxes)
    assert_removed(out, src, boxes)
    text = plumber_text(out, 1)
    assert "朝霞" not in text and "本町" not in text and "開示請求書" in text and "以上のとおり請求します。" in text


def test_filled_fields_stay_as_content_and_notes_go():
    src = make.with_field_and_note(make.text_pdf([LINES, [(72, 80, "二ページ目", 12)]]), page=2)
    page2 = Image.open(io.BytesIO(render_page(src, 2, scale=1))).convert("RGB")
    field, note = (305, 842 - 515, 395, 842 - 505), (105, 842 - 515, 115, 842 - 505)  # display pixels at scale 1
    assert dark_share(page2.crop(field)) > 0.9 and reds(page2.crop(note)) > 50  # what the handler sees
    out = redact(src, [box_on(src, 1, "山田太郎")])
    shown = Image.open(io.BytesIO(render_page(out, 2, scale=1))).convert("RGB")
    assert dark_share(shown.crop(field)) > 0.9  # the field's value is part of the page now
    assert reds(shown.crop(note)) == 0  # the note is not
    with pikepdf.open(io.BytesIO(out)) as doc:
        assert all("/Annots" not in p.obj for p in doc.pages) and "/AcroForm" not in doc.Root


def test_threads_of_the_web_server_take_turns_with_pdfium():
    src = make.text_pdf([LINES, LINES])
    expected = (render_page(src, 1), [w.text for w in page_words(src, 2)])
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda n: (render_page(src, 1), [w.text for w in page_words(src, 2)]), range(16)))
    assert all(r == expected for r in results)


def test_a_small_box_gets_the_short_stamp_and_a_tiny_one_none():
    src = make.text_pdf([[(72, 80, "氏名 林", 10), (72, 110, "番号 7", 8), (72, 140, "記号 x", 2)]])
    name, dot = box_on(src, 1, "林"), box_on(src, 1, "x", pad=0.2)  # about 11 × 11 and 1.3 × 1.5 points
    w = word(src, 1, "7")
    digit = Box(1, w.x0 - 3, w.top - 1, w.x1 + 3, w.bottom + 1, ART)  # about 10 × 8 points
    out = redact(src, [name, digit, dot])
    assert verify(out, src, [name, digit, dot]) == []  # the short stamps are allowed inside their boxes
    assert plumber_text(out, 1, name.rect) == "7条2号"  # 「条例第7条第2号」 does not fit a one-character name
    assert plumber_text(out, 1, digit.rect) == "7-2"
    assert plumber_text(out, 1, dot.rect) == ""  # too small even for 「7-2」: black only
    text = plumber_text(out, 1)
    assert "林" not in text and "氏名" in text
