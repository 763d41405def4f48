"""次第 and 資料1・資料2 as the city prints them: read back from the DOCX and the PDF."""
import datetime
import io
import json
from pathlib import Path

import docx
import pdfplumber
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mamori.council import services
from mamori.council.reports import agenda, notifications
from mamori.register import services as register
from mamori.register.importers.council_documents import parse, read_document
from mamori.register.models import NotificationKind
from mamori.register.tests.test_workflow import draft_change

TRUTH = json.loads((Path(__file__).resolve().parents[2] / "register" / "tests" / "data" / "seed_truth.json").read_text(encoding="utf-8"))


@pytest.fixture
def meeting(city):
    from mamori.conftest import version_data

    n = register.notification_create(actor=city.users.staff, kind=NotificationKind.NEW, proposed=version_data("こども食堂支援事業", city.units.team),
                                     reason="令和７年４月から補助制度を開始するため。", content="代表者の「氏名」、「住所」を収集する。",
                                     effective_date=datetime.date(2025, 4, 1))
    c = draft_change(city)
    for x in (n, c):
        register.notification_submit(notification=x, actor=city.users.staff)
        register.notification_approve(notification=x, actor=city.users.manager)
        register.notification_accept(notification=x, actor=city.users.office)
    m = services.meeting_create(actor=city.users.office, fiscal_year=2024, number=1, date=datetime.date(2024, 7, 29),
                                start_time=datetime.time(10, 0), place="市役所 別館２階 全員協議会室")
    return services.meeting_assign(meeting=m, notifications=[n, c], actor=city.users.office)


def docx_text(data: bytes) -> tuple[list[str], list[list[str]], str]:
    d = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in d.paragraphs if p.text]
    tables = [[c.text for row in t.rows for c in row.cells] for t in d.tables]
    footer = d.sections[0].footer._element.xml
    return paragraphs, tables, footer


def pdf_pages(data: bytes) -> list[pdfplumber.page.Page]:
    return pdfplumber.open(io.BytesIO(data)).pages


def test_shiryo1_docx(meeting):
    paragraphs, tables, footer = docx_text(notifications.render_docx(notifications.context(meeting, NotificationKind.NEW)))
    assert paragraphs[:2] == ["資料１", "個人情報取扱管理簿届出書（新規分の取りまとめ）"]
    assert tables == [["事務事業名", "こども食堂支援事業", "理由及び経緯", "令和７年４月から補助制度を開始するため。", "内容",
                       "代表者の「氏名」、「住所」を収集する。", "担当", "給付金プロジェクト・チーム（こども・健康部 こども未来課 こども給付係）"]]
    assert "PAGE" in footer  # page numbers


def test_shiryo2_pdf_with_embedded_japanese_font(meeting):
    pages = pdf_pages(notifications.render_pdf(notifications.context(meeting, NotificationKind.CHANGE)))
    text = pages[0].extract_text()
    assert text.splitlines()[0] == "資料２"
    assert "個人情報取扱管理簿届出書（変更分の取りまとめ）" in text
    assert "事務事業名 児童手当給付事業" in text and "担当 こども・健康部 こども未来課 こども給付係" in text
    assert text.splitlines()[-1] == "1"  # page number
    fonts = {c["fontname"] for c in pages[0].chars}
    # the product's Japanese faces (Noto Serif JP as 明朝, Noto Sans JP as ゴシック) are embedded (subset)
    assert fonts and all("Mamori-Mincho" in f or "Mamori-Gothic" in f for f in fonts)


def test_agenda_docx_and_pdf(meeting):
    ctx = agenda.context(meeting)
    paragraphs, _, _ = docx_text(agenda.render_docx(ctx))
    assert paragraphs[:5] == ["令和６年度第１回", "朝霞市情報公開・個人情報保護審議会会議次第", "令和６年７月２９日（月）", "午前１０時００分から", "市役所 別館２階 全員協議会室"]
    assert "（１）新規・変更事業の報告について" in paragraphs
    assert "（２）令和５年度情報公開制度・個人情報保護制度運用状況の報告について" in paragraphs
    pdf = pdf_pages(agenda.render_pdf(ctx))[0].extract_text()
    for line in ("令和６年度第１回", "令和６年７月２９日（月）", "午前１０時００分から", "（６）その他", "５ 閉 会"):
        assert line in pdf


def test_report_cli(meeting, tmp_path):
    out = tmp_path / "資料2.docx"
    call_command("report", "notifications", "--meeting", "令和６年度第１回", "--kind", "change", "--format", "docx", "--output", str(out))
    assert "児童手当給付事業" in docx_text(out.read_bytes())[1][0]
    call_command("report", "agenda", "--meeting", str(meeting.pk), "--format", "pdf", "--output", str(tmp_path / "次第.pdf"))
    assert "会議次第" in pdf_pages((tmp_path / "次第.pdf").read_bytes())[0].extract_text()
    with pytest.raises(CommandError, match="審議会「令和9年度第9回」が見つかりません"):
        call_command("report", "agenda", "--meeting", "令和9年度第9回", "--format", "pdf", "--output", str(tmp_path / "x.pdf"))


def test_download_from_the_meeting_page(client, meeting, city):
    client.force_login(city.users.council)
    response = client.get(f"/council/meetings/{meeting.pk}/documents/shiryo1.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "こども食堂支援事業" in pdf_pages(response.content)[0].extract_text()
    page = client.get(f"/council/meetings/{meeting.pk}/").content.decode()
    assert "資料1 新規分（1件）" in page and "割り当てる" not in page  # members read; only the office assigns


def test_assignment_rules(meeting, city):
    from django.core.exceptions import ValidationError

    draft = draft_change(city, "性別")
    with pytest.raises(ValidationError, match="まだ受理されていない"):
        services.meeting_assign(meeting=meeting, notifications=[draft], actor=city.users.office)
    other = services.meeting_create(actor=city.users.office, fiscal_year=2024, number=2, date=datetime.date(2024, 11, 1))
    accepted = list(meeting.notifications.all())
    with pytest.raises(ValidationError, match="すでに令和6年度第1回で報告されています"):
        services.meeting_assign(meeting=other, notifications=accepted[:1], actor=city.users.office)
    services.meeting_unassign(meeting=meeting, notification=accepted[0], actor=city.users.office)
    services.meeting_assign(meeting=other, notifications=accepted[:1], actor=city.users.office)
    assert other.links.count() == 1 and meeting.links.count() == 1


def test_date_must_fall_in_the_fiscal_year(client, city):
    client.force_login(city.users.office)
    page = client.post("/council/meetings/new/", {"fiscal_year": 2024, "number": 1, "date": "2025-04-02"}).content.decode()
    assert "開催日は令和6年度（令和6年4月1日〜令和7年3月31日）の日付にしてください" in page
    assert '<option value="2024" selected>令和6年度</option>' in page  # the year is picked in 和暦, and kept


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_printed_materials_read_back_to_the_same_structure(demo, tmp_path, fmt):
    """Round trip: the seed's 届出 printed as 資料1・資料2 (PDF and Word), then ingested, give the seed's structure."""
    from mamori.council.models import Meeting

    meeting = Meeting.objects.get(fiscal_year=2024, number=1)
    render = notifications.render_pdf if fmt == "pdf" else notifications.render_docx
    found = []
    for kind in (NotificationKind.NEW, NotificationKind.CHANGE):
        path = tmp_path / f"{kind}.{fmt}"
        path.write_bytes(render(notifications.context(meeting, kind)))
        found += [n.as_json() for n in parse(read_document(path), path.name).notifications]
    keys = ("kind", "program", "department", "items", "reuse_sources", "provided_to", "contractors", "uses_my_number", "online_link")
    assert [{k: n[k] for k in keys} for n in found] == TRUTH


def test_shiryo1_pdf_repeats_the_program_name_when_its_content_runs_on(demo):
    """Issue 12 (documents): a 内容 that runs onto the next page goes on under its 事務事業名 again."""
    from mamori.council.models import Meeting

    meeting = Meeting.objects.get(fiscal_year=2024, number=1)
    pages = [p.extract_text() for p in pdfplumber.open(io.BytesIO(notifications.render_pdf(notifications.context(meeting, NotificationKind.NEW)))).pages]
    assert len(pages) >= 3
    for page in pages[1:]:
        assert page.lstrip().startswith("事務事業名"), page[:60]
    # The first program runs onto page 2: its name is printed there again, and the reading back is still one block.
    assert pages[1].lstrip().startswith("事務事業名 人権啓発事業")
