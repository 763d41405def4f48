"""A past packet uploaded whole in the browser: the job's page, the review of its parts (read, not read and why),
the figures checked, one corrected, and accepted; a second acceptance that would overwrite asks first; and the
「年度の推移」 chart, empty before, shows the accepted 令和5年度 figures after."""
import re

import pytest
from playwright.sync_api import expect

from mamori.conftest import PASSWORD
from mamori.core import jobs
from mamori.council.models import FigureStatus, YearFigure
from mamori.tests.conftest import login

pytestmark = pytest.mark.browser
TRAINING_TABLE = "職員への研修（回数と参加者数）（数値の表）"


def test_upload_a_packet_review_its_parts_and_accept_the_figures(page, transactional_db, city, seed_packet, tmp_path):
    text = seed_packet.read_text(encoding="utf-8")
    path = tmp_path / "令和6年度第1回_資料3から7.txt"
    path.write_text(text[text.index("資料３"):text.index("個人情報の取扱いに関する特記事項")], encoding="utf-8")
    login(page, "office", PASSWORD)
    page.goto("/council/ingest/")
    page.get_by_label(re.compile("審議会資料・届出書")).set_input_files(str(path))
    page.get_by_role("button", name="読み取る").click()
    expect(page.get_by_role("heading", name=f"「{path.name}」の取込")).to_be_visible()
    jobs.execute(page.url.rstrip("/").rsplit("/", 1)[1])  # the worker's part
    expect(page.get_by_text("届出 0件、過年度の数値 70件（確認待ち）、手引の改訂 11行（下書き）")).to_be_visible()
    page.screenshot(path=str(tmp_path / "job.png"), full_page=True)
    results = page.get_by_role("link", name="結果を開く").get_attribute("href")
    # before acceptance the figures are in review: 「年度の推移」 has no year to draw
    page.goto("/council/")
    page.get_by_role("link", name="年度の推移（グラフ）").click()
    expect(page.get_by_text("数値のある年度がありません。")).to_be_visible()
    expect(page.get_by_role("region", name=TRAINING_TABLE)).to_have_count(0)
    page.goto(results)

    parts = page.get_by_role("table").first
    expect(parts.get_by_role("row", name=re.compile("資料3"))).to_contain_text("58件の数値を読み取りました")
    expect(parts.get_by_role("row", name=re.compile("資料7"))).to_contain_text("改訂 11行を読み取りました")
    section = page.get_by_role("region", name=re.compile("^資料4「"))
    section.get_by_label("合計 研修の回数（回）の値").fill("")
    section.get_by_role("button", name="確認済みにする").click()
    page.get_by_role("dialog").get_by_role("button", name="確認済みにする").click()
    expect(page.get_by_text("数値として読めない値があります（合計 研修の回数（回））")).to_be_visible()
    section = page.get_by_role("region", name=re.compile("^資料4「"))
    expect(section.get_by_label("合計 研修の回数（回）の値")).to_have_value("")  # what was typed comes back
    section.get_by_label("合計 研修の回数（回）の値").fill("５")
    section.get_by_role("button", name="確認済みにする").click()
    page.get_by_role("dialog").get_by_role("button", name="確認済みにする").click()
    expect(page.get_by_text("資料4の数値 2件を確認済みにしました")).to_be_visible()
    assert YearFigure.objects.get(measure="sessions", status=FigureStatus.ACCEPTED).value == 5
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
    expect(page.get_by_role("region", name="履歴")).to_contain_text("資料4の数値を確認")
    # the chart changed: 資料4's 令和5年度 figures (研修 5回 as corrected, 参加者 181人) drawn, from the past packet
    page.goto("/council/trends/")
    table = page.get_by_role("region", name=TRAINING_TABLE)
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_text(re.compile(r"^\s*令和5年度\s*5\s*181\s*過去の会議資料\s*$"))
    figure = page.locator("#chart-training")
    expect(figure.locator("svg")).to_have_count(1)
    expect(figure).to_contain_text("令和5年度は過去の会議資料によります")
    page.screenshot(path=str(tmp_path / "trends.png"), full_page=True)
    print("screenshots:", tmp_path)
