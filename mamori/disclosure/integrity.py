"""Requests' checks over data written in bulk (core.integrity: `mamori import`, `mamori restore`)."""
from django.db.models import Count, F

from mamori.core.integrity import Violation
from mamori.disclosure.models import Request, RequestDocument
from mamori.disclosure.rules import day_label


def requests():
    """What request_create and document_decide refuse: no requester, no 担当課, a decision before the request."""
    for r in Request.objects.annotate(n_departments=Count("departments")).order_by("number").iterator(chunk_size=2000):
        where = f"請求 {r.number}"
        if not (r.requester_name or "").strip():
            yield Violation("requests.json", "disclosure.request", where, "requester_name", "請求者の氏名・名称がありません。請求者を指定してください。")
        if r.n_departments == 0:
            yield Violation("requests.json", "disclosure.request", where, "departments", "担当課を1つ以上指定してください。")
    early = RequestDocument.objects.filter(decided_on__lt=F("request__received_on")).select_related("request")
    for d in early.order_by("pk"):
        yield Violation("requests.json", "disclosure.requestdocument", f"請求 {d.request.number}", "documents.decided_on",
                        f"決定日（{day_label(d.decided_on)}）が受付日（{day_label(d.request.received_on)}）より前です。")
