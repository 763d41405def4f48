"""The 個人情報ファイル簿 in a real browser: the office accepts a 届出, finds the drafted entry, reads the
differences it makes and publishes it; a department reads only its own files."""
import re

import pytest
from playwright.sync_api import expect

from mamori.conftest import PASSWORD
from mamori.filebook import services
from mamori.filebook.tests.helpers import current_dict
from mamori.register import services as register
from mamori.register.models import NotificationKind
from mamori.tests.conftest import login, logout

pytestmark = pytest.mark.browser


@pytest.fixture
def waiting(transactional_db, city):
    """児童手当 and 住民基本台帳 have published entries; a 変更 of 児童手当 (電話番号 added) waits for the office."""
    for program in (city.programs.teate, city.programs.juki):
        services.revision_publish(file=services.file_create(programs=[program], actor=city.users.office), actor=city.users.office)
    proposed = current_dict(city.programs.teate)
    proposed["groups"][0]["items"].append("電話番号")
    n = register.notification_create(actor=city.users.staff, kind=NotificationKind.CHANGE, program=city.programs.teate, proposed=proposed,
                                     reason="現況確認の連絡のため。", content="「電話番号」を追加する。", effective_date=city.programs.teate.current.effective_from)
    register.notification_submit(notification=n, actor=city.users.staff)
    register.notification_approve(notification=n, actor=city.users.manager)
    return n


def test_the_office_accepts_a_notification_previews_the_drafted_entry_and_publishes_it(page, city, waiting):
    login(page, "office", PASSWORD)
    page.goto(f"/register/notifications/{waiting.number}/")
    page.get_by_role("button", name="受理").click()
    page.get_by_role("dialog").get_by_role("button", name="受理する").click()
    expect(page.get_by_text("受理しました")).to_be_visible()

    page.get_by_role("link", name="ホーム", exact=True).click()
    card = page.get_by_role("region", name="ファイル簿の公表待ち")
    expect(card.locator(".count")).to_contain_text("1")
    card.get_by_role("link", name="公表待ちの記載を開く").click()
    expect(page).to_have_url(re.compile(r"/files/\?status=pending"))
    expect(page.get_by_role("link", name="ファイル簿", exact=True)).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="児童手当給付事業ファイル").click()

    expect(page.get_by_role("heading", name="公表待ちの記載（変更）")).to_be_visible()
    expect(page.get_by_text(f"届出{waiting.number}（変更）の受理により")).to_be_visible()
    items = page.locator("table.entry tr", has=page.get_by_role("rowheader", name=re.compile("^記録項目")))
    expect(items).to_contain_text("変更あり")
    expect(items.locator("ins")).to_have_text("電話番号")

    page.get_by_role("button", name="この記載を公表する").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("公表します")
    dialog.get_by_role("button", name="公表する").click()
    expect(page.get_by_text("ファイル簿の記載（変更）を公表しました。")).to_be_visible()
    expect(page.get_by_text("掲載中")).to_be_visible()
    expect(page.get_by_role("table", name="公表の履歴")).to_contain_text("記録項目：「電話番号」を追加")
    expect(page.get_by_role("button", name="この記載を公表する")).to_have_count(0)


def test_a_department_reads_only_its_own_files(page, city, waiting):
    login(page, "staff", PASSWORD)
    page.get_by_role("link", name="ファイル簿", exact=True).click()
    expect(page.get_by_role("heading", name="個人情報ファイル簿", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="児童手当給付事業ファイル")).to_be_visible()
    expect(page.get_by_role("link", name="住民基本台帳管理事業ファイル")).to_have_count(0)  # 納税係's, not theirs
    expect(page.get_by_text("全1件")).to_be_visible()
    page.get_by_role("link", name="児童手当給付事業ファイル").click()
    expect(page.get_by_role("heading", name="公表している記載")).to_be_visible()
    expect(page.get_by_role("button", name="この記載を公表する")).to_have_count(0)
    expect(page.get_by_text("判定を確認する")).to_have_count(0)
    expect(page.get_by_role("link", name="ファイルの記録を修正")).to_have_count(0)
    logout(page)  # another department's file answers 404 (filebook/tests/test_views.py)
