from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from mamori.core import audit, concurrency, services, worklist
from mamori.core import permissions as perm
from mamori.core.calendar import fiscal_year
from mamori.core.forms import AuditFilterForm, LoginForm, UnitCreateForm, UnitEditForm, UserForm, attach_errors
from mamori.core.models import UNIT_CHAIN, AuditEvent, Organ, OrgUnit, User
from mamori.core.pagecache import cached_page
from mamori.core.reports import ANNUAL, NoData, download


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@cached_page
def home(request):
    """The home page is the user's worklist: what each app says waits for them (core.worklist)."""
    return render(request, "core/home.html", {"entries": worklist.entries_for(request.user)})


def audit_log(request):
    perm.require(perm.can_read_audit(request.user))
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.filter(perm.audit_scope_q(request.user)).select_related("actor")
    if form.is_valid():
        d = form.cleaned_data
        if d.get("user"):
            events = events.filter(actor=d["user"])
        if d.get("verb"):
            events = events.filter(action=d["verb"])
        if d.get("subject"):
            events = events.filter(Q(model=d["subject"]) | Q(root_model=d["subject"]))
        if d.get("model"):
            events = events.filter(model__icontains=d["model"])
        if d.get("object_id"):
            events = events.filter(object_id=d["object_id"])
        if d.get("q"):
            events = events.filter(Q(object_repr__icontains=d["q"]) | Q(summary__icontains=d["q"]))
        if d.get("date_from"):
            events = events.filter(at__date__gte=d["date_from"])
        if d.get("date_to"):
            events = events.filter(at__date__lte=d["date_to"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"form": form, "page": page})


def audit_record(request, model, object_id):
    perm.require(perm.can_read_audit(request.user))
    events = AuditEvent.objects.filter(model=model, object_id=object_id)
    visible = events.filter(perm.audit_scope_q(request.user)).select_related("actor")
    if not visible and events.exists():
        raise Http404("記録が見つかりません。")  # a record outside the viewer's reach: not even its name
    events = visible
    return render(request, "core/audit_record.html", {"events": events, "model": model, "object_id": object_id})


def organisation(request):
    perm.require(perm.can_read_organisation(request.user))
    organs = Organ.objects.prefetch_related("units")
    return render(request, "core/organisation.html", {
        "organs": organs, "units": OrgUnit.objects.select_related("organ", UNIT_CHAIN), "can_edit": perm.can_manage_organisation(request.user),
    })


def unit_new(request):
    perm.require(perm.can_manage_organisation(request.user))
    form = UnitCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, **form.cleaned_data)
            messages.success(request, f"組織「{unit.label}」を追加しました。")
            return redirect("organisation")
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "core/unit_edit.html", {"form": form, "unit": None})


def unit_edit(request, pk):
    perm.require(perm.can_manage_organisation(request.user))
    unit = get_object_or_404(OrgUnit.objects.select_related(UNIT_CHAIN), pk=pk)
    form = UnitEditForm(request.POST or None, initial={"name": unit.name, "order": unit.order, "active": unit.active},
                        version=concurrency.token_for(unit))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(unit=unit, actor=request.user, **form.cleaned_data)
            messages.success(request, "組織を保存しました。")
            return redirect("organisation")
        except ValidationError as exc:
            attach_errors(exc, form)
    history = audit.history(unit)
    return render(request, "core/unit_edit.html", {"form": form, "unit": unit, "history": history})


def user_list(request):
    perm.require(perm.can_manage_users(request.user))
    users = User.objects.select_related(f"unit__{UNIT_CHAIN}").order_by("role", "username")
    return render(request, "core/user_list.html", {"users": users})


def user_edit(request, pk=None):
    perm.require(perm.can_manage_users(request.user))
    target = get_object_or_404(User, pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=target, version=concurrency.token_for(target) if target else None)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in UserForm.Meta.fields}
        try:
            if target is None:
                services.user_create(actor=request.user, password=form.cleaned_data.get("password") or None, **fields)
            else:
                services.user_update(user=target, actor=request.user, base_version=form.cleaned_data["base_version"], **fields)
            messages.success(request, f"利用者「{fields['username']}」を保存しました。")
            return redirect("user_list")
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "core/user_edit.html", {"form": form, "target": target, "history": audit.history(target) if target else []})


def annual_report_download(request, key: str, back: str):
    """A yearly report (資料3〜6) for ?fiscal_year=2023&format=xlsx, from the page of the app that owns it;
    a year or format it cannot give goes back to ``back`` with a message that says what to fix."""
    perm.require(perm.can_read_annual_reports(request.user))
    report = ANNUAL[key]
    fmt = request.GET.get("format", report.file_formats[0])
    year_text = request.GET.get("fiscal_year") or str(fiscal_year(timezone.localdate()) - 1)
    if not year_text.isdigit() or fmt not in report.formats:
        messages.error(request, f"年度は西暦の数字（令和5年度なら 2023）で、形式は {'・'.join(report.formats)} のいずれかで指定してください。")
        return redirect(back)
    year = int(year_text)
    try:
        data = report.build(year, fmt)
    except NoData as exc:
        messages.error(request, str(exc))
        return redirect(back)
    return download(data, fmt, report.file_name(year, fmt))


def healthz(request):
    """For the load balancer and monitoring: the database answers, and nothing else is said."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        state, status = "ok", 200
    except DatabaseError:
        state, status = "unavailable", 503
    response = JsonResponse({"status": "ok" if status == 200 else "error", "database": state}, status=status)
    response["Cache-Control"] = "no-store"
    return response
