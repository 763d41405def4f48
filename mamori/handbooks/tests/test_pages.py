"""The handbook screens: an edition typed, uploaded (DOCX, PDF) and corrected; 「改訂を作成」 → the table; a row corrected
(stale edits refused, the form back with what was typed); finalize; the organisation screen's offer; who sees what."""
import datetime
import io

import docx
import lxml.html
import pytest

from mamori.core import rendering
from mamori.handbooks import services
from mamori.handbooks.models import Edition, Handbook, Revision, RevisionStatus
from mamori.handbooks.reading import pages_from_docx, pages_from_pdf, read_upload
from mamori.handbooks.tests.test_rules import NEW, OLD
from mamori.register.importers.limits import IngestError, Limits


@pytest.fixture
def handbook(city):
    handbook = services.handbook_create(name="個人情報保護制度の手引", actor=city.users.office)
    return handbook


def _form(page: str, xpath: str) -> dict:
    (form,) = lxml.html.fromstring(page).xpath(xpath)
    return dict(form.form_values())


def test_an_edition_typed_then_a_revision_between_two(client, city, handbook):
    client.force_login(city.users.office)
    url = f"/handbooks/{handbook.pk}/"
    for label, day, text in (("令和5年4月版", "令和5年4月1日", OLD), ("令和6年4月版", "R6.4.1", NEW)):
        response = client.post(url, {"text-label": label, "text-issued_on": day, "text-text": text, "text-base_version": ""})
        assert response.status_code == 302, response.content.decode()[:2000]
    old, new = Edition.objects.order_by("issued_on")
    assert [p["number"] for p in old.pages] == [3, 4] and old.line_count == 19
    page = client.get(f"/handbooks/editions/{old.pk}/").content.decode()
    assert "第２条（定義） 2" in page and "履歴" in page
    response = client.post("/handbooks/revisions/new/", {"handbook": handbook.pk, "from_edition": old.pk, "to_edition": new.pk,
                                                         "reason": "公社の機関からの除外", "promulgated_on": "令和6年3月25日", "revised_on": "",
                                                         "base_version": ""})
    assert response.status_code == 302
    revision = Revision.objects.get()
    assert revision.rows.count() == 8 and revision.enforced_on == revision.promulgated_on and revision.revised_on == new.issued_on
    page = client.get(response["Location"]).content.decode()
    assert "３ページ 下から３行目" in page and "項目（イ）すべて削除" in page and "<u>２つ</u>" in page
    assert "令和６年３月２５日公布・施行" in page


def test_a_stale_row_edit_comes_back_with_what_was_typed(client, city, handbook):
    a = services.edition_create(handbook=handbook, label="旧版", issued_on=datetime.date(2023, 4, 1), pages=[{"number": 1, "lines": ["甲の機関", "乙"]}], actor=None)
    b = services.edition_create(handbook=handbook, label="新版", issued_on=datetime.date(2024, 4, 1), pages=[{"number": 1, "lines": ["甲", "乙"]}], actor=None)
    revision = services.revision_create(handbook=handbook, from_edition=a, to_edition=b, reason="理由", actor=None)
    row = revision.rows.get()
    client.force_login(city.users.office)
    page = client.get(f"/handbooks/revisions/{revision.pk}/").content.decode()
    data = _form(page, f"//form[@action='/handbooks/revisions/{revision.pk}/rows/{row.pk}/']")
    services.row_update(row=row, location=row.location, before=row.before, after="甲（別の人が直した）", actor=None)
    data[f"row{row.pk}-after"] = "甲（私の直し）"
    response = client.post(f"/handbooks/revisions/{revision.pk}/rows/{row.pk}/", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "甲（私の直し）" in text and "甲（別の人が直した）" in text
    row.refresh_from_db()
    assert row.after == "甲（別の人が直した）"
    assert client.post(f"/handbooks/revisions/{revision.pk}/finalize/").status_code == 302
    assert Revision.objects.get().status == RevisionStatus.FINAL
    page = client.get(f"/handbooks/revisions/{revision.pk}/").content.decode()
    assert "この行を直す" not in page and "確定を取り消す" in page
    assert client.get(f"/handbooks/revisions/{revision.pk}/shiryo7.docx").status_code == 200


def test_removing_an_organ_offers_the_revision(client, city):
    client.force_login(city.users.office)
    page = client.get("/organisation/").content.decode()
    assert "手引の改訂を作成" not in page  # offered once an organ is removed
    data = _form(page, f"//form[@action='/organisation/organs/{city.organ.pk}/remove/']")
    bad = client.post(f"/organisation/organs/{city.organ.pk}/remove/", data | {f"organ{city.organ.pk}-removed_on": "令和6年2月30日"})
    assert bad.status_code == 200 and "2月30日" in bad.content.decode()
    data[f"organ{city.organ.pk}-removed_on"] = "令和6年3月25日"
    response = client.post(f"/organisation/organs/{city.organ.pk}/remove/", data, follow=True)
    page = response.content.decode()
    assert "令和6年3月25日に実施機関から除外" in page and f"/handbooks/revisions/new/?organ={city.organ.pk}" in page
    page = client.get(f"/handbooks/revisions/new/?organ={city.organ.pk}").content.decode()
    values = _form(page, "//form[.//*[@name='reason']]")
    assert values["reason"] == "市長の実施機関からの除外" and "6年3月25日" in values["promulgated_on"]
    client.force_login(city.users.sysadmin)
    assert "手引の改訂を作成" not in client.get("/organisation/").content.decode()  # not the system administrator's work


def test_who_sees_what(client, city, handbook):
    client.force_login(city.users.staff)
    assert client.get("/handbooks/").status_code == 200 and client.get(f"/handbooks/{handbook.pk}/").status_code == 200
    assert client.post("/handbooks/", {"name": "勝手な手引"}).status_code == 403
    assert client.get("/handbooks/revisions/new/").status_code == 403
    client.force_login(city.users.council)
    assert client.get("/handbooks/").status_code == 403
    assert not Handbook.objects.filter(name="勝手な手引").exists()


def test_an_empty_text_is_refused_with_a_message(client, city, handbook):
    client.force_login(city.users.office)
    response = client.post(f"/handbooks/{handbook.pk}/", {"text-label": "空の版", "text-issued_on": "令和6年4月1日", "text-text": "  \n", "text-base_version": ""})
    assert response.status_code == 200 and "本文がありません" in response.content.decode() and "空の版" in response.content.decode()
    assert not Edition.objects.exists()


def test_a_docx_edition_keeps_its_pages_and_file(client, city, handbook):
    document = docx.Document()
    for line in ("第１ 目的", "本文の一行目"):
        document.add_paragraph(line)
    document.add_paragraph("―― 5 ――")
    document.add_paragraph("六ページの一行目")
    raw = rendering.docx_bytes(document)
    assert [(p.number, p.lines) for p in pages_from_docx("h.docx", raw)] == [(5, ("第１ 目的", "本文の一行目")), (6, ("六ページの一行目",))]
    client.force_login(city.users.office)
    upload = io.BytesIO(raw)
    upload.name = "手引.docx"
    response = client.post(f"/handbooks/{handbook.pk}/", {"upload": "1", "file-label": "令和6年4月版", "file-issued_on": "令和6年4月1日", "file-file": upload})
    assert response.status_code == 302
    edition = Edition.objects.get()
    assert edition.source_name == "手引.docx" and len(edition.source_sha256) == 64 and bytes(edition.source_file) == raw
    assert client.get(f"/handbooks/editions/{edition.pk}/file/").content == raw


def test_a_pdf_edition_reads_its_printed_page_numbers():
    html = "".join(f"<section style='page-break-after: always'><p>{n}ページの本文です。</p><p>二行目です。</p><p style='text-align:center'>― {n} ―</p></section>"
                   for n in (7, 8))
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    raw = HTML(string=f"<html lang='ja'><body style=\"font-family: 'Mamori Mincho'\">{html}</body></html>").write_pdf(
        stylesheets=[CSS(string=rendering.font_face_css(), font_config=fonts)], font_config=fonts)
    pages = pages_from_pdf("h.pdf", raw)
    assert [p.number for p in pages] == [7, 8] and pages[0].lines == ("7ページの本文です。", "二行目です。")


def test_an_upload_is_read_in_a_child_process_held_to_the_time_limit():

    document = docx.Document()
    document.add_paragraph("一行目")
    raw = rendering.docx_bytes(document)
    assert [p.lines for p in read_upload("h.docx", raw)] == [("一行目",)]
    with pytest.raises(IngestError, match="時間が上限"):
        read_upload("h.docx", raw, Limits(seconds=0.01))
    with pytest.raises(IngestError, match="Word"):
        read_upload("h.txt", raw)


def test_an_upload_over_the_limits_is_refused():
    with pytest.raises(IngestError, match="上限"):
        pages_from_pdf("big.pdf", b"%PDF-1.4" + b" " * (2 * 1024 * 1024) + b"%%EOF", Limits(file_mb=1))
    with pytest.raises(IngestError, match="Word"):
        pages_from_docx("broken.docx", b"PK\x03\x04 not a zip")
