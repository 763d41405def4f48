"""From the demo's FY2023 incident (the 検診 contractor): the impact analysis, the map, and the pre-fill."""
import pytest
from playwright.sync_api import expect

from mamori.incidents.models import Incident
from mamori.tests.conftest import login
from mamori.tests.test_user_guide import PASSWORD, demo_users  # noqa: F401 — the fixture


@pytest.mark.browser
def test_impact_from_the_incident_to_the_map_and_back_into_the_incident(page, demo_users):  # noqa: F811
    incident = Incident.objects.get(title__contains="検診システム")
    login(page, "hogo", PASSWORD)
    page.goto(f"/incidents/{incident.pk}/")
    page.get_by_role("link", name="影響範囲を調べる").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("公益財団法人埼玉県健康づくり事業団")
    table = page.locator(".impact-answer table")
    expect(table).to_contain_text("がん検診事業")
    expect(table).to_contain_text("児童生徒健康診断事業")
    expect(page.locator(".impact-answer .summary")).to_contain_text("32,400人")

    page.get_by_role("link", name="流れの地図で見る").click()
    expect(page.locator("#flowmap[data-ready]")).to_be_attached(timeout=20_000)
    lit = page.evaluate("() => window.mamoriFlowMap.$('node.highlight').map((n) => n.data('label')).sort()")
    assert lit == sorted(["がん検診事業", "児童生徒健康診断事業", "公益財団法人埼玉県健康づくり事業団"])
    page.evaluate("() => window.mamoriFlowMap.$('node.highlight[type = \"program\"]')[0].emit('tap')")
    expect(page.locator("#map-detail")).to_contain_text("本人の数")
    expect(page.locator(".map-list tr.highlight").first).to_contain_text("影響範囲")
    with page.expect_download() as png:
        page.get_by_role("button", name="PNGで保存").click()
    assert png.value.suggested_filename.endswith(".png")
    with page.expect_download() as svg:
        page.get_by_role("button", name="SVGで保存").click()
    assert "<svg" in open(svg.value.path(), encoding="utf-8").read()

    page.go_back()
    page.get_by_role("button", name="この結果を事案に反映する").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("32,400人")
    dialog.get_by_role("button", name="反映する").click()
    page.wait_for_url(f"**/incidents/{incident.pk}/")
    expect(page.get_by_text("影響範囲（事務事業2件、本人32,400人）を事案に反映しました")).to_be_visible()
    incident.refresh_from_db()
    assert incident.persons == 32_400 and incident.programs.count() == 2
