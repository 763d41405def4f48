"""Redaction in a real browser (issue 16): attach a document, accept a suggested name box, draw another, assign the
articles, a second person's 確認, 「黒塗りを確定」, decide, print the notice, download the 交付 set. axe-core checks
every page (conftest)."""
import io
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mamori.conftest import PASSWORD, make_user
from mamori.core import jobs
from mamori.core.models import Role
from mamori.disclosure import services
from mamori.disclosure.tests.documents import LETTER, text_pdf
from mamori.tests.conftest import login, logout

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "images"  # the user guide's picture of the redaction page


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(p.extract_text() or "" for p in pdf.pages)


def test_redact_decide_notify_and_deliver(page, transactional_db, city):
    make_user("office2", Role.PRIVACY_OFFICE, city.units.joho)
    unit = city.units.kyufu
    r = services.request_create(actor=city.users.office, procedure="personal-disclosure", organ=city.organ, departments=[unit],
                                received_on=timezone.localdate(), requester_name="請求 花子", subject="面談の記録", handler=city.users.office,
                                requester_role="self", documents=[(unit, "面談記録"), (unit, "内部検討メモ")])
    memo = r.documents.get(title="面談記録")
    login(page, "office", PASSWORD)
    page.goto(f"/requests/{r.number}/")

    # attach: the conversion runs as a job; its page leads to the document's page
    page.set_input_files(f"#f{memo.pk}-file", files=[{"name": "面談記録.pdf", "mimeType": "application/pdf", "buffer": text_pdf(LETTER)}])
    page.locator(f"form:has(#f{memo.pk}-file)").get_by_role("button", name="登録", exact=True).click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    jobs.execute(page.url.rstrip("/").rsplit("/", 1)[1])  # the worker's part
    page.reload()
    page.get_by_role("link", name=re.compile("結果|開く|黒塗り|進む")).first.click()
    expect(page.get_by_role("heading", name="「面談記録」のファイル：面談記録.pdf")).to_be_visible()

    # suggestions: accept the name, reject the rest
    page.get_by_role("button", name="候補を探す").click()
    expect(page.get_by_text(re.compile(r"黒塗りの候補を\d+件見つけました"))).to_be_visible()
    page.locator("table[aria-labelledby=h-boxes] tbody tr", has_text="山田太郎").get_by_role("button", name="黒塗りする").click()
    expect(page.get_by_text("黒塗りすることにしました")).to_be_visible()
    proposed = page.locator("table[aria-labelledby=h-boxes] tbody tr", has_text="候補（未判断）")
    while proposed.count():
        proposed.first.get_by_role("button", name="黒塗りしない").click()
        expect(page.get_by_text("黒塗りしないことにしました")).to_be_visible()

    # draw a box over the line 「内容：…」 (line 3: its baseline 162 pt from the top) and give it its article
    sheet = page.locator("#page-1 .redact-sheet")
    sheet.scroll_into_view_if_needed()
    b = sheet.bounding_box()
    scale = b["width"] / 595.28
    page.mouse.move(b["x"] + 66 * scale, b["y"] + 146 * scale)
    page.mouse.down()
    page.mouse.move(b["x"] + 300 * scale, b["y"] + 160 * scale, steps=5)
    page.mouse.move(b["x"] + 420 * scale, b["y"] + 168 * scale, steps=5)
    page.mouse.up()
    expect(page.locator("#box-selected")).to_contain_text("1ページの範囲を選びました")
    expect(page.locator("#id_box-page")).to_have_value("1")
    page.locator("#id_box-reason_code").select_option("法第78条第1項第7号")
    page.get_by_role("button", name="黒塗りの箇所を追加").click()
    expect(page.get_by_text("黒塗りの箇所を追加しました")).to_be_visible()
    expect(page.locator("#page-1 .redact-box.accepted")).to_have_count(2)

    # or select the words: the phone number, rejected as a suggestion, is marked after all
    page.get_by_role("button", name="文字を選んで指定").click()
    page.get_by_role("button", name="1ページ「048-463-1111」を選ぶ").click()
    expect(page.locator("#id_box-source")).to_have_value("text")
    expect(page.locator("#box-selected")).to_contain_text("「048-463-1111」")
    page.locator("#id_box-reason_code").select_option("法第78条第1項第2号")
    page.get_by_role("button", name="黒塗りの箇所を追加").click()
    expect(page.locator("#page-1 .redact-box.accepted")).to_have_count(3)
    expect(page.locator("table[aria-labelledby=h-boxes] tbody tr", has_text="048-463-1111").filter(has_text="文字を選択")).to_have_count(1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "redaction-page.png"), full_page=True)
    page.evaluate("() => { document.getElementById('page-1').scrollIntoView({block: 'start'}); window.scrollBy(0, -100); }")
    page.screenshot(path=str(GUIDE / "redaction.png"))

    # the one who marked cannot confirm; a second person does, then releases
    page.get_by_role("button", name="黒塗りの箇所を確認した").click()
    expect(page.get_by_text("指定・判断した職員は確認できません")).to_be_visible()
    file_url = page.url
    logout(page)
    login(page, "office2", PASSWORD)
    page.goto(file_url)
    page.get_by_role("button", name="黒塗りの箇所を確認した").click()
    expect(page.get_by_text("黒塗りの箇所を確認しました")).to_be_visible()
    page.get_by_role("button", name="黒塗りを確定", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="黒塗りを確定する").click()
    expect(page.get_by_text("黒塗りを確定しました")).to_be_visible()
    with page.expect_download() as got:
        page.get_by_role("row", name=re.compile("黒塗り済みPDF")).get_by_role("link", name="ダウンロード").click()
    redacted = Path(got.value.path()).read_bytes()
    text = pdf_text(redacted)
    assert "山田太郎" not in text and "児童手当の申請" not in text and "048-463-1111" not in text and "面談記録" in text

    # decide: the boxes say 部分開示 with their articles; the other document by hand
    page.goto(f"/requests/{r.number}/")
    page.get_by_text("「面談記録」の決定を記録").click()
    expect(page.locator(f"#id_d{memo.pk}-decision")).to_have_value("partial")
    expect(page.locator(f"#id_d{memo.pk}-reasons")).to_have_value("法第78条第1項第2号、法第78条第1項第7号")
    page.locator("details[open]").get_by_role("button", name="決定を記録").click()
    expect(page.get_by_text("「面談記録」の決定を記録しました")).to_be_visible()
    other = r.documents.get(title="内部検討メモ")
    page.get_by_text("「内部検討メモ」の決定を記録").click()
    page.locator(f"#id_d{other.pk}-decision").select_option("nondisclose")
    page.locator(f"#id_d{other.pk}-reasons").fill("法第78条第1項第6号")
    page.locator("details[open]").get_by_role("button", name="決定を記録").click()
    expect(page.get_by_text("「内部検討メモ」の決定を記録しました")).to_be_visible()

    # the notice, drafted from the boxes
    page.get_by_text("通知書を作成（第三者への意見照会を含む）").click()
    page.locator("#id_notice-kind").select_option("partial")
    page.locator("details[open]").get_by_role("button", name="作成").click()
    expect(page.get_by_text(re.compile("部分開示決定通知書（.*）を作成しました"))).to_be_visible()
    with page.expect_download() as got:
        page.get_by_role("row", name=re.compile("部分開示決定通知書")).get_by_role("link", name="PDF").click()
    notice = pdf_text(Path(got.value.path()).read_bytes())
    assert "開示しない部分" in notice and "法第78条第1項第2号" in notice

    # the 交付 set
    page.get_by_role("button", name="交付の準備をする（ZIP・印刷用PDF）").click()
    expect(page.get_by_text(re.compile(r"交付の準備ができました（2面・用紙2枚、写しの交付の費用 20円）"))).to_be_visible()
    page.screenshot(path=str(SHOTS / "request-delivery.png"), full_page=True)
    with page.expect_download() as got:
        page.get_by_role("link", name="ZIP").click()
    names = zipfile.ZipFile(got.value.path()).namelist()
    assert "00_交付文書の一覧.pdf" in names and "文書/01_面談記録（黒塗り済み）.pdf" in names
    assert any(n.startswith("通知書/") for n in names)
