"""A request's documents as files (issue 16): attached and converted in a background job, boxes with their grounds
(permission, audit without the covered text, stale edits, bad input), suggestions, four eyes, 「黒塗りを確定」 with its
check, the decision and the notice from the boxes, and the 交付 set."""
import datetime
import io
import json
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mamori.conftest import make_user
from mamori.core import backup
from mamori.core.concurrency import StaleEdit, token_for
from mamori.core.models import AuditEvent, Job, MunicipalSettings, Role
from mamori.disclosure import conversion, file_services, notices, selectors, services
from mamori.disclosure.models import BoxStatus, DocumentFile, FileStatus, RedactionBox
from mamori.disclosure.reports import delivery
from mamori.disclosure.tests.documents import LETTER, PAGE_H, PAGE_W, docx_file, run_jobs, text_pdf
from mamori.disclosure.tests.test_requests import req  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office2(city):
    return make_user("office2", Role.PRIVACY_OFFICE, city.units.joho)


def attach(doc, user, data=None, name="面談記録.pdf") -> DocumentFile:
    f = file_services.file_attach(document=doc, actor=user, name=name, data=data or text_pdf(LETTER))
    run_jobs()
    f.refresh_from_db()
    return f


def pdf_text(data: bytes, page: int = 1) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return pdf.pages[page - 1].extract_text() or ""


def line_box(i: int) -> dict:
    """The rectangle of line ``i`` of documents.text_pdf (12 pt text), a little larger than its characters."""
    baseline = 72 + 30 * i
    return {"x0": 60.0, "top": baseline - 14.0, "x1": 400.0, "bottom": baseline + 5.0}


def test_a_pdf_is_kept_with_its_checksum_and_its_pages_measured(req, city, django_capture_on_commit_callbacks):  # noqa: F811
    doc = req.documents.get(title="面談記録")
    data = text_pdf(LETTER)
    with django_capture_on_commit_callbacks(execute=True):
        f = attach(doc, city.users.office, data)
    assert f.status == FileStatus.READY and f.page_count == 2
    assert f.original_sha256 == file_services.sha256(data) and len(f.pdf_sha256) == 64
    assert [round(v) for v in f.page_sizes[0]] == [595, 842]
    job = Job.objects.get(kind=file_services.CONVERT_JOB)
    assert job.status == "done" and f"/files/{f.pk}/" in job.result_url
    assert AuditEvent.objects.filter(model="disclosure.DocumentFile", object_id=str(f.pk), action="create").exists()


def test_a_docx_is_converted_by_libreoffice(req, city):  # noqa: F811
    doc = req.documents.get(title="面談記録")
    f = attach(doc, city.users.office, docx_file(["面談記録（令和6年12月3日）", "相談者 佐藤花子 様"]), name="面談記録.docx")
    assert (f.kind, f.status, f.page_count) == ("docx", FileStatus.READY, 1), f.error
    with f.pdf.open("rb") as fh:
        assert "相談者 佐藤花子 様" in pdf_text(fh.read())


def test_what_is_no_document_is_refused_with_a_message(req, city):  # noqa: F811
    doc = req.documents.first()
    with pytest.raises(ValidationError) as exc:
        file_services.file_attach(document=doc, actor=city.users.office, name="a.pdf", data=b"MZ\x90\x00 not a document")
    assert "PDF・Word（DOCX）・Excel（XLSX）・画像" in exc.value.messages[0]
    assert conversion.kind_of(b"%PDF-1.7 ...", "x") == "pdf" and conversion.kind_of(docx_file(["x"]), "x.pdf") == "docx"
    broken = attach(doc, city.users.office, b"%PDF-1.7\n garbage", name="broken.pdf")
    assert broken.status == FileStatus.FAILED and "PDFとして開けません" in broken.error
    assert Job.objects.get(kind=file_services.CONVERT_JOB, status="failed").error.startswith("「broken.pdf」をPDFにできませんでした")
    with pytest.raises(PermissionDenied):
        file_services.file_attach(document=doc, actor=city.users.staff, name="a.pdf", data=text_pdf(LETTER))


def test_boxes_are_checked_audited_without_their_text_and_refused_when_stale(req, city):  # noqa: F811
    f = attach(req.documents.get(title="面談記録"), city.users.office)
    office = city.users.office
    with pytest.raises(ValidationError) as exc:
        file_services.box_place(file=f, actor=office, page=3, reason_code="法第78条第1項第2号", **line_box(1))
    assert "ページは1から2まで" in exc.value.message_dict["page"][0]
    with pytest.raises(ValidationError) as exc:
        file_services.box_place(file=f, actor=office, page=1, reason_code="", **line_box(1))
    assert "理由（条項）が必要" in exc.value.message_dict["reason_code"][0]
    with pytest.raises(ValidationError) as exc:
        file_services.box_place(file=f, actor=office, page=1, reason_code="条例第7条第2号", **line_box(1))  # a 公文書's article
    assert "一覧にありません" in exc.value.message_dict["reason_code"][0]
    with pytest.raises(ValidationError) as exc:
        file_services.box_place(file=f, actor=office, page=1, reason_code="法第78条第1項第2号", x0=10, top=800, x1=700, bottom=830)
    assert "はみ出しています" in exc.value.message_dict["x1"][0]
    with pytest.raises(PermissionDenied):
        file_services.box_place(file=f, actor=city.users.staff, page=1, reason_code="法第78条第1項第2号", **line_box(1))
    box = file_services.box_place(file=f, actor=office, page=1, reason_code="法第78条第1項第2号", text="山田太郎", source="text", **line_box(1))
    event = AuditEvent.objects.get(model="disclosure.RedactionBox", object_id=str(box.pk))
    assert (event.action, event.actor, event.root_id) == ("mask", office, str(req.pk))
    assert "山田" not in str(event.after) and event.after["reason_code"] == "法第78条第1項第2号"
    old = token_for(box)
    file_services.box_change(box=box, actor=office, reason_code="法第78条第1項第7号", base_version=old)
    with pytest.raises(StaleEdit):
        file_services.box_change(box=box, actor=office, reason_code="法第78条第1項第1号", base_version=old)
    box.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        file_services.box_remove(box=box, actor=office, why="", base_version=token_for(box))
    assert "取り消す理由" in exc.value.message_dict["why"][0]
    file_services.box_remove(box=box, actor=office, why="第三者の同意があった", base_version=token_for(box))
    removed = AuditEvent.objects.filter(model="disclosure.RedactionBox", object_id=str(box.pk)).order_by("id").last()
    assert removed.action == "unmask" and "第三者の同意があった" in removed.summary and not RedactionBox.objects.exists()


def test_suggestions_four_eyes_release_decision_notice_and_delivery(req, city, office2, client):  # noqa: F811
    office = city.users.office
    doc = req.documents.get(title="面談記録")
    f = attach(doc, office)
    file_services.term_add(request=req, actor=office, term="児童手当", reason_code="法第78条第1項第7号")
    assert file_services.suggestions_find(file=f, actor=office) >= 2
    found = {b.kind: b for b in f.boxes.all()}
    assert found["name"].text.startswith("山田太郎") and found["name"].status == BoxStatus.PROPOSED
    assert found["term"].reason_code == "法第78条第1項第7号"
    assert file_services.suggestions_find(file=f, actor=office) == 0  # the same hits are not offered twice
    problems = file_services.release_problems(f)
    assert any("判断していない候補" in p for p in problems)
    file_services.box_change(box=found["name"], actor=office, status=BoxStatus.ACCEPTED, base_version=token_for(found["name"]))
    for b in f.boxes.filter(status=BoxStatus.PROPOSED):
        file_services.box_change(box=b, actor=office, status=BoxStatus.REJECTED, base_version=token_for(b))
    file_services.box_place(file=f, actor=office, page=1, reason_code="法第78条第1項第7号", **line_box(3))
    f.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        file_services.file_release(file=f, actor=office, base_version=token_for(f))
    assert "別の職員が確認していません" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        file_services.file_review(file=f, actor=office, base_version=token_for(f))
    assert "指定・判断した職員は確認できません" in exc.value.messages[0]
    file_services.file_review(file=f, actor=office2, base_version=token_for(f))
    f.refresh_from_db()
    assert f.reviewed_by == office2
    file_services.file_release(file=f, actor=office, base_version=token_for(f))
    f.refresh_from_db()
    with f.redacted.open("rb") as fh:
        redacted = fh.read()
    assert f.redacted_sha256 == file_services.sha256(redacted)
    page1 = pdf_text(redacted)
    assert "山田太郎" not in page1 and "児童手当の申請" not in page1 and "面談記録" in page1 and "048-463-1111" in page1
    assert AuditEvent.objects.filter(action="redact", object_id=str(f.pk)).exists()

    # the decision follows from the boxes; another one needs its reason
    assert selectors.derived_decision(doc) == "partial"
    with pytest.raises(ValidationError) as exc:
        services.document_decide(document=doc, actor=office, decision="disclose", decided_on=req.received_on, base_version=token_for(doc))
    assert "黒塗りの箇所から求まる決定は「部分開示」" in exc.value.message_dict["override_reason"][0]
    services.document_decide(document=doc, actor=office, decision="partial", decided_on=req.received_on, base_version=token_for(doc))
    doc.refresh_from_db()
    assert doc.reasons == ["法第78条第1項第2号", "法第78条第1項第7号"]
    other = req.documents.get(title="児童手当認定台帳")
    services.document_decide(document=other, actor=office, decision="nondisclose", decided_on=req.received_on, reasons=["法第78条第1項第2号"],
                             base_version=token_for(other))

    # the notice's 「開示しない部分とその理由」, grouped by article
    notice = services.notice_issue(request=req, actor=office, kind="partial", issued_on=req.received_on)
    assert "・面談記録\n　（１）開示しない部分　1頁（氏名 1か所）\n　　　開示しない理由　法第78条第1項第2号（開示請求者以外の個人に関する情報）に該当するため。" in notice.body
    assert "　（２）開示しない部分　1頁（1か所）\n　　　開示しない理由　法第78条第1項第7号（事務又は事業の適正な遂行に支障を及ぼすおそれがある情報）に該当するため。" in notice.body
    pdf = client.get(f"/requests/{req.number}/notices/{notice.pk}.pdf").content
    assert "開示しない部分" in pdf_text(pdf).replace("\n", "")

    # the 交付 set: the redacted file, the notice, the index; the fee from the city's settings
    d = file_services.delivery_create(request=req, actor=office, build=delivery.build)
    assert (d.pages, d.sheets, d.fee) == (2, 2, 20)
    with d.zip_file.open("rb") as fh:
        zf = zipfile.ZipFile(io.BytesIO(fh.read()))
    names = zf.namelist()
    assert "00_交付文書の一覧.pdf" in names and "00_交付文書の一覧.csv" in names
    assert f"通知書/{notice.number}_保有個人情報部分開示決定通知書.pdf" in names
    assert "文書/01_面談記録（黒塗り済み）.pdf" in names and zf.read("文書/01_面談記録（黒塗り済み）.pdf") == redacted
    index = pdf_text(zf.read("00_交付文書の一覧.pdf"))
    assert "交付文書の一覧" in index and "面談記録.pdf" in index and "写しの交付の費用：20円" in index
    assert "白黒 2面 × 10円" in zf.read("00_交付文書の一覧.csv").decode("utf-8-sig")
    with d.print_file.open("rb") as fh:
        with pdfplumber.open(io.BytesIO(fh.read())) as printed:
            assert len(printed.pages) >= 1 + 1 + 2  # index, notice (1 page or more), the file's 2 pages
            assert "山田太郎" not in "".join(p.extract_text() or "" for p in printed.pages)
    response = client.get(f"/requests/{req.number}/delivery/{d.pk}.zip")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="download", object_id=str(d.pk)).count() == 1


def test_a_changed_box_undoes_the_review_and_the_release(req, city, office2):  # noqa: F811
    office = city.users.office
    f = attach(req.documents.get(title="面談記録"), office)
    file_services.box_place(file=f, actor=office, page=1, reason_code="法第78条第1項第2号", **line_box(1))
    file_services.file_review(file=f, actor=office2, base_version=token_for(DocumentFile.objects.get(pk=f.pk)))
    file_services.file_release(file=f, actor=office, base_version=token_for(DocumentFile.objects.get(pk=f.pk)))
    f.refresh_from_db()
    assert f.redacted and f.reviewed_by
    file_services.box_place(file=f, actor=office, page=2, reason_code="法第78条第1項第2号", **line_box(1))
    f.refresh_from_db()
    assert not f.redacted and f.reviewed_by is None


def test_the_delivery_waits_for_decisions_releases_and_the_notice(req, city):  # noqa: F811
    office = city.users.office
    doc = req.documents.get(title="面談記録")
    attach(doc, office)
    with pytest.raises(delivery.NotReady) as exc:
        delivery.context(req)
    assert "決定していない文書があります" in exc.value.problems[0]
    for d in req.documents.all():
        services.document_decide(document=d, actor=office, decision="disclose", decided_on=req.received_on, base_version=token_for(d))
    with pytest.raises(delivery.NotReady) as exc:
        delivery.context(req)
    assert any("黒塗りを確定していません" in p for p in exc.value.problems) and any("決定通知書がありません" in p for p in exc.value.problems)


def test_the_online_link_expires_and_each_download_is_audited(req, city, client, settings):  # noqa: F811
    office = city.users.office
    s = MunicipalSettings.current()
    s.online_delivery_days = 7
    s.save()
    doc = req.documents.get(title="面談記録")
    f = attach(doc, office)
    file_services.file_release(file=f, actor=office, base_version=token_for(DocumentFile.objects.get(pk=f.pk)))  # no box: no review needed
    for d in req.documents.all():
        services.document_decide(document=d, actor=office, decision="disclose", decided_on=req.received_on, base_version=token_for(d))
    services.notice_issue(request=req, actor=office, kind="disclose", issued_on=req.received_on)
    d = file_services.delivery_create(request=req, actor=office, build=delivery.build)
    assert d.link_token and d.link_expires_at
    client.logout()
    landing = client.get(f"/requests/delivery/{d.link_token}/")
    assert landing.status_code == 200 and "交付文書のダウンロード" in landing.content.decode()
    got = client.get(f"/requests/delivery/{d.link_token}/pdf/?get=1")
    assert got.status_code == 200 and got.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="download", object_id=str(d.pk))
    assert event.actor is None and event.actor_name == "請求者（オンライン交付）" and event.after["online"] is True
    assert client.get("/requests/delivery/not-a-token/").status_code == 404
    type(d).objects.filter(pk=d.pk).update(link_expires_at=d.created_at)
    assert client.get(f"/requests/delivery/{d.link_token}/zip/?get=1").status_code == 410


def test_the_redaction_page_shows_pages_boxes_and_refuses_bad_input_with_what_was_typed(req, city, client):  # noqa: F811
    f = attach(req.documents.get(title="面談記録"), city.users.office)
    file_services.box_place(file=f, actor=city.users.office, page=1, reason_code="法第78条第1項第2号", **line_box(1))
    page = client.get(f"/requests/{req.number}/files/{f.pk}/").content.decode()
    assert f'/files/{f.pk}/pages/2.png' in page and "法第78条第1項第2号" in page and "redact-box accepted" in page
    png = client.get(f"/requests/{req.number}/files/{f.pk}/pages/1.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    words = client.get(f"/requests/{req.number}/files/{f.pk}/pages/1/words.json").json()["words"]
    assert any(w["text"] == "面談記録" and w["top"] < 72 for w in words)
    sent = client.post(f"/requests/{req.number}/files/{f.pk}/boxes/", {"box-page": "1", "box-x0": "300", "box-top": "100", "box-x1": "200",
                                                                      "box-bottom": "120", "box-reason_code": "法第78条第1項第2号", "box-source": "manual"})
    text = sent.content.decode()
    assert sent.status_code == 400 and "左右・上下が逆です" in text and 'value="300' in text
    client.force_login(city.users.auditor)  # sees requests, not their documents
    assert client.get(f"/requests/{req.number}/files/{f.pk}/").status_code == 404
    assert client.get(f"/requests/{req.number}/files/{f.pk}/pages/1.png").status_code == 404
    client.force_login(make_user("joho-staff", Role.DEPT_STAFF, city.units.joho))  # a department the request does not concern
    assert client.get(f"/requests/{req.number}/files/{f.pk}/").status_code == 404


def test_the_notice_without_boxes_keeps_the_typed_reasons(req, city):  # noqa: F811
    doc = req.documents.get(title="面談記録")
    doc.reasons, doc.reason_text = ["法第78条第1項第2号"], "相手方の氏名"
    assert notices.reason_lines(doc, {"開示": "開示"}) == ["・面談記録：法第78条第1項第2号 相手方の氏名"]
    assert PAGE_H > 800


def test_a_large_file_is_released_by_the_worker(req, city, office2, monkeypatch):  # noqa: F811
    monkeypatch.setattr(file_services, "RELEASE_IN_PAGE_AT_MOST", 1)
    office = city.users.office
    f = attach(req.documents.get(title="面談記録"), office)
    file_services.box_place(file=f, actor=office, page=1, reason_code="法第78条第1項第2号", **line_box(1))
    file_services.file_review(file=f, actor=office2, base_version=token_for(DocumentFile.objects.get(pk=f.pk)))
    job = file_services.file_release(file=f, actor=office, base_version=token_for(DocumentFile.objects.get(pk=f.pk)))
    assert isinstance(job, Job) and job.kind == file_services.RELEASE_JOB
    run_jobs()
    job.refresh_from_db()
    f.refresh_from_db()
    assert job.status == "done" and "検査に合格" in job.result_label and f.redacted and f.redacted_by == office


def test_an_upload_over_the_limit_is_refused_on_the_request_page(req, city, client, settings):  # noqa: F811
    settings.MAMORI_INPUT_LIMITS = {**settings.MAMORI_INPUT_LIMITS, "document_bytes": 1000}
    doc = req.documents.get(title="面談記録")
    big = SimpleUploadedFile("大きい.pdf", text_pdf(LETTER), content_type="application/pdf")
    page = client.post(f"/requests/{req.number}/documents/{doc.pk}/files/", {f"f{doc.pk}-file": big}, follow=True).content.decode()
    assert "上限の1,000バイトを超えています" in page and not DocumentFile.objects.exists()
    ok = SimpleUploadedFile("面談記録.pdf", text_pdf(LETTER)[:900], content_type="application/pdf")
    response = client.post(f"/requests/{req.number}/documents/{doc.pk}/files/", {f"f{doc.pk}-file": ok})
    assert response.status_code == 302 and "/jobs/" in response["Location"]


def test_a_conversion_that_takes_too_long_is_stopped_with_a_message(settings):
    settings.MAMORI_CONVERT_TIMEOUT = 0.01
    with pytest.raises(conversion.ConversionError) as exc:
        conversion.to_pdf(docx_file(["時間切れ"]), "docx")
    assert "秒で終わりませんでした" in str(exc.value)


def test_the_files_are_in_the_backup_with_their_checksums(transactional_db, req, city, tmp_path):  # noqa: F811
    f = attach(req.documents.get(title="面談記録"), city.users.office)
    file_services.file_release(file=f, actor=city.users.office, base_version=token_for(DocumentFile.objects.get(pk=f.pk)))
    f.refresh_from_db()
    archive = tmp_path / "mamori.zip"
    backup.backup(archive)
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        rows = [json.loads(line) for line in zf.read("tables/disclosure.documentfile.jsonl").decode().splitlines()]
        for field, digest in (("original", f.original_sha256), ("pdf", f.pdf_sha256), ("redacted", f.redacted_sha256)):
            member = f"files/{getattr(f, field).name}"
            assert file_services.sha256(zf.read(member)) == digest
            assert manifest["sha256"][member]
    assert rows[0]["fields"]["redacted_sha256"] == f.redacted_sha256


def test_a_file_attached_by_mistake_is_removed_with_its_reason(req, city, client, django_capture_on_commit_callbacks):  # noqa: F811
    f = attach(req.documents.get(title="面談記録"), city.users.office)
    file_services.box_place(file=f, actor=city.users.office, page=1, reason_code="法第78条第1項第2号", **line_box(1))
    stored = [f.original.path, f.pdf.path]
    url = f"/requests/{req.number}/files/{f.pk}/remove/"
    page = client.post(url, {"rmfile-why": "", "rmfile-base_version": token_for(DocumentFile.objects.get(pk=f.pk))}).content.decode()
    assert "削除する理由" in page and DocumentFile.objects.filter(pk=f.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"rmfile-why": "別の請求の文書だった", "rmfile-base_version": token_for(DocumentFile.objects.get(pk=f.pk))})
    assert response.status_code == 302 and not DocumentFile.objects.exists() and not RedactionBox.objects.exists()
    event = AuditEvent.objects.get(model="disclosure.DocumentFile", object_id=str(f.pk), action="delete")
    assert "別の請求の文書だった" in event.summary and event.before["original_sha256"] == f.original_sha256
    assert not any(Path(p).exists() for p in stored)


def test_a_public_request_speaks_of_the_ordinance_and_a_whole_page_is_nondisclosure(city):
    office = city.users.office
    r = services.request_create(actor=office, procedure="public-request", organ=city.organ, departments=[city.units.kyufu],
                                received_on=datetime.date(2024, 12, 3), requester_name="請求 太郎", subject="会議録",
                                documents=[(city.units.kyufu, "会議録")])
    doc = r.documents.get()
    f = attach(doc, office, text_pdf([["会議録", "出席者 山田太郎 様"]]))
    with pytest.raises(ValidationError):
        file_services.box_place(file=f, actor=office, page=1, reason_code="法第78条第1項第2号", **line_box(1))
    file_services.box_place(file=f, actor=office, page=1, reason_code="条例第7条第2号", **line_box(1))
    assert selectors.derived_decision(doc) == "partial"
    services.document_decide(document=doc, actor=office, decision="partial", decided_on=datetime.date(2024, 12, 10), base_version=token_for(doc))
    notice = services.notice_issue(request=r, actor=office, kind="partial", issued_on=datetime.date(2024, 12, 10))
    assert notice.title == "公文書部分公開決定通知書"
    assert "　（１）公開しない部分　1頁（1か所）\n　　　公開しない理由　条例第7条第2号（個人に関する情報で、特定の個人を識別することができるもの）に該当するため。" in notice.body
    file_services.box_place(file=f, actor=office, page=1, reason_code="条例第7条第6号", x0=0, top=0, x1=PAGE_W, bottom=PAGE_H)
    assert selectors.derived_decision(doc) == "nondisclose"


def test_a_box_changed_while_the_pdf_is_made_stops_the_release(req, city, monkeypatch):  # noqa: F811
    office = city.users.office
    f = attach(req.documents.get(title="面談記録"), office)
    real = file_services.redact

    def redact_while_someone_adds_a_box(pdf, boxes):
        out = real(pdf, boxes)
        RedactionBox.objects.create(file=f, page=2, x0=60, top=58, x1=400, bottom=77, reason_code="法第78条第1項第2号", created_by=office)
        return out

    monkeypatch.setattr(file_services, "redact", redact_while_someone_adds_a_box)
    with pytest.raises(ValidationError) as exc:
        file_services.file_release(file=f, actor=office, base_version=token_for(DocumentFile.objects.get(pk=f.pk)))
    assert "確定の途中で変更されました" in exc.value.messages[0]
    f.refresh_from_db()
    assert not f.redacted
