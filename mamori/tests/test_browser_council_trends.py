"""「年度の推移」 and 会議資料一式 in a real browser, as a 審議会委員: past packets' figures as charts, and the
meeting's bound packet from the member's home; axe-core checks every page (conftest); the screenshots are kept in
var/screenshots for a person to look at."""
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from mamori.conftest import PASSWORD
from mamori.core import jobs
from mamori.council import services
from mamori.council.models import FigureStatus, FigureTopic, YearFigure
from mamori.council.tests.test_documents import meeting  # noqa: F401 — the small meeting fixture
from mamori.tests.conftest import login

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.browser
def test_a_member_reads_the_trends_at_desk_and_phone_width(page, transactional_db, city):
    for year, received, documents, rate in ((2020, 8, 40, 35), (2021, 11, 80, 41), (2022, 12, 88, 47)):
        for measure, value in (("received", received), ("documents", documents), ("rate", rate), ("decided:full", documents // 4),
                               ("decided:partial", documents // 4), ("decided:refused", documents - 2 * (documents // 4))):
            YearFigure.objects.create(fiscal_year=year, topic=FigureTopic.DISCLOSURE, measure=measure, value=Decimal(value),
                                      status=FigureStatus.ACCEPTED)
        YearFigure.objects.create(fiscal_year=year, topic=FigureTopic.INCIDENTS, measure="reports", value=year - 2020, status=FigureStatus.ACCEPTED)
    services.meeting_create(actor=city.users.office, fiscal_year=2023, number=1, date=datetime.date(2023, 7, 31))
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, "council", PASSWORD)
    page.goto("/council/")
    page.get_by_role("link", name="年度の推移（グラフ）").click()
    page.wait_for_url("**/council/trends/")
    figure = page.get_by_role("figure", name="公文書公開請求の受付件数と文書数")
    assert figure.get_by_role("img").count() == 1
    table = figure.get_by_role("table")
    assert table.get_by_role("row").nth(1).inner_text().split("\t")[:3] == ["令和2年度", "8", "40"]
    assert "過去の会議資料" in table.inner_text()
    page.screenshot(path=str(SHOTS / "council-trends-1280.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320  # nothing runs off a phone's screen
    page.get_by_role("figure", name="公文書公開請求の決定の内訳（文書数）と公開率").screenshot(path=str(SHOTS / "council-trends-320.png"))


@pytest.mark.browser
def test_a_member_makes_the_packet_from_their_home_and_downloads_it(page, transactional_db, city, meeting, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, "council", PASSWORD)
    page.get_by_role("link", name=re.compile("令和6年度第1回")).click()
    expect(page.get_by_role("heading", name="会議資料一式")).to_be_visible()
    expect(page.get_by_role("link", name="審議会の情報を編集")).to_have_count(0)  # a member reads, nothing more
    page.get_by_label("PDF（1冊）").check()
    page.locator("#packet").screenshot(path=str(SHOTS / "council-packet-form.png"))
    page.get_by_role("button", name="会議資料一式を作成").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    jobs.execute(page.url.rstrip("/").rsplit("/", 1)[1])  # the worker's part
    expect(page.get_by_text(re.compile(r"会議資料一式（PDF（1冊）、\d+点）を作成しました"))).to_be_visible()  # the page refreshes itself
    page.screenshot(path=str(SHOTS / "council-packet-job.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="結果をダウンロード").click()
    assert download.value.suggested_filename == "令和６年度第１回_会議資料.pdf"
    reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert [o.title for o in reader.outline][:4] == ["目次", "会議次第", "資料１ 個人情報取扱管理簿届出書（新規分の取りまとめ）",
                                                     "資料２ 個人情報取扱管理簿届出書（変更分の取りまとめ）"]
