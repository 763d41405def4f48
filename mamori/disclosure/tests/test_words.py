"""Words by procedure, requester types, long texts, 取下げ and 和暦 in every message (issue 12)."""
import datetime
import io
import re

import docx
import pytest
from django.core.exceptions import ValidationError

from mamori.core.concurrency import token_for
from mamori.disclosure import notices, rules, services
from mamori.disclosure.forms import DecisionForm, RequestForm
from mamori.disclosure.models import Request
from mamori.disclosure.tests.test_requests import field_error, req  # noqa: F401  (fixture)

D = datetime.date
ISO = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")


@pytest.mark.parametrize(("procedure", "decision", "word"), [
    ("public-request", "disclose", "公開"), ("public-request", "partial", "部分公開"), ("public-request", "nondisclose", "非公開"),
    ("public-request", "nonexistent", "非公開（不存在）"), ("public-offer", "partial", "部分公開"),
    ("personal-disclosure", "disclose", "開示"), ("personal-disclosure", "partial", "部分開示"), ("personal-disclosure", "nondisclose", "不開示"),
    ("personal-disclosure", "nonexistent", "不開示（不存在）"), ("personal-disclosure", "neither", "存否応答拒否"),
    ("public-request", "withdrawn", "取下げ"), ("personal-disclosure", "", ""),
])
def test_decision_words(procedure, decision, word):
    assert rules.decision_word(procedure, decision) == word


def test_each_procedure_offers_only_its_words():
    public = dict(rules.decision_choices("public-request"))
    personal = dict(rules.decision_choices("personal-disclosure"))
    assert not any("開示" in label for label in public.values())
    assert not any("公開" in label for label in personal.values())
    assert list(public) == list(personal)  # the same decisions, in the words of each law
    form = DecisionForm(procedure="public-offer")
    assert [label for _, label in form.fields["decision"].choices][1:4] == ["公開", "部分公開", "非公開"]
    assert "情報公開条例" in form.fields["reasons"].label


@pytest.mark.parametrize(("procedure", "words"), [
    ("public-request", {"手続": "公文書", "開示": "公開", "不開示": "非公開", "請求": "請求"}),
    ("public-offer", {"手続": "公文書", "開示": "公開", "不開示": "非公開", "請求": "申出"}),
    ("personal-disclosure", {"手続": "保有個人情報", "開示": "開示", "不開示": "不開示", "請求": "請求"}),
])
def test_procedure_words(procedure, words):
    assert rules.procedure_words(procedure) == words


def public_request(client, city, procedure="public-request"):
    client.force_login(city.users.office)
    response = client.post("/requests/new/", {
        "procedure": procedure, "organ": city.organ.pk, "departments": [city.units.kyufu.pk], "received_on": "2024-12-03",
        "channel": "counter", "requester_kind": "natural", "requester_name": "請求 次郎",
        "subject": "給付事業の委託契約書", "documents": "委託契約書\n仕様書"})
    assert response.status_code == 302, response.content.decode()
    return Request.objects.get()


def test_notice_names_follow_the_procedure(client, city):
    r = public_request(client, city, "public-offer")
    kinds = dict(notices.kind_choices(r))
    assert kinds["disclose"] == "公文書公開決定通知書" and kinds["partial"] == "公文書部分公開決定通知書" and kinds["none"] == "公文書非公開決定通知書"
    assert kinds["extension"] == "公文書公開決定等期間延長通知書" and kinds["transfer"] == "公文書公開申出事案移送通知書"
    page = client.get(f"/requests/{r.number}/").content.decode()
    assert '<option value="partial">公文書部分公開決定通知書</option>' in page and "開示（公開）" not in page


def test_a_public_offer_notice_speaks_of_moushide_and_its_docx_says_kokai(client, city):
    r = public_request(client, city, "public-offer")
    doc = r.documents.first()
    client.post(f"/requests/{r.number}/documents/{doc.pk}/decide/", {f"d{doc.pk}-decision": "nondisclose", f"d{doc.pk}-decided_on": "2024-12-16",
                                                                          f"d{doc.pk}-reasons": "第7条第3号", f"d{doc.pk}-reason_text": "法人の競争上の地位を害するため",
                                                                          f"d{doc.pk}-base_version": token_for(doc)})
    client.post(f"/requests/{r.number}/notices/", {"notice-kind": "none", "notice-issued_on": "2024-12-16"})
    notice = r.notices.get()
    lines = [p.text for p in docx.Document(io.BytesIO(client.get(f"/requests/{r.number}/notices/{notice.pk}.docx").content)).paragraphs if p.text]
    assert lines[4] == "公文書非公開決定通知書"
    assert "令和６年１２月３日付けで申出のあった公文書の公開について、次のとおり公開しないことに決定したので通知します。" in lines
    assert "・委託契約書（非公開）" in lines and "公開しない理由" in lines
    assert not any("開示" in line for line in lines[:lines.index("（教示）")])


def test_requester_types_by_procedure(client, city):
    assert rules.requester_roles("public-request") == ("other",)
    assert rules.requester_roles("personal-correction") == ("self", "legal", "agent")
    assert rules.requester_role_problem("public-offer", "self").startswith("公文書公開申出には請求者の区分")
    assert "個人情報保護法第76条第2項" in rules.requester_role_problem("personal-disclosure", "other")
    public_form = RequestForm(initial={"procedure": "public-request"})
    assert not public_form.asks_requester_role
    personal = RequestForm(initial={"procedure": "personal-disclosure"})
    assert personal.asks_requester_role and [v for v, _ in personal.fields["requester_role"].choices] == ["self", "legal", "agent"]
    r = public_request(client, city)
    assert r.requester_role == "other" and r.requester_label == "個人"
    page = client.get(f"/requests/{r.number}/").content.decode()
    assert "個人：" in page and "本人（個人）" not in page


def test_a_requester_type_the_procedure_does_not_know_is_refused(client, city):
    client.force_login(city.users.office)
    base = {"organ": city.organ.pk, "departments": [city.units.kyufu.pk], "received_on": "2024-12-03", "channel": "counter",
            "requester_kind": "natural", "requester_name": "請求 次郎", "subject": "記録"}
    page = client.post("/requests/new/", {**base, "procedure": "public-request", "requester_role": "self"}).content.decode()
    assert field_error(page, "id_requester_role").startswith("公文書公開請求には請求者の区分（本人・法定代理人・任意代理人）がありません")
    page = client.post("/requests/new/", {**base, "procedure": "personal-disclosure", "requester_role": "other"}).content.decode()
    assert field_error(page, "id_requester_role").startswith("保有個人情報開示請求では、請求者の区分を本人・法定代理人・任意代理人から選んでください")  # not offered: the rule says what to choose
    assert not Request.objects.exists()
    with pytest.raises(ValidationError, match="請求者の区分"):  # the service refuses it too
        services.request_create(actor=city.users.office, procedure="personal-disclosure", organ=city.organ, departments=[city.units.kyufu],
                                received_on=D(2024, 12, 3), requester_name="請求 花子", subject="記録", requester_role="other")
    page = client.get("/requests/new/?procedure=personal-legal").content.decode()  # an unknown procedure in the address: the form as usual
    assert 'id="requester-role"' in page


def test_the_intake_fetches_the_requester_types_for_the_chosen_procedure(client, city):
    client.force_login(city.users.office)
    personal = client.get("/requests/new/?procedure=personal-disclosure", HTTP_HX_REQUEST="true").content.decode()
    role = personal.split('id="requester-role"')[1].split('for="id_requester_kind"')[0]
    assert "<select" in role and "本人" in role and "法定代理人" in role and "（公文書の請求者）" not in role
    public = client.get("/requests/new/?procedure=public-request").content.decode().split('id="requester-role"')[1].split('for="id_requester_kind"')[0]
    assert "<select" not in public and "保有個人情報の請求だけにあります" in public


def test_long_texts_have_limits_that_say_the_length(client, city):
    client.force_login(city.users.office)
    page = client.post("/requests/new/", {
        "procedure": "personal-disclosure", "organ": city.organ.pk, "departments": [city.units.kyufu.pk], "received_on": "2024-12-03",
        "channel": "counter", "requester_role": "self", "requester_kind": "natural", "requester_name": "請求 花子",
        "subject": "あ" * 200_000, "documents": "台帳\n" + "い" * 301}).content.decode()
    assert field_error(page, "id_subject") == "4,000字以内で入力してください（いま200,000字あります）。"
    assert field_error(page, "id_documents") == "2行目の件名が301字あります。1件の件名は300字までです。"
    assert not Request.objects.exists()
    with pytest.raises(ValidationError) as exc:  # the service (an import, the CLI) is held to it as well
        services.request_create(actor=city.users.office, procedure="personal-disclosure", organ=city.organ, departments=[city.units.kyufu],
                                received_on=D(2024, 12, 3), requester_name="請求 花子", subject="あ" * 4_001)
    assert exc.value.message_dict["subject"] == ["4,000字以内で入力してください（いま4,001字あります）。"]


def test_clock_and_decision_texts_are_limited(client, req):  # noqa: F811
    page = client.post(f"/requests/{req.number}/clock/", {"clock-kind": "extension", "clock-start_on": "2024-12-20", "clock-days": "10",
                                                         "clock-reason": "う" * 1_001}).content.decode()
    assert field_error(page, "id_clock-reason") == "1,000字以内で入力してください（いま1,001字あります）。" and not req.clock_events.exists()
    doc = req.documents.first()
    page = client.post(f"/requests/{req.number}/documents/{doc.pk}/decide/", {
        f"d{doc.pk}-decision": "partial", f"d{doc.pk}-decided_on": "2024-12-20", f"d{doc.pk}-reason_text": "え" * 4_001,
        f"d{doc.pk}-base_version": token_for(doc)}).content.decode()
    assert field_error(page, f"id_d{doc.pk}-reason_text") == "4,000字以内で入力してください（いま4,001字あります）。"


def test_withdrawal_decides_every_open_document(client, req, city):  # noqa: F811
    first, second = req.documents.all()
    services.document_decide(document=first, actor=city.users.office, decision="disclose", decided_on=D(2024, 12, 10))
    page = client.post(f"/requests/{req.number}/withdraw/", {"withdraw-withdrawn_on": "2024-12-02", "withdraw-base_version": token_for(req)}).content.decode()
    assert field_error(page, "id_withdraw-withdrawn_on") == "取下げの日（令和6年12月2日（月））が受付日（令和6年12月3日（火））より前です。日付を確かめてください。"
    req.refresh_from_db()
    client.post(f"/requests/{req.number}/withdraw/", {"withdraw-withdrawn_on": "令和6年12月12日", "withdraw-note": "請求者から取下書",
                                                      "withdraw-base_version": token_for(req)})
    first.refresh_from_db()
    second.refresh_from_db()
    req.refresh_from_db()
    assert (first.decision, second.decision, second.decided_on, second.reason_text) == ("disclose", "withdrawn", D(2024, 12, 12), "請求者から取下書")
    assert req.status == "decided"
    page = client.get(f"/requests/{req.number}/").content.decode()
    assert "請求の取下げを記録" not in page  # nothing left to withdraw
    assert "令和6年12月10日（火）" in page and "最後の決定（令和6年12月10日（火））から数えて" in page  # 取下げ is no decision to appeal


def test_withdrawal_needs_a_document_still_open(city):
    r = services.request_create(actor=city.users.office, procedure="public-request", organ=city.organ, departments=[city.units.kyufu],
                                received_on=D(2024, 12, 3), requester_name="請求 次郎", subject="記録")
    with pytest.raises(ValidationError, match="文書がありません"):
        services.request_withdraw(request=r, actor=city.users.office, withdrawn_on=D(2024, 12, 5))


def test_appeal_deadline_only_after_a_decision(client, req, city):  # noqa: F811
    page = client.get(f"/requests/{req.number}/").content.decode()
    assert "から数えて" not in page and "決定があってから示します" in page
    services.document_decide(document=req.documents.first(), actor=city.users.office, decision="disclose", decided_on=D(2024, 12, 20))
    page = client.get(f"/requests/{req.number}/").content.decode()
    assert "最後の決定（令和6年12月20日（金））から数えて 令和7年3月21日（金） まで" in page


def test_messages_and_pages_read_wareki(client, req, city):  # noqa: F811
    """No 2024-12-05 in what a person reads: messages of the clock, decisions, notices, appeals; the page itself; the digest."""
    doc = req.documents.first()
    posts = [
        (f"/requests/{req.number}/clock/", {"clock-kind": "correction", "clock-start_on": "2024-12-01"}),
        (f"/requests/{req.number}/clock/", {"clock-kind": "special", "clock-start_on": "2024-12-20", "clock-rest_due": "2024-12-25", "clock-reason": "大量"}),
        (f"/requests/{req.number}/documents/{doc.pk}/decide/", {f"d{doc.pk}-decision": "disclose", f"d{doc.pk}-decided_on": "2099-01-01",
                                                                 f"d{doc.pk}-base_version": token_for(doc)}),
        (f"/requests/{req.number}/notices/", {"notice-kind": "extension", "notice-issued_on": "2024-12-01"}),
        (f"/requests/{req.number}/appeals/", {"appeal-filed_on": "2025-02-01", "appeal-ruled_on": "2025-01-15"}),
    ]
    for url, data in posts:
        page = client.post(url, data).content.decode()
        errors = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', page, re.S)
        assert errors, url
        assert not any(ISO.search(e) for e in errors), errors
        assert any("令和" in e for e in errors) or "延長が記録されていません" in page, errors
    page = client.get(f"/requests/{req.number}/").content.decode()
    body = page.split('<main id="main"')[1].split(">履歴</h2>")[0]  # the history is core's (core/history.html)
    assert not ISO.search(re.sub(r'(value|href|placeholder)="[^"]*"', "", body))  # an example of what may be typed is no date read


def test_only_the_office_records_a_withdrawal(client, req, city):  # noqa: F811
    url, data = f"/requests/{req.number}/withdraw/", {"withdraw-withdrawn_on": "2024-12-12", "withdraw-base_version": token_for(req)}
    for user, status in ((city.users.staff, 403), (city.users.manager, 403), (city.users.auditor, 403), (city.users.other_staff, 403),
                         (city.users.council, 403)):
        client.force_login(user)
        assert client.post(url, data).status_code == status, user
        assert client.get(url).status_code in (403, 405)
    assert not req.documents.filter(decision="withdrawn").exists()
    client.force_login(city.users.office)
    assert client.post(url, data).status_code == 302
    assert req.documents.filter(decision="withdrawn").count() == 2
