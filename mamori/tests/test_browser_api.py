"""In a real browser: a person creates an API token on their page, sees it once, uses it, revokes it; and the
API's docs page (Swagger UI from the app's static files) works under the site's Content-Security-Policy."""
import datetime
import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from mamori.conftest import PASSWORD
from mamori.tests.conftest import login

pytestmark = pytest.mark.browser


def _get(live_server, path, secret):
    request = urllib.request.Request(live_server.url + path, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_create_use_and_revoke_a_token(page, live_server, transactional_db, city):
    login(page, "staff", PASSWORD)
    page.get_by_role("link", name="APIトークン").click()
    expect(page.get_by_role("heading", name="APIトークン", level=1)).to_be_visible()
    page.get_by_text("トークンを作成する").click()
    page.get_by_label("名前（何に使うか）").fill("文書管理システム連携")
    page.get_by_label("読み取りのみ").check()
    page.get_by_label("有効期限").fill((datetime.date.today() + datetime.timedelta(days=400)).isoformat())
    page.get_by_role("button", name="作成する").click()
    expect(page.locator(".field.has-error")).to_contain_text("365日以内")  # beside the field, with what was typed
    expect(page.get_by_label("名前（何に使うか）")).to_have_value("文書管理システム連携")
    page.get_by_label("有効期限").fill((datetime.date.today() + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="作成する").click()
    expect(page.get_by_role("heading", name="APIトークン「文書管理システム連携」")).to_be_visible()
    secret = page.get_by_label("トークン（読み取りのみ").input_value()
    assert secret.startswith("mamori_")
    status, body = _get(live_server, "/api/v1/programs/", secret)
    assert status == 200 and [p["name"] for p in body["results"]] == ["児童手当給付事業"]  # as the staff member: their department only

    page.get_by_role("link", name="APIトークン").click()  # shown once: coming back, it is not there
    expect(page.get_by_text("二度と表示されません")).to_have_count(0)
    row = page.get_by_role("row", name="文書管理システム連携")
    expect(row).to_contain_text("有効")
    expect(row).to_contain_text("令和")  # the last use, 和暦
    row.get_by_role("button", name="文書管理システム連携を失効させる").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("元に戻せません")
    dialog.get_by_role("button", name="失効させる").click()
    expect(page.get_by_text("を失効させました")).to_be_visible()
    expect(page.get_by_role("row", name="文書管理システム連携")).to_contain_text("失効")
    status, body = _get(live_server, "/api/v1/programs/", secret)
    assert status == 401 and "失効" in body["message"]


def test_the_docs_page_works_under_the_sites_csp(page, live_server, transactional_db, city):
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    login(page, "office", PASSWORD)
    page.goto("/api/v1/docs/")
    expect(page.get_by_role("heading", name="REST API の説明")).to_be_visible()
    assert "script-src 'self'" in page.evaluate("async () => (await fetch(location.href)).headers.get('content-security-policy')")
    page.get_by_text("事務事業の一覧と検索").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(page.locator(".live-responses-table")).to_contain_text("住民基本台帳管理事業")
    assert problems == []  # no script refused by the CSP, no error in the page
