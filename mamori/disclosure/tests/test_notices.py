"""Notices: filled from the request in 和暦, with the 教示, kept as issued, templates editable."""
import io

import docx
import pdfplumber
from django.utils.html import escape

from mamori.core.concurrency import token_for  # the version the page gives each form
from mamori.disclosure import notices
from mamori.disclosure.models import NoticeTemplate, Request
from mamori.disclosure.tests.test_requests import req  # noqa: F401  (fixture)


def docx_lines(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text]


def test_partial_decision_notice_with_reasons_and_teaching(client, req, city):  # noqa: F811
    doc1, doc2 = req.documents.all()
    client.post(f"/requests/{req.number}/documents/{doc2.pk}/decide/", {
        f"d{doc2.pk}-decision": "partial", f"d{doc2.pk}-decided_on": "2024-12-20", f"d{doc2.pk}-reasons": "法第78条第1項第2号",
        f"d{doc2.pk}-reason_text": "面談の相手方の氏名", f"d{doc2.pk}-base_version": token_for(doc2)})
    client.post(f"/requests/{req.number}/notices/", {"notice-kind": "partial", "notice-issued_on": "2024-12-20"})
    notice = req.notices.get()
    assert notice.title == "保有個人情報部分開示決定通知書" and notice.recipient == "請求 花子" and notice.sender == "朝霞市長"
    lines = docx_lines(client.get(f"/requests/{req.number}/notices/{notice.pk}.docx").content)
    assert lines[:5] == ["個2024-0001-1", "令和６年１２月２０日", "請求 花子　様", "朝霞市長", "保有個人情報部分開示決定通知書"]
    assert "令和６年１２月３日付けで請求のあった保有個人情報の開示について、次のとおり一部を開示することに決定したので通知します。" in lines
    assert "・面談記録（部分開示）" in lines and "・面談記録：法第78条第1項第2号 面談の相手方の氏名" in lines
    assert "（教示）" in lines and any("３か月以内に、朝霞市長に対して審査請求" in line for line in lines)
    pdf = pdfplumber.open(io.BytesIO(client.get(f"/requests/{req.number}/notices/{notice.pk}.pdf").content)).pages[0].extract_text()
    assert "保有個人情報部分開示決定通知書" in pdf and "令和６年１２月２０日" in pdf


def test_extension_notice_needs_a_recorded_extension(client, req):  # noqa: F811
    page = client.post(f"/requests/{req.number}/notices/", {"notice-kind": "extension", "notice-issued_on": "2024-12-20"}, follow=True).content.decode()
    assert "延長が記録されていません" in page and not req.notices.exists()
    client.post(f"/requests/{req.number}/clock/", {"clock-kind": "extension", "clock-start_on": "2024-12-20", "clock-days": "30", "clock-reason": "対象文書が大量で、確認に時間を要するため"})
    client.post(f"/requests/{req.number}/notices/", {"notice-kind": "extension", "notice-issued_on": "2024-12-20"})
    notice = req.notices.get()
    assert "１　延長後の期間　令和７年２月３日まで（３０日延長）" in notice.body
    assert "２　延長の理由　対象文書が大量で、確認に時間を要するため" in notice.body
    assert "個人情報保護法第83条第2項" in notice.body


def test_office_edits_a_template_and_unknown_placeholders_are_refused(client, req):  # noqa: F811
    page = client.post("/requests/notice-templates/disclose/", {"title": "{手続}開示決定通知書", "body": "{受付日}付けの請求 {宛名}", "teaching": "",
                                                                   "base_version": token_for(None, NoticeTemplate)}).content.decode()
    assert "知らない差込み項目があります：{宛名}" in page
    client.post("/requests/notice-templates/disclose/", {"title": "{手続}開示決定通知書", "body": "{受付日}付けの請求（{受付番号}）を開示します。\n{文書一覧}", "teaching": "",
                                                     "base_version": token_for(None, NoticeTemplate)})
    doc = req.documents.first()
    client.post(f"/requests/{req.number}/documents/{doc.pk}/decide/", {f"d{doc.pk}-decision": "disclose", f"d{doc.pk}-decided_on": "2024-12-20",
                                                                            f"d{doc.pk}-base_version": token_for(doc)})
    client.post(f"/requests/{req.number}/notices/", {"notice-kind": "disclose", "notice-issued_on": "2024-12-20"})
    assert req.notices.get().body == "令和６年１２月３日付けの請求（個2024-0001）を開示します。\n・児童手当認定台帳（開示）"


def test_third_party_inquiry_needs_the_third_party(client, req):  # noqa: F811
    page = client.post(f"/requests/{req.number}/notices/", {"notice-kind": "third_party", "notice-issued_on": "2024-12-10"}, follow=True).content.decode()
    assert "第三者の氏名・名称を入力してください" in page
    client.post(f"/requests/{req.number}/notices/", {"notice-kind": "third_party", "notice-issued_on": "2024-12-10", "notice-recipient": "株式会社サンプル", "notice-opinion_due": "2024-12-24"})
    notice = req.notices.get()
    assert notice.recipient == "株式会社サンプル" and "令和６年１２月２４日までに提出してください" in notice.body


TEMPLATE_URL = "/requests/notice-templates/disclose/"


def test_lesser_notice_template_bounded_format_specification(client, req):  # noqa: F811
    """Finding (issue 11, lesser): an office-edited template could ask for a field width of 100,000,000."""
    cases = {
        "{請求者:>100000000}": "書式指定（「:」「!」以降）は使えません",
        "{請求者!r}": "書式指定（「:」「!」以降）は使えません",
        "{請求者.__class__}": "知らない差込み項目があります：{請求者.__class__}",
        "{受付日}付け {": "「{」と「}」の対応が取れていません",
        "あ" * 10_001: "10000 文字以下",  # the form's bound; the service says 「ひな形の文章は10,000字までです」 to an import
    }
    for body, message in cases.items():
        page = client.post(TEMPLATE_URL, {"title": "{手続}開示決定通知書", "body": body, "teaching": ""}).content.decode()
        assert message in page, body[:30]
        assert escape(body) in page  # what was typed comes back
    assert not NoticeTemplate.objects.exists()


def test_lesser_notice_fill_never_runs_a_stored_format_specification(req):  # noqa: F811
    """A template stored before the check (or by another path) is filled name by name: specs stay text."""
    data = {"請求者": "請求 花子", "受付日": "令和６年１２月３日"}
    assert notices.fill("{受付日}付け {請求者:>100000000} {{括弧}} {請求者}様", data) == "令和６年１２月３日付け {請求者} {括弧} 請求 花子様"
    assert notices.fill("{", data) == "{"
    assert notices.template_problems("あ" * 10_001) == ["ひな形の文章は10,000字までです（10,001字あります）。短くしてください。"]


def test_a_public_records_request_speaks_of_kokai_not_kaiji(client, city):
    """Words by procedure (issue 12): under the 情報公開条例 a 公文書 is 公開/非公開, not 開示/不開示."""
    client.force_login(city.users.office)
    client.post("/requests/new/", {
        "procedure": "public-request", "organ": city.organ.pk, "departments": [city.units.kyufu.pk], "received_on": "2024-12-03",
        "channel": "counter", "requester_kind": "natural", "requester_name": "請求 次郎",
        "subject": "給付事業の委託契約書", "documents": "委託契約書\n仕様書"})
    r = Request.objects.get()
    first, second = r.documents.all()
    for doc, decision in ((first, "disclose"), (second, "partial")):
        client.post(f"/requests/{r.number}/documents/{doc.pk}/decide/", {
            f"d{doc.pk}-decision": decision, f"d{doc.pk}-decided_on": "2024-12-20", f"d{doc.pk}-reasons": "第7条第2号" if decision == "partial" else "",
            f"d{doc.pk}-base_version": token_for(doc)})
    client.post(f"/requests/{r.number}/notices/", {"notice-kind": "partial", "notice-issued_on": "2024-12-20"})
    notice = r.notices.get()
    assert notice.title == "公文書部分公開決定通知書"
    assert "公文書の公開について、次のとおり一部を公開することに決定" in notice.body and "・仕様書（部分公開）" in notice.body
    assert "開示" not in notice.title + notice.body
