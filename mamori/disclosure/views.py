"""Request screens: the list of requests (filtered, sorted, paginated) with the open ones by urgency, intake, and the request with its documents, clock and appeals."""
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mamori.core import audit, concurrency
from mamori.core import permissions as perm
from mamori.core import services as core_services
from mamori.core.calendar import fiscal_year, wareki
from mamori.core.forms import attach_errors
from mamori.core.listing import Column, listing
from mamori.core.models import ClosureDay
from mamori.core.pagecache import cached_page
from mamori.core.reports import download
from mamori.disclosure import clock, notices, rules, selectors, services
from mamori.disclosure.forms import (
    AppealForm,
    ClockForm,
    ClosureDayForm,
    CorrectionReturnedForm,
    DecisionForm,
    DocumentForm,
    NoticeForm,
    NoticeTemplateForm,
    RequestForm,
    WithdrawForm,
)
from mamori.disclosure.models import Appeal, ClockEvent, ClockKind, Decision, Notice, NoticeKind, Procedure, Request, RequestDocument
from mamori.disclosure.reminders import ics
from mamori.disclosure.reports import notices as notice_documents


def _get(request, number) -> Request:
    return get_object_or_404(selectors.requests_visible(request.user), number=number)


LIST_COLUMNS = [
    Column("number", "受付番号", ("number",)),
    Column("procedure", "種類", ("procedure", "number")),
    Column("unit", "実施機関・所管", ("organ__order", "first_unit", "number")),
    Column("received", "受付日", ("received_on", "number")),
    Column("due", "決定期限", ("due_key", "number")),
    Column("status", "状態", ("status", "due_key")),
]


@cached_page
def dashboard(request):
    """Every request the user may see, as one list: filtered (procedure, 期限, 状態, 所管), sorted, paginated; above it
    the open requests by urgency, each count a link to the list filtered to it."""
    perm.require(perm.can_read_requests(request.user))
    today = timezone.localdate()
    cal = clock.calendar()
    found = selectors.filtered(request.user, request.GET, today, cal)
    default = "due" if any(f.key == "due" for f in found.filters) else "-received"
    rows = listing(request, selectors.for_list(found.queryset), LIST_COLUMNS, default=default)
    clear = []
    for f in found.filters:
        params = request.GET.copy()
        for key in (f.key, "group" if f.key == "due" else None, "page"):
            if key:
                params.pop(key, None)
        clear.append((f, f"?{params.urlencode()}" if params else "?"))
    sort = request.GET.get("sort", "")
    keep_sort = f"?{urlencode({'sort': sort})}" if sort else "?"
    return render(request, "disclosure/dashboard.html", {
        "today": today, "counts": selectors.counts(request.user, today, cal), "groups": selectors.GROUPS, "listing": rows, "page": rows.page,
        "filters": clear, "clear_all": keep_sort, "sort": sort, "procedures": Procedure.choices, "statuses": selectors.STATUSES,
        "units": selectors.units_for_filter(request.user), "chosen": {k: request.GET.get(k, "") for k in ("procedure", "due", "status", "unit")},
        "can_edit": perm.can_decide_requests(request.user), "can_report": perm.can_read_annual_reports(request.user),
        "last_year": fiscal_year(today) - 1, "soon_limit": selectors.soon_limit(today, cal),
    })


def request_new(request):
    perm.require(perm.can_decide_requests(request.user))
    procedure = request.GET.get("procedure", "")
    initial = {"received_on": timezone.localdate(), **({"procedure": procedure} if procedure in Procedure.values else {})}
    form = RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        departments = list(d.pop("departments"))
        titles = d.pop("documents")
        try:
            r = services.request_create(actor=request.user, departments=departments, handler=request.user,
                                        documents=[(departments[0], t) for t in titles], **d)
            messages.success(request, f"請求 {r.number} を受け付けました。決定期限は自動で計算されます。")
            return redirect("disclosure:request", number=r.number)
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "disclosure/request_new.html", {"form": form})


def request_detail(request, number):
    perm.require(perm.can_read_requests(request.user))
    return _detail(request, _get(request, number))


def _decision_form(d: RequestDocument, procedure: str) -> DecisionForm:
    derived = selectors.derived_decision(d) if not d.decision else None  # an undecided document: what its boxes say
    reasons = d.reasons or (selectors.box_articles(d) if derived else [])
    return DecisionForm(initial={"decision": d.decision or derived or "", "decided_on": d.decided_on or timezone.localdate(), "reasons": "、".join(reasons),
                                 "reason_text": d.reason_text, "after_ruling": d.after_ruling, "third_party_objection": d.third_party_objection,
                                 "override_reason": d.override_reason},
                        prefix=f"d{d.pk}", version=concurrency.token_for(d), procedure=procedure)


def _kept(form, prefix: str):
    """The form that came back (with what was typed and its errors) if it is the one at ``prefix``."""
    return form if form is not None and form.prefix == prefix else None


def _detail(request, r: Request, bound=None, status: int = 200):
    """The request's page. ``bound``: the form just sent and refused (bad input, the law's limits, a stale edit), shown
    in its place, open, with what was typed and each message beside its field; every other form is fresh."""
    try:
        due = clock.due_for(r)
    except rules.RuleError as exc:
        due = None
        messages.error(request, str(exc))
    docs = list(r.documents.select_related("department__parent__parent").prefetch_related("files__boxes"))
    events = list(r.clock_events.all())
    appeals = list(r.appeals.all())
    decided = [d.decided_on for d in docs if d.decided_on and d.decision != Decision.WITHDRAWN]  # a 取下げ is no 処分 to appeal against
    today = timezone.localdate()
    return render(request, "disclosure/request_detail.html", {
        "r": r, "due": due, "documents": docs, "today": today, "disclose_word": rules.procedure_words(r.procedure)["開示"],
        "show_requester": selectors.can_see_requester(request.user, r), "can_edit": perm.can_decide_requests(request.user),
        "decision_forms": {d.pk: _kept(bound, f"d{d.pk}") or _decision_form(d, r.procedure) for d in docs},
        "appeal_forms": {a.pk: _kept(bound, f"appeal{a.pk}") or AppealForm(instance=a, prefix=f"appeal{a.pk}", version=concurrency.token_for(a))
                         for a in appeals},
        "return_forms": {e.pk: _kept(bound, f"ret{e.pk}") or CorrectionReturnedForm(prefix=f"ret{e.pk}", version=concurrency.token_for(e))
                         for e in events if e.kind == ClockKind.CORRECTION and (not e.end_on or _kept(bound, f"ret{e.pk}"))},
        "document_form": _kept(bound, "doc") or DocumentForm(prefix="doc"),
        "clock_form": _kept(bound, "clock") or ClockForm(initial={"start_on": today}, prefix="clock"),
        "events": events, "appeals": appeals, "appeal_form": _kept(bound, "appeal") or AppealForm(prefix="appeal"),
        "notice_form": _kept(bound, "notice") or _notice_form(r), "notices": r.notices.all(), "reason_codes": rules.PERSONAL_REASONS,
        "withdraw_form": _kept(bound, "withdraw") or WithdrawForm(initial={"withdrawn_on": today}, prefix="withdraw", version=concurrency.token_for(r)),
        "undecided": sum(1 for d in docs if not d.decision),
        "appeal_deadline": rules.appeal_deadline(max(decided), clock.calendar()) if decided else None,
        "last_decided": max(decided) if decided else None,
        "deliveries": r.deliveries.all(),
        "history": audit.history(r),
    }, status=status)


def _notice_form(r: Request, data=None) -> NoticeForm:
    return NoticeForm(data, initial={"issued_on": timezone.localdate()}, prefix="notice", kinds=notices.kind_choices(r))


def _back(number):
    return redirect("disclosure:request", number=number)


def _sent(request, r: Request, form, save, success: str):
    """One form of the request's page: valid and saved → back to the page with ``success``; otherwise the page again
    with this form as it was sent, open, the service's messages beside the fields they are about (core.forms.attach_errors)."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:  # a StaleEdit too: attach_errors gives it to the form, which shows what changed
            attach_errors(exc, form)
        else:
            messages.success(request, success)
            return _back(r.number)
    return _detail(request, r, bound=form)


@require_POST
def document_add(request, number):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    form = DocumentForm(request.POST, prefix="doc")
    return _sent(request, r, form, lambda d: services.document_add(request=r, actor=request.user, **d), "文書を追加しました。")


def _reasons(text: str) -> list[str]:
    return [x.strip() for x in text.replace(",", "、").split("、") if x.strip()]


@require_POST
def document_decide(request, number, pk):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    doc = get_object_or_404(RequestDocument, pk=pk, request=r)
    form = DecisionForm(request.POST, prefix=f"d{pk}", procedure=r.procedure)
    return _sent(request, r, form, lambda d: services.document_decide(document=doc, actor=request.user, **{**d, "reasons": _reasons(d["reasons"])}),
                 f"「{doc.title}」の決定を記録しました。")


@require_POST
def clock_add(request, number):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    form = ClockForm(request.POST, prefix="clock")
    return _sent(request, r, form, lambda d: services.clock_add(request=r, actor=request.user, **d),
                 "期限の記録を追加しました。決定期限を計算し直しました。")


@require_POST
def correction_returned(request, number, pk):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    event = get_object_or_404(ClockEvent, pk=pk, request=r, kind=ClockKind.CORRECTION)
    form = CorrectionReturnedForm(request.POST, prefix=f"ret{pk}")
    return _sent(request, r, form, lambda d: services.correction_returned(event=event, actor=request.user, **d),
                 "補正の完了を記録しました。期限が再び進みます。")


@require_POST
def request_withdraw(request, number):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    form = WithdrawForm(request.POST, prefix="withdraw")
    return _sent(request, r, form, lambda d: services.request_withdraw(request=r, actor=request.user, **d),
                 "取下げを記録しました。未決定の文書はすべて「取下げ」になりました。")


@require_POST
def appeal_save(request, number, pk=None):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    appeal = get_object_or_404(Appeal, pk=pk, request=r) if pk else None
    form = AppealForm(request.POST, instance=appeal, prefix=f"appeal{pk}" if pk else "appeal")
    return _sent(request, r, form, lambda d: services.appeal_save(request=r, actor=request.user, appeal=appeal, base_version=d["base_version"],
                                                                   **{k: d[k] for k in AppealForm.Meta.fields}),
                 "審査請求の記録を保存しました。")


# ---------------------------------------------------------------- notices


@require_POST
def notice_issue(request, number):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    form = _notice_form(r, request.POST)
    if form.is_valid():
        try:
            notice = services.notice_issue(request=r, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(exc, form)
        else:
            messages.success(request, f"{notice.title}（{notice.number}）を作成しました。")
            return _back(number)
    return _detail(request, r, bound=form)


def notice_download(request, number, pk, fmt):
    perm.require(perm.can_read_requests(request.user))
    r = _get(request, number)
    if not selectors.can_see_requester(request.user, r):
        raise Http404("この通知書は請求を担当する職員だけが見られます。")
    notice = get_object_or_404(Notice, pk=pk, request=r)
    if fmt not in ("docx", "pdf"):
        raise Http404()
    ctx = notice_documents.context(notice)
    data = notice_documents.render_pdf(ctx) if fmt == "pdf" else notice_documents.render_docx(ctx)
    return download(data, fmt, f"{notice.number}_{notice.title}.{fmt}")


def notice_templates(request):
    perm.require(perm.can_decide_requests(request.user))
    return render(request, "disclosure/notice_templates.html", {
        "templates": [(k, notices.template_for(k)) for k in NoticeKind.values], "placeholders": notices.PLACEHOLDERS,
    })


def notice_template_edit(request, kind):
    perm.require(perm.can_decide_requests(request.user))
    if kind not in NoticeKind.values:
        raise Http404()
    template = notices.template_for(kind)
    form = NoticeTemplateForm(request.POST or None, initial={"title": template.title, "body": template.body, "teaching": template.teaching},
                              version=concurrency.token_for(template))
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_template_save(actor=request.user, kind=kind, **form.cleaned_data)
            messages.success(request, f"「{NoticeKind(kind).label}」のひな形を保存しました。")
            return redirect("disclosure:notice_templates")
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "disclosure/notice_template_edit.html", {"form": form, "kind": NoticeKind(kind), "placeholders": notices.PLACEHOLDERS})


def calendar_feed(request):
    """The logged-in user's due dates as .ics (subscribe from a calendar application)."""
    perm.require(perm.can_read_requests(request.user))
    items = list(selectors.requests_visible(request.user).filter(status="open", due_on__isnull=False))
    if perm.can_decide_requests(request.user):
        items = [r for r in items if r.handler_id == request.user.pk] or items
    response = HttpResponse(ics(request.user, items), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mamori-deadlines.ics"'
    return response


def closure_days(request):
    perm.require(perm.can_manage_calendar(request.user))
    form = ClosureDayForm(request.POST or None)
    if request.method == "POST":
        if "remove" in request.POST:
            day = get_object_or_404(ClosureDay, pk=request.POST["remove"])
            core_services.closure_day_remove(actor=request.user, day=day)
            messages.success(request, f"{wareki(day.date, weekday=True)}（{day.name}）を閉庁日から外し、処理中の請求の期限を計算し直しました。")
            return redirect("disclosure:closure_days")
        if form.is_valid():
            try:
                core_services.closure_day_add(actor=request.user, **form.cleaned_data)
                messages.success(request, f"{wareki(form.cleaned_data['date'], weekday=True)}を閉庁日に登録し、処理中の請求の期限を計算し直しました。")
                return redirect("disclosure:closure_days")
            except ValidationError as exc:
                attach_errors(exc, form)
    return render(request, "disclosure/closure_days.html", {"form": form, "days": ClosureDay.objects.all()})
