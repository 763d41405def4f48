"""The handbooks in a real browser: an 実施機関 removed in the organisation screen, the revision it offers, the
新旧対照表 corrected and finalized (axe-core checks every page; MAMORI_SHOTS=dir keeps screenshots)."""
import os
import re

import pytest
from playwright.sync_api import expect

from mamori.conftest import PASSWORD
from mamori.core.models import Organ
from mamori.demo import handbooks as demo_handbooks
from mamori.handbooks.models import Revision, RevisionStatus
from mamori.tests.conftest import login

pytestmark = pytest.mark.browser


def shot(page, name):
    if os.environ.get("MAMORI_SHOTS"):
        page.screenshot(path=os.path.join(os.environ["MAMORI_SHOTS"], f"{name}.png"), full_page=True)


def test_removing_an_organ_leads_to_the_handbooks_revision(page, transactional_db, city):
    demo_handbooks.load(city.users.office)
    Organ.objects.create(code="kosha", name="土地開発公社", order=9)
    login(page, "office", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="組織").click()
    section = page.locator("details", has=page.get_by_text("実施機関から除く")).filter(has=page.locator("form[action*='/organs/']")).last
    section.locator("summary").click()
    section.get_by_label("実施機関から除く日（条例の施行日）").fill("令和6年3月25日")
    section.get_by_role("button", name="実施機関から除く").click()
    page.get_by_role("dialog").get_by_role("button", name="除く").click()  # data-confirm
    expect(page.get_by_text("「土地開発公社」を実施機関から除きました")).to_be_visible()
    shot(page, "organisation")
    page.get_by_role("link", name="手引の改訂を作成").click()
    expect(page.get_by_label("改訂の理由")).to_have_value("土地開発公社の実施機関からの除外")
    page.get_by_label(re.compile(r"^手引\s")).select_option(label="個人情報保護制度の手引")
    page.get_by_label("改訂前の版").select_option(label="「個人情報保護制度の手引」令和5年4月版")
    page.get_by_label("改訂後の版").select_option(label="「個人情報保護制度の手引」令和6年4月版")
    shot(page, "revision_new")
    page.get_by_role("button", name="新旧対照表を作成").click()
    expect(page.get_by_text("新旧対照表を作成しました（3行）")).to_be_visible()
    expect(page.get_by_role("cell", name="項目（a）すべて削除")).to_be_visible()
    row = page.locator("tr", has_text="下から８行目")
    row.get_by_text("この行を直す").click()
    row.get_by_label("改訂後").fill("次の機関については、")
    row.get_by_role("button", name="保存").click()
    expect(page.get_by_text("行「５ページ 下から８行目」を保存しました")).to_be_visible()
    shot(page, "revision")
    page.get_by_role("button", name="改訂を確定").click()
    page.get_by_role("dialog").get_by_role("button", name="確定する").click()
    expect(page.get_by_text("改訂を確定しました")).to_be_visible()
    revision = Revision.objects.filter(reason="土地開発公社の実施機関からの除外", source="").order_by("-pk").first()
    assert revision.status == RevisionStatus.FINAL and revision.rows.get(order=1).after == "次の機関については、"
    page.get_by_role("link", name="個人情報保護制度の手引").first.click()
    page.get_by_role("link", name="令和5年4月版").click()
    expect(page.get_by_role("heading", name=re.compile("5ページ"))).to_be_visible()
    shot(page, "edition")
