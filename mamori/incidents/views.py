"""Incident screens. A form that comes back with errors is the page again with what was typed, the message
beside its field; the office's 確認 asks first (data-confirm)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mamori.core import audit, concurrency
from mamori.core import permissions as perm
from mamori.core.forms import attach_errors
from mamori.core.listing import Column, active_filters, listing
from mamori.core.reports import download
from mamori.incidents import reports, rules, selectors, services
from mamori.incidents.forms import ConfirmForm, IncidentFilterForm, IncidentForm
from mamori.incidents.models import Incident
from mamori.outsourcing.models import ContractIncident

COLUMNS = [
    Column("title", "件名", ("title",)),
    Column("unit", "該当部署", ("unit__name",)),
    Column("learned_on", "職員が知った日", ("learned_on",)),
    Column("persons", "本人の数", ("persons_total",), numeric=True),
    Column("sokuhou_on", "速報", ("sokuhou_on",)),
    Column("kakuhou_on", "確報", ("kakuhou_on",)),
    Column("", "報告要否の確認"),
]


def incident_list(request):
    perm.require(perm.can_read_incidents(request.user))
    today = timezone.localdate()
    filters = IncidentFilterForm(request.GET)
    f = filters.cleaned_data if filters.is_valid() else {}
    result = listing(request, selectors.incident_list(clock=f.get("clock", ""), status=f.get("status", ""), q=f.get("q", ""), today=today),
                     COLUMNS, "-learned_on")
    return render(request, "incidents/list.html", {
        "listing": result, "page": result.page, "filters": filters, "active": active_filters(filters), "sort": result.sort,
        "contractor_reports": selectors.pending_contractor_reports(), "can_edit": perm.can_manage_incidents(request.user),
    })


def incident_edit(request, pk=None):
    perm.require(perm.can_manage_incidents(request.user))
    incident = get_object_or_404(Incident, pk=pk) if pk else None
    initial = {}
    from_report = request.GET.get("contract_report")
    if from_report and incident is None:
        report = get_object_or_404(ContractIncident.objects.select_related("contract__program__current", "contract__contractor"), pk=from_report)
        initial = {"title": f"{report.contract.contractor}からの事故報告", "summary": report.summary, "occurred_on": report.occurred_on,
                   "learned_on": report.reported_on, "unit": report.contract.program.current.unit, "program_codes": report.contract.program.code,
                   "contractor_name": str(report.contract.contractor)}
    if incident:
        initial = {"program_codes": "\n".join(p.code for p in incident.programs.all()), "items_text": "\n".join(incident.items),
                   "groups_text": "\n".join(f"{g.name},{g.count}" for g in incident.groups.all())}
    form = IncidentForm(request.POST or None, instance=incident, initial=initial, version=concurrency.token_for(incident) if incident else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in IncidentForm.Meta.fields}
        try:
            contract = None
            if from_report:
                contract = ContractIncident.objects.get(pk=from_report).contract
            incident = services.incident_save(actor=request.user, incident=incident, programs=d["programs"], groups=d["groups"], items=d["items"],
                                              base_version=d["base_version"],
                                              **({"contract": contract} if contract else {}), **fields)
            messages.success(request, "事案を保存しました。報告事由と期限を確認してください。")
            return redirect("incidents:detail", pk=incident.pk)
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "incidents/edit.html", {"form": form, "incident": incident})


def incident_detail(request, pk):
    perm.require(perm.can_read_incidents(request.user))
    return _detail(request, pk)


def _detail(request, pk, confirm_form: ConfirmForm | None = None):
    """The incident's page; ``confirm_form``: a confirmation that came back (an error, or refused as stale), as typed."""
    incident = get_object_or_404(Incident.objects.select_related("unit", "contract__contractor"), pk=pk)
    assessment = rules.assess(services.facts_for(incident))
    return render(request, "incidents/detail.html", {
        "i": incident, "a": assessment, "clocks": services.clocks_for(incident),
        "reportable": services.reportable(incident), "can_edit": perm.can_manage_incidents(request.user),
        "history": audit.history(incident), "confirm_form": confirm_form or ConfirmForm(version=concurrency.token_for(incident)),
    })


@require_POST
def incident_confirm(request, pk):
    perm.require(perm.can_manage_incidents(request.user))
    incident = get_object_or_404(Incident, pk=pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.incident_confirm(actor=request.user, incident=incident, override={"": None, "yes": True, "no": False}[form.cleaned_data["override"]],
                                      note=form.cleaned_data["note"], base_version=form.cleaned_data["base_version"])
            messages.success(request, "報告の要否を確認しました。")
            return redirect("incidents:detail", pk=pk)
        except ValidationError as exc:
            if "override_note" in getattr(exc, "error_dict", {}):  # the service names the model's field; the form calls it note
                form.add_error("note", exc.error_dict["override_note"])
            else:
                attach_errors(exc, form)
    return _detail(request, pk, confirm_form=form)


def ppc_download(request, pk, stage, fmt):
    perm.require(perm.can_read_incidents(request.user))
    incident = get_object_or_404(Incident, pk=pk)
    if stage not in ("sokuhou", "kakuhou") or fmt not in ("docx", "pdf"):
        raise Http404()
    ctx = reports.ppc_context(incident, stage)
    data = reports.ppc_pdf(ctx) if fmt == "pdf" else reports.ppc_docx(ctx)
    return download(data, fmt, f"漏えい等報告_{ctx['stage']}案_{incident.pk}.{fmt}")
