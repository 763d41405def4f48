"""A scanned packet: a page generated with the project's fonts, rendered to an image, wrapped as an image-only PDF,
then ingested. Its text comes from OCR (Tesseract, jpn), the figures are read from it, and the review says so."""
import pypdfium2 as pdfium
import pytest
from weasyprint import HTML

from mamori.core.rendering import PDF_FONT_STACK, font_face_css
from mamori.council.ingest import ingest_file
from mamori.council.models import PacketPart, YearFigure
from mamori.register.importers import ocr
from mamori.register.importers.limits import IngestError, Limits
from mamori.register.models import Notification
from mamori.register.tests.test_ingest_parser import OTHER_CITY

pytestmark = pytest.mark.skipif(not ocr.available(), reason="tesseract is not installed (scripts/system-setup.sh demo)")


def scanned_pdf(tmp_path, part_text: str, name="scan.pdf", dpi=200):
    lines = [line.strip() for line in part_text.splitlines() if line.strip()]
    css = f"{font_face_css()} @page {{ size: A4; margin: 20mm }} body {{ font-family: {PDF_FONT_STACK}; font-size: 12pt }} p {{ margin: 0 0 6pt }}"
    HTML(string=f"<style>{css}</style>" + "".join(f"<p>{line}</p>" for line in lines)).write_pdf(tmp_path / "typed.pdf")
    typed = pdfium.PdfDocument(str(tmp_path / "typed.pdf"))
    images = [typed[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(typed))]
    typed.close()
    path = tmp_path / name
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)  # Pillow: an image-only PDF
    return path


def seed_part(seed_packet, start, end):
    text = seed_packet.read_text(encoding="utf-8")
    return text[text.index(start):text.index(end)]


def test_a_scanned_page_is_read_by_ocr_and_marked_in_the_review(client, city, seed_packet, tmp_path):
    path = scanned_pdf(tmp_path, seed_part(seed_packet, "資料４", "資料５") + "\n" + seed_part(seed_packet, "資料６", "内  容"))
    assert pdfium.PdfDocument(str(path))[0].get_textpage().get_text_range().strip() == ""  # no text layer at all
    out = ingest_file(path=path, actor=city.users.office)
    assert out["ocr"]["pages"] == [1] and out["ocr"]["confidence"] >= 80
    figures = {f.measure: f.value for f in YearFigure.objects.filter(fiscal_year=2023)}
    assert figures == {"sessions": 4, "participants": 181, "reports": 1}
    assert PacketPart.objects.get(label="資料4").message == "研修 4回・181人を読み取りました"
    client.force_login(city.users.office)
    page = client.get(f"/council/ingest/packets/{out['source_id']}/").content.decode()
    assert "OCR（文字認識）で読み取りました" in page and "1ページ" in page


def test_ocr_keeps_its_page_limit(city, seed_packet, tmp_path):
    path = scanned_pdf(tmp_path, seed_part(seed_packet, "資料４", "資料５"))
    with pytest.raises(IngestError, match=r"文字認識（OCR）するページ数が上限 0 ページ を超えます（この文書は 1 ページ）"):
        ingest_file(path=path, actor=city.users.office, limits=Limits(ocr_pages=0))
    assert not YearFigure.objects.exists()



def test_ocr_lines_join_words_keep_column_gaps_and_list_doubtful_words():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    words = [(1, 100, 40, 95.1, "新規"), (2, 142, 40, 93.0, "採用"), (3, 500, 40, 41.5, "2l人"), (1, 100, 40, 90.0, "報告件数")]
    rows = [header] + [f"5\t1\t1\t1\t{1 if i < 3 else 2}\t{n}\t{left}\t10\t{width}\t40\t{conf}\t{text}"
                       for i, (n, left, width, conf, text) in enumerate(words)]
    record = ocr.OcrRecord()
    assert ocr._lines("\n".join(rows), 3, record) == ["新規採用 2l人", "報告件数"]
    assert record.low == [{"page": 3, "text": "新規採用 2l人", "confidence": 42}]
    assert record.as_dict()["confidence"] == 80


def test_a_scanned_notification_is_read_and_its_review_says_it_came_from_ocr(client, city, tmp_path):
    path = scanned_pdf(tmp_path, OTHER_CITY, name="みどり市_scan.pdf")
    out = ingest_file(path=path, actor=city.users.office)
    assert len(out["created"]) == 2 and out["ocr"]["pages"]
    first = Notification.objects.get(number=out["created"][0])
    assert first.extracted["program"] == "高齢者見守りネットワーク事業"
    assert {"氏名", "住所", "緊急連絡先"} <= set(first.extracted["items"])
    client.force_login(city.users.office)
    page = client.get(f"/register/notifications/{first.number}/").content.decode()
    assert "この原文は OCR（文字認識）で読み取りました" in page and "平均の確からしさ" in page


def test_ocr_reports_its_pages_as_progress(city, seed_packet, tmp_path):
    path = scanned_pdf(tmp_path, seed_part(seed_packet, "資料３", "資料５"), name="two-pages.pdf")
    steps = []
    ingest_file(path=path, actor=city.users.office, dry_run=True, progress=lambda percent, step: steps.append((percent, step)))
    ocr_steps = [s for s in steps if s[1].startswith("文字認識")]
    pages = len(pdfium.PdfDocument(str(path)))
    assert pages > 1 and ocr_steps[-1] == (25, f"文字認識（OCR）: {pages}／{pages}ページ")
    assert [p for p, _ in steps] == sorted(p for p, _ in steps)  # it only moves forward
    assert any(s[1] == "資料4を読んでいます" for s in steps)
