import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mamori.core import concurrency
from mamori.core import permissions as perm
from mamori.core.calendar import DateInputError, parse_date_input
from mamori.core.models import OrgUnit
from mamori.core.reports import download
from mamori.impact import flowmap, selectors, services
from mamori.impact.forms import HELP, AskForm, MapForm
from mamori.impact.reports import answer as documents
from mamori.incidents.models import Incident
from mamori.outsourcing.models import Contractor
from mamori.register import selectors as register_selectors
from mamori.register.models import Flow, FlowKind, Item, Program


def suggestions(user, kind: str) -> list[str]:
    """The names the value box offers (a datalist): only what the viewer may read."""
    if kind == "contractor":
        return list(Contractor.objects.order_by("name").values_list("name", flat=True)[:500])
    if kind == "item":
        return list(Item.objects.filter(reviewed=True).order_by("name").values_list("name", flat=True)[:2000])
    programs = register_selectors.programs_visible(user)
    if kind == "program":
        return [f"{code} {name}" for code, name in programs.order_by("code").values_list("code", "current__name")[:2000]]
    flow_kind = FlowKind.PROVIDE_BODY if kind == "recipient" else FlowKind.ONLINE
    return sorted(set(Flow.objects.filter(kind=flow_kind, version__program__in=programs).values_list("party", flat=True)))[:500]


def ask(request):
    perm.require(perm.can_read_register(request.user))
    form = AskForm(request.GET or None)
    answer = None
    if form.is_valid():
        kind, value, on = form.cleaned_data["kind"], form.cleaned_data["value"], form.cleaned_data["on"]
        if kind == "program" and " " in value and Program.objects.filter(code=value.split(" ", 1)[0]).exists():
            value = value.split(" ", 1)[0]  # a suggestion reads 「P-0001 事務事業名」
        try:
            answer = selectors.ask(request.user, kind, value, on)
        except selectors.NotFound as exc:
            form.add_error("value", str(exc))
        fmt = request.GET.get("format")
        if answer is not None and fmt in documents.RENDERERS:
            return download(documents.RENDERERS[fmt](answer), fmt, documents.file_name(answer, fmt))
    kind = form["kind"].value() or "contractor"
    incident = _incident(request)
    context = {"form": form, "answer": answer, "incident": incident,
               "incident_version": concurrency.token_for(incident) if incident else "", "help": HELP.get(kind, ""), "suggestions": suggestions(request.user, kind),
               "formats": list(documents.RENDERERS)}
    return render(request, "impact/ask.html", context)


def _incident(request):
    """The incident the analysis was opened from (?incident=), if the user may change it."""
    pk = request.GET.get("incident") or request.POST.get("incident")
    if not (pk and str(pk).isdigit() and perm.can_manage_incidents(request.user)):
        return None
    return Incident.objects.filter(pk=pk).first()


@require_POST
def apply_to_incident(request, pk):
    """Set the incident's programs, items and persons from the answer, recomputed here (never from the page)."""
    perm.require(perm.can_manage_incidents(request.user) and perm.can_read_register(request.user))
    incident = get_object_or_404(Incident, pk=pk)
    back = reverse("impact:ask") + "?" + urlencode({k: request.POST.get(k, "") for k in ("kind", "value", "on")} | {"incident": pk})
    try:
        on = parse_date_input(request.POST.get("on", ""))
        answer = selectors.ask(request.user, request.POST.get("kind", ""), request.POST.get("value", ""), on)
        services.prefill_incident(actor=request.user, incident=incident, answer=answer, base_version=request.POST.get("base_version", ""))
    except (selectors.NotFound, DateInputError) as exc:
        messages.error(request, f"反映できませんでした：{exc}")
        return redirect(back)
    except ValidationError as exc:
        messages.error(request, "反映できませんでした：" + " ".join(exc.messages))
        return redirect(back)
    messages.success(request, f"影響範囲（事務事業{len(answer.rows)}件、本人{answer.total_persons:,}人）を事案に反映しました。報告事由を確かめてください。")
    return redirect("incidents:detail", pk=incident.pk)


def _map_context(request):
    """The map's filters (the register's own), and the impact answer to highlight (?kind=&value=)."""
    units = OrgUnit.choices_for(OrgUnit.objects.filter(perm.units_q(request.user)))
    form = MapForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {"on": datetime.date.today()}
    filters = register_selectors.RegisterFilters(unit=data.get("unit"), item=data.get("item") or "",
                                                 sensitive=bool(data.get("sensitive")), my_number=bool(data.get("my_number")))
    answer, problem = None, ""
    if request.GET.get("kind") and request.GET.get("value"):
        try:
            answer = selectors.ask(request.user, request.GET["kind"], request.GET["value"], data["on"])
        except selectors.NotFound as exc:
            problem = str(exc)
    highlight = {r.program_pk for r in answer.rows} if answer else set()
    only = highlight if answer and data.get("only") else None
    bodies = {answer.subject} if answer and answer.kind in ("contractor", "recipient", "partner") else set()
    return form, filters, data["on"], answer, problem, highlight, bodies, only


def flow_map(request):
    perm.require(perm.can_read_register(request.user))
    form, filters, on, answer, problem, highlight, bodies, only = _map_context(request)
    data = flowmap.map_data(request.user, filters, on, highlight, bodies, only)
    links = flowmap.connections(data)
    programs = [n for n in data["nodes"] if n["type"] == "program"]
    programs.sort(key=lambda n: (not n["highlight"], n["code"]))
    page = Paginator(programs, 50).get_page(request.GET.get("page"))
    for node in page.object_list:
        node["links"] = links.get(node["id"], [])
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "impact/map.html", {"form": form, "page": page, "counts": data["counts"], "answer": answer, "problem": problem,
                                               "data_url": f"{reverse('impact:map_data')}?{params.urlencode()}"})


def flow_map_data(request):
    perm.require(perm.can_read_register(request.user))
    form, filters, on, answer, problem, highlight, bodies, only = _map_context(request)
    return JsonResponse(flowmap.map_data(request.user, filters, on, highlight, bodies, only), json_dumps_params={"ensure_ascii": False})
