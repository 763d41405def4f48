"""Requests through the screens: intake, per-document decisions, the clock, appeals, privacy, bad input."""
import datetime

import pytest

from mamori.core.concurrency import token_for  # the version the request's page gives each document's form
from mamori.disclosure.models import Request

D = datetime.date


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
    assert "最終日の2025年1月2日（木）は閉庁日（年末年始の閉庁日）のため、翌開庁日の2025年1月6日（月）とします" in page
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
    assert "決定日（2024-12-02）が受付日（2024-12-03）より前です" in page
    doc.refresh_from_db()
    assert doc.decision == "" and doc.decided_on is None


def test_clock_correction_and_extension(client, req):
    client.post(f"/requests/{req.number}/clock/", {"clock-kind": "correction", "clock-start_on": "2024-12-05"})
    req.refresh_from_db()
    assert req.due_on is None  # stopped while the 補正 is out
    event = req.clock_events.get()
    page = client.post(f"/requests/{req.number}/clock/{event.pk}/returned/", {"end_on": "2024-12-04", "base_version": token_for(event)}, follow=True).content.decode()
    assert "補正の終わり（2024-12-04）が始まり（2024-12-05）より前です" in page
    client.post(f"/requests/{req.number}/clock/{event.pk}/returned/", {"end_on": "2024-12-10", "base_version": token_for(event)})
    req.refresh_from_db()
    assert req.due_on == D(2025, 1, 7)  # 30 days + 5 days of 補正 → 1/7
    page = client.post(f"/requests/{req.number}/clock/", {"clock-kind": "extension", "clock-start_on": "2024-12-20", "clock-days": "31", "clock-reason": "大量"}, follow=True).content.decode()
    assert "延長は30日以内です" in page and req.clock_events.count() == 1
    client.post(f"/requests/{req.number}/clock/", {"clock-kind": "extension", "clock-start_on": "2024-12-20", "clock-days": "30", "clock-reason": "文書が大量のため"})
    req.refresh_from_db()
    assert req.due_on == D(2025, 2, 6)


def test_appeal_dates_must_follow_each_other(client, req):
    page = client.post(f"/requests/{req.number}/appeals/", {"appeal-filed_on": "2025-02-01", "appeal-consulted_on": "2025-01-15"}, follow=True).content.decode()
    assert "諮問の日（2025-01-15）が審査請求の日（2025-02-01）より前です" in page
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


def test_dashboard_orders_by_urgency(client, req, city):
    client.force_login(city.users.office)
    page = client.get("/requests/").content.decode()
    overdue = page.split('id="h-overdue"')[1].split("</section>")[0]
    assert req.number in overdue and "期限超過" in overdue  # due 2025-01-06, long past


def test_each_urgency_group_has_its_full_list(client, req, city):
    client.force_login(city.users.office)
    page = client.get("/requests/?group=overdue").content.decode()
    assert "期限超過（1件）" in page and req.number in page
    assert "<strong>" not in page.split("期限超過（1件）")[0][-20:]  # the heading, not a badge
    assert req.number not in client.get("/requests/?group=soon").content.decode()


def test_a_city_closure_day_moves_open_deadlines(client, req, city):
    client.force_login(city.users.office)
    client.post("/requests/closure-days/", {"date": "2025-01-06", "name": "庁舎停電のため閉庁"})
    req.refresh_from_db()
    assert req.due_on == D(2025, 1, 7)  # 1/6 is now closed too
    page = client.get(f"/requests/{req.number}/").content.decode()
    assert "閉庁日（年末年始の閉庁日）のため、翌開庁日の2025年1月7日（火）とします" in page
    from mamori.core.models import ClosureDay

    client.post("/requests/closure-days/", {"remove": ClosureDay.objects.get().pk})
    req.refresh_from_db()
    assert req.due_on == D(2025, 1, 6)
