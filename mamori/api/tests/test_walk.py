"""Issue 14's permission walk: every API endpoint × role × method, as the screens' policy says.

The endpoints are read from the URL resolver (every name in the ``api`` namespace, and the methods its view
answers), so a new endpoint without a row in TABLE fails ``test_every_endpoint_and_method_is_in_the_table``.
Records of the caller's department answer 200/201; another department's ids answer 404 with none of the
record's data; a role the policy refuses gets 403; a method the view does not have gets 405.
"""
import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mamori.api import services as tokens
from mamori.api.models import ApiToken
from mamori.api.tests.conftest import ROLES, version_of
from mamori.disclosure.models import Request
from mamori.outsourcing.models import ContractIncident
from mamori.register.models import Notification

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
EVERYONE = set(ROLES)
REGISTER = {"staff", "manager", "other_staff", "office", "auditor"}  # core.permissions.can_read_register
ORGANISATION = {"staff", "manager", "other_staff", "office", "auditor", "sysadmin"}  # can_read_organisation or a department user
OWN = {"staff", "manager", "office", "auditor"}  # see こども未来課's records; other_staff (収納課) gets 404
READ_ALL = {"office", "auditor"}
DEPARTMENTS = {"staff", "manager", "other_staff"}


def expect(ok: set, hidden: set = frozenset(), status: int = 200, **other) -> dict:
    """ok → status, hidden → 404 (exists, out of the caller's scope), named roles → their status, the rest 403."""
    out = {role: status if role in ok else 404 if role in hidden else 403 for role in ROLES}
    out.update(other)
    return out


# (url name, method) → {role: status}; "readers" below: who passes the view's own permission (for 405 vs 403).
TABLE = {
    ("root", "GET"): expect(EVERYONE),
    ("schema", "GET"): expect(EVERYONE),
    ("docs", "GET"): expect(EVERYONE),
    ("organs", "GET"): expect(ORGANISATION),
    ("units", "GET"): expect(ORGANISATION),
    ("items", "GET"): expect(REGISTER),
    ("categories", "GET"): expect(REGISTER),
    ("programs", "GET"): expect(REGISTER),
    ("program", "GET"): expect(OWN, hidden={"other_staff"}),
    ("program_versions", "GET"): expect(OWN, hidden={"other_staff"}),
    ("program_version", "GET"): expect(OWN, hidden={"other_staff"}),
    ("notifications", "GET"): expect(REGISTER),
    ("notifications", "POST"): expect(DEPARTMENTS, status=201),  # each drafts for its own unit; the office and auditors may not
    ("notification", "GET"): expect(OWN, hidden={"other_staff"}),
    # the draft: its department submits (staff, manager); the office sees no drafts (404); the auditor reads it but may not act
    ("notification_submit", "POST"): expect({"staff", "manager"}, hidden={"other_staff", "office"}),
    ("requests", "GET"): expect(REGISTER),
    ("requests", "POST"): expect({"office"}, status=201),
    ("request", "GET"): expect(OWN, hidden={"other_staff"}),
    ("contracts", "GET"): expect(REGISTER),
    ("contract", "GET"): expect(OWN, hidden={"other_staff"}),
    ("contract_incident_reports", "POST"): expect({"office", "staff", "manager"}, hidden={"other_staff"}, status=201),
    ("incidents", "GET"): expect(READ_ALL),
    ("incident", "GET"): expect(READ_ALL),
    ("training_sessions", "GET"): expect(READ_ALL),
    ("training_session", "GET"): expect(READ_ALL),
    ("impact", "GET"): expect(REGISTER),
    ("files", "GET"): expect(REGISTER | {"council"}),  # the register as published: public once published
    ("file", "GET"): expect(REGISTER | {"council"}),
    **{("not_found", m): expect(set(), hidden=EVERYONE) for m in METHODS},
}
READERS = {  # who passes the view's permission (then a method it lacks is 405, not 403)
    "root": EVERYONE, "schema": EVERYONE, "docs": EVERYONE, "organs": ORGANISATION, "units": ORGANISATION,
    "items": REGISTER, "categories": REGISTER, "programs": REGISTER, "program": REGISTER, "program_versions": REGISTER,
    "program_version": REGISTER, "notifications": REGISTER, "notification": REGISTER, "notification_submit": REGISTER,
    "requests": REGISTER, "request": REGISTER, "contracts": REGISTER, "contract": REGISTER, "contract_incident_reports": REGISTER,
    "incidents": READ_ALL, "incident": READ_ALL, "training_sessions": READ_ALL, "training_session": READ_ALL, "impact": REGISTER,
    "files": REGISTER | {"council"}, "file": REGISTER | {"council"},
}


def api_endpoints() -> dict[str, set[str]]:
    """Every named URL of the api namespace and the methods its view answers."""
    found = {}

    def walk(resolver, namespace=None):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace == "api":
                assert entry.name, f"{entry.pattern} has no name: the walk cannot name it"
                view = getattr(entry.callback, "cls", None)
                methods = {m for m in METHODS if view is not None and hasattr(view, m.lower())}
                found[entry.name] = methods
    walk(get_resolver())
    return found


def test_every_endpoint_and_method_is_in_the_table():
    endpoints = api_endpoints()
    wanted = {(name, m) for name, methods in endpoints.items() for m in methods}
    assert wanted - set(TABLE) == set(), "every API endpoint and method needs a row in TABLE (who may use it)"
    assert {name for name, _ in TABLE} == set(endpoints)
    assert set(READERS) == set(endpoints) - {"not_found"}


def _args(api) -> dict[str, list]:
    r, p = api.records, api.programs
    return {
        "program": [p.teate.code], "program_versions": [p.teate.code], "program_version": [p.teate.code, 1],
        "notification": [r.submitted.number], "notification_submit": [r.draft.number], "request": [r.request.number],
        "contract": [r.contract.pk], "contract_incident_reports": [r.contract.pk], "incident": [r.incident.pk],
        "training_session": [r.session.pk], "file": [r.file.code], "not_found": ["nothing/here/"],
    }


def _query(name: str) -> str:
    return {"impact": "?kind=item&value=氏名&on=2024-07-01"}.get(name, "")


def _body(api, role: str, name: str, method: str):
    """A valid body for each write, so that only the caller's permission decides."""
    user = getattr(api.users, role)
    if (name, method) == ("notifications", "POST"):
        unit = user.unit.code if user.unit_id else "kyufu"
        return {"kind": "new", "reason": "新しい事務のため。", "content": "新規に登録する。", "effective_date": "2024-10-01",
                "proposed": {"name": f"{role}の新事業", "unit": unit, "groups": [{"name": "住民", "items": ["氏名"]}]}}
    if (name, method) == ("notification_submit", "POST"):
        return {"version": version_of(api.records.draft), "comment": ""}
    if (name, method) == ("requests", "POST"):
        return {"procedure": "public-request", "organ": "mayor", "departments": ["kyufu"], "received_on": "2024-07-01",
                "requester_name": "公開 一郎", "subject": "会議録", "documents": [{"title": "会議録"}]}
    if (name, method) == ("contract_incident_reports", "POST"):
        return {"reported_on": "2024-08-01", "summary": "受注者がUSBメモリを紛失したとの報告"}
    return {} if method in ("POST", "PUT", "PATCH") else None


@pytest.mark.parametrize("role", ROLES)
def test_walk_every_endpoint_role_and_method(call, api, role):
    args = _args(api)
    got, want = {}, {}
    for name, methods in sorted(api_endpoints().items()):
        url = reverse(f"api:{name}", args=args.get(name, [])) + _query(name)
        for method in METHODS:
            if method in methods or name == "not_found":
                want[(name, method)] = TABLE[(name, method)][role]
            else:
                want[(name, method)] = 405 if role in READERS[name] else 403
            response = call(method, url, _body(api, role, name, method), role=role)
            got[(name, method)] = response.status_code
            if name != "docs" and not (name == "schema" and response.status_code == 200):
                body = response.json()  # every answer is JSON in the one shape (docs is a page, schema the OpenAPI document)
                if response.status_code >= 400:
                    assert set(body) >= {"message", "errors"} and body["message"], (name, method, body)
    assert got == want


def test_anonymous_gets_401_in_japanese_and_docs_sends_to_login(call, api):
    args = _args(api)
    for name, methods in api_endpoints().items():
        url = reverse(f"api:{name}", args=args.get(name, []))
        for method in methods:
            response = call(method, url, {} if method != "GET" else None)
            if name == "docs":
                assert response.status_code == 302 and response["Location"].startswith("/login/")
            elif name == "not_found":
                assert response.status_code == 404
            else:
                assert response.status_code == 401, (name, method)
                assert response["WWW-Authenticate"] == 'Bearer realm="mamori"'
                assert response.json()["message"].startswith("ログインするか")


OTHER_DEPARTMENT = {  # what 収納課 owns, asked for by こども未来課's staff; and the reverse
    "staff": lambda api: {"program": [api.programs.juki.code], "program_versions": [api.programs.juki.code],
                          "program_version": [api.programs.juki.code, 1], "notification": [api.records.other_submitted.number],
                          "notification_submit": [api.records.other_submitted.number], "request": [api.records.other_request.number],
                          "contract": [api.records.other_contract.pk], "contract_incident_reports": [api.records.other_contract.pk]},
    "other_staff": lambda api: {"program": [api.programs.teate.code], "program_versions": [api.programs.teate.code],
                                "program_version": [api.programs.teate.code, 1], "notification": [api.records.submitted.number],
                                "notification_submit": [api.records.draft.number], "request": [api.records.request.number],
                                "contract": [api.records.contract.pk], "contract_incident_reports": [api.records.contract.pk]},
}
SECRETS = {  # words of the other department's records that must not appear in a refusal
    "staff": ("住民基本台帳", "請求 花子", "住民票の記録", "住基システム運用"),
    "other_staff": ("児童手当", "請求 太郎", "朝霞市本町", "児童手当システム運用"),
}


@pytest.mark.parametrize("role", ["staff", "other_staff"])
def test_other_departments_ids_are_404_and_never_their_data(call, api, role):
    before = (Notification.objects.count(), ContractIncident.objects.count(), Request.objects.count())
    for name, args in OTHER_DEPARTMENT[role](api).items():
        method = "POST" if name in ("notification_submit", "contract_incident_reports") else "GET"
        response = call(method, reverse(f"api:{name}", args=args), _body(api, role, name, method) if method == "POST" else None, role=role)
        assert response.status_code == 404, (role, name)
        text = response.content.decode()
        assert not any(word in text for word in SECRETS[role]), (name, text)
    # lists and the impact analysis leave the other department's records out
    listed = call("GET", "/api/v1/programs/", role=role).json()
    assert {row["code"] for row in listed["results"]} == {(api.programs.teate if role == "staff" else api.programs.juki).code}
    for url in ("/api/v1/requests/", "/api/v1/contracts/", "/api/v1/notifications/", "/api/v1/impact/?kind=item&value=氏名"):
        assert not any(word in call("GET", url, role=role).content.decode() for word in SECRETS[role]), url
    # naming the other department's program in a body is refused as not found, in the same words
    response = call("POST", "/api/v1/notifications/", {"kind": "abolish", "program": OTHER_DEPARTMENT[role](api)["program"][0], "reason": "r",
                                                         "content": "c", "effective_date": "2024-10-01"}, role=role)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "program"
    assert (Notification.objects.count(), ContractIncident.objects.count(), Request.objects.count()) == before


WRITES = {("notifications", "POST"): "staff", ("notification_submit", "POST"): "staff", ("requests", "POST"): "office",
          ("contract_incident_reports", "POST"): "office"}


def test_every_write_is_in_the_token_tests():
    assert {key for key, row in TABLE.items() if key[1] != "GET" and key[0] != "not_found"} == set(WRITES)


@pytest.mark.parametrize("scope_state", ["read-only", "revoked", "expired", "user deactivated"])
def test_tokens_refused_for_every_write(call, api, scope_state):

    args = _args(api)
    counts = lambda: (Notification.objects.count(), ContractIncident.objects.count(), Request.objects.count(),  # noqa: E731
                      Notification.objects.get(pk=api.records.draft.pk).status)
    before = counts()
    for (name, method), role in WRITES.items():
        user = getattr(api.users, role)
        token, secret = tokens.token_create(actor=user, name="試験", scope="read" if scope_state == "read-only" else "write",
                                            expires_on=datetime.date.today() + datetime.timedelta(days=1))
        if scope_state == "revoked":
            tokens.token_revoke(actor=user, token=token)
        if scope_state == "expired":
            ApiToken.objects.filter(pk=token.pk).update(expires_on=datetime.date.today() - datetime.timedelta(days=1))
        if scope_state == "user deactivated":
            type(user).objects.filter(pk=user.pk).update(is_active=False)
        response = call(method, reverse(f"api:{name}", args=args.get(name, [])), _body(api, role, name, method), secret=secret)
        expected = 403 if scope_state == "read-only" else 401
        assert response.status_code == expected, (scope_state, name, response.json())
        words = {"read-only": "読み取り専用", "revoked": "失効", "expired": "有効期限", "user deactivated": "無効"}[scope_state]
        assert words in response.json()["message"]
        # the same token still reads (read-only) or reads nothing at all (the others)
        assert call("GET", "/api/v1/programs/", secret=secret).status_code == (200 if scope_state == "read-only" else 401)
        if scope_state == "user deactivated":
            type(user).objects.filter(pk=user.pk).update(is_active=True)
    assert counts() == before
