"""How the API behaves: the same services and selectors as the screens (same answers, same audit), pagination
with the total, the register's filters exactly, throttling, and every error in Japanese with field paths."""
import datetime
import logging

import pytest
from django.db import connection
from rest_framework import status

from mamori.api import errors
from mamori.api import services as tokens
from mamori.api.tests.conftest import version_of
from mamori.core.models import AuditAction, AuditEvent, User
from mamori.disclosure.models import Request
from mamori.impact import selectors as impact
from mamori.register import selectors as register
from mamori.register import services
from mamori.register.models import Notification, NotificationEvent, NotificationStatus

NEW = {"kind": "new", "reason": "新たに始めるため。", "content": "新規に登録する。", "effective_date": "2024-10-01",
       "proposed": {"name": "子育て応援給付金支給事業", "unit": "kyufu", "person_count": 3000,
                    "groups": [{"name": "受給者", "items": ["氏名", "口座番号"]}]}}


# ---------------------------------------------------------------- the same services: writes


def test_a_notification_drafted_and_submitted_through_the_api_is_the_screens_notification(call, api):
    response = call("POST", "/api/v1/notifications/", NEW, role="staff")
    assert response.status_code == 201
    body = response.json()
    n = Notification.objects.get(number=body["number"])
    assert response["Location"].endswith(f"/api/v1/notifications/{n.number}/")
    assert n.status == NotificationStatus.DRAFT and n.created_by == api.users.staff and n.unit == api.city.units.kyufu
    assert n.proposed["groups"] == [{"name": "受給者", "note": "", "items": ["氏名", "口座番号"]}]
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, model="register.Notification", object_id=str(n.pk), actor=api.users.staff).exists()
    assert body["actions"] == register.notification_actions(api.users.staff, n) and "submit" in body["actions"]
    submitted = call("POST", f"/api/v1/notifications/{n.number}/submit/", {"version": body["version"], "comment": "ご確認ください"}, role="staff")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert NotificationEvent.objects.filter(notification=n, kind="submit", comment="ご確認ください", actor=api.users.staff).exists()
    assert AuditEvent.objects.filter(action=AuditAction.SUBMIT, object_id=str(n.pk), actor=api.users.staff).exists()


def test_a_stale_submit_is_409_with_what_changed_and_the_version_now(call, api):
    draft = api.records.draft
    seen = version_of(draft)

    services.notification_update(notification=draft, actor=api.users.manager, reason="課長が直した理由", content=draft.content,
                                 proposed=draft.proposed, effective_date=draft.effective_date, base_version=seen)
    response = call("POST", f"/api/v1/notifications/{draft.number}/submit/", {"version": seen}, role="staff")
    assert response.status_code == 409
    body = response.json()
    assert "保存していません" in body["message"] and body["version"] and body["version"] != seen
    assert any(c["now"] == "課長が直した理由" for c in body["changes"])
    assert Notification.objects.get(pk=draft.pk).status == NotificationStatus.DRAFT
    again = call("POST", f"/api/v1/notifications/{draft.number}/submit/", {"version": body["version"]}, role="staff")
    assert again.status_code == 200  # a knowing second try goes through


def test_a_request_registered_through_the_api_has_the_screens_number_deadline_and_audit(call, api):
    body = {"procedure": "personal-disclosure", "organ": "mayor", "departments": ["kyufu", "nozei"], "received_on": "2024-07-01",
            "requester_name": "開示 次郎", "requester_address": "朝霞市幸町", "subject": "認定記録",
            "documents": [{"title": "認定台帳"}, {"title": "住民票", "department": "nozei"}]}
    response = call("POST", "/api/v1/requests/", body, role="office")
    assert response.status_code == 201, response.json()
    r = Request.objects.get(number=response.json()["number"])
    assert r.number.startswith("個2024-") and r.handler == api.users.office and r.due_on == datetime.date(2024, 7, 31)
    assert [(d.department.code, d.title) for d in r.documents.order_by("id")] == [("kyufu", "認定台帳"), ("nozei", "住民票")]
    event = AuditEvent.objects.get(action=AuditAction.RECEIVE, object_id=str(r.pk))
    assert event.after["requester_name"] == "（記録あり）"  # the audit keeps that it was given, not the name


def test_the_intake_screens_rules_apply(call, api):
    base = {"procedure": "personal-disclosure", "organ": "mayor", "departments": ["kyufu"], "received_on": "2024-07-01",
            "requester_name": "開示 次郎", "subject": "認定記録"}
    cases = [
        ({"requester_role": "other"}, "requester_role", "本人・法定代理人・任意代理人"),     # the form's rule
        ({"departments": ["kodomo"]}, "departments[0]", "担当課に選べません"),                 # a 部 is no 担当課 on the form
        ({"departments": ["nowhere"]}, "departments[0]", "nowhere"),
        ({"organ": "nowhere"}, "organ", "nowhere"),
        ({"received_on": "2999-01-01"}, "received_on", "未来"),                              # the service's rule
        ({"documents": [{"title": "x", "department": "nozei"}]}, "documents[0].department", "departments にありません"),
    ]
    for change, field, words in cases:
        response = call("POST", "/api/v1/requests/", {**base, **change}, role="office")
        assert response.status_code == 400, change
        found = [e for e in response.json()["errors"] if e["field"] == field]
        assert found and (words is None or words in found[0]["message"]), (change, response.json())
    assert not Request.objects.filter(requester_name="開示 次郎").exists()


def test_a_contractors_accident_report_goes_through_the_contract_pages_service(call, api):
    url = f"/api/v1/contracts/{api.records.contract.pk}/incident-reports/"
    refused = call("POST", url, {"reported_on": "2024-08-01", "occurred_on": "2024-08-02", "summary": "紛失"}, role="staff")
    assert refused.status_code == 400 and refused.json()["errors"] == [{"field": "reported_on", "message": "報告を受けた日（令和6年8月1日）が発生日（令和6年8月2日）より前です。"}]
    assert call("POST", url, {"reported_on": "2024-08-01", "summary": ""}, role="staff").json()["errors"][0]["field"] == "summary"
    done = call("POST", url, {"reported_on": "2024-08-01", "summary": "受注者がUSBメモリを紛失"}, role="staff")
    assert done.status_code == 201
    report = api.records.contract.incident_reports.get()
    assert report.created_by == api.users.staff
    assert AuditEvent.objects.filter(action=AuditAction.REPORT, root_model="outsourcing.Contract", root_id=str(api.records.contract.pk)).exists()
    detail = call("GET", f"/api/v1/contracts/{api.records.contract.pk}/", role="auditor").json()
    assert [r["summary"] for r in detail["incident_reports"]] == ["受注者がUSBメモリを紛失"]
    assert [(c["depth"], c["title"]) for c in detail["chain"]] == [(0, "児童手当システム運用"), (1, "データ入力（再委託）")]


# ---------------------------------------------------------------- the same selectors: reads


@pytest.mark.parametrize(("role", "shown"), [("office", True), ("staff", True), ("manager", True), ("auditor", False)])
def test_requester_data_only_for_those_handling_the_request(call, api, role, shown):
    number = api.records.request.number
    detail = call("GET", f"/api/v1/requests/{number}/", role=role).json()
    listed = next(r for r in call("GET", "/api/v1/requests/", role=role).json()["results"] if r["number"] == number)
    for body in (detail, listed):
        assert ("requester_name" in body) is shown and ("requester_address" in body) is shown and ("requester_contact" in body) is shown
        assert body["requester_role"] == "self" and body["subject"] == "児童手当の記録"
    if shown:
        assert detail["requester_name"] == "請求 太郎" and detail["requester_address"] == "朝霞市本町1-1"
    else:
        assert "請求 太郎" not in str(detail) and "朝霞市本町" not in str(listed)


def test_a_program_reads_as_its_page_shows_it(call, api):
    teate = api.programs.teate
    body = call("GET", f"/api/v1/programs/{teate.code}/", role="staff").json()
    assert body["name"] == "児童手当給付事業" and body["current"]["number"] == 1 and body["current"]["my_number"] is True
    assert [(i["name"], i["my_number"]) for i in body["current"]["groups"][0]["items"]] == [("氏名", False), ("住所", False), ("マイナンバー", True)]
    flow = body["current"]["flows"][0]
    assert flow["kind"] == "reuse_in" and flow["program"] == {"code": api.programs.juki.code, "name": "住民基本台帳管理事業"}
    assert [v["number"] for v in body["versions"]] == [1]
    juki = call("GET", f"/api/v1/programs/{api.programs.juki.code}/", role="office").json()
    assert juki["incoming"] == [{"kind": "reuse_in", "kind_label": "目的外利用による収集", "program": {"code": teate.code, "name": "児童手当給付事業"},
                                 "items": ["氏名", "住所"]}]


def test_the_impact_answer_is_the_selectors(call, api):
    body = call("GET", "/api/v1/impact/?kind=contractor&value=株式会社再委託先&on=2024-07-01", role="office").json()
    answer = impact.ask(api.users.office, "contractor", "株式会社再委託先", datetime.date(2024, 7, 1))
    assert [r["code"] for r in body["rows"]] == [r.code for r in answer.rows] == [api.programs.teate.code]
    assert body["rows"][0]["path"][0]["kind"] == "sub" and body["rows"][0]["contracts"][0]["chain"] == ["株式会社テスト", "株式会社再委託先"]
    assert body["total_persons"] == answer.total_persons == 1200 and body["any_my_number"] is True
    out_of_force = call("GET", "/api/v1/impact/?kind=contractor&value=株式会社再委託先&on=2026-01-01", role="office").json()
    assert out_of_force["rows"] == [] and out_of_force["notes"]
    wareki = call("GET", "/api/v1/impact/?kind=item&value=メールアドレス&on=令和6年7月1日", role="office")
    assert wareki.status_code == 200 and wareki.json()["on"] == "2024-07-01"  # the page's date field: 和暦 too
    missing = call("GET", "/api/v1/impact/?kind=contractor&value=存在しない会社", role="office")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "value"
    assert call("GET", "/api/v1/impact/?kind=nope&value=x", role="office").json()["errors"][0]["field"] == "kind"


def test_program_filters_are_the_registers_exactly(client, demo):
    """On the demo city: each filter through the API gives the programs register_search gives, in its order."""
    from django.core.cache import cache


    cases = [{}, {"q": "事業"}, {"item": "メールアドレス"}, {"sensitive": "1"}, {"my_number": "1"}, {"contractor": "株式会社"},
             {"source": "住民"}, {"abolished": "1"}, {"sensitive": "1", "my_number": "1"}]
    for username in ("hogo", "tanto"):
        user = User.objects.get(username=username)
        _, secret = tokens.token_create(actor=user, name="比較", scope="read", expires_on=datetime.date.today() + datetime.timedelta(days=1))
        units = [None, *list(register.programs_visible(user).values_list("current__unit__parent_id", flat=True).distinct()[:2])]
        for case in cases + [{"unit": str(u)} for u in units if u]:
            cache.clear()
            query = "&".join(f"{k}={v}" for k, v in case.items())
            got = client.get(f"/api/v1/programs/?page_size=200&{query}", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
            flags = {k: (v == "1") for k, v in case.items() if k in ("sensitive", "my_number", "abolished")}
            want = register.register_search(user, register.RegisterFilters(**{**case, **flags, **({"unit": int(case["unit"])} if "unit" in case else {})}))
            assert got["count"] == want.count(), (username, case)
            assert [r["code"] for r in got["results"]] == [p.code for p in want[:200]], (username, case)


# ---------------------------------------------------------------- pages, throttle, errors


def test_answers_are_never_cached(call, api):
    response = call("GET", f"/api/v1/requests/{api.records.request.number}/", role="office")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"  # personal data (core.middleware.NoStoreMiddleware)


def test_pages_carry_the_total(call, api):
    first = call("GET", "/api/v1/items/?page_size=10", role="office").json()
    assert first["page"] == 1 and first["count"] > 10 and first["pages"] == -(-first["count"] // 10) and len(first["results"]) == 10
    assert first["previous"] is None and first["next"].endswith("?page=2&page_size=10")
    last = call("GET", f"/api/v1/items/?page_size=10&page={first['pages']}", role="office").json()
    assert last["next"] is None and len(last["results"]) == first["count"] - 10 * (first["pages"] - 1)
    beyond = call("GET", f"/api/v1/items/?page={first['pages'] + 5}&page_size=10", role="office")
    assert beyond.status_code == 404 and f"全{first['pages']}ページ" in beyond.json()["message"]
    assert call("GET", "/api/v1/items/?page=x", role="office").json()["errors"][0]["field"] == "page"
    assert call("GET", "/api/v1/items/?page_size=201", role="office").json()["errors"][0]["field"] == "page_size"


def test_requests_per_user_are_throttled(call, api, settings):
    settings.MAMORI_API_RATE = "3/min"
    assert [call("GET", "/api/v1/", role="staff").status_code for _ in range(3)] == [200, 200, 200]
    refused = call("GET", "/api/v1/", role="staff")
    assert refused.status_code == 429 and "リクエストが多すぎます" in refused.json()["message"] and int(refused["Retry-After"]) > 0
    assert call("GET", "/api/v1/", role="office").status_code == 200  # per user
    with connection.cursor() as cursor:  # counted in the database, where every app server counts the same requests
        cursor.execute("SELECT COUNT(*) FROM mamori_shared_cache WHERE cache_key LIKE %s", ["%throttle_user_%"])
        assert cursor.fetchone()[0] == 2


def test_validation_errors_name_the_path_inside_the_body(call, api):
    body = {**NEW, "proposed": {**NEW["proposed"], "groups": [{"name": "受給者", "items": ["氏名", None]}]}}
    response = call("POST", "/api/v1/notifications/", body, role="staff")
    assert response.status_code == 400 and response.json()["message"] == "入力を確かめてください。"
    assert [e["field"] for e in response.json()["errors"]] == ["proposed.groups[0].items[1]"]
    body = {**NEW, "effective_date": "令和6年", "proposed": {**NEW["proposed"], "flows": [{"kind": "teleport"}]}}
    fields = {e["field"] for e in call("POST", "/api/v1/notifications/", body, role="staff").json()["errors"]}
    assert fields == {"effective_date", "proposed.flows[0].kind"}


def test_the_services_errors_carry_their_fields_as_api_paths(call, api):
    flows = [{"kind": "reuse_in", "program": api.programs.juki.code}, {"kind": "outsource", "party": ""}]
    body = {**NEW, "proposed": {**NEW["proposed"], "flows": flows}}
    errors_ = call("POST", "/api/v1/notifications/", body, role="staff").json()["errors"]
    assert errors_ == [{"field": "proposed.flows[1].party", "message": "2番目の流れ（外部委託）の相手先を入力してください。"}]  # 0-based path, the service's words
    other_unit = {**NEW, "proposed": {**NEW["proposed"], "unit": "nozei"}}
    assert call("POST", "/api/v1/notifications/", other_unit, role="staff").json()["errors"] == [
        {"field": "proposed.unit", "message": "担当には自分の所属（またはその下の組織）を選んでください。"}]
    neither = {**NEW, "proposed": {**NEW["proposed"], "computerized": False, "manual": False}}  # the 届出 editor's own rule
    assert call("POST", "/api/v1/notifications/", neither, role="staff").json()["errors"][0]["field"] == "proposed.computerized"
    assert Notification.objects.filter(proposed__name="子育て応援給付金支給事業").count() == 0


@pytest.mark.parametrize(("method", "url", "body", "code", "words"), [
    ("GET", "/api/v1/programs/P99999/", None, 404, "P99999"),
    ("DELETE", "/api/v1/programs/", None, 405, "使えるのは GET"),
    ("POST", "/api/v1/requests/", {}, 403, "個人情報保護担当"),
    ("GET", "/api/v1/programs", None, 404, "末尾に / を付けて"),
    ("GET", "/api/v1/incidents/", None, 403, "漏えい等事案を読めるのは、個人情報保護担当と監査です。"),
])
def test_refusals_answer_in_japanese(call, api, method, url, body, code, words):
    response = call(method, url, body, role="staff")
    assert response.status_code == code and words in response.json()["message"] and response.json()["errors"] == []


def test_bad_json_and_other_media_types_are_refused_plainly(client, api):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api.secrets['staff']}"}
    bad = client.post("/api/v1/notifications/", data="{", content_type="application/json", **headers)
    assert bad.status_code == 400 and "JSON" in bad.json()["message"]
    form = client.post("/api/v1/notifications/", data="a=b", content_type="application/x-www-form-urlencoded", **headers)
    assert form.status_code == status.HTTP_415_UNSUPPORTED_MEDIA_TYPE and "application/json" in form.json()["message"]


def test_a_bug_answers_500_in_japanese_and_logs_no_personal_data(caplog):
    personal = "山田 太郎 朝霞市本町1-1"  # what an exception's message might hold
    try:
        raise RuntimeError(personal)
    except RuntimeError as exc:
        with caplog.at_level(logging.ERROR, logger="mamori.api"):
            response = errors.handler(exc, {"view": None, "request": None})
    assert response.status_code == 500 and response.data["message"].startswith("サーバーで問題が起きました")
    assert "Traceback" not in str(response.data) and "山田" not in str(response.data)
    assert "RuntimeError" in caplog.text and "山田" not in caplog.text and "本町" not in caplog.text
