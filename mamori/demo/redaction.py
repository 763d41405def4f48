"""A finished redaction in the demo city (issue 16): a 公文書公開請求 whose one document, a 事故報告書 naming a
fictional third party, is attached, its suggested boxes accepted and one box drawn by hand, checked by a second
person of the office, redacted and released, decided 部分公開 from its boxes, noticed, and its 交付 set made.

Everything through the services (file_services: the engine's check runs before the file is kept); the PDF is made
here with WeasyPrint from a small template, one page, so `load-demo` stays fast."""
import datetime

from django.utils import timezone

from mamori.core import jobs, rendering
from mamori.core import services as core
from mamori.core.calendar import wareki
from mamori.core.models import Organ, OrgUnit, Role, User
from mamori.core.redaction import page_words
from mamori.disclosure import file_services, services
from mamori.disclosure.models import BoxStatus, Decision
from mamori.disclosure.reports import delivery

TITLE = "公用車の事故報告書（令和7年度）"
FILE_NAME = "公用車の事故報告書.pdf"
PARTY = "山田 一郎"  # fictional: the request's term, so every mention is suggested
NEGOTIATION = "示談は相手方の修理費の見積りを待って、保険会社と協議のうえ進める方針とする。"
REVIEWER = ("hogo2", "保護 二葉")  # the second person of the office (four eyes)


def _report_pdf(received: datetime.date) -> bytes:
    when = received - datetime.timedelta(days=12)
    return rendering.pdf_from_template("demo/accident_report.html", {"r": {
        "number": "朝総第1234号", "date": wareki(when + datetime.timedelta(days=1), full=True),
        "when": f"{wareki(when, full=True)} 午前10時15分頃", "party": PARTY,
        "address": "埼玉県朝霞市本町2丁目3番4号", "phone": "048-400-1234", "negotiation": NEGOTIATION}})


def _negotiation_box(pdf: bytes) -> dict:
    """The line of the 示談 policy: withheld as 事務の適正な遂行 (条例第7条第6号), drawn by hand."""
    w = next(w for w in page_words(pdf, 1) if w.text.startswith("示談は"))
    return {"x0": w.x0 - 1, "top": w.top - 1, "x1": w.x1 + 1, "bottom": w.bottom + 1}


def load(office: User, password: str) -> None:
    reviewer = User.objects.filter(username=REVIEWER[0]).first() or core.user_create(
        actor=None, password=password, username=REVIEWER[0], display_name=REVIEWER[1], role=Role.PRIVACY_OFFICE, unit=office.unit,
        is_active=True)
    received = timezone.localdate() - datetime.timedelta(days=14)
    r = services.request_create(actor=office, procedure="public-request", organ=Organ.objects.get(code="mayor"),
                                departments=[OrgUnit.objects.get(code="somu-ka")], received_on=received,
                                requester_name="（デモ）請求者", subject=TITLE, handler=office, requester_role="other",
                                requester_kind="natural", documents=[(OrgUnit.objects.get(code="somu-ka"), TITLE)])
    doc = r.documents.get()
    file_services.term_add(request=r, actor=office, term=PARTY, reason_code="条例第7条第2号")
    pdf = _report_pdf(received)
    f = file_services.file_attach(document=doc, actor=office, name=FILE_NAME, data=pdf)
    jobs.execute(str(f.conversion_job.pk))  # the worker's part, here: the demo is loaded in one go
    file_services.suggestions_find(file=f, actor=office)
    for box in f.boxes.filter(status=BoxStatus.PROPOSED):
        file_services.box_change(box=box, actor=office, status=BoxStatus.ACCEPTED)
    file_services.box_place(file=f, actor=office, page=1, reason_code="条例第7条第6号", **_negotiation_box(pdf))
    file_services.file_review(file=f, actor=reviewer)
    file_services.file_release(file=f, actor=office)
    decided = received + datetime.timedelta(days=10)
    services.document_decide(document=doc, actor=office, decision=Decision.PARTIAL, decided_on=decided,
                             reason_text="第三者の個人に関する情報及び示談交渉の方針が記録されているため。")
    services.notice_issue(request=r, actor=office, kind="partial", issued_on=decided)
    file_services.delivery_create(request=r, actor=office, build=delivery.build)
