"""The demo city's finished redaction (issue 16): a 部分公開 request whose document is attached, redacted with the
engine's check passed, reviewed by a second person, decided from its boxes, noticed, and its 交付 set made."""
import io
import zipfile

import pdfplumber
import pytest

from mamori.core.models import AuditEvent
from mamori.core.redaction import verify
from mamori.disclosure import file_services
from mamori.disclosure.models import BoxSource, BoxStatus, DocumentFile


@pytest.fixture
def demo_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def read(field) -> bytes:
    with field.open("rb") as fh:
        return fh.read()


def test_the_demo_request_has_its_redacted_file_released_and_delivered(demo_media, demo):
    f = DocumentFile.objects.select_related("document__request").get(name="公用車の事故報告書.pdf")
    doc, r = f.document, f.document.request
    assert r.procedure == "public-request" and doc.decision == "partial"
    assert doc.reasons == ["条例第7条第2号", "条例第7条第6号"]  # from the boxes
    boxes = list(f.boxes.all())
    assert all(b.status == BoxStatus.ACCEPTED for b in boxes)
    assert {b.source for b in boxes} == {BoxSource.SUGGESTED, BoxSource.MANUAL}
    assert {b.kind for b in boxes if b.source == BoxSource.SUGGESTED} >= {"term", "address", "phone"}
    assert f.reviewed_by and f.reviewed_by_id not in {b.decided_by_id for b in boxes}  # four eyes

    source, redacted = read(f.pdf), read(f.redacted)
    assert f.redacted_sha256 == file_services.sha256(redacted)
    assert verify(redacted, source, file_services.engine_boxes(f)) == []
    with pdfplumber.open(io.BytesIO(redacted)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "山田" not in text and "048-400-1234" not in text and "本町2丁目" not in text and "示談は" not in text
    assert "公用車の事故報告書" in text and "条例第7条第2号" in text and "条例第7条第6号" in text
    assert AuditEvent.objects.filter(action="redact", object_id=str(f.pk)).exists()

    notice = r.notices.get(kind="partial")
    assert "条例第7条第6号" in notice.body
    d = r.deliveries.get()
    zf = zipfile.ZipFile(io.BytesIO(read(d.zip_file)))
    assert zf.read("文書/01_公用車の事故報告書（黒塗り済み）.pdf") == redacted
