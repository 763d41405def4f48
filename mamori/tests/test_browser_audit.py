"""Issue 12, item 4, in a real browser: the audit log an auditor can read (axe checks every page)."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from mamori.conftest import PASSWORD
from mamori.incidents import services as incidents
from mamori.register import services as register
from mamori.register.tests.test_workflow import draft_change
from mamori.tests.conftest import login, logout

pytestmark = pytest.mark.browser


@pytest.fixture
def trail(city):
    n = draft_change(city)
    register.notification_submit(notification=n, actor=city.users.staff)
    incident = incidents.incident_save(actor=city.users.office, title="通知書の誤送付", summary="通知書を別の世帯に送付した",
                                       unit=city.units.kyufu, learned_on=datetime.date(2024, 7, 1), items=["氏名", "住所"],
                                       programs=[city.programs.teate], groups=[("受給者", 3)], malicious=False)
    return n, incident


def filter_notifications(page):
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="監査ログ").click()
    expect(page.get_by_role("heading", name="監査ログ", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"全[\d,]+件"))
    page.get_by_label("記録の種類").select_option(label="届出")
    page.get_by_role("button", name="検索").click()
    rows = page.locator("table.audit-events tbody tr")
    expect(rows).to_have_count(2)  # the 届出's 作成 and 提出, nothing else
    expect(page.get_by_role("status")).to_contain_text("全2件")
    for i in range(2):
        expect(rows.nth(i).locator("td").nth(3)).to_contain_text("届出『")
    expect(rows.nth(0)).to_contain_text("提出")
    expect(rows.nth(1)).to_contain_text("作成")
    expect(rows.nth(0).locator("td").first).to_contain_text(re.compile(r"令和\d+年\d+月\d+日 \d\d:\d\d"))
    return rows


def test_the_office_filters_the_log_by_kind_and_reads_a_records_history(page, transactional_db, city, trail, tmp_path):
    n, _incident = trail
    login(page, "office", PASSWORD)
    rows = filter_notifications(page)
    # sorted by 日時: the oldest first, then back
    page.get_by_role("link", name=re.compile("^日時")).click()
    expect(page.get_by_role("columnheader", name=re.compile("^日時"))).to_have_attribute("aria-sort", "ascending")
    expect(rows.nth(0)).to_contain_text("作成")
    expect(page.get_by_label("記録の種類")).to_have_value("register.Notification")  # the filter is kept
    rows.nth(1).get_by_text("項目").click()
    changes = rows.nth(1).locator(".audit-changes")
    expect(changes).to_contain_text("状態")
    expect(changes).to_contain_text("作成中")
    expect(changes).to_contain_text("課長承認待ち")
    expect(changes).not_to_contain_text("status")
    shot = tmp_path / "audit-log-office.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    rows.nth(0).get_by_role("link").click()
    expect(page.get_by_role("heading", name=f"届出『{n}』の履歴")).to_be_visible()
    page.locator("summary", has_text="登録した内容").click()
    created = page.locator("tr", has_text="登録した内容").locator(".audit-changes")
    expect(created).to_contain_text("届出の種類：登録した値 変更")
    expect(created).to_contain_text("適用年月日：登録した値 令和6年6月1日")
    expect(created).to_contain_text("届出後の内容・事務事業名")
    expect(created).not_to_contain_text("effective_date")
    expect(created).not_to_contain_text("2024-06-01")


def test_the_auditor_filters_by_kind_and_reads_an_incidents_history_in_japanese(page, transactional_db, city, trail, tmp_path):
    _n, incident = trail
    login(page, "auditor", PASSWORD)
    filter_notifications(page)
    logout(page)
    # the record's own page: its 履歴 in Japanese labels and 和暦 values
    login(page, "auditor", PASSWORD)
    page.goto(f"/incidents/{incident.pk}/")
    history = page.locator("section.history")
    history.get_by_text("登録した内容").click()
    for text in ("職員が知った日：登録した値 令和6年7月1日", "漏えい等した項目：登録した値 「氏名」、「住所」",
                 "該当部署：登録した値 こども・健康部 こども未来課 こども給付係", "不正の目的によるおそれ（不正アクセス・盗難等）：登録した値 いいえ"):
        expect(history).to_contain_text(text)
    for python in ("learned_on", "2024-07-01", "['", "False"):
        expect(history).not_to_contain_text(python)
    # and the same record through the log, by a word of its kind
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="監査ログ").click()
    page.get_by_label("対象・内容・種類に含む語").fill("漏えい")
    page.get_by_role("button", name="検索").click()
    page.get_by_role("link", name="漏えい等事案『通知書の誤送付』").click()
    expect(page.get_by_role("heading", name="漏えい等事案『通知書の誤送付』の履歴")).to_be_visible()
    page.get_by_text("登録した内容").click()
    expect(page.locator(".audit-changes")).to_contain_text("登録者：登録した値 office")
    shot = tmp_path / "audit-record-auditor.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
