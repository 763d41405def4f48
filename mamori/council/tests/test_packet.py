"""The bound council packet, read back: the PDF's pages, bookmarks, labels and page numbers; the DOCX's text
order; the ZIP's names; who may make one (a 審議会委員 yes, a 所管課担当 no)."""
import io
import re
import unicodedata
import zipfile

import docx
import pdfplumber
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from pypdf import PdfReader

from mamori.conftest import make_user
from mamori.core import jobs, rendering
from mamori.core.models import Job, JobStatus, Role, User
from mamori.council import jobs as council_jobs
from mamori.council.models import FigureStatus, FigureTopic, Meeting, YearFigure
from mamori.council.reports import MEETING_DOCUMENTS, MeetingDocument, agenda, packet, packet_context
from mamori.council.tests.test_documents import meeting  # noqa: F401 — the small meeting fixture
from mamori.outsourcing.models import SpecialProvisions

FOOTER = re.compile(r"^- (\d+) -$")


def _pdf_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [unicodedata.normalize("NFKC", p.extract_text() or "") for p in pdf.pages]


def test_demo_packet_pdf_has_the_parts_in_order_with_bookmarks_labels_and_continuous_numbers(demo, tmp_path):
    out = tmp_path / "packet.pdf"
    call_command("report", "packet", "--meeting", "令和6年度第1回", "--format", "pdf", "--output", str(out))
    data = out.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    outline = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline if not isinstance(o, list)]
    assert [t for t, _ in outline] == [
        "目次", "会議次第",
        "資料１ 個人情報取扱管理簿届出書（新規分の取りまとめ）", "資料２ 個人情報取扱管理簿届出書（変更分の取りまとめ）",
        "資料３ 情報公開制度・個人情報保護制度運用状況報告書（令和５年度）", "資料４ 職員への研修状況（令和５年度）",
        "資料５ 委託に関する報告（令和５年度）", "資料６ 個人情報保護委員会への漏えい等の報告（令和５年度）",
        "資料７ 手引の改訂",
    ]
    # the 特記事項 (the demo's edition in force on the meeting's date) and its 別紙 follow 資料5, their bookmarks under its own
    under5 = reader.outline[reader.outline.index(next(o for o in reader.outline if not isinstance(o, list) and o.title.startswith("資料５"))) + 1]
    annexes = [(o.title, reader.get_destination_page_number(o)) for o in under5]
    assert [t for t, _ in annexes] == ["個人情報の取扱いに関する特記事項", "個人情報の取扱いに関する特記事項 別紙１〜３（様式）",
                                       "個人情報の取扱いに関する特記事項 別紙４ 個人情報取扱状況の確認書（様式）"]
    starts = [page for _, page in outline]
    assert starts == sorted(starts) and starts[0] == 0
    pages = _pdf_text(data)
    # every page is numbered on, 目次 included: 「- 1 -」 … 「- N -」, and each document's own 「1」 is gone
    assert [FOOTER.match(p.splitlines()[-1]).group(1) for p in pages] == [str(i) for i in range(1, len(pages) + 1)]
    assert len(pages) == 27  # 目次 1, 次第 1, 資料1 8, 資料2 4, 資料3〜6 1 each (the demo's data), 特記事項 3, 別紙1〜3 3, 別紙4 2, 資料7 1
    provisions = "".join(pages[annexes[0][1]:annexes[1][1]])
    assert annexes[1][1] - annexes[0][1] == 3 and pages[annexes[0][1]].splitlines()[:2] == ["個人情報の取扱いに関する特記事項", "(令和5年4月1日施行)"]
    articles = re.findall(r"^第(\d+)条", provisions, re.M)
    assert articles == [str(i) for i in range(1, 18)] and "(基本的事項)" in provisions and "その損害を賠償しなければならない。" in provisions
    assert [pages[p].splitlines()[0] for p in range(annexes[1][1], annexes[1][1] + 3)] == ["別紙1(第2条関係)", "別紙2(第3条関係)", "別紙3(第6条関係)"]
    assert pages[annexes[2][1]].splitlines()[0] == "別紙4(第15条関係)" and "個人情報取扱状況の確認書" in pages[annexes[2][1]]
    for title, page in outline[2:]:
        assert pages[page].splitlines()[0] == unicodedata.normalize("NFKC", title.split()[0])  # 「資料1」 on top of its first page
    assert pages[outline[1][1]].splitlines()[1].endswith("会議次第")
    # the 目次 gives each part's first page as printed in the footers
    index = pages[0]
    for title, page in outline[1:] + annexes:
        label, _, name = title.partition(" ")
        name = name if label.startswith("資料") else title
        start = unicodedata.normalize("NFKC", name or label)[:24]  # a long title wraps: its first line has the page
        line = next(x for x in index.splitlines() if start in x)
        assert line.endswith(f" {page + 1}"), line
    # with no edition of the 特記事項 kept, the packet says so in its 目次 note and still binds the 別紙
    SpecialProvisions.objects.all().delete()
    ctx = packet_context(Meeting.objects.get(fiscal_year=2024, number=1))
    assert [p.title for p in ctx.parts if p.annex_of] == [t for t, _ in annexes[1:]]
    assert "資料５の個人情報の取扱いに関する特記事項（令和6年7月29日に施行されている特記事項の本文が登録されていません）" in ctx.missing


def test_agenda_order_decides_the_order_and_a_label_is_stamped_when_the_part_lacks_it(meeting, monkeypatch):  # noqa: F811
    # a 資料9 that prints no label of its own (the 次第's sheet stands in): the packet stamps 「資料９」 on its first page
    documents = [*MEETING_DOCUMENTS.values(), MeetingDocument("shiryo9", "資料9", agenda.context, agenda)]
    ctx = packet.context(meeting, documents)
    assert [p.key for p in ctx.parts][:3] == ["agenda", "shiryo1", "shiryo2"] and ctx.parts[-1].key == "shiryo9"
    assert ctx.parts[-1].title == "令和６年度第１回"  # registered without a title: the first line it prints
    pages = _pdf_text(packet.render_pdf(ctx))
    start = 1 + 1 + 1 + 1  # 目次, 次第, 資料1 (1 page), 資料2 (1 page)
    assert pages[start].splitlines()[0] == "資料9" and "会議次第" in pages[start]
    # the small city has no requests for 令和5年度: the 目次 says so instead of printing an empty 資料3
    assert any("資料3(令和5年度の運用状況の記録がありません)" in line.replace(" ", "") for line in pages[0].splitlines())


@pytest.mark.parametrize("agenda_items, first", [
    (["新規・変更事業の報告について", "運用状況の報告について"], 0),
    (["運用状況の報告について", "新規・変更事業の報告について"], 1),
    (["その他"], 1),
])
def test_a_part_goes_under_the_agenda_item_that_names_its_topic(agenda_items, first):
    assert packet._position(agenda_items, ("新規",)) == first


def test_packet_docx_is_one_document_in_order_with_page_numbers(meeting):  # noqa: F811
    data = packet.render_docx(packet_context(meeting))
    d = docx.Document(io.BytesIO(data))
    text = [p.text for p in d.paragraphs if p.text]
    order = [text.index(x) for x in ("目　次", "朝霞市情報公開・個人情報保護審議会会議次第", "資料１", "資料２")]
    assert order == sorted(order)
    assert "個人情報取扱管理簿届出書（変更分の取りまとめ）" in text
    starts = [p for p in d.paragraphs if p.paragraph_format.page_break_before]
    assert [p.text for p in starts][:3] == ["令和６年度第１回", "資料１", "資料２"]  # 次第, 資料1 and 資料2 each start a page
    # the 目次's page column refers to a bookmark at each part's start (Word and LibreOffice fill the numbers in)
    marks = [p._p.xpath("./w:bookmarkStart/@w:name")[0] for p in starts]
    refs = [t.strip() for t in d.tables[0]._tbl.xpath(".//w:instrText/text()")]
    assert refs == [f"PAGEREF {m} \\h" for m in marks] and len(marks) == len(d.tables[0].rows) - 1
    footer = d.sections[-1].footer.paragraphs[0]
    assert footer.text == "-  -" and "PAGE" in d.sections[-1].footer._element.xml


def test_packet_zip_holds_each_part_as_docx_and_pdf_with_an_index(meeting):  # noqa: F811
    with zipfile.ZipFile(io.BytesIO(packet.render_zip(packet_context(meeting)))) as z:
        names = z.namelist()
        index = z.read("目次.txt").decode("utf-8")
        first = docx.Document(io.BytesIO(z.read("資料１_個人情報取扱管理簿届出書（新規分の取りまとめ）.docx")))
    assert names[:2] == ["次第_会議次第.docx", "次第_会議次第.pdf"]
    assert "資料２_個人情報取扱管理簿届出書（変更分の取りまとめ）.pdf" in names and names[-1] == "目次.txt"
    assert first.paragraphs[0].text == "資料１"
    assert index.splitlines()[0] == "令和６年度第１回 朝霞市情報公開・個人情報保護審議会 会議資料" and "資料２" in index


def test_a_council_member_makes_the_packet_as_a_job_and_downloads_it(client, city, meeting, django_capture_on_commit_callbacks):  # noqa: F811
    client.force_login(city.users.council)
    page = client.get(f"/council/meetings/{meeting.pk}/").content.decode()
    assert "会議資料一式を作成" in page and "審議会の情報を編集" not in page and "割り当てる" not in page
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/council/meetings/{meeting.pk}/packet/", {"format": "pdf"})
    job = Job.objects.get(kind=council_jobs.KIND)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    jobs.execute(str(job.pk))  # what the worker does
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and "会議資料一式" in job.result_label
    with default_storage.open(job.result_file.name) as f:
        assert PdfReader(io.BytesIO(f.read())).outline[0].title == "目次"
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert job.title in client.get(f"/council/meetings/{meeting.pk}/").content.decode()  # listed under 最近の作成
    # another member does not see this member's job; the office does
    client.force_login(make_user("council-2", Role.COUNCIL))
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    client.force_login(city.users.office)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200


def test_department_staff_may_not_make_or_read_the_packet(client, city, meeting):  # noqa: F811
    client.force_login(city.users.staff)
    assert client.get(f"/council/meetings/{meeting.pk}/").status_code == 403
    assert client.post(f"/council/meetings/{meeting.pk}/packet/", {"format": "pdf"}).status_code == 403
    assert not Job.objects.filter(kind=council_jobs.KIND).exists()


def test_a_bad_format_comes_back_with_the_choice_and_a_message(client, city, meeting):  # noqa: F811
    client.force_login(city.users.council)
    response = client.post(f"/council/meetings/{meeting.pk}/packet/", {"format": "exe", "charts": "on"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "作成する形式（PDF・DOCX・ZIP）を選んでください。" in page and 'id="packet-charts" name="charts" checked' in page
    assert not Job.objects.filter(kind=council_jobs.KIND).exists()


def test_a_member_finds_the_latest_meetings_packets_on_their_home(client, city, meeting):  # noqa: F811
    client.force_login(city.users.council)
    home = client.get("/").content.decode()
    assert "審議会の会議資料" in home and f'href="/council/meetings/{meeting.pk}/#packet"' in home
    client.force_login(city.users.office)
    assert "審議会の会議資料" not in client.get("/").content.decode()  # the office works from the council's list


def test_the_job_binds_the_charts_annex_when_asked(client, city, meeting, django_capture_on_commit_callbacks):  # noqa: F811
    YearFigure.objects.create(fiscal_year=2022, topic=FigureTopic.INCIDENTS, measure="reports", value=2, status=FigureStatus.ACCEPTED)
    client.force_login(city.users.council)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"/council/meetings/{meeting.pk}/packet/", {"format": "zip", "charts": "on"})
    job = Job.objects.get(kind=council_jobs.KIND)
    assert job.params == {"meeting": meeting.pk, "format": "zip", "charts": True} and job.title.endswith("付録「年度の推移」付き）")
    jobs.execute(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    with default_storage.open(job.result_file.name) as f, zipfile.ZipFile(io.BytesIO(f.read())) as z:
        names = z.namelist()
        annex = docx.Document(io.BytesIO(z.read("付録_年度の推移（令和4年度）.docx")))
    assert "付録_年度の推移（令和4年度）.pdf" in names
    rows = [[c.text for c in r.cells] for t in annex.tables for r in t.rows]
    assert ["令和4年度", "2", "過去の会議資料"] in rows


def test_a_job_for_a_meeting_since_deleted_says_so(city, meeting):  # noqa: F811
    job = jobs.start(council_jobs.KIND, actor=city.users.office, params={"meeting": meeting.pk + 1000, "format": "pdf"})
    jobs.execute(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "この審議会は削除されています" in job.error


def test_the_numbering_sheet_takes_each_pages_size_and_stamps_a_missing_label():
    pages = packet._overlay_pages([(595.3, 841.9), (841.9, 595.3), (595.3, 841.9)], {1: "資料９"})
    sheets = PdfReader(io.BytesIO(rendering.pdf_from_template("council/reports/packet_overlay.html", {"pages": pages}))).pages
    assert [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in sheets] == [(595, 842), (842, 595), (595, 842)]
    assert [p.extract_text().splitlines() for p in sheets] == [["- 1 -"], ["資料９", "- 2 -"], ["- 3 -"]]


def test_a_meeting_with_no_handbook_revision_says_so_instead_of_failing(meeting):  # noqa: F811
    ctx = packet_context(meeting)
    assert "shiryo7" not in [p.key for p in ctx.parts]
    assert any(line.startswith("資料７") and "手引の改訂" in line for line in ctx.missing)


def test_the_meeting_page_lists_its_documents_in_their_numbers_order(demo, client):
    client.force_login(User.objects.get(username="hogo"))
    first = Meeting.objects.get(fiscal_year=2024, number=1)
    page = client.get(f"/council/meetings/{first.pk}/").content.decode()
    labels = ["次第：", "資料1（新規分）", "資料2（変更分）", "資料3（", "資料4（", "資料5（", "資料6（", "資料7（手引の改訂）"]
    positions = [page.index(label) for label in labels]
    assert positions == sorted(positions)
