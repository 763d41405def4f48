"""Contractor supervision screens. A form that comes back with errors is the same page re-rendered with
what was typed (its folded section open, the message beside its field), never a redirect with a message."""
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mamori.core import audit, concurrency
from mamori.core import permissions as perm
from mamori.core.calendar import fiscal_year
from mamori.core.forms import attach_errors
from mamori.core.listing import Column, active_filters, listing
from mamori.core.reports import download
from mamori.outsourcing import selectors, services
from mamori.outsourcing.forms import (
    CertificationForm,
    ContractFilterForm,
    ContractForm,
    ContractorFilterForm,
    ContractorForm,
    DisposalForm,
    FindingForm,
    IncidentForm,
    InspectionFilterForm,
    InspectionForm,
    ReceiptForm,
    SpecialProvisionsForm,
)
from mamori.outsourcing.models import Certification, Contract, Contractor, Disposal, Finding, Inspection
from mamori.outsourcing.reports import forms as form_docs
from mamori.outsourcing.rules import FORMS
from mamori.register.selectors import programs_visible

CONTRACT_COLUMNS = [
    Column("number", "番号", ("pk",), numeric=True),
    Column("title", "契約件名", ("title",)),
    Column("kind", "種類", ("kind",)),
    Column("contractor", "受注者", ("contractor__name",)),
    Column("program", "事務事業", ("program__current__name",)),
    Column("starts_on", "契約期間（開始）", ("starts_on",)),
    Column("ends_on", "契約期間（終了）", ("ends_on",)),
]
CONTRACTOR_COLUMNS = [
    Column("name", "名称", ("name",)),
    Column("corporate_number", "法人番号", ("corporate_number",)),
    Column("", "認証"),
    Column("contracts", "契約数", ("contract_count",), numeric=True),
]
INSPECTION_COLUMNS = [
    Column("year", "年度", ("fiscal_year",)),
    Column("contract", "契約件名", ("contract__title",)),
    Column("contractor", "受注者", ("contract__contractor__name",)),
    Column("method", "確認方法", ("method",)),
    Column("inspected_on", "検査実施日", ("inspected_on",)),
    Column("open", "未確認の指摘", ("open_count",), numeric=True),
]


def _can_register_contracts(user) -> bool:
    return perm.can_supervise_contractors(user) or perm.can_draft(user)


def dashboard(request):
    """The overview: what needs following up (the same entries as the home page), the lists, 資料5."""
    perm.require(perm.can_read_contracts(request.user))
    today = timezone.localdate()
    return render(request, "outsourcing/dashboard.html", {
        "entries": selectors.entries(request.user, today), "today": today,
        "last_year": fiscal_year(today) - 1, "can_edit": _can_register_contracts(request.user),
        "can_report": perm.can_read_annual_reports(request.user), "contract_total": selectors.contracts_visible(request.user).count(),
    })


# ---------------------------------------------------------------- contracts


def contract_list(request):
    perm.require(perm.can_read_contracts(request.user))
    today = timezone.localdate()
    filters = ContractFilterForm(request.GET)
    f = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.contract_list(request.user, q=f.get("q", ""), kind=f.get("kind", ""), warning=f.get("warning", ""), period=f.get("period", ""), today=today)
    result = listing(request, qs, CONTRACT_COLUMNS, "-starts_on")
    return render(request, "outsourcing/contract_list.html", {
        "listing": result, "page": result.page, "filters": filters, "active": active_filters(filters), "sort": result.sort,
        "can_edit": _can_register_contracts(request.user), "today": today,
    })


def _contract_form(request, contract: Contract | None):
    programs = programs_visible(request.user).select_related("current")
    initial = ContractForm.initial_for(contract) if contract else {"program": request.GET.get("program")}
    form = ContractForm(request.POST or None, programs=programs, initial=initial,
                        version=concurrency.token_for(contract) if contract else None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        parent_id = d.pop("parent")
        parent = selectors.contracts_visible(request.user).filter(pk=parent_id).first() if parent_id else None
        if parent_id and parent is None:
            form.add_error("parent", f"契約番号 {parent_id} の契約はありません（見られる契約の番号を入れてください）。")
        else:
            items = [i.strip() for i in d.pop("items").splitlines() if i.strip()]
            try:
                saved = services.contract_save(actor=request.user, contract=contract, parent=parent, items=items, **d)
                messages.success(request, "契約を訂正しました。" if contract else "契約を登録しました。")
                return redirect("outsourcing:contract", pk=saved.pk)
            except ValidationError as exc:
                attach_errors(exc, form)
    title = f"契約「{contract.title}」の訂正" if contract else "委託契約の登録"
    back = ("outsourcing:contract", contract.pk) if contract else ("outsourcing:contracts",)
    return render(request, "outsourcing/edit.html", {"form": form, "title": title, "back": back, "record": contract})


def contract_new(request):
    perm.require(_can_register_contracts(request.user))
    return _contract_form(request, None)


def _contract(request, pk) -> Contract:
    return get_object_or_404(selectors.contracts_visible(request.user), pk=pk)


def contract_edit(request, pk):
    """Correct a contract (its period, items, a 再委託's 書面承認日 …): who may register it may correct it."""
    perm.require(perm.can_read_contracts(request.user))
    contract = _contract(request, pk)
    perm.require(services.can_manage(request.user, contract.program), "この契約を訂正する権限がありません。")
    return _contract_form(request, contract)


def contract_detail(request, pk):
    perm.require(perm.can_read_contracts(request.user))
    return _detail(request, _contract(request, pk))


def _finding_form(f: Finding) -> FindingForm:
    return FindingForm(initial={"action": f.action, "due_on": f.due_on, "done_on": f.done_on}, prefix=f"fnd{f.pk}", version=concurrency.token_for(f))


def _contract_years(c: Contract, today: datetime.date) -> list[int]:
    return list(range(fiscal_year(c.starts_on), max(fiscal_year(min(c.ends_on, today)), fiscal_year(c.starts_on)) + 1))


def _disposal_form(c: Contract) -> DisposalForm:
    disposal = getattr(c, "disposal", None)
    if disposal is None:
        return DisposalForm(prefix="disp", version=concurrency.token_for(None, Disposal))
    initial = {k: getattr(disposal, k) for k in ("method", "done_on", "person", "detail", "report_received_on")}
    return DisposalForm(prefix="disp", initial=initial, version=concurrency.token_for(disposal))


def _receipts(c: Contract) -> list[tuple[str, str, object, object]]:
    """(form key, name, receipt or None, 別紙3's 返還予定日 as a date) for the page."""
    have = {f.form: f for f in c.forms.all()}
    out = []
    for key, name in FORMS.items():
        receipt = have.get(key)
        return_on = (receipt.details or {}).get("return_on") if receipt else None
        out.append((key, name, receipt, datetime.date.fromisoformat(return_on) if return_on else None))
    return out


def _detail(request, c: Contract, *, status: int = 200, **bound):
    """The contract's page; ``bound``: a form that came back (errors, or refused as stale), shown with what was typed.
    Its <details> is open: the template opens a section whose form has errors."""
    today = timezone.localdate()
    c = Contract.objects.select_related("program__current", "contractor", "parent").get(pk=c.pk)  # what was saved meanwhile
    inspections = list(c.inspections.prefetch_related("findings"))
    findings = [f for i in inspections for f in i.findings.all()]
    refused = bound.get("finding_form")
    years = _contract_years(c, today)
    context = {
        "c": c, "chain": selectors.chain(c), "receipts": _receipts(c), "today": today,
        "inspections": inspections, "disposal": getattr(c, "disposal", None),
        "incidents": c.incident_reports.all(), "can_edit": services.can_manage(request.user, c.program), "history": audit.history(c),
        "inspection_form": InspectionForm(initial={"fiscal_year": fiscal_year(today) if fiscal_year(today) in years else years[-1], "inspected_on": today},
                                          prefix="insp", years=years, version=concurrency.token_for(None, Inspection)),
        "receipt_form": ReceiptForm(initial={"received_on": today}, prefix="rcpt"), "disposal_form": _disposal_form(c),
        "incident_form": IncidentForm(initial={"reported_on": today}, prefix="inc"),
        "finding_forms": {f.pk: refused if refused is not None and refused.prefix == f"fnd{f.pk}" else _finding_form(f) for f in findings},
    }
    context.update({k: v for k, v in bound.items() if k != "finding_form"})
    return render(request, "outsourcing/contract_detail.html", context, status=status)


def _post(request, pk, form, name, action, done):
    """A form of the contract's page: saved → back to the page with ``done``; not → the page again, this form as typed."""
    c = _contract(request, pk)
    perm.require(services.can_manage(request.user, c.program))
    if form.is_valid():
        try:
            action(c, form)
            messages.success(request, done)
            return redirect("outsourcing:contract", pk=pk)
        except ValidationError as exc:
            attach_errors(exc, form)
    return _detail(request, c, **{name: form})


def _contract_for_post(request, pk) -> Contract:
    perm.require(perm.can_read_contracts(request.user))
    return _contract(request, pk)


@require_POST
def inspection_save(request, pk):
    c = _contract_for_post(request, pk)
    form = InspectionForm(request.POST, prefix="insp", years=_contract_years(c, timezone.localdate()))
    return _post(request, pk, form, "inspection_form", lambda c, f: services.inspection_save(actor=request.user, contract=c, **f.service_fields()),
                 "検査を記録しました。「否」の項目は指摘事項として是正を追います。")


@require_POST
def receipt_save(request, pk):
    _contract_for_post(request, pk)
    return _post(request, pk, ReceiptForm(request.POST, prefix="rcpt"), "receipt_form",
                 lambda c, f: services.form_receive(actor=request.user, contract=c, **f.service_fields()), "受領を記録しました。")


@require_POST
def disposal_save(request, pk):
    _contract_for_post(request, pk)
    return _post(request, pk, DisposalForm(request.POST, prefix="disp"), "disposal_form",
                 lambda c, f: services.disposal_record(actor=request.user, contract=c, **f.cleaned_data), "返還・廃棄を記録しました。")


@require_POST
def incident_save(request, pk):
    _contract_for_post(request, pk)
    return _post(request, pk, IncidentForm(request.POST, prefix="inc"), "incident_form",
                 lambda c, f: services.incident_report(actor=request.user, contract=c, **f.cleaned_data), "受注者からの事故報告を記録しました。")


@require_POST
def finding_save(request, pk, finding_pk):
    _contract_for_post(request, pk)
    finding = get_object_or_404(Finding, pk=finding_pk, inspection__contract_id=pk)
    return _post(request, pk, FindingForm(request.POST, prefix=f"fnd{finding.pk}"), "finding_form",
                 lambda c, f: services.finding_update(actor=request.user, finding=finding, **f.cleaned_data), "是正措置を記録しました。")


def inspection_edit(request, pk, inspection_pk):
    """Correct an inspection's 別紙4 answers (and its date, method, staff)."""
    perm.require(perm.can_read_contracts(request.user))
    c = _contract(request, pk)
    perm.require(services.can_manage(request.user, c.program), "この契約の検査を訂正する権限がありません。")
    inspection = get_object_or_404(Inspection, pk=inspection_pk, contract=c)
    years = sorted({*_contract_years(c, timezone.localdate()), inspection.fiscal_year})
    form = InspectionForm(request.POST or None, initial=InspectionForm.initial_for(inspection), years=years, version=concurrency.token_for(inspection))
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_save(actor=request.user, contract=c, inspection=inspection, **form.service_fields())
            messages.success(request, "検査の記録を訂正しました。指摘事項は訂正後の回答に合わせています。")
            return redirect("outsourcing:contract", pk=c.pk)
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "outsourcing/inspection_edit.html", {"c": c, "inspection": inspection, "form": form})


def inspection_list(request):
    perm.require(perm.can_read_contracts(request.user))
    today = timezone.localdate()
    filters = InspectionFilterForm(request.GET, years=selectors.inspection_years(request.user))
    f = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.inspection_list(request.user, fiscal_year=f.get("fiscal_year"), method=f.get("method", ""), findings=f.get("findings", ""), today=today)
    result = listing(request, qs, INSPECTION_COLUMNS, "-inspected_on")
    return render(request, "outsourcing/inspection_list.html", {
        "listing": result, "page": result.page, "filters": filters, "active": active_filters(filters), "sort": result.sort,
    })


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
    return download(data, fmt, f"別紙4_確認書_{c.title}_{inspection.year_label}.{fmt}")


# ---------------------------------------------------------------- contractors and certifications


def contractor_list(request):
    perm.require(perm.can_read_contracts(request.user))
    today = timezone.localdate()
    filters = ContractorFilterForm(request.GET)
    f = filters.cleaned_data if filters.is_valid() else {}
    result = listing(request, selectors.contractors_list(f.get("q", ""), f.get("cert", ""), today), CONTRACTOR_COLUMNS, "name")
    return render(request, "outsourcing/contractor_list.html", {
        "listing": result, "page": result.page, "filters": filters, "active": active_filters(filters), "sort": result.sort, "today": today,
        "can_edit": perm.can_supervise_contractors(request.user), "notice_days": selectors.notice_days(),
    })


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
    back = ("outsourcing:contractor", contractor.pk) if contractor else ("outsourcing:contractors",)
    return render(request, "outsourcing/edit.html", {"form": form, "title": "委託事業者の登録" if not contractor else f"{contractor}の編集", "back": back})


def contractor_detail(request, pk):
    perm.require(perm.can_read_contracts(request.user))
    contractor = get_object_or_404(Contractor, pk=pk)
    form = CertificationForm(request.POST or None, prefix="cert", version=concurrency.token_for(None, Certification))
    if request.method == "POST":
        perm.require(perm.can_supervise_contractors(request.user))
        if form.is_valid():
            try:
                services.certification_add(actor=request.user, contractor=contractor, **form.cleaned_data)
                messages.success(request, "認証を登録しました。")
                return redirect("outsourcing:contractor", pk=pk)
            except ValidationError as exc:
                attach_errors(exc, form)
    today = timezone.localdate()
    return render(request, "outsourcing/contractor_detail.html", {
        "c": contractor, "certs": contractor.certifications.all(), "contracts": selectors.contracts_visible(request.user).filter(contractor=contractor),
        "form": form, "today": today, "soon": today + datetime.timedelta(days=selectors.notice_days()),
        "can_edit": perm.can_supervise_contractors(request.user), "history": audit.history(contractor),
    })


def certification_edit(request, pk, cert_pk):
    """Correct a certification: a renewed 有効期限, a mistyped 登録番号."""
    perm.require(perm.can_supervise_contractors(request.user))
    cert = get_object_or_404(Certification.objects.select_related("contractor"), pk=cert_pk, contractor_id=pk)
    initial = {k: getattr(cert, k) for k in ("kind", "number", "scope", "issued_on", "expires_on")}
    form = CertificationForm(request.POST or None, initial=initial, version=concurrency.token_for(cert))
    if request.method == "POST" and form.is_valid():
        try:
            services.certification_update(actor=request.user, certification=cert, **form.cleaned_data)
            messages.success(request, "認証を訂正しました。")
            return redirect("outsourcing:contractor", pk=pk)
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "outsourcing/edit.html", {"form": form, "title": f"{cert.contractor}の認証（{cert.get_kind_display()}）の訂正",
                                                     "back": ("outsourcing:contractor", pk)})





# ---------------------------------------------------------------- the 特記事項


def provisions(request):
    """The 特記事項 in force today, its editions, and (for the office) a new edition; a form with errors comes back as typed."""
    perm.require(perm.can_read_contracts(request.user))
    can_edit = perm.can_supervise_contractors(request.user)
    form = SpecialProvisionsForm(request.POST or None)
    if request.method == "POST":
        perm.require(can_edit)
        if form.is_valid():
            try:
                edition = services.special_provisions_add(actor=request.user, **form.cleaned_data)
                messages.success(request, f"{edition}を登録しました。")
                return redirect("outsourcing:provisions")
            except ValidationError as exc:
                attach_errors(exc, form)
    today = timezone.localdate()
    editions = list(selectors.provisions_editions(request.user))
    shown = request.GET.get("edition")
    current = next((e for e in editions if str(e.pk) == shown), None) or selectors.provisions_in_force(today)
    return render(request, "outsourcing/provisions.html", {
        "form": form, "editions": editions, "current": current, "in_force": selectors.provisions_in_force(today), "today": today,
        "can_edit": can_edit, "history": selectors.provisions_history(request.user),
    })
