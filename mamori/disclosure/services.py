"""Every write for requests: intake, documents and decisions, the clock, appeals. The office
(個人情報保護担当) writes; each write is validated (the law's limits through rules.py) and audited."""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mamori.core import audit, concurrency
from mamori.core.calendar import fiscal_year, wareki
from mamori.core.models import AuditAction
from mamori.core.permissions import can_decide_requests, require
from mamori.disclosure import clock, notices, rules, selectors
from mamori.disclosure.models import (
    DOCUMENTS_AT_ONCE,
    PUBLIC_PROCEDURES,
    REASON_TEXT_LIMIT,
    Appeal,
    ClockEvent,
    ClockKind,
    Decision,
    Notice,
    NoticeKind,
    NoticeTemplate,
    Request,
    RequestDocument,
    RequesterRole,
    RequestStatus,
)

NEEDS_REASON = {Decision.PARTIAL, Decision.NONDISCLOSE, Decision.NONEXISTENT, Decision.NEITHER, Decision.REJECTED, Decision.TRANSFERRED}
DOCUMENT_TITLE_LIMIT = RequestDocument._meta.get_field("title").max_length
REQUEST_FIELDS = ("procedure", "organ", "received_on", "channel", "requester_role", "requester_kind", "requester_name",
                  "requester_address", "requester_contact", "subject", "handler")


def _snapshot(r: Request) -> dict:
    # The requester's name, address and contact are personal data: the audit keeps that they changed, not their values.
    snap = audit.snapshot(r)
    for key in ("requester_name", "requester_address", "requester_contact"):
        snap[key] = "（記録あり）" if snap.get(key) else ""
    snap["departments"] = [u.code for u in r.departments.all()] if r.pk else []
    return snap


def next_number(procedure: str, day: datetime.date) -> str:
    prefix = f"{'公' if procedure in PUBLIC_PROCEDURES else '個'}{fiscal_year(day)}-"
    last = Request.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    return f"{prefix}{(int(last.split('-')[1]) + 1) if last else 1:04d}"


def rule_error(exc: rules.RuleError) -> ValidationError:
    """The law's refusal as a form error, beside the input it is about when it names one."""
    return ValidationError({exc.field: str(exc)}) if exc.field else ValidationError(str(exc))


def _day(day) -> str:
    return rules.day_label(day) if day else ""


def refresh_due(r: Request) -> rules.DueDate:
    try:
        due = clock.due_for(r)
    except rules.RuleError as exc:
        raise ValidationError(str(exc)) from exc
    decided = r.documents.exists() and not r.documents.filter(decision="").exists()
    Request.objects.filter(pk=r.pk).update(due_on=due.due, status=RequestStatus.DECIDED if decided else RequestStatus.OPEN)
    r.due_on, r.status = due.due, (RequestStatus.DECIDED if decided else RequestStatus.OPEN)
    return due


@transaction.atomic
def request_withdraw(*, request: Request, actor, withdrawn_on: datetime.date, note: str = "", base_version: str | None = None) -> list[RequestDocument]:
    """取下げ: the requester withdrew the whole request. Every document not yet decided is decided 取下げ on that day
    (DOMAIN.md §3: 取下げ is a decision of its own, counted on 資料3); documents already decided keep their decision."""
    require(can_decide_requests(actor), "取下げを記録できるのは個人情報保護担当です。")
    r = Request.objects.select_for_update().get(pk=request.pk)
    concurrency.check(r, base_version, subject=f"請求{r.number}")
    open_docs = list(r.documents.filter(decision="").order_by("id"))
    errors = {}
    if not open_docs:
        errors["withdrawn_on"] = ("未決定の文書がありません。取下げは未決定の文書に記録します。" if r.documents.exists()
                                  else "文書がありません。先に「文書を追加」で請求の対象の文書を記録してください。")
    elif withdrawn_on < r.received_on:
        errors["withdrawn_on"] = f"取下げの日（{_day(withdrawn_on)}）が受付日（{_day(r.received_on)}）より前です。日付を確かめてください。"
    elif withdrawn_on > timezone.localdate():
        errors["withdrawn_on"] = f"取下げの日（{_day(withdrawn_on)}）が未来の日付です。取下書を受け付けた日を入力してください。"
    if len(note) > REASON_TEXT_LIMIT:
        errors["note"] = f"{REASON_TEXT_LIMIT:,}字以内で入力してください（いま{len(note):,}字あります）。"
    if errors:
        raise ValidationError(errors)
    for doc in open_docs:
        before = audit.snapshot(doc)
        doc.decision, doc.decided_on, doc.reason_text = Decision.WITHDRAWN, withdrawn_on, note.strip()
        doc.full_clean()
        doc.save()
        audit.record(actor=actor, action=AuditAction.WITHDRAW, obj=doc, root=r, before=before, after=audit.snapshot(doc), summary=f"請求{r.number}の取下げ")
    refresh_due(r)
    return open_docs


CLOCK_VERBS = {ClockKind.EXTENSION: AuditAction.EXTEND, ClockKind.SPECIAL: AuditAction.SPECIAL, ClockKind.CORRECTION: AuditAction.CORRECT}


@transaction.atomic
def request_create(*, actor, departments, documents: list[tuple] = (), **fields) -> Request:
    require(can_decide_requests(actor), "請求を受け付けられるのは個人情報保護担当です。")
    errors = {}
    if fields.get("received_on") and fields["received_on"] > timezone.localdate():
        errors["received_on"] = "受付日が未来の日付です。受け付けた日を入力してください。"
    if not departments:
        errors["departments"] = "担当課を1つ以上選んでください。"
    procedure = fields.get("procedure", "")
    if rules.is_public(procedure) and not fields.get("requester_role"):
        fields["requester_role"] = RequesterRole.OTHER  # a 公文書 has no 本人 and no 代理人
    problem = rules.requester_role_problem(procedure, fields.get("requester_role", RequesterRole.SELF)) if procedure in rules.PROCEDURE_LABELS else None
    if problem:
        errors["requester_role"] = problem
    for i, (_, title) in enumerate(documents, start=1):
        if len(title) > DOCUMENT_TITLE_LIMIT:
            errors["documents"] = f"{i}件目の文書の件名が{len(title):,}字あります。件名は{DOCUMENT_TITLE_LIMIT}字以内にしてください。"
            break
    if len(documents) > DOCUMENTS_AT_ONCE:
        errors["documents"] = f"一度に受け付けられる文書は{DOCUMENTS_AT_ONCE}件までです（{len(documents):,}件あります）。残りは請求の画面で追加してください。"
    if errors:
        raise ValidationError(errors)
    r = Request(number=next_number(fields["procedure"], fields["received_on"]), **{k: v for k, v in fields.items() if k in REQUEST_FIELDS})
    r.full_clean(exclude=["number"])
    r.save()
    r.departments.set(departments)
    for department, title in documents:
        RequestDocument.objects.create(request=r, department=department, title=title)
    refresh_due(r)
    audit.record(actor=actor, action=AuditAction.RECEIVE, obj=r, after=_snapshot(r))
    return r


@transaction.atomic
def document_add(*, request: Request, actor, department, title: str) -> RequestDocument:
    require(can_decide_requests(actor))
    if not (title or "").strip():
        raise ValidationError({"title": "文書の件名を入力してください。"})
    doc = RequestDocument(request=request, department=department, title=title.strip())
    doc.full_clean()
    doc.save()
    request.departments.add(department)
    refresh_due(request)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=doc, root=request, after=audit.snapshot(doc), summary=f"請求{request.number}に文書を追加")
    return doc


@transaction.atomic
def document_decide(*, document: RequestDocument, actor, decision: str, decided_on: datetime.date, reasons: list[str] = (),
                    reason_text: str = "", after_ruling: bool = False, third_party_objection: bool = False,
                    override_reason: str = "", base_version: str | None = None) -> RequestDocument:
    """The decision on one document. When the document has files, its boxes say what the decision is (none = 公開,
    some = 部分公開, every page whole = 非公開: selectors.derived_decision); another decision needs ``override_reason``.
    The articles default to those of the boxes."""
    require(can_decide_requests(actor), "決定を記録できるのは個人情報保護担当です。")
    doc = RequestDocument.objects.select_for_update(of=("self",)).select_related("request").get(pk=document.pk)
    concurrency.check(doc, base_version, subject=f"文書「{doc.title}」の決定")
    r = doc.request
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = "決定の種類を選んでください。"
    if decided_on < r.received_on:
        errors["decided_on"] = f"決定日（{_day(decided_on)}）が受付日（{_day(r.received_on)}）より前です。決定日を確かめてください。"
    if decided_on > timezone.localdate():
        errors["decided_on"] = f"決定日（{_day(decided_on)}）が未来の日付です。決定した日を入力してください。"
    derived = selectors.derived_decision(doc)
    override_reason = (override_reason or "").strip()
    if derived and decision in (Decision.DISCLOSE, Decision.PARTIAL, Decision.NONDISCLOSE) and decision != derived and not override_reason:
        errors["override_reason"] = (f"黒塗りの箇所から求まる決定は「{rules.decision_word(r.procedure, derived)}」です。"
                                     f"「{rules.decision_word(r.procedure, decision)}」とするときは、その理由を書いてください。")
    if not reasons and decision in (Decision.PARTIAL, Decision.NONDISCLOSE):
        reasons = selectors.box_articles(doc)
    if decision in NEEDS_REASON and not (reasons or (reason_text or "").strip()):
        what = "移送先と理由" if decision == Decision.TRANSFERRED else "却下の理由" if decision == Decision.REJECTED else "条項と説明"
        errors["reason_text"] = f"「{rules.decision_word(r.procedure, decision)}」とする決定には、理由（{what}）が必要です。"
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(doc)
    doc.decision, doc.decided_on, doc.reasons, doc.reason_text = decision, decided_on, list(reasons), reason_text
    doc.after_ruling, doc.third_party_objection = after_ruling, third_party_objection
    doc.override_reason = override_reason if derived and decision != derived else ""
    doc.disclose_on = None
    if third_party_objection and decision in (Decision.DISCLOSE, Decision.PARTIAL):
        doc.disclose_on = rules.earliest_disclosure_after_objection(decided_on)
    doc.full_clean()
    doc.save()
    refresh_due(r)
    audit.record(actor=actor, action=AuditAction.DECIDE, obj=doc, root=r, before=before, after=audit.snapshot(doc), summary=f"請求{r.number}の決定")
    return doc


@transaction.atomic
def clock_add(*, request: Request, actor, kind: str, start_on: datetime.date, end_on=None, days=None, rest_due=None, reason: str = "") -> ClockEvent:
    """Record a 補正, an extension or a 特例 notice; the law's limits are checked by computing the deadline with it."""
    require(can_decide_requests(actor), "期限の記録ができるのは個人情報保護担当です。")
    r = Request.objects.select_for_update().get(pk=request.pk)
    if kind in (ClockKind.EXTENSION, ClockKind.SPECIAL) and not (reason or "").strip():
        raise ValidationError({"reason": "延長・特例には、通知書に書く理由が必要です。"})
    if kind == ClockKind.EXTENSION and not days:
        raise ValidationError({"days": "延長する日数を入力してください。"})
    if kind == ClockKind.SPECIAL and not rest_due:
        raise ValidationError({"rest_due": "特例では残りの部分の決定期限（相当の期間）を入力してください。"})
    if kind in (ClockKind.EXTENSION, ClockKind.SPECIAL) and r.clock_events.filter(kind__in=[ClockKind.EXTENSION, ClockKind.SPECIAL]).exists():
        raise ValidationError({"kind": "延長または特例はすでに記録されています。"})
    event = ClockEvent(request=r, kind=kind, start_on=start_on, end_on=end_on, days=days, rest_due=rest_due, reason=reason)
    try:  # the law's limits first: 「延長は30日以内です」 says more than a field's range
        clock.due_for(r, [*r.clock_events.all(), event])
    except rules.RuleError as exc:
        raise rule_error(exc) from exc
    event.full_clean()
    event.save()
    due = refresh_due(r)
    audit.record(actor=actor, action=CLOCK_VERBS[event.kind], obj=event, root=r, object_repr=f"{r.number} {event.get_kind_display()}",
                 after=audit.snapshot(event), summary=f"期限 {_day(due.due) or '停止中'}")
    return event


@transaction.atomic
def correction_returned(*, event: ClockEvent, actor, end_on: datetime.date, base_version: str | None = None) -> ClockEvent:
    require(can_decide_requests(actor))
    event = ClockEvent.objects.select_for_update().get(pk=event.pk)
    concurrency.check(event, base_version, subject="この補正の記録")
    before = audit.snapshot(event)
    event.end_on = end_on
    r = event.request
    others = [e for e in r.clock_events.all() if e.pk != event.pk]
    try:
        clock.due_for(r, [*others, event])
    except rules.RuleError as exc:
        raise rule_error(exc) from exc
    event.full_clean()
    event.save()
    refresh_due(r)
    audit.record(actor=actor, action=AuditAction.CORRECT, obj=event, root=r, before=before, after=audit.snapshot(event), summary="補正の完了")
    return event


APPEAL_DATES = ("filed_on", "consulted_on", "reported_on", "ruled_on", "redecided_on")


@transaction.atomic
def appeal_save(*, request: Request, actor, appeal: Appeal | None = None, base_version: str | None = None, **fields) -> Appeal:
    require(can_decide_requests(actor), "審査請求を記録できるのは個人情報保護担当です。")
    if appeal is not None:  # the stored row, locked, not the form's copy
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        concurrency.check(appeal, base_version, subject=f"請求{request.number}の審査請求")
    appeal = appeal or Appeal(request=request)
    before = audit.snapshot(appeal) if appeal.pk else None
    for key, value in fields.items():
        setattr(appeal, key, value)
    dates = [(k, getattr(appeal, k)) for k in APPEAL_DATES if getattr(appeal, k)]
    for (k1, d1), (k2, d2) in zip(dates, dates[1:]):
        if d2 < d1:
            label = {f.name: f.verbose_name for f in Appeal._meta.fields}
            raise ValidationError({k2: f"{label[k2]}（{_day(d2)}）が{label[k1]}（{_day(d1)}）より前です。日付を確かめてください。"})
    appeal.full_clean()
    appeal.save()
    verb = AuditAction.APPEAL if before is None else AuditAction.RULE if appeal.ruled_on and not before.get("ruled_on") else AuditAction.UPDATE
    audit.record(actor=actor, action=verb, obj=appeal, root=request, object_repr=f"{request.number} 審査請求", before=before, after=audit.snapshot(appeal))
    return appeal


@transaction.atomic
def notice_issue(*, request: Request, actor, kind: str, issued_on: datetime.date, recipient: str = "", opinion_due=None) -> "Notice":
    """Fill the notice from the request and keep it as issued."""
    require(can_decide_requests(actor), "通知書を作成できるのは個人情報保護担当です。")
    r = request
    documents = list(r.documents.order_by("id"))
    due = clock.due_for(r)
    ledger = clock.ledger(r.clock_events.all())
    if kind in notices.DECISION_KINDS:
        documents = [d for d in documents if d.decision in notices.DECISION_KINDS[kind]]
        if not documents:
            raise ValidationError({"kind": "この通知書に当たる決定をした文書がありません。先に文書ごとの決定を記録してください。"})
        late = max((d.decided_on for d in documents if d.decided_on and d.decided_on > issued_on), default=None)
        if late:
            raise ValidationError({"issued_on": f"通知書の日付（{_day(issued_on)}）が決定日（{_day(late)}）より前です。決定日以後の日付にしてください。"})
    if kind == NoticeKind.EXTENSION and not ledger["extension"]:
        raise ValidationError({"kind": "延長が記録されていません。先に「期限の記録」で延長を記録してください。"})
    if kind == NoticeKind.SPECIAL and not ledger["special"]:
        raise ValidationError({"kind": "特例が記録されていません。先に「期限の記録」で特例を記録してください。"})
    if kind == NoticeKind.THIRD_PARTY and not (recipient or "").strip():
        raise ValidationError({"recipient": "意見を照会する第三者の氏名・名称を入力してください。"})
    if issued_on < r.received_on:
        raise ValidationError({"issued_on": f"通知書の日付（{_day(issued_on)}）が受付日（{_day(r.received_on)}）より前です。"})
    template = notices.template_for(kind)
    data = notices.values(r, documents, due, ledger["extension"], ledger["special"])
    if opinion_due:
        data["意見の期限"] = wareki(opinion_due, full=True)
    count = r.notices.count() + 1
    notice = Notice(
        request=r, kind=kind, number=f"{r.number}-{count}", issued_on=issued_on,
        recipient=(recipient or r.requester_name).strip(), sender=r.organ.formal_name,
        title=notices.fill(template.title, data), body=notices.fill(template.body, data),
        teaching=notices.fill(template.teaching, data), documents=[d.title for d in documents], created_by=actor,
    )
    limit = Notice._meta.get_field("title").max_length
    if len(notice.title) > limit:
        raise ValidationError({"kind": f"ひな形の表題が差込み後に{len(notice.title):,}字になります（{limit}字まで）。「通知書のひな形」で表題を短くしてください。"})
    notice.save()
    audit.record(actor=actor, action=AuditAction.NOTIFY, obj=notice, root=r, object_repr=f"{r.number} {notice.title}",
                 after={"kind": kind, "issued_on": issued_on.isoformat(), "documents": notice.documents}, summary="通知書の作成")
    return notice


@transaction.atomic
def notice_template_save(*, actor, kind: str, title: str, body: str, teaching: str, base_version: str | None = None) -> "NoticeTemplate":
    require(can_decide_requests(actor), "通知書のひな形を編集できるのは個人情報保護担当です。")
    problems = notices.template_problems(title, body, teaching)
    if problems:
        raise ValidationError({"body": problems})
    template = NoticeTemplate.objects.select_for_update().filter(kind=kind).first()
    concurrency.check(template, base_version, model=NoticeTemplate, subject=f"「{NoticeKind(kind).label}」のひな形")
    before = audit.snapshot(template) if template else None
    template = template or NoticeTemplate(kind=kind)
    template.title, template.body, template.teaching = title, body, teaching
    template.full_clean()
    template.save()
    audit.record(actor=actor, action=AuditAction.UPDATE if before else AuditAction.CREATE, obj=template, before=before, after=audit.snapshot(template))
    return template


def refresh_open_dues(**kwargs):
    """A closure day changes the deadlines of open requests: compute them again
    (connected to core.services.closure_days_changed, inside the same transaction)."""
    for r in Request.objects.filter(status=RequestStatus.OPEN).prefetch_related("clock_events"):
        refresh_due(r)
