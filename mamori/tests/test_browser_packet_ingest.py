"""A past packet uploaded whole in the browser: the job's page, the review of its parts (read, not read and why),
the figures checked, one corrected, and accepted; a second acceptance that would overwrite asks first."""
import re

import pytest
from playwright.sync_api import expect

from mamori.conftest import PASSWORD
from mamori.core import jobs
from mamori.council.models import FigureStatus, YearFigure
from mamori.tests.conftest import login

pytestmark = pytest.mark.browser


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
    page.get_by_role("link", name="結果を開く").click()

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
    print("screenshots:", tmp_path)
