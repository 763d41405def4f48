from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mamori.core import concurrency
from mamori.core import permissions as perm
from mamori.core.calendar import DateInputError, parse_date_input
from mamori.core.reports import download
from mamori.impact import selectors, services
from mamori.impact.forms import HELP, AskForm
from mamori.impact.reports import answer as documents
from mamori.incidents.models import Incident
from mamori.outsourcing.models import Contractor
from mamori.register.models import Flow, FlowKind, Item, Program


def suggestions(user, kind: str) -> list[str]:
    """The names the value box offers (a datalist): only what the viewer may read."""
    if kind == "contractor":
        return list(Contractor.objects.order_by("name").values_list("name", flat=True)[:500])
    if kind == "item":
        return list(Item.objects.filter(reviewed=True).order_by("name").values_list("name", flat=True)[:2000])
    programs = selectors.register_selectors.programs_visible(user)
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
