from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from mamori.core import permissions as perm
from mamori.core import services
from mamori.core.forms import AuditFilterForm, LoginForm, UnitCreateForm, UnitEditForm, UserForm, attach_errors
from mamori.core.models import UNIT_CHAIN, AuditEvent, Organ, OrgUnit, Role, User


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def home(request):
    """The dashboard: what waits for this user."""
    from mamori.register import selectors as register

    user = request.user
    context = {"boxes": [], "awaiting_council": None}
    if perm.can_view_register(user):
        context["boxes"] = register.inbox(user)
        context["program_count"] = register.programs_visible(user).filter(current__abolished_on__isnull=True).count()
        from mamori.register.models import Item

        context["unreviewed_items"] = Item.objects.filter(reviewed=False).count() if perm.can_review(user) else 0
    if perm.can_view_council(user):
        from mamori.council import selectors as council

        context["awaiting_council"] = council.awaiting_council().count()
    return render(request, "core/home.html", context)


def audit_log(request):
    perm.require(perm.can_view_audit(request.user))
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor")
    if form.is_valid():
        d = form.cleaned_data
        if d.get("user"):
            events = events.filter(actor=d["user"])
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
    perm.require(perm.can_view_audit(request.user))
    events = AuditEvent.objects.filter(model=model, object_id=object_id).select_related("actor")
    return render(request, "core/audit_record.html", {"events": events, "model": model, "object_id": object_id})


def organisation(request):
    perm.require(perm.can_manage_users(request.user) or perm.has_role(request.user, Role.PRIVACY_OFFICE, Role.AUDITOR))
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
    form = UnitEditForm(request.POST or None, initial={"name": unit.name, "order": unit.order, "active": unit.active})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(unit=unit, actor=request.user, **form.cleaned_data)
            messages.success(request, "組織を保存しました。")
            return redirect("organisation")
        except ValidationError as exc:
            attach_errors(exc, form)
    history = AuditEvent.objects.filter(model="core.OrgUnit", object_id=str(unit.pk))[:20]
    return render(request, "core/unit_edit.html", {"form": form, "unit": unit, "history": history})


def user_list(request):
    perm.require(perm.can_manage_users(request.user))
    users = User.objects.select_related(f"unit__{UNIT_CHAIN}").order_by("role", "username")
    return render(request, "core/user_list.html", {"users": users})


def user_edit(request, pk=None):
    perm.require(perm.can_manage_users(request.user))
    target = get_object_or_404(User, pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in UserForm.Meta.fields}
        try:
            if target is None:
                services.user_create(actor=request.user, password=form.cleaned_data.get("password") or None, **fields)
            else:
                services.user_update(user=target, actor=request.user, **fields)
            messages.success(request, f"利用者「{fields['username']}」を保存しました。")
            return redirect("user_list")
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "core/user_edit.html", {"form": form, "target": target})
