"""The pre-filled 保有個人情報開示請求書, as a publication makes it by the thousand: the PDF drawn with ReportLab
(every part of the form, full-width blanks kept, lines broken as Japanese is, a long name on a second page rather
than cut), and the DOCX filled from one typeset template (the same text as a DOCX typeset for the file alone)."""
import io

import pdfplumber
import pytest
from docx import Document

from mamori.core.rendering import DocxTemplate
from mamori.public import rules
from mamori.public.reports import request_form as rf

FEES = rules.fee_lines(rules.Fees(300, 10, 20))


def form(**changes) -> rf.RequestForm:
    values = dict(code="F00007", file_name="児童手当受給者ファイル", organ="朝霞市長", units="こども・健康部 こども未来課",
                  office="総務部 総務課 情報公開係（朝霞市役所本庁舎）", fee_lines=FEES)
    return rf.RequestForm(**(values | changes))


def pdf_text(data: bytes) -> tuple[int, str]:
    """The pages, and the characters as drawn (extract_text would fold the full-width blanks into one space)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages), "".join(c["text"] for page in pdf.pages for c in page.chars)


def docx_text(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]


def test_the_drawn_pdf_holds_every_part_of_the_form():
    pages, flat = pdf_text(rf.render_pdf(form()))
    assert pages == 1
    assert flat.startswith("保有個人情報開示請求書年　　月　　日")  # full-width blanks are kept where the requester writes
    assert "（宛先）朝霞市長" in flat and "提出先：総務部 総務課 情報公開係（朝霞市役所本庁舎）" in flat
    assert "「児童手当受給者ファイル」（ファイル番号 F00007、朝霞市長 こども・健康部 こども未来課）" in flat
    for label, _ in rf.REQUESTER + tuple(rf.rows(form())):
        assert label.replace("\n", "") in flat
    assert "1件につき300円" in flat and "※欄は記入しないでください。" in flat


def test_the_same_form_gives_the_same_bytes():
    assert rf.render_pdf(form()) == rf.render_pdf(form())
    assert rf.render_pdf(form()) != rf.render_pdf(form(code="F00008"))


@pytest.mark.parametrize("text, width_chars, expected", [
    # a line is broken before a character that does not fit …
    ("あいうえおかきくけこ", 4, ["あいうえ", "おかきく", "けこ"]),
    # … but 「、」「。」「）」 never begin a line: they hang at the end of the one before (禁則)
    ("あいうえ、おかき）。く", 4, ["あいうえ、", "おかき）。", "く"]),
    # an ASCII word or number is kept whole, and the space at the break goes
    ("番号 F00002、以下", 4, ["番号", "F00002、", "以下"]),
    # the text's own line breaks and full-width blanks are kept
    ("氏名\n（　　　）", 10, ["氏名", "（　　　）"]),
])
def test_lines_break_as_japanese_is_written(text, width_chars, expected):
    font = rf.rendering.reportlab_font()
    em = rf.stringWidth("あ", font, rf.BODY)
    assert rf.wrap(text, font, rf.BODY, em * width_chars + 0.1) == expected


def test_a_very_long_name_goes_on_to_a_second_page_whole():
    name = "個人情報保護" * 120  # 720 characters: more than the page holds
    pages, text = pdf_text(rf.render_pdf(form(file_name=name)))
    assert pages == 2
    assert text.count("個人情報保護") >= 120 and "※欄は記入しないでください。" in text


def test_the_filled_docx_reads_as_one_typeset_for_the_file():
    forms = rf.DocxForms(FEES)
    special = form(file_name="A&B <相談> ファイル", units="福祉部 障害福祉課")  # XML's own characters, escaped
    for ctx in (form(), special):
        assert docx_text(forms.render(ctx)) == docx_text(rf.render_docx(ctx))
    assert "「A&B <相談> ファイル」" in "".join(docx_text(forms.render(special)))


def test_a_template_without_its_placeholders_is_refused():
    with pytest.raises(ValueError, match="MISSINGWORD"):
        DocxTemplate(rf.render_docx(form()), ["MISSINGWORD"])


def test_many_forms_are_drawn_in_order_by_several_processes(monkeypatch):
    monkeypatch.setattr(rf, "POOL_FROM", 2)  # a publication of thousands, in small
    monkeypatch.setattr(rf, "CHUNK", 2)
    contexts = [form(code=f"F{n:05d}", file_name=f"ファイル{n}") for n in range(1, 8)]
    done = []
    drawn = list(rf.render_pdfs(contexts, progress=done.append))
    assert drawn == [rf.render_pdf(ctx) for ctx in contexts]
    assert done[-1] == 7
    for ctx, data in zip(contexts, drawn):
        assert f"ファイル番号 {ctx.code}" in pdf_text(data)[1]
