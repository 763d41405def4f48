"""B2 (issue 11): authentication a city's security policy accepts — password rules wherever a password is set,
one's own password change, the change at first login, login throttling and lockout, and the second factor."""
import time

import pytest
from django.core.exceptions import ValidationError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from mamori.conftest import PASSWORD
from mamori.core import backup, services
from mamori.core.auth import client_ip
from mamori.core.models import AuditAction, AuditEvent, Role, User

GOOD = "kawase-hikari-2026"


def new_user_form(**extra):
    return {"username": "newstaff", "display_name": "新任 職員", "email": "", "role": Role.DEPT_STAFF, "is_active": "on", **extra}


def post_login(client, username, password, **meta):
    return client.post("/login/", {"username": username, "password": password}, **meta)


def code(key: str, ahead: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time() + ahead
    return f"{totp.token():06d}"


@pytest.mark.parametrize(("password", "message"), [
    ("1", "このパスワードは短すぎます。最低 12 文字以上必要です。"),
    ("123456789012345", "このパスワードは数字しか使われていません。"),
    ("password1234", "よく使われるパスワードにはできません。"),
    ("newstaff-2026", "と似すぎています"),
])
def test_B2_weak_password_refused_on_user_form(client, city, password, message):
    client.force_login(city.users.sysadmin)
    response = client.post("/users/new/", new_user_form(unit=city.units.shuno.pk, password=password))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'value="newstaff"' in page and 'value="新任 職員"' in page  # what was typed comes back
    assert not User.objects.filter(username="newstaff").exists()


def test_B2_weak_password_refused_by_the_service(city):
    with pytest.raises(ValidationError) as caught:
        services.user_create(actor=city.users.sysadmin, password="1", username="svc", display_name="x", role=Role.AUDITOR)
    assert "最低 12 文字" in " ".join(caught.value.message_dict["password"])
    with pytest.raises(ValidationError):
        services.password_set(user=city.users.staff, actor=city.users.staff, password="1234567890123")  # digits only
    assert not User.objects.filter(username="svc").exists()


def test_B2_user_changes_own_password(client, city):
    client.force_login(city.users.council)
    assert 'href="/account/password/"' in client.get("/").content.decode()  # linked from the header
    wrong = client.post("/account/password/", {"old_password": "nope", "new_password1": GOOD, "new_password2": GOOD})
    assert "元のパスワードが間違っています" in wrong.content.decode()
    weak = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"})
    assert "短すぎます" in weak.content.decode()
    done = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD})
    assert done.status_code == 302 and client.get("/").status_code == 200  # still logged in (session hash updated)
    user = User.objects.get(pk=city.users.council.pk)
    assert user.check_password(GOOD) and not user.must_change_password
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD, object_id=str(user.pk))
    assert event.actor == user and event.before is None and event.after is None and GOOD not in event.summary


def test_B2_must_change_at_first_login(client, city):
    client.force_login(city.users.sysadmin)
    client.post("/users/new/", new_user_form(unit=city.units.shuno.pk, password="given-by-admin-1"))
    user = User.objects.get(username="newstaff")
    assert user.must_change_password
    client.logout()
    assert post_login(client, "newstaff", "given-by-admin-1").status_code == 302
    response = client.get("/register/")
    assert response.status_code == 302 and response["Location"] == "/account/password/?next=%2Fregister%2F"
    page = client.get("/account/password/").content.decode()
    assert "ご自身のパスワードに変更してください" in page
    client.post("/account/password/", {"old_password": "given-by-admin-1", "new_password1": GOOD, "new_password2": GOOD})
    assert client.get("/register/").status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password


def test_B2_admin_resets_a_password_and_the_user_changes_it(client, city):
    client.force_login(city.users.sysadmin)
    page = client.post(f"/users/{city.users.staff.pk}/password/", {"new_password1": "1", "new_password2": "1"}).content.decode()
    assert "短すぎます" in page
    response = client.post(f"/users/{city.users.staff.pk}/password/", {"new_password1": "reset-by-admin-7", "new_password2": "reset-by-admin-7"})
    assert response.status_code == 302
    staff = User.objects.get(pk=city.users.staff.pk)
    assert staff.check_password("reset-by-admin-7") and staff.must_change_password
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD, object_id=str(staff.pk))
    assert event.actor == city.users.sysadmin and "再設定" in event.summary


def test_B2_login_lockout_after_failures(client, city, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        assert "ユーザー名またはパスワードが正しくありません" in post_login(client, "staff", "wrong").content.decode()
    locked = post_login(client, "staff", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "ログインに続けて5回失敗したため" in page and "以降にもう一度お試しください" in page and "システム管理者に連絡" in page
    assert 'value="staff"' in page
    right = post_login(client, "staff", PASSWORD)  # the right password does not open a locked account
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    for _ in range(10):
        post_login(client, "staff", "wrong")
    events = AuditEvent.objects.filter(action=AuditAction.LOCKOUT)
    assert events.count() == 1  # one lockout, however many tries follow
    assert events.get().object_id == str(city.users.staff.pk) and "5回続けて失敗" in events.get().summary

    admin = client.__class__()
    admin.force_login(city.users.sysadmin)
    assert "停止中" in admin.get(f"/users/{city.users.staff.pk}/edit/").content.decode()
    assert admin.post(f"/users/{city.users.staff.pk}/unlock/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.UNLOCK, object_id=str(city.users.staff.pk), actor=city.users.sysadmin).exists()
    assert post_login(client, "staff", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=city.users.staff).exists()


def test_B2_another_accounts_login_does_not_reset_the_count(client, city, settings):
    """Review finding: with axes' reset-on-success, a login to one's own account from the same terminal wiped the
    failures counted against another account, so guessing never stopped. Only the account's own are cleared now."""
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        post_login(client, "office", "wrong")
    other = client.__class__()
    assert post_login(other, "council", PASSWORD).status_code == 302  # same address (the test client's), another account
    assert post_login(client, "office", "wrong").status_code == 429  # the fifth failure still locks
    assert post_login(client, "office", PASSWORD).status_code == 429
    assert "停止中" in _admin_page(client, city, city.users.office)


def _admin_page(client, city, user) -> str:
    admin = client.__class__()
    admin.force_login(city.users.sysadmin)
    return admin.get(f"/users/{user.pk}/edit/").content.decode()


def test_B2_lockout_is_counted_over_browsers(client, city, settings):
    """Failures from two browsers add up (axes keeps a record per browser): the user page shows the lock."""
    settings.AXES_FAILURE_LIMIT = 5
    for agent in ("Firefox", "Firefox", "Firefox", "Edge", "Edge"):
        post_login(client, "staff", "wrong", HTTP_USER_AGENT=agent)
    assert post_login(client, "staff", PASSWORD, HTTP_USER_AGENT="Chrome").status_code == 429
    assert "停止中" in _admin_page(client, city, city.users.staff)


def test_B2_lockout_per_address_behind_the_proxy(client, city, settings):
    settings.AXES_FAILURE_LIMIT = 3
    # nginx (127.0.0.1, a trusted proxy) appends the client's address to X-Forwarded-For
    for name in ("a", "b", "c"):  # three names, one address: the address is stopped
        post_login(client, name, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert post_login(client, "staff", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # another client behind the same proxy is not
    assert post_login(client, "staff", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302
    missing = AuditEvent.objects.get(action=AuditAction.LOCKOUT)
    assert missing.object_repr == "（存在しない利用者名）" and "203.0.113.7" in missing.summary


def test_B2_forwarded_header_believed_only_from_the_proxy(rf, settings):
    settings.MAMORI_TRUSTED_PROXIES = ["127.0.0.1"]
    spoofed_via_proxy = rf.post("/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.4")
    assert client_ip(spoofed_via_proxy) == "198.51.100.4"  # the entry nginx wrote, not what the client sent
    direct = rf.post("/login/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert client_ip(direct) == "198.51.100.9"
    settings.MAMORI_TRUSTED_PROXIES = ["*"]  # as gunicorn reads forwarded_allow_ips: every proxy is trusted
    assert client_ip(direct) == "10.0.0.1"


def test_B2_login_page_says_when_second_factor_is_off(client, city, settings):
    settings.MAMORI_OTP_REQUIRED_ROLES = []
    assert "この環境では二段階認証（確認コード）を求めていません。" in client.get("/login/").content.decode()
    settings.MAMORI_OTP_REQUIRED_ROLES = ["privacy_office", "sysadmin"]
    assert "個人情報保護担当・システム管理者の方は、パスワードのあとに" in client.get("/login/").content.decode()


def test_B2_totp_required_for_office(client, city, settings):
    settings.MAMORI_OTP_REQUIRED_ROLES = ["privacy_office"]
    assert post_login(client, "office", PASSWORD).status_code == 302
    assert client.get("/incidents/")["Location"] == "/account/two-factor/?next=%2Fincidents%2F"  # not enrolled: enrolment first
    page = client.get("/account/two-factor/").content.decode()
    assert "<svg" in page and "二段階認証の登録" in page
    key = client.session["otp_pending_key"]
    assert "確認コードが正しくありません" in client.post("/account/two-factor/", {"token": "000000" if code(key) != "000000" else "111111"}).content.decode()
    assert client.post("/account/two-factor/", {"token": code(key)}).status_code == 302
    assert client.get("/incidents/").status_code == 200
    device = TOTPDevice.objects.get(user=city.users.office, confirmed=True)
    assert AuditEvent.objects.filter(action=AuditAction.OTP_ENROL, actor=city.users.office).exists()

    client.post("/logout/")
    post_login(client, "office", PASSWORD)
    assert client.get("/")["Location"] == "/login/code/"
    assert client.get("/account/password/")["Location"].startswith("/login/code/")  # nothing before the code
    assert "確認コードは認証アプリに表示される6桁の数字です" in client.post("/login/code/", {"token": "12ab"}).content.decode()
    assert client.post("/login/code/", {"token": code(key)}).status_code == 200  # the enrolment's code is spent
    throttled = client.post("/login/code/", {"token": code(device.key, ahead=30)})  # django-otp waits after a wrong code
    assert throttled.status_code == 200 and "少し待ってから入力してください" in throttled.content.decode()
    time.sleep(1.1)
    assert client.post("/login/code/", {"token": code(device.key, ahead=30)}).status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=city.users.office, summary="二段階認証あり").count() == 2

    other = client.__class__()  # a role not in the list signs in with the password alone
    post_login(other, "staff", PASSWORD)
    assert other.get("/").status_code == 200


def test_B2_admin_resets_the_second_factor(client, city, settings):
    settings.MAMORI_OTP_REQUIRED_ROLES = ["privacy_office"]
    services.otp_enrol(user=city.users.office, actor=city.users.office, key="ab" * 20)
    client.force_login(city.users.sysadmin)
    assert "登録済み" in client.get(f"/users/{city.users.office.pk}/edit/").content.decode()
    assert client.post(f"/users/{city.users.office.pk}/two-factor/reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user=city.users.office).exists()
    assert AuditEvent.objects.filter(action=AuditAction.OTP_RESET, object_id=str(city.users.office.pk), actor=city.users.sysadmin).exists()
    office = client.__class__()
    post_login(office, "office", PASSWORD)
    assert office.get("/")["Location"] == "/account/two-factor/"  # enrols again
    staff = client.__class__()
    staff.force_login(city.users.staff)
    assert staff.post(f"/users/{city.users.office.pk}/two-factor/reset/").status_code == 403
    assert staff.post(f"/users/{city.users.office.pk}/unlock/").status_code == 403


def test_B2_restore_accepts_only_configured_hashes(city, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    backup._check_password_hash(User.objects.get(pk=city.users.staff.pk))  # a configured hasher's hash
    unusable = User(pk=98, username="nopass")
    unusable.set_unusable_password()
    backup._check_password_hash(unusable)
    for stored in ("test-pass-123", "bcrypt$$2b$12$abc", ""):
        with pytest.raises(backup.BackupError, match="ID 99"):
            backup._check_password_hash(User(pk=99, username="x", password=stored))



def test_B2_unknown_role_in_otp_setting_stops_the_checks(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.MAMORI_OTP_REQUIRED_ROLES = ["privacy_office", "office"]
    with pytest.raises(SystemCheckError, match="MAMORI_OTP_REQUIRED_ROLES に知らない役割があります: office"):
        call_command("check")
