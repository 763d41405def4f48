"""The public 個人情報ファイル簿 site in a real browser: opened from file:// and served by a plain static server on
loopback (python -m http.server), as a resident would use it — search, facets, a file page, the request page and
its form, a download — with axe-core on every page; without JavaScript, the full list; and inside the app, the
office's preview and the publication as a background job."""
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import expect

from mamori.conftest import PASSWORD
from mamori.core import jobs
from mamori.public import publish, site
from mamori.public.tests.helpers import publish_entries
from mamori.tests.conftest import AXE, login

pytestmark = pytest.mark.browser

AXE_NOW = """() => axe.run(document, {resultTypes: ["violations"]}).then((r) => r.violations.map(
  (v) => v.id + " (" + v.impact + ") " + v.help + " — " + v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", ")))"""


@pytest.fixture
def built(transactional_db, city, tmp_path):
    files = publish_entries(city)
    return publish.publish(site.load(), tmp_path / "site").path, files


@pytest.fixture
def static_server(built):
    """The published folder served by Python's own static server, bound to loopback, stopped at the end."""
    out, _ = built
    server = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = server.stdout.readline()
        port = re.search(r"port (\d+)", line).group(1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def check_axe(page):
    """axe-core on the page now (the harness runs it by itself on http pages only)."""
    violations = page.evaluate(AXE_NOW)
    assert violations == [], f"{page.url}: {violations}"


def fetch(page, link) -> bytes:
    """What a download link gives: over http, the download itself; from file:// (where Chromium ignores the
    download attribute of a local page and would open the file instead), the file the link leads to."""
    href = link.evaluate("(a) => a.href")
    if href.startswith("file:"):
        return Path(unquote(urlparse(href).path)).read_bytes()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == href.rsplit("/", 1)[1]
    return Path(download.value.path()).read_bytes()


def walk(page, base, files, *, after_each=lambda page: None):
    manual = files["manual"]
    page.goto(base + "index.html")
    expect(page.get_by_role("heading", name="朝霞市 個人情報ファイル簿", level=1)).to_be_visible()
    status = page.get_by_role("status")
    expect(status).to_have_text("2件見つかりました（全2件中）")
    after_each(page)
    # keyword, then a field, then a facet
    page.get_by_label("キーワード").fill("放課後")
    expect(status).to_have_text("1件見つかりました（全2件中）")
    page.get_by_label("キーワード").fill("勤務先")
    page.get_by_label("探す項目").select_option(label="名称")
    expect(status).to_contain_text("条件に合うファイルはありません")
    page.get_by_label("探す項目").select_option(label="記録項目")
    expect(status).to_have_text("1件見つかりました（全2件中）")
    page.get_by_role("button", name="条件を消す").click()
    expect(status).to_have_text("2件見つかりました（全2件中）")
    facet = page.get_by_role("group", name="種別")
    expect(facet.get_by_label("マニュアル処理ファイル（1）")).to_be_visible()
    facet.get_by_label("マニュアル処理ファイル（1）").check()
    expect(status).to_have_text("1件見つかりました（全2件中）")
    expect(page.locator("#results").get_by_role("link")).to_have_text(["紙台帳事業ファイル"])
    page.get_by_role("group", name="経常的提供先").get_by_label("あり（0）").check()
    expect(status).to_contain_text("条件に合うファイルはありません")
    page.get_by_role("button", name="条件を消す").click()
    page.get_by_role("group", name="経常的提供先").get_by_label("あり（1）").check()
    # a file's page
    page.locator("#results").get_by_role("link", name="放課後児童クラブ運営事業ファイル").click()
    expect(page.get_by_role("heading", name="放課後児童クラブ運営事業ファイル", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^記録情報の経常的提供先"))).to_contain_text("埼玉県")
    expect(page.get_by_role("table").last).to_contain_text("変更")
    after_each(page)
    # the request page and its pre-filled form
    page.get_by_role("link", name="この個人情報の開示を請求する").click()
    expect(page.get_by_role("heading", name="この個人情報の開示を請求する")).to_be_visible()
    expect(page.get_by_text("総務部 総務課 情報公開係（朝霞市役所本庁舎）", exact=True)).to_be_visible()
    after_each(page)
    assert fetch(page, page.get_by_role("link", name="保有個人情報開示請求書（PDF）")).startswith(b"%PDF")
    # the list, then the bulk data
    page.get_by_role("link", name="一覧", exact=True).click()
    expect(page.get_by_role("link", name="紙台帳事業ファイル")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("敬老祝金支給事業ファイル"))).to_be_visible()  # deleted: its notice page
    after_each(page)
    page.get_by_role("link", name="データのダウンロード", exact=True).click()
    after_each(page)
    assert fetch(page, page.get_by_role("link", name=re.compile("^CSV"))).startswith("\ufeff".encode())
    page.get_by_role("link", name="データ形式の説明").click()
    expect(page.get_by_role("heading", name="個人情報ファイル簿のデータ形式（CSV・JSON・XLSX）")).to_be_visible()
    after_each(page)
    page.goto(base + f"files/{manual.code}.html")
    expect(page.get_by_text("マニュアル処理ファイル", exact=True)).to_be_visible()


def test_the_site_from_a_static_server(page, built, static_server):
    _, files = built
    walk(page, static_server, files)  # axe-core runs on every page by itself (http)
    page.goto(static_server + "index.html?q=%E7%B4%99")  # a search kept in the address
    expect(page.get_by_role("status")).to_have_text("1件見つかりました（全2件中）")
    expect(page.get_by_label("キーワード")).to_have_value("紙")


def test_the_site_from_file(page, built):
    out, files = built
    walk(page, out.as_uri() + "/", files, after_each=check_axe)


def test_the_site_without_javascript(browser, built):
    out, files = built
    context = browser.new_context(java_script_enabled=False, locale="ja-JP", viewport={"width": 320, "height": 800})
    context.add_init_script(path=str(AXE))
    try:
        page = context.new_page()
        page.goto((out / "index.html").as_uri())
        expect(page.get_by_role("heading", name="ファイルを探す", level=2)).to_be_hidden()
        page.get_by_text("検索には JavaScript を使います").get_by_role("link", name="全件の一覧").click()
        page.get_by_role("link", name="放課後児童クラブ運営事業ファイル").click()
        expect(page.get_by_role("heading", name="放課後児童クラブ運営事業ファイル", level=1)).to_be_visible()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, f"the page is {width}px wide at 320px"
    finally:
        context.close()


def test_the_office_previews_and_publishes_the_site(page, transactional_db, city, settings, tmp_path):
    settings.MAMORI_PUBLIC_SITE_DIR = tmp_path / "public-site"
    settings.MEDIA_ROOT = tmp_path / "media"
    publish_entries(city)
    login(page, "office", PASSWORD)
    page.get_by_role("link", name="ファイル簿", exact=True).click()
    page.get_by_role("link", name="公開サイトをプレビュー").click()
    expect(page.get_by_text("これは庁内のプレビューです")).to_be_visible()
    page.get_by_label("キーワード").fill("紙台帳")
    expect(page.get_by_role("status")).to_have_text("1件見つかりました（全2件中）")
    page.locator("#results").get_by_role("link", name="紙台帳事業ファイル").click()
    expect(page.get_by_role("heading", name="紙台帳事業ファイル", level=1)).to_be_visible()
    page.get_by_role("link", name="まもりのファイル簿に戻る").click()
    page.get_by_role("link", name="公開サイトを作成する").click()
    page.get_by_role("button", name="公開サイトを作成する").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    jobs.execute(page.url.rstrip("/").rsplit("/", 1)[1])  # the worker's part
    expect(page.get_by_text("公開サイトを作成しました")).to_be_visible()  # the page refreshes itself
    with page.expect_download() as download:
        page.get_by_role("link", name="結果をダウンロード").click()
    assert download.value.suggested_filename.startswith("filebook-site-") and download.value.suggested_filename.endswith(".zip")
