"""API tokens: created and revoked by their user on /account/api-tokens/, shown once, stored hashed, audited;
last use noted at most once a minute; a session works too, with CSRF for writes."""
import datetime
import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from mamori.api import services
from mamori.api.models import ApiToken
from mamori.core.concurrency import StaleEdit, token_for
from mamori.core.models import AuditAction, AuditEvent

TODAY = datetime.date.today


def test_a_token_is_stored_as_its_sha256_and_its_creation_audited(city):
    token, secret = services.token_create(actor=city.users.staff, name="財務会計システム連携", scope="read", expires_on=TODAY() + datetime.timedelta(days=90))
    assert re.fullmatch(r"mamori_[A-Za-z0-9_-]{43}", secret)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())  # no column holds the secret
    assert stored.hint == secret[:11]
    event = AuditEvent.objects.get(action=AuditAction.CREATE, model="api.ApiToken", object_id=str(token.pk))
    assert event.root_model == "core.User" and event.root_id == str(city.users.staff.pk)  # the user's history, the sysadmin's log
    assert secret not in str(event.after) and "key_hash" not in event.after and event.after["scope"] == "read"


@pytest.mark.parametrize(("name", "scope", "days", "field"), [
    ("", "read", 30, "name"),
    ("連携", "admin", 30, "scope"),
    ("連携", "read", None, "expires_on"),
    ("連携", "read", -1, "expires_on"),
    ("連携", "read", 366, "expires_on"),  # MAMORI_API_TOKEN_MAX_DAYS = 365
])
def test_a_token_needs_a_name_a_scope_and_an_expiry_within_the_limit(city, name, scope, days, field):
    with pytest.raises(ValidationError) as exc:
        services.token_create(actor=city.users.staff, name=name, scope=scope, expires_on=None if days is None else TODAY() + datetime.timedelta(days=days))
    assert field in exc.value.message_dict
    assert not ApiToken.objects.exists()


def test_the_longest_expiry_is_a_setting(city, settings):
    settings.MAMORI_API_TOKEN_MAX_DAYS = 30
    services.token_create(actor=city.users.staff, name="短い", scope="read", expires_on=TODAY() + datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="30日以内"):
        services.token_create(actor=city.users.staff, name="長い", scope="read", expires_on=TODAY() + datetime.timedelta(days=31))


def test_only_its_user_revokes_a_token_once_and_stale_revokes_are_refused(city):
    token, _ = services.token_create(actor=city.users.staff, name="連携", scope="write", expires_on=TODAY() + datetime.timedelta(days=5))
    version = token_for(token)
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=city.users.manager, token=token, base_version=version)
    services.token_revoke(actor=city.users.staff, token=token, base_version=version)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.REVOKE, object_id=str(token.pk), actor=city.users.staff).count() == 1
    with pytest.raises(StaleEdit):  # the page it was based on showed it still valid
        services.token_revoke(actor=city.users.staff, token=token, base_version=version)
    with pytest.raises(ValidationError, match="すでに失効"):
        services.token_revoke(actor=city.users.staff, token=token, base_version=token_for(ApiToken.objects.get(pk=token.pk)))


def test_last_use_is_noted_at_most_once_a_minute(call, api):
    token = ApiToken.objects.get(user=api.users.office)
    assert token.last_used_at is None
    call("GET", "/api/v1/", role="office")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    call("GET", "/api/v1/", role="office")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(seconds=61))
    call("GET", "/api/v1/", role="office")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE, model="api.ApiToken").exists()  # bookkeeping, not an edit


@pytest.mark.parametrize(("header", "words"), [
    ("Bearer", "Bearer <トークン>"), ("Bearer mamori_x y", "Bearer <トークン>"), ("Bearer mamori_unknown", "登録されていません"),
])
def test_malformed_and_unknown_tokens_are_401(client, api, header, words):
    response = client.get("/api/v1/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and words in response.json()["message"]


def test_the_token_is_the_callers_own_view_of_the_api(call, api):
    body = call("GET", "/api/v1/", role="staff").json()
    assert body["user"]["username"] == "staff" and body["token"]["scope"] == "write" and body["token"]["name"] == "staffの連携"
    assert body["endpoints"]["programs"].endswith("/api/v1/programs/")


def test_session_reads_and_writes_with_csrf(api):
    client = Client(enforce_csrf_checks=True)
    client.force_login(api.users.office)
    assert client.get("/api/v1/programs/").status_code == 200
    body = {"reported_on": "2024-08-01", "summary": "報告"}
    url = f"/api/v1/contracts/{api.records.contract.pk}/incident-reports/"
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 403 and "X-CSRFToken" in refused.json()["message"]
    client.get("/account/api-tokens/")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    assert client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf).status_code == 201


# ---------------------------------------------------------------- the page


def test_the_page_creates_a_token_shows_it_once_and_revokes_it(client, city):
    client.force_login(city.users.auditor)
    page = client.get("/account/api-tokens/")
    assert page.status_code == 200 and "まだありません" in page.content.decode()
    expires = (TODAY() + datetime.timedelta(days=60)).isoformat()
    created = client.post("/account/api-tokens/", {"name": "監査の集計", "scope": "read", "expires_on": expires})
    text = created.content.decode()
    secret = re.search(r'value="(mamori_[^"]+)"', text)[1]
    assert "二度と表示されません" in text and ApiToken.objects.get().key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in client.get("/account/api-tokens/").content.decode()  # once
    assert Client().get("/api/v1/incidents/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    token = ApiToken.objects.get()
    done = client.post(f"/account/api-tokens/{token.pk}/revoke/", {"base_version": token_for(token)}, follow=True)
    assert "失効させました" in done.content.decode()
    assert Client().get("/api/v1/incidents/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_the_page_keeps_what_was_typed_beside_the_error(client, city):
    client.force_login(city.users.staff)
    response = client.post("/account/api-tokens/", {"name": "長すぎる", "scope": "write", "expires_on": "令和20年1月1日"})
    assert response.status_code == 200 and not ApiToken.objects.exists()
    form = response.context["form"]
    assert "365日以内" in form.errors["expires_on"][0] and form["name"].value() == "長すぎる"
    assert "<details open>" in response.content.decode()


def test_a_user_sees_and_revokes_only_their_own_tokens(client, city):
    token, _ = services.token_create(actor=city.users.staff, name="こども未来課の連携", scope="read", expires_on=TODAY() + datetime.timedelta(days=5))
    client.force_login(city.users.manager)
    assert "こども未来課の連携" not in client.get("/account/api-tokens/").content.decode()
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/", {"base_version": token_for(token)}).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_header_links_the_page(client, city):
    client.force_login(city.users.council)
    assert 'href="/account/api-tokens/"' in client.get("/").content.decode()


def test_expired_tokens_read_as_such_on_the_page(client, city):
    token, _ = services.token_create(actor=city.users.staff, name="古い連携", scope="read", expires_on=TODAY())
    ApiToken.objects.filter(pk=token.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(city.users.staff)
    row = re.search(r"<tr>\s*<td>古い連携</td>.*?</tr>", client.get("/account/api-tokens/").content.decode(), re.S)[0]
    assert "期限切れ" in row and "失効させる" in row  # an expired token may still be revoked
