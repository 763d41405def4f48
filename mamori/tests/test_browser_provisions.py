"""The office keeps the 特記事項 in the browser: a new edition with a bad 施行日 comes back as typed, then is saved and
shown in force, with its history."""
import re

import pytest
from playwright.sync_api import expect

from mamori.conftest import PASSWORD
from mamori.outsourcing.models import SpecialProvisions
from mamori.tests.conftest import login

pytestmark = pytest.mark.browser
BODY = "（基本的事項）\n第１条 受注者は、個人情報を適切に取り扱わなければならない。\n２ 受注者は、報告しなければならない。\n（損害賠償）\n第２条 受注者は、損害を賠償しなければならない。"


def test_the_office_adds_an_edition_of_the_special_provisions(page, transactional_db, city, tmp_path):
    login(page, "office", PASSWORD)
    page.goto("/outsourcing/")
    page.get_by_role("link", name="特記事項").click()
    expect(page.get_by_text("特記事項の本文はまだ登録されていません。")).to_be_visible()
    page.get_by_text("新しい版を登録").click()
    page.get_by_label("施行日").fill("令和6年4月31日")
    page.get_by_label("改正の内容・備考").fill("制定")
    page.get_by_label(re.compile("^本文")).fill(BODY)
    page.get_by_role("button", name="登録").click()
    expect(page.get_by_label(re.compile("^本文"))).to_have_value(BODY)  # what was typed comes back, beside the message
    assert not SpecialProvisions.objects.exists()
    page.screenshot(path=str(tmp_path / "error.png"), full_page=True)
    page.get_by_label("施行日").fill("令和6年4月1日")
    page.get_by_role("button", name="登録").click()
    expect(page.get_by_text("個人情報の取扱いに関する特記事項（令和6年4月1日施行）を登録しました。")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("令和6年4月1日施行"))).to_contain_text("現に施行中")
    expect(page.locator(".provisions-text p")).to_have_text(BODY.split("\n"))
    expect(page.get_by_role("region", name="履歴")).to_contain_text("個人情報の取扱いに関する特記事項（令和6年4月1日施行）を登録")
    page.screenshot(path=str(tmp_path / "provisions.png"), full_page=True)
    print("screenshots:", tmp_path)
