from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.oath import TOTP

from mamori.core import audit, auth, concurrency, jobs, services, worklist
from mamori.core import permissions as perm
from mamori.core.calendar import DateInputError, fiscal_year, parse_fiscal_year
from mamori.core.forms import AuditFilterForm, LoginForm, OrganRemoveForm, OTPForm, UnitCreateForm, UnitEditForm, UserForm, attach_errors
from mamori.core.forms import date_echo as _date_echo
from mamori.core.listing import Column, listing
from mamori.core.models import UNIT_CHAIN, AuditEvent, Job, Organ, OrgUnit, Role, User
from mamori.core.pagecache import cached_page
from mamori.core.reports import ANNUAL, NoData, download


def _second_factor_notice() -> str:
    roles = [Role(r).label for r in settings.MAMORI_OTP_REQUIRED_ROLES if r in Role.values]
    if not roles:
        return "この環境では二段階認証（確認コード）を求めていません。"
    return f"{'・'.join(roles)}の方は、パスワードのあとに認証アプリの確認コード（6桁）を入力します。"


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "second_factor_notice": _second_factor_notice()}

    def form_valid(self, form):
        response = super().form_valid(form)
        if not auth.otp_required(form.get_user()):  # otherwise the login is complete after the code
            services.login_recorded(user=form.get_user(), second_factor=False)
        return response


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account or address (AXES_LOCKOUT_CALLABLE): the login page again, with what
    happened, when to try again and whom to ask; the typed name stays in the form."""
    form = LoginForm(request, initial={"username": request.POST.get("username", "")[:150]})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    lockout = [
        f"ログインに続けて{settings.AXES_FAILURE_LIMIT}回失敗したため、このアカウント（またはこの端末の接続元）からのログインを{minutes}分間止めています。",
        f"{auth.retry_at():%H時%M分}以降にもう一度お試しください。待つ間にログインを試すと、そこから{minutes}分延びます。",
        "急ぐ場合や、ご自身の操作に心当たりがない場合は、システム管理者に連絡してください（管理者は利用者の画面で解除できます）。",
    ]
    return render(request, "core/login.html", {"form": form, "lockout": lockout, "second_factor_notice": _second_factor_notice(),
                                                "next": request.POST.get("next", "")}, status=429)


def _next_or_home(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("home")


def otp_verify(request):
    """The code step after the password, for a role that needs a second factor (MAMORI_OTP_REQUIRED_ROLES).
    Under /login/ (open without a login): one who has not given the password yet starts there."""
    if not request.user.is_authenticated:
        return redirect("login")
    if not auth.otp_required(request.user) or request.user.is_verified():
        return _next_or_home(request)
    device = auth.otp_device(request.user)
    if device is None:
        return redirect("otp_setup")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, detail = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", "確認コードを続けて間違えたため、少し待ってから入力してください（待つ時間は間違えるたびに延びます）。")
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            services.login_recorded(user=request.user, second_factor=True)
            return _next_or_home(request)
        else:
            form.add_error("token", "確認コードが正しくありません。認証アプリに今表示されている6桁の数字を入力してください（30秒ごとに変わります）。")
    return render(request, "core/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})


def otp_setup(request):
    """Enrolment: the QR code and the key to type in, confirmed with a first code. The key waits in the session
    until confirmed, so an abandoned enrolment leaves nothing behind."""
    perm.require(perm.can_enrol_second_factor(request.user))
    if auth.otp_device(request.user) and not request.user.is_verified():
        return redirect("otp_verify")  # a new phone needs the old code first, or the administrator's reset
    key = request.session.get("otp_pending_key") or auth.new_otp_key()
    request.session["otp_pending_key"] = key
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        totp = TOTP(bytes.fromhex(key))
        if totp.verify(int(form.cleaned_data["token"]), tolerance=1):
            first_login = not request.user.is_verified()
            # the code just used is spent: the next login needs a later one
            device = services.otp_enrol(user=request.user, actor=request.user, key=key, last_t=totp.t())
            del request.session["otp_pending_key"]
            otp_login(request, device)
            if first_login:
                services.login_recorded(user=request.user, second_factor=True)
            messages.success(request, "二段階認証を登録しました。次回からはパスワードのあとに確認コードを入力します。")
            return _next_or_home(request)
        form.add_error("token", "確認コードが正しくありません。QRコードを読み取った認証アプリに今表示されている6桁の数字を入力してください。"
                                "端末の時刻がずれていると合いません。")
    url = auth.otp_config_url(request.user, key)
    return render(request, "core/otp_setup.html", {"form": form, "qr": auth.otp_qr_svg(url), "secret": auth.otp_secret(key),
                                                   "next": request.GET.get("next", "")})


def password_change(request):
    """Every user changes their own password here (linked from the header); one an administrator gave must be
    changed before anything else (SignInStepsMiddleware)."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_set(user=request.user, actor=request.user, password=form.cleaned_data["new_password1"])
            update_session_auth_hash(request, user)
            messages.success(request, "パスワードを変更しました。")
            return redirect("home")
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "core/password_change.html", {"form": form, "forced": request.user.must_change_password})


@cached_page
def home(request):
    """The home page is the user's worklist: what each app says waits for them (core.worklist)."""
    return render(request, "core/home.html", {"entries": worklist.entries_for(request.user)})


def date_echo(request):
    """What a date field understood from the text being typed (the field's only parameter), as a fragment."""
    value = next(iter(request.GET.values()), "")[:40]
    echo, failed = _date_echo(value)
    return render(request, "core/widgets/date_echo.html", {"echo": echo, "failed": failed})


AUDIT_COLUMNS = [
    Column("at", "日時", order=("at",)), Column("", "実行者"), Column("", "操作"), Column("", "対象"),
    Column("", "変更内容（変更前 → 変更後）"),
]


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
        if d.get("model"):  # an older address: part of a kind's label (register) or of its name (届出)
            events = events.filter(Q(model__icontains=d["model"]) | Q(model__in=audit.kinds_matching(d["model"])))
        if d.get("object_id"):
            events = events.filter(object_id=d["object_id"])
        if d.get("q"):
            events = events.filter(Q(object_repr__icontains=d["q"]) | Q(summary__icontains=d["q"])
                                   | Q(model__in=audit.kinds_matching(d["q"])))
        if d.get("date_from"):
            events = events.filter(at__date__gte=d["date_from"])
        if d.get("date_to"):
            events = events.filter(at__date__lte=d["date_to"])
    found = listing(request, events, AUDIT_COLUMNS, default="-at")
    return render(request, "core/audit_log.html", {"form": form, "listing": found, "page": found.page,
                                                   "lines": audit.present(found.page.object_list)})


def audit_record(request, model, object_id):
    perm.require(perm.can_read_audit(request.user))
    events = AuditEvent.objects.filter(model=model, object_id=object_id)
    visible = events.filter(perm.audit_scope_q(request.user)).select_related("actor")
    if not visible and events.exists():
        raise Http404("記録が見つかりません。")  # a record outside the viewer's reach: not even its name
    lines = audit.present(visible)
    return render(request, "core/audit_record.html", {"events": lines, "title": audit.record_title(model, object_id, visible)})


def organisation(request, remove_form=None, removing=None):
    perm.require(perm.can_read_organisation(request.user))
    organs = list(Organ.objects.prefetch_related("units"))
    forms = {o.pk: (remove_form if removing == o.pk else OrganRemoveForm(prefix=f"organ{o.pk}", version=concurrency.token_for(o), initial={"removed_on": timezone.localdate()}))
             for o in organs if not o.removed_on}
    return render(request, "core/organisation.html", {
        "organs": [(o, forms.get(o.pk)) for o in organs], "units": OrgUnit.objects.select_related("organ", UNIT_CHAIN),
        "can_edit": perm.can_manage_organisation(request.user),
    })


@require_POST
def organ_remove(request, pk):
    """「実施機関から除く」: the organ is marked with the day; the page then offers what follows (e.g. the handbooks' revision)."""
    perm.require(perm.can_manage_organisation(request.user))
    organ = get_object_or_404(Organ, pk=pk)
    form = OrganRemoveForm(request.POST, prefix=f"organ{organ.pk}", version=concurrency.token_for(organ))
    if form.is_valid():
        try:
            services.organ_remove(organ=organ, removed_on=form.cleaned_data["removed_on"], base_version=form.cleaned_data["base_version"], actor=request.user)
            messages.success(request, f"「{organ.name}」を実施機関から除きました。続けて行うことを「{organ.name}」の欄に示しています。")
            return redirect(f"{reverse('organisation')}#organ-{organ.pk}")
        except ValidationError as exc:
            attach_errors(exc, form)
    return organisation(request, remove_form=form, removing=organ.pk)


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


USER_COLUMNS = [
    Column("username", "ユーザー名", order=("username",)), Column("name", "氏名", order=("display_name",)),
    Column("role", "役割", order=("role", "username")), Column("unit", "所属", order=("unit__path", "username")),
    Column("active", "状態", order=("-is_active", "username")),
]


def user_list(request):
    perm.require(perm.can_manage_users(request.user))
    users = User.objects.select_related(f"unit__{UNIT_CHAIN}")
    found = listing(request, users, USER_COLUMNS, default="role")
    return render(request, "core/user_list.html", {"listing": found, "page": found.page})


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
    return render(request, "core/user_edit.html", {"form": form, "target": target, "history": audit.history(target) if target else [],
                                                   "signin": auth.signin_state(target) if target else None})


def user_password_reset(request, pk):
    """The administrator gives a user a new password; the user changes it at their next login."""
    perm.require(perm.can_manage_users(request.user))
    target = get_object_or_404(User, pk=pk)
    form = SetPasswordForm(target, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set(user=target, actor=request.user, password=form.cleaned_data["new_password1"])
            messages.success(request, f"利用者「{target.username}」のパスワードを再設定しました。次回ログイン時に本人が変更します。")
            return redirect("user_edit", pk=target.pk)
        except ValidationError as exc:
            attach_errors(exc, form)
    return render(request, "core/user_password.html", {"form": form, "target": target})


# The administrator's sign-in actions on a user's page: the service and what the message says was done.
SIGNIN_ACTIONS = {
    "unlock": (services.login_unlock, "のログイン停止を解除しました。"),
    "otp_reset": (services.otp_reset, "の二段階認証を解除しました。次回ログイン時に登録し直します。"),
}


@require_POST
def user_signin_action(request, pk, action):
    perm.require(perm.can_manage_users(request.user))
    target = get_object_or_404(User, pk=pk)
    service, done = SIGNIN_ACTIONS[action]
    service(user=target, actor=request.user)
    messages.success(request, f"利用者「{target.username}」{done}")
    return redirect("user_edit", pk=target.pk)


def annual_report_download(request, key: str, back: str):
    """A yearly report (資料3〜6) for ?fiscal_year=令和5年度 (or R5, 2023 — core.calendar.parse_fiscal_year)
    &format=xlsx, from the page of the app that owns it; a year or format it cannot give goes back to
    ``back`` with a message that says what to fix."""
    perm.require(perm.can_read_annual_reports(request.user))
    report = ANNUAL[key]
    fmt = request.GET.get("format", report.file_formats[0])
    try:
        year = parse_fiscal_year(request.GET.get("fiscal_year", "")[:20]) or fiscal_year(timezone.localdate()) - 1
    except DateInputError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if fmt not in report.formats:
        messages.error(request, f"{report.label}の形式は {'・'.join(report.formats)} のいずれかで指定してください。")
        return redirect(back)
    try:
        data = report.build(year, fmt)
    except NoData as exc:
        messages.error(request, str(exc))
        return redirect(back)
    return download(data, fmt, report.file_name(year, fmt))


def job(request, pk):
    """A background job's progress; the status part refreshes itself (htmx) until the job has finished."""
    item = Job.objects.filter(pk=pk).select_related("created_by").first()
    if item is None or not jobs.may_view(request.user, item):
        raise Http404
    context = {"job": item, "stale": jobs.is_stale(item), "stale_minutes": jobs.STALE_AFTER_SECONDS // 60}
    template = "core/job.html#status" if request.htmx else "core/job.html"
    return render(request, template, context)


def job_download(request, pk):
    item = Job.objects.filter(pk=pk).first()
    if item is None or not jobs.may_view(request.user, item) or not item.result_file:
        raise Http404
    name = item.result_file.name.rsplit("/", 1)[-1]
    return FileResponse(item.result_file.open("rb"), as_attachment=True, filename=name)


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
