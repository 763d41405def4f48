"""The user guide's screenshots (docs/images/) are taken here, from the demo city, as the office sees it.

Run with the rest of the browser tests; each screenshot is written to docs/images/ (so a change to a page
shows up in `git diff` of the guide) and checked for what the guide says is on it.
"""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mamori.core.models import User
from mamori.tests.conftest import login

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
PASSWORD = "mamori-demo-pass"


def shoot(page, name: str, *, full_page: bool = True) -> Path:
    IMAGES.mkdir(parents=True, exist_ok=True)
    path = IMAGES / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 20_000, f"{path} looks empty"
    return path


@pytest.fixture
def demo_users(transactional_db, demo):

    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.must_change_password = False
        user.save()
    return demo


def test_user_guide_screenshots(page, demo_users):
    login(page, "hogo", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("ホーム")
    expect(page.locator("nav[aria-label=メインメニュー] a[aria-current=page]")).to_have_text("ホーム")
    shoot(page, "office-home")

    page.goto("/requests/?due=overdue")
    expect(page.locator("nav[aria-label=メインメニュー] a[aria-current=page]")).to_have_text("請求")
    page.locator("main table tbody a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("請求")
    expect(page.get_by_text("決定期限").first).to_be_visible()
    shoot(page, "request")

    page.goto("/audit/")
    expect(page.locator("nav[aria-label=メインメニュー] a[aria-current=page]")).to_have_text("監査ログ")
    expect(page.locator(".list-total")).to_contain_text("件")
    shoot(page, "audit-log", full_page=False)
