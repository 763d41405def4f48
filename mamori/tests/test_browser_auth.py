"""B2 (issue 11) in a real browser: the login page, a lockout, the password change, TOTP enrolment and sign-in.
Each step is also saved as a screenshot under the test's tmp_path (looked at when the pages were built)."""
import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from mamori.conftest import PASSWORD
from mamori.tests.conftest import logout

pytestmark = pytest.mark.browser


def code(key: str, ahead: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time() + ahead
    return f"{totp.token():06d}"


def password_step(page, username, password):
    page.goto("/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()


def test_B2_browser_totp_enrolment_and_sign_in(page, transactional_db, city, settings, tmp_path):
    settings.MAMORI_OTP_REQUIRED_ROLES = ["privacy_office", "sysadmin"]
    page.goto("/login/")
    expect(page.get_by_text("個人情報保護担当・システム管理者の方は、パスワードのあとに")).to_be_visible()
    page.screenshot(path=tmp_path / "1-login.png", full_page=True)

    password_step(page, "office", PASSWORD)
    expect(page.get_by_role("heading", name="二段階認証の登録")).to_be_visible()  # not enrolled yet: enrolment first
    expect(page.locator(".otp-qr svg")).to_be_visible()
    secret = page.locator(".otp-secret").inner_text()
    page.screenshot(path=tmp_path / "2-otp-enrolment.png", full_page=True)
    page.get_by_label("確認コード（6桁）").fill("12345")
    page.get_by_role("button", name="登録").click()
    expect(page.get_by_text("確認コードは認証アプリに表示される6桁の数字です")).to_be_visible()
    import base64

    key = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()  # what an app does with the key typed in
    page.get_by_label("確認コード（6桁）").fill(code(key))
    page.get_by_role("button", name="登録").click()
    expect(page.get_by_text("二段階認証を登録しました")).to_be_visible()
    assert TOTPDevice.objects.get(user=city.users.office).key == key

    logout(page)
    password_step(page, "office", PASSWORD)
    expect(page.get_by_role("heading", name="確認コードの入力（二段階認証）")).to_be_visible()
    page.get_by_label("確認コード（6桁）").fill(code(key, ahead=30))  # the enrolment's code is spent: the next one
    page.get_by_role("button", name="確認").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="パスワード変更")).to_be_visible()


def test_B2_browser_lockout_and_password_change(page, transactional_db, city, settings, tmp_path):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        password_step(page, "staff", "wrong-password")
    expect(page.get_by_text("ログインに続けて3回失敗したため")).to_be_visible()
    expect(page.get_by_label("ユーザー名")).to_have_value("staff")
    page.screenshot(path=tmp_path / "3-lockout.png", full_page=True)

    password_step(page, "manager", PASSWORD)  # same address: stopped too (per address)
    expect(page.get_by_text("ログインに続けて3回失敗したため")).to_be_visible()

    from axes.utils import reset

    reset()  # as the cool-off passing would
    password_step(page, "manager", PASSWORD)
    page.get_by_role("link", name="パスワード変更").click()
    page.get_by_label("元のパスワード").fill(PASSWORD)
    page.locator("input[name=new_password1]").fill("short")
    page.locator("input[name=new_password2]").fill("short")
    page.get_by_role("button", name="変更").click()
    expect(page.get_by_text("このパスワードは短すぎます")).to_be_visible()
    page.screenshot(path=tmp_path / "4-password-change.png", full_page=True)
    page.get_by_label("元のパスワード").fill(PASSWORD)
    page.locator("input[name=new_password1]").fill("asaka-kawagoe-77")
    page.locator("input[name=new_password2]").fill("asaka-kawagoe-77")
    page.get_by_role("button", name="変更").click()
    expect(page.get_by_text("パスワードを変更しました")).to_be_visible()
    print(f"screenshots in {tmp_path}")
