"""Request screens: the dashboard by urgency, intake, and the request with its documents, clock and appeals."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import DateField
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mamori.core import audit, concurrency
from mamori.core import permissions as perm
from mamori.core import services as core_services
from mamori.core.calendar import fiscal_year
from mamori.core.concurrency import StaleEdit, VersionedForm
from mamori.core.forms import attach_errors
from mamori.core.models import ClosureDay
from mamori.core.pagecache import cached_page
from mamori.core.reports import download
from mamori.disclosure import clock, notices, rules, selectors, services
from mamori.disclosure.forms import AppealForm, ClockForm, ClosureDayForm, DecisionForm, DocumentForm, NoticeForm, NoticeTemplateForm, RequestForm
from mamori.disclosure.models import Appeal, ClockEvent, ClockKind, Notice, NoticeKind, Procedure, Request, RequestDocument
from mamori.disclosure.reminders import ics
from mamori.disclosure.reports import notices as notice_documents


def _get(request, number) -> Request:
    return get_object_or_404(selectors.requests_visible(request.user), number=number)


@cached_page
def dashboard(request):
    perm.require(perm.can_read_requests(request.user))
    today = timezone.localdate()
    qs = selectors.requests_visible(request.user).select_related("organ").prefetch_related("departments")
    procedure = request.GET.get("procedure", "")
    if procedure:
        qs = qs.filter(procedure=procedure)
    group = request.GET.get("group", "")
    if group in selectors.GROUPS:
        page = Paginator(selectors.urgency_group(request.user, group, today), 100).get_page(request.GET.get("page"))
        return render(request, "disclosure/group.html", {"page": page, "label": selectors.GROUPS[group], "today": today})
    return render(request, "disclosure/dashboard.html", {
        "today": today, "groups": selectors.dashboard(request.user, today), "recent": qs[:50], "procedures": Procedure.choices,
        "procedure": procedure, "can_edit": perm.can_decide_requests(request.user), "last_year": fiscal_year(today) - 1,
    })


def request_new(request):
    perm.require(perm.can_decide_requests(request.user))
    form = RequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        departments = list(d.pop("departments"))
        titles = [t.strip() for t in d.pop("documents").splitlines() if t.strip()]
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


def _decision_form(d: RequestDocument) -> DecisionForm:
    return DecisionForm(initial={"decision": d.decision, "decided_on": d.decided_on or timezone.localdate(), "reasons": "、".join(d.reasons),
                                 "reason_text": d.reason_text, "after_ruling": d.after_ruling, "third_party_objection": d.third_party_objection},
                        prefix=f"d{d.pk}", version=concurrency.token_for(d))


def _kept(form: VersionedForm | None, prefix: str) -> VersionedForm | None:
    return form if form is not None and form.prefix == prefix else None


def _detail(request, r: Request, refused: VersionedForm | None = None):
    """The request's page; ``refused``: a document's decision or an appeal's form refused as stale, shown with what was typed."""
    try:
        due = clock.due_for(r)
    except rules.RuleError as exc:
        due = None
        messages.error(request, str(exc))
    docs = list(r.documents.select_related("department__parent__parent"))
    return render(request, "disclosure/request_detail.html", {
        "r": r, "due": due, "documents": docs, "today": timezone.localdate(),
        "show_requester": selectors.can_see_requester(request.user, r), "can_edit": perm.can_decide_requests(request.user),
        "decision_forms": {d.pk: _kept(refused, f"d{d.pk}") or _decision_form(d) for d in docs},
        "appeal_forms": {a.pk: _kept(refused, f"appeal{a.pk}") or AppealForm(instance=a, prefix=f"appeal{a.pk}", version=concurrency.token_for(a))
                         for a in r.appeals.all()},
        "document_form": DocumentForm(prefix="doc"), "clock_form": ClockForm(initial={"start_on": timezone.localdate()}, prefix="clock"),
        "events": r.clock_events.all(), "clock_versions": {e.pk: concurrency.token_for(e) for e in r.clock_events.all()}, "appeals": r.appeals.all(), "appeal_form": AppealForm(prefix="appeal"),
        "notice_form": _notice_form(), "notices": r.notices.all(), "reason_codes": rules.PERSONAL_REASONS,
        "deadlines": {"appeal": rules.appeal_deadline(max((d.decided_on for d in docs if d.decided_on), default=r.received_on))},
        "history": audit.history(r),
    })


def _notice_form():
    return NoticeForm(initial={"issued_on": timezone.localdate()}, prefix="notice")


def _back(number):
    return redirect("disclosure:request", number=number)


def _errors(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


@require_POST
def document_add(request, number):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    form = DocumentForm(request.POST, prefix="doc")
    if form.is_valid():
        try:
            services.document_add(request=r, actor=request.user, **form.cleaned_data)
            messages.success(request, "文書を追加しました。")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "担当課と文書の件名を入力してください。")
    return _back(number)


@require_POST
def document_decide(request, number, pk):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    doc = get_object_or_404(RequestDocument, pk=pk, request=r)
    form = DecisionForm(request.POST, prefix=f"d{pk}")
    if form.is_valid():
        d = form.cleaned_data
        reasons = [x.strip() for x in d.pop("reasons").replace(",", "、").split("、") if x.strip()]
        try:
            services.document_decide(document=doc, actor=request.user, reasons=reasons, **d)
            messages.success(request, f"「{doc.title}」の決定を記録しました。")
        except StaleEdit as exc:
            form.refuse(exc)
            return _detail(request, r, refused=form)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "決定の種類と決定日を入力してください。")
    return _back(number)


@require_POST
def clock_add(request, number):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    form = ClockForm(request.POST, prefix="clock")
    if form.is_valid():
        try:
            services.clock_add(request=r, actor=request.user, **form.cleaned_data)
            messages.success(request, "期限の記録を追加しました。決定期限を計算し直しました。")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "種類と日付を入力してください。")
    return _back(number)


@require_POST
def correction_returned(request, number, pk):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    event = get_object_or_404(ClockEvent, pk=pk, request=r, kind=ClockKind.CORRECTION)
    try:
        end_on = DateField().clean(request.POST.get("end_on"))
    except ValidationError:
        end_on = None
    if not end_on:
        messages.error(request, "補正された日を入力してください。")
    else:
        try:
            services.correction_returned(event=event, actor=request.user, end_on=end_on, base_version=request.POST.get("base_version", ""))
            messages.success(request, "補正の完了を記録しました。期限が再び進みます。")
        except StaleEdit as exc:  # one date to keep: the message repeats it
            messages.error(request, f"{exc.text()}（あなたが入力した補正された日：{end_on:%Y-%m-%d}）")
        except ValidationError as exc:
            _errors(request, exc)
    return _back(number)


@require_POST
def appeal_save(request, number, pk=None):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    appeal = get_object_or_404(Appeal, pk=pk, request=r) if pk else None
    form = AppealForm(request.POST, instance=appeal, prefix=f"appeal{pk}" if pk else "appeal")
    if form.is_valid():
        try:
            services.appeal_save(request=r, actor=request.user, appeal=appeal, base_version=form.cleaned_data["base_version"],
                                 **{k: form.cleaned_data[k] for k in AppealForm.Meta.fields})
            messages.success(request, "審査請求の記録を保存しました。")
        except StaleEdit as exc:
            form.refuse(exc)
            return _detail(request, r, refused=form)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for field, errors in form.errors.items():
            for e in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {e}")
    return _back(number)


# ---------------------------------------------------------------- notices


@require_POST
def notice_issue(request, number):
    perm.require(perm.can_decide_requests(request.user))
    r = _get(request, number)
    form = NoticeForm(request.POST, prefix="notice")
    if form.is_valid():
        try:
            notice = services.notice_issue(request=r, actor=request.user, **form.cleaned_data)
            messages.success(request, f"{notice.title}（{notice.number}）を作成しました。")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "通知書の種類と発出日を入力してください。")
    return _back(number)


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
            messages.success(request, f"{day.date} を閉庁日から外し、処理中の請求の期限を計算し直しました。")
            return redirect("disclosure:closure_days")
        if form.is_valid():
            try:
                core_services.closure_day_add(actor=request.user, **form.cleaned_data)
                messages.success(request, "閉庁日を登録し、処理中の請求の期限を計算し直しました。")
                return redirect("disclosure:closure_days")
            except ValidationError as exc:
                attach_errors(exc, form)
    return render(request, "disclosure/closure_days.html", {"form": form, "days": ClosureDay.objects.all()})
