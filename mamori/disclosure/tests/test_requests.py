"""Requests through the screens: intake, per-document decisions, the clock, appeals, privacy, bad input."""
import datetime
import re
from html import unescape

import pytest

from mamori.core.concurrency import token_for  # the version the request's page gives each document's form
from mamori.disclosure.models import Request

D = datetime.date


def field_error(page: str, field_id: str) -> str:
    """The message shown beside a field (core/field.html: <ul class="errorlist" id="<id>_error">), '' if none."""
    m = re.search(rf'<ul class="errorlist" id="{re.escape(field_id)}_error">(.*?)</ul>', page, re.S)
    return unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else ""


def value_of(page: str, field_id: str) -> str:
    """What an input or textarea holds on the page."""
    m = re.search(rf'<textarea[^>]*id="{re.escape(field_id)}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    if m:
        return unescape(m.group(1))
    m = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', page)
    value = re.search(r'value="([^"]*)"', m.group(0)) if m else None
    return unescape(value.group(1)) if value else ""


def selected(page: str, field_id: str) -> str:
    m = re.search(rf'<select[^>]*id="{re.escape(field_id)}".*?</select>', page, re.S)
    option = re.search(r'<option value="([^"]*)"[^>]*selected', m.group(0)) if m else None
    return option.group(1) if option else ""


def details_open(page: str, summary: str) -> bool:
    """Whether the <details> whose summary is ``summary`` comes open."""
    m = re.search(rf"<details( open)?><summary>{re.escape(summary)}</summary>", page)
    assert m, f"no <details> 「{summary}」"
    return bool(m.group(1))


@pytest.fixture
def req(client, city):
    client.force_login(city.users.office)
    response = client.post("/requests/new/", {
        "procedure": "personal-disclosure", "organ": city.organ.pk, "departments": [city.units.kyufu.pk, city.units.nozei.pk],
        "received_on": "2024-12-03", "channel": "counter", "requester_role": "self", "requester_kind": "natural",
        "requester_name": "請求 花子", "requester_address": "朝霞市本町1-1-1", "requester_contact": "048-000-0000",
        "subject": "児童手当の認定に関する記録一式", "documents": "児童手当認定台帳\n面談記録",
    })
    assert response.status_code == 302
    return Request.objects.get()


def test_intake_computes_the_due_date_with_its_explanation(client, req):
    assert req.number == "個2024-0001" and req.due_on == D(2025, 1, 6)
    page = client.get(f"/requests/{req.number}/").content.decode()
    assert "令和7年1月6日（月）" in page
    assert "受付日 令和6年12月3日（火）。初日は算入せず翌日から数えます" in page
    assert "最終日の令和7年1月2日（木）は閉庁日（年末年始の閉庁日）のため、翌開庁日の令和7年1月6日（月）とします" in page
    assert [d.title for d in req.documents.all()] == ["児童手当認定台帳", "面談記録"]


def test_decisions_per_document(client, req, city):
    doc1, doc2 = req.documents.all()
    client.post(f"/requests/{req.number}/documents/{doc1.pk}/decide/", {f"d{doc1.pk}-base_version": token_for(doc1), f"d{doc1.pk}-decision": "disclose", f"d{doc1.pk}-decided_on": "2024-12-20"})
    page = client.post(f"/requests/{req.number}/documents/{doc2.pk}/decide/", {f"d{doc2.pk}-base_version": token_for(doc2), f"d{doc2.pk}-decision": "partial", f"d{doc2.pk}-decided_on": "2024-12-20"}, follow=True).content.decode()
    assert "理由（条項と説明）が必要です" in page
    client.post(f"/requests/{req.number}/documents/{doc2.pk}/decide/", {
        f"d{doc2.pk}-base_version": token_for(doc2), f"d{doc2.pk}-decision": "partial", f"d{doc2.pk}-decided_on": "2024-12-20", f"d{doc2.pk}-reasons": "法第78条第1項第2号",
        f"d{doc2.pk}-reason_text": "第三者の氏名", f"d{doc2.pk}-third_party_objection": "on"})
    doc2.refresh_from_db()
    req.refresh_from_db()
    assert doc2.decision == "partial" and doc2.reasons == ["法第78条第1項第2号"] and doc2.disclose_on == D(2025, 1, 4)
    assert req.status == "decided"


def test_decision_before_receipt_is_refused(client, req):
    doc = req.documents.first()
    page = client.post(f"/requests/{req.number}/documents/{doc.pk}/decide/", {f"d{doc.pk}-base_version": token_for(doc), f"d{doc.pk}-decision": "disclose", f"d{doc.pk}-decided_on": "2024-12-02"}, follow=True).content.decode()
    assert field_error(page, f"id_d{doc.pk}-decided_on") == "決定日（令和6年12月2日（月））が受付日（令和6年12月3日（火））より前です。決定日を確かめてください。"
    assert details_open(page, f"「{doc.title}」の決定を記録") and selected(page, f"id_d{doc.pk}-decision") == "disclose"
    doc.refresh_from_db()
    assert doc.decision == "" and doc.decided_on is None


def test_clock_correction_and_extension(client, req):
    client.post(f"/requests/{req.number}/clock/", {"clock-kind": "correction", "clock-start_on": "2024-12-05"})
    req.refresh_from_db()
    assert req.due_on is None  # stopped while the 補正 is out
    event = req.clock_events.get()
    ret = f"ret{event.pk}"
    page = client.post(f"/requests/{req.number}/clock/{event.pk}/returned/", {f"{ret}-end_on": "2024-12-04", f"{ret}-base_version": token_for(event)}, follow=True).content.decode()
    assert field_error(page, f"id_{ret}-end_on").startswith("補正の終わり（令和6年12月4日（水））が始まり（令和6年12月5日（木））より前です")
    assert details_open(page, "補正の完了を記録") and value_of(page, f"id_{ret}-end_on") == "2024-12-04"
    client.post(f"/requests/{req.number}/clock/{event.pk}/returned/", {f"{ret}-end_on": "令和6年12月10日", f"{ret}-base_version": token_for(event)})
    req.refresh_from_db()
    assert req.due_on == D(2025, 1, 7)  # 30 days + 5 days of 補正 → 1/7
    page = client.post(f"/requests/{req.number}/clock/", {"clock-kind": "extension", "clock-start_on": "2024-12-20", "clock-days": "31", "clock-reason": "大量"}, follow=True).content.decode()
    assert field_error(page, "id_clock-days").startswith("延長は30日以内です（個人情報保護法第83条第2項）。31日は延長できません。")
    assert req.clock_events.count() == 1
    assert details_open(page, "補正・延長・特例を記録")  # the form comes back open, with what was typed
    assert selected(page, "id_clock-kind") == "extension" and value_of(page, "id_clock-days") == "31" and value_of(page, "id_clock-reason") == "大量"
    client.post(f"/requests/{req.number}/clock/", {"clock-kind": "extension", "clock-start_on": "2024-12-20", "clock-days": "30", "clock-reason": "文書が大量のため"})
    req.refresh_from_db()
    assert req.due_on == D(2025, 2, 6)


def test_appeal_dates_must_follow_each_other(client, req):
    page = client.post(f"/requests/{req.number}/appeals/", {"appeal-filed_on": "2025-02-01", "appeal-consulted_on": "2025-01-15"}, follow=True).content.decode()
    assert field_error(page, "id_appeal-consulted_on") == "諮問の日（令和7年1月15日（水））が審査請求の日（令和7年2月1日（土））より前です。日付を確かめてください。"
    assert details_open(page, "審査請求を記録") and not req.appeals.exists()
    client.post(f"/requests/{req.number}/appeals/", {"appeal-filed_on": "2025-02-01", "appeal-consulted_on": "2025-02-15", "appeal-reported_on": "2025-06-01", "appeal-ruled_on": "2025-07-01", "appeal-ruling": "partly"})
    assert req.appeals.get().stage == "ruled"


def test_requester_is_seen_only_by_those_handling_it(client, req, city):
    client.force_login(city.users.staff)  # こども未来課: its 係 is concerned
    assert "請求 花子" in client.get(f"/requests/{req.number}/").content.decode()
    client.force_login(city.users.auditor)
    page = client.get(f"/requests/{req.number}/").content.decode()
    assert "請求 花子" not in page and "請求を担当する職員だけが見られます" in page
    from mamori.core.models import AuditEvent

    event = AuditEvent.objects.get(model="disclosure.Request")
    assert "請求 花子" not in str(event.after) and event.after["requester_name"] == "（記録あり）"  # no personal data in the audit either


def test_the_list_counts_open_requests_by_urgency(client, req, city):
    client.force_login(city.users.office)
    page = client.get("/requests/").content.decode()
    assert re.search(r'<a href="\?due=overdue">期限超過<span class="count">1</span>件</a>', page)  # due 2025-01-06, long past
    assert req.number in page and "期限超過" in page


def test_each_urgency_group_is_the_list_filtered(client, req, city):
    client.force_login(city.users.office)
    page = client.get("/requests/?due=overdue").content.decode()
    assert "絞り込み中：" in page and "期限：期限超過" in page and "全1件" in page and req.number in page
    assert "?group=overdue" not in page and req.number in client.get("/requests/?group=overdue").content.decode()  # the older address still works
    assert f">{req.number}<" not in client.get("/requests/?due=soon").content.decode()


def test_a_city_closure_day_moves_open_deadlines(client, req, city):
    client.force_login(city.users.office)
    client.post("/requests/closure-days/", {"date": "2025-01-06", "name": "庁舎停電のため閉庁"})
    req.refresh_from_db()
    assert req.due_on == D(2025, 1, 7)  # 1/6 is now closed too
    page = client.get(f"/requests/{req.number}/").content.decode()
    assert "閉庁日（年末年始の閉庁日）のため、翌開庁日の令和7年1月7日（火）とします" in page
    from mamori.core.models import ClosureDay

    client.post("/requests/closure-days/", {"remove": ClosureDay.objects.get().pk})
    req.refresh_from_db()
    assert req.due_on == D(2025, 1, 6)
