"""Contractor supervision screens."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mamori.core import audit, concurrency
from mamori.core import permissions as perm
from mamori.core.calendar import fiscal_year
from mamori.core.concurrency import StaleEdit
from mamori.core.forms import attach_errors
from mamori.core.reports import download
from mamori.outsourcing import selectors, services
from mamori.outsourcing.forms import CertificationForm, ContractForm, ContractorForm, DisposalForm, FindingForm, IncidentForm, InspectionForm, ReceiptForm
from mamori.outsourcing.models import Contract, Contractor, Finding, Inspection
from mamori.outsourcing.reports import forms as form_docs
from mamori.outsourcing.rules import FORMS
from mamori.register.selectors import programs_visible


def dashboard(request):
    perm.require(perm.can_read_contracts(request.user))
    today = timezone.localdate()
    contracts = selectors.contracts_visible(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        contracts = contracts.filter(contractor__name__icontains=q) | contracts.filter(title__icontains=q)
    return render(request, "outsourcing/dashboard.html", {
        "contracts": contracts.order_by("-starts_on", "id")[:100], "q": q, "today": today,
        "expiring": selectors.expiring_certifications(today)[:50], "unapproved": selectors.unapproved_subcontracts(request.user),
        "missing_forms": selectors.contracts_missing_forms(request.user, today)[:50],
        "no_disposal": selectors.ended_without_disposal(request.user, today)[:50],
        "last_year": fiscal_year(today) - 1, "can_edit": perm.can_supervise_contractors(request.user) or perm.can_draft(request.user),
    })


def contractor_list(request):
    perm.require(perm.can_read_contracts(request.user))
    q = request.GET.get("q", "").strip()

    page = Paginator(selectors.contractors_list(q), 100).get_page(request.GET.get("page"))
    return render(request, "outsourcing/contractor_list.html", {"page": page, "q": q, "today": timezone.localdate(), "can_edit": perm.can_supervise_contractors(request.user)})


def contractor_edit(request, pk=None):
    perm.require(perm.can_supervise_contractors(request.user))
    contractor = get_object_or_404(Contractor, pk=pk) if pk else None
    initial = {f: getattr(contractor, f) for f in ContractorForm.base_fields} if contractor else {}
    form = ContractorForm(request.POST or None, initial=initial, version=concurrency.token_for(contractor) if contractor else None)
    if request.method == "POST" and form.is_valid():
        try:
            contractor = services.contractor_save(actor=request.user, contractor=contractor, **form.cleaned_data)
            messages.success(request, f"「{contractor}」を保存しました。")
            return redirect("outsourcing:contractor", pk=contractor.pk)
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "outsourcing/edit.html", {"form": form, "title": "委託事業者の登録" if not contractor else f"{contractor}の編集"})


def contractor_detail(request, pk):
    perm.require(perm.can_read_contracts(request.user))
    contractor = get_object_or_404(Contractor, pk=pk)
    form = CertificationForm(request.POST or None, prefix="cert")
    if request.method == "POST":
        perm.require(perm.can_supervise_contractors(request.user))
        if form.is_valid():
            try:
                services.certification_add(actor=request.user, contractor=contractor, **form.cleaned_data)
                messages.success(request, "認証を登録しました。")
                return redirect("outsourcing:contractor", pk=pk)
            except ValidationError as exc:
                attach_errors(exc, form)
    return render(request, "outsourcing/contractor_detail.html", {
        "c": contractor, "certs": contractor.certifications.all(), "contracts": selectors.contracts_visible(request.user).filter(contractor=contractor),
        "form": form, "today": timezone.localdate(), "can_edit": perm.can_supervise_contractors(request.user),
        "history": audit.history(contractor),
    })


def contract_new(request):
    perm.require(perm.can_supervise_contractors(request.user) or perm.can_draft(request.user))
    programs = programs_visible(request.user).select_related("current")
    form = ContractForm(request.POST or None, programs=programs, initial={"program": request.GET.get("program")})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        parent_id = d.pop("parent")
        parent = Contract.objects.filter(pk=parent_id).first() if parent_id else None
        if parent_id and parent is None:
            form.add_error("parent", f"契約番号 {parent_id} はありません。")
        else:
            try:
                contract = services.contract_save(actor=request.user, parent=parent, items=[i.strip() for i in d.pop("items").splitlines() if i.strip()], **d)
                messages.success(request, "契約を登録しました。")
                return redirect("outsourcing:contract", pk=contract.pk)
            except ValidationError as exc:
                attach_errors(exc, form)
    return render(request, "outsourcing/edit.html", {"form": form, "title": "委託契約の登録"})


def _contract(request, pk) -> Contract:
    return get_object_or_404(selectors.contracts_visible(request.user), pk=pk)


def contract_detail(request, pk):
    perm.require(perm.can_read_contracts(request.user))
    return _detail(request, _contract(request, pk))


def _finding_form(f: Finding) -> FindingForm:
    return FindingForm(initial={"action": f.action, "due_on": f.due_on, "done_on": f.done_on}, prefix=f"fnd{f.pk}", version=concurrency.token_for(f))


def _detail(request, c: Contract, refused: FindingForm | None = None):
    """The contract's page; ``refused``: a finding's form refused as stale, shown with what was typed."""
    today = timezone.localdate()
    findings = [f for i in c.inspections.prefetch_related("findings") for f in i.findings.all()]
    return render(request, "outsourcing/contract_detail.html", {
        "c": c, "chain": selectors.chain(c), "forms": {f.form: f for f in c.forms.all()}, "form_names": FORMS,
        "inspections": c.inspections.prefetch_related("findings"), "disposal": getattr(c, "disposal", None),
        "incidents": c.incident_reports.all(), "can_edit": services.can_manage(request.user, c.program), "history": audit.history(c),
        "inspection_form": InspectionForm(initial={"fiscal_year": fiscal_year(today), "inspected_on": today}, prefix="insp"),
        "receipt_form": ReceiptForm(initial={"received_on": today}, prefix="rcpt"), "disposal_form": DisposalForm(prefix="disp"),
        "incident_form": IncidentForm(initial={"reported_on": today}, prefix="inc"),
        "finding_forms": {f.pk: refused if refused and refused.prefix == f"fnd{f.pk}" else _finding_form(f) for f in findings},
    })


def _post(request, pk, form_class, prefix, action, done):
    c = _contract(request, pk)
    perm.require(services.can_manage(request.user, c.program))
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            action(c, form)
            messages.success(request, done)
        except StaleEdit as exc:
            form.refuse(exc)
            return _detail(request, c, refused=form)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}：{'、'.join(errors)}")
    return redirect("outsourcing:contract", pk=pk)


@require_POST
def inspection_save(request, pk):
    return _post(request, pk, InspectionForm, "insp", lambda c, f: services.inspection_save(
        actor=request.user, contract=c, results=f.results(), **{k: f.cleaned_data[k] for k in ("fiscal_year", "method", "inspected_on", "city_inspectors", "contractor_staff", "handled_info")}),
        "検査を記録しました。「否」の項目は指摘事項として是正を追います。")


@require_POST
def receipt_save(request, pk):
    return _post(request, pk, ReceiptForm, "rcpt", lambda c, f: services.form_receive(actor=request.user, contract=c, **f.service_fields()), "受領を記録しました。")


@require_POST
def disposal_save(request, pk):
    return _post(request, pk, DisposalForm, "disp", lambda c, f: services.disposal_record(actor=request.user, contract=c, **f.cleaned_data),
                 "返還・廃棄を記録しました。")


@require_POST
def incident_save(request, pk):
    return _post(request, pk, IncidentForm, "inc", lambda c, f: services.incident_report(actor=request.user, contract=c, **f.cleaned_data),
                 "受注者からの事故報告を記録しました。")


@require_POST
def finding_save(request, pk, finding_pk):
    finding = get_object_or_404(Finding, pk=finding_pk, inspection__contract_id=pk)
    return _post(request, pk, FindingForm, f"fnd{finding.pk}", lambda c, f: services.finding_update(actor=request.user, finding=finding, **f.cleaned_data),
                 "是正措置を記録しました。")


def form_download(request, pk, form):
    perm.require(perm.can_read_contracts(request.user))
    c = _contract(request, pk)
    if form not in FORMS:
        raise Http404()
    return download(form_docs.form_docx(c, form), "docx", f"{FORMS[form].split()[0]}_{c.title}.docx")


def checksheet_download(request, pk, inspection_pk, fmt):
    perm.require(perm.can_read_contracts(request.user))
    c = _contract(request, pk)
    inspection = get_object_or_404(Inspection, pk=inspection_pk, contract=c)
    if fmt not in ("docx", "pdf"):
        raise Http404()
    cs = form_docs.checksheet(inspection)
    data = form_docs.checksheet_pdf(cs) if fmt == "pdf" else form_docs.checksheet_docx(cs)
    return download(data, fmt, f"別紙4_確認書_{c.title}_{inspection.fiscal_year}年度.{fmt}")
