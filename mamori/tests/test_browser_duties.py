"""Separation of duties on the 届出 page, in a real browser (issue 11, B3)."""
import pytest
from playwright.sync_api import expect

from mamori.conftest import PASSWORD
from mamori.register import rules, services
from mamori.register.tests.test_workflow import draft_change
from mamori.tests.conftest import login

pytestmark = pytest.mark.browser


def test_B3_manager_sees_why_they_cannot_approve_own_notification(page, transactional_db, city):
    n = draft_change(city, actor=city.users.manager)
    services.notification_submit(notification=n, actor=city.users.manager)
    login(page, "manager", PASSWORD)
    page.goto(f"/register/notifications/{n.number}/")
    expect(page.get_by_text(rules.OWN_APPROVAL)).to_be_visible()
    expect(page.get_by_role("button", name="承認して保護担当へ")).to_have_count(0)
    expect(page.get_by_role("button", name="差し戻す")).to_be_visible()  # returning their own draft stays open
