"""Register screens: list and search, program detail and history, 届出 inbox and
editor with its workflow, the item vocabulary, and the council's reading list."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mamori.core import audit, concurrency
from mamori.core import permissions as perm
from mamori.core.forms import attach_errors
from mamori.core.models import UNIT_CHAIN, MunicipalSettings, Organ, OrgUnit
from mamori.core.pagecache import cached_page
from mamori.core.services import units_for_department
from mamori.register import rules, selectors, services
from mamori.register.diff import diff
from mamori.register.forms import (
    ActionForm,
    CreateProgramForm,
    FlowFormSet,
    GroupFormSet,
    ImportedReviewForm,
    ItemForm,
    NewNotificationForm,
    NotificationHeadForm,
    ProgramForm,
    initial_from_proposed,
    proposed_from_forms,
)
from mamori.register.importers import ingest
from mamori.register.importers.mapping import highlighted, review_lists
from mamori.register.models import FlowKind, IngestSource, Item, ItemCategory, NotificationKind, NotificationStatus, Program, ProgramVersion
from mamori.register.phrasing import draft_content
from mamori.register.serialize import empty_version_dict, prefetch_version, version_to_dict
from mamori.register.vocabulary import Vocabulary


def _filters(request) -> selectors.RegisterFilters:
    g = request.GET
    unit = g.get("unit") or ""
    return selectors.RegisterFilters(
        q=g.get("q", "").strip(),
        item=g.get("item", "").strip(),
        unit=int(unit) if unit.isdigit() else None,
        sensitive=g.get("sensitive") == "1",
        my_number=g.get("my_number") == "1",
        contractor=g.get("contractor", "").strip(),
        source=g.get("source", "").strip(),
        abolished=g.get("abolished") == "1",
    )


@cached_page
def program_list(request):
    perm.require(perm.can_read_register(request.user))
    filters = _filters(request)
    page = Paginator(selectors.register_search(request.user, filters), 50).get_page(request.GET.get("page"))
    page.object_list = selectors.mark_flags(list(page.object_list))
    units = OrgUnit.choices_for(OrgUnit.objects.filter(perm.units_q(request.user)))
    context = {"page": page, "filters": filters, "units": units}
    template = "register/program_list.html#results" if request.htmx else "register/program_list.html"
    return render(request, template, context)


def _labels(*dicts) -> dict:
    """Unit and program labels for the codes that appear in version dicts."""
    unit_codes, program_codes = set(), set()
    for d in dicts:
        if not d:
            continue
        unit_codes.add(d.get("unit"))
        program_codes.update(f.get("program") for f in d.get("flows") or [] if f.get("program"))
    labels = {("unit", u.code): u.label for u in OrgUnit.objects.filter(code__in=unit_codes).select_related(UNIT_CHAIN)}
    for p in Program.objects.filter(code__in=program_codes).select_related("current"):
        labels[("program", p.code)] = str(p)
    return labels


@cached_page
def program_detail(request, code):
    perm.require(perm.can_read_register(request.user))
    program = selectors.program_get(request.user, code)
    if program is None:
        raise Http404("事務事業が見つかりません。")
    return _render_version(request, program, program.current)


def version_detail(request, code, number):
    perm.require(perm.can_read_register(request.user))
    program = selectors.program_get(request.user, code)
    if program is None:
        raise Http404("事務事業が見つかりません。")
    version = get_object_or_404(ProgramVersion, program=program, number=number)
    return _render_version(request, program, version)


def _render_version(request, program, version):
    version = selectors.version_full(version.pk)
    settings_ = MunicipalSettings.current()
    history = audit.history(program)
    return render(
        request,
        "register/program_detail.html",
        {
            "program": program,
            "version": version,
            "is_current": version.pk == program.current_id,
            "versions": selectors.program_versions(program),
            "incoming": selectors.program_incoming(program),
            "file_register": rules.requires_file_register(version.person_count, settings_.file_register_threshold),
            "settings": settings_,
            "history": history,
            "notifications": program.notifications.select_related("unit").order_by("-created_at"),
            "can_draft": perm.can_draft(request.user, version.unit),
        },
    )


def version_diff(request, code):
    perm.require(perm.can_read_register(request.user))
    program = selectors.program_get(request.user, code)
    if program is None:
        raise Http404("事務事業が見つかりません。")
    versions = {v.number: v for v in prefetch_version(program.versions.all())}
    try:
        a = int(request.GET.get("a") or max(1, program.current.number - 1))
        b = int(request.GET.get("b") or program.current.number)
    except ValueError:
        a, b = 1, program.current.number
    if a not in versions or b not in versions:
        raise Http404("指定された版がありません。")
    old, new = version_to_dict(versions[a]), version_to_dict(versions[b])
    return render(
        request,
        "register/version_diff.html",
        {"program": program, "a": versions[a], "b": versions[b], "rows": diff(old, new, _labels(old, new)),
         "versions": sorted(versions.values(), key=lambda v: v.number)},
    )


# ---------------------------------------------------------------- notifications


@cached_page
def notification_inbox(request):
    perm.require(perm.can_read_register(request.user))
    visible = selectors.notifications_visible(request.user)
    status = request.GET.get("status", "")
    all_list = visible.order_by("-updated_at")
    if status:
        all_list = all_list.filter(status=status)
    return render(
        request,
        "register/notification_inbox.html",
        {
            "boxes": selectors.inbox(request.user),
            "all": Paginator(all_list, 50).get_page(request.GET.get("page")),
            "status": status,
            "can_draft": perm.can_draft(request.user),
        },
    )


def _program_names(user):
    """The editor's suggestions: only the programs the user may read (a department sees its own)."""
    return selectors.programs_visible(user).filter(current__abolished_on__isnull=True).select_related("current").order_by("current__name")


def notification_new(request):
    perm.require(perm.can_draft(request.user))
    form = NewNotificationForm(request.POST or None, initial={"kind": request.GET.get("kind", NotificationKind.NEW), "program": request.GET.get("program", "")})
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        program = form.cleaned_data.get("program_obj")
        if program is not None and not perm.can_draft(request.user, program.current.unit):
            # The same words as for a program that does not exist: another department's register stays unseen.
            form.add_error("program", "変更・廃止する事務事業を、自分の所属の登録簿から選んでください（名称または管理番号）。")
        else:
            query = f"?kind={kind}" + (f"&program={program.code}" if program else "")
            return redirect(reverse("register:notification_draft") + query)
    return render(request, "register/notification_new.html", {"form": form, "program_names": _program_names(request.user)})


def _editor_forms(request, proposed: dict, kind: str):
    head_initial, groups_initial, flows_initial = initial_from_proposed(proposed)
    units = OrgUnit.objects.filter(perm.units_q(request.user), active=True).select_related(UNIT_CHAIN)
    data = request.POST if request.method == "POST" else None
    return (
        ProgramForm(data, initial=head_initial, units=units, prefix="p"),
        GroupFormSet(data, initial=groups_initial, prefix="groups"),
        FlowFormSet(data, initial=flows_initial, prefix="flows"),
    )


def notification_draft(request, number=None):
    """The 届出 editor: create (no number) or edit a draft / returned notification."""
    perm.require(perm.can_draft(request.user))
    notification = None
    if number:
        notification = selectors.notification_get(request.user, number)
        if notification is None:
            raise Http404("届出が見つかりません。")
        if not notification.editable:
            messages.error(request, f"「{notification.get_status_display()}」の届出は編集できません。")
            return redirect("register:notification_detail", number=number)
        kind, program, proposed = notification.kind, notification.program, notification.proposed
        head_initial = {"reason": notification.reason, "content": notification.content, "effective_date": notification.effective_date}
        version = concurrency.token_for(notification)
    else:
        kind = request.GET.get("kind", NotificationKind.NEW)
        if kind not in NotificationKind.values:
            raise Http404("届出の種類が正しくありません。")
        program = None
        if kind != NotificationKind.NEW:
            program = selectors.program_get(request.user, request.GET.get("program", ""))
            if program is None:
                raise Http404("事務事業が見つかりません。")
            proposed = version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=program.current_id)).get())
        else:
            proposed = empty_version_dict(request.user.unit)
        head_initial, version = {}, None
    head = NotificationHeadForm(request.POST or None, initial=head_initial, prefix="n", version=version)
    program_form, groups, flows = _editor_forms(request, proposed, kind)
    abolish = kind == NotificationKind.ABOLISH
    if request.method == "POST" and "draft_content" in request.POST:
        # 内容の文案: drafted from the structured change; nothing is saved, everything typed stays.
        if abolish or all([program_form.is_valid(), groups.is_valid(), flows.is_valid()]):
            new = proposed if abolish else proposed_from_forms(program_form, groups, flows)
            old = None
            if program is not None:
                old = version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=program.current_id)).get())
            if abolish:
                new = dict(old, abolished_on="x")
            text = draft_content(old, new, _labels(old, new))
            values = {k: request.POST.get(f"n-{k}", "") for k in ("reason", "effective_date")}
            head = NotificationHeadForm(initial={**values, "content": text or request.POST.get("n-content", "")}, prefix="n",
                                        version=request.POST.get("n-base_version") if notification else None)
            messages.info(request, "内容の文案を作成しました。必要に応じて直してから保存してください。" if text else "登録内容に変更がないため、文案は作れませんでした。")
        else:
            messages.error(request, "文案を作るには、届出後の登録内容の誤りを先に直してください。")
    elif request.method == "POST":
        valid = head.is_valid() and (abolish or all([program_form.is_valid(), groups.is_valid(), flows.is_valid()]))
        if valid:
            new_proposed = proposed if abolish else proposed_from_forms(program_form, groups, flows)
            try:
                if notification is None:
                    head.cleaned_data.pop(concurrency.FIELD)
                    notification = services.notification_create(
                        actor=request.user, kind=kind, program=program, proposed=new_proposed, **head.cleaned_data
                    )
                    messages.success(request, f"届出 {notification.number} を保存しました。内容を確認して提出してください。")
                else:
                    services.notification_update(notification=notification, actor=request.user, proposed=new_proposed, **head.cleaned_data)
                    messages.success(request, "届出を保存しました。")
                return redirect("register:notification_detail", number=notification.number)
            except ValidationError as exc:
                attach_errors(exc, head, program_form)
        else:
            messages.error(request, "入力内容に誤りがあります。赤字の項目を確認してください。")
    return render(
        request,
        "register/notification_edit.html",
        {
            "notification": notification, "kind": NotificationKind(kind), "program": program, "abolish": abolish,
            "head": head, "program_form": program_form, "groups": groups, "flows": flows,
            "program_names": _program_names(request.user), "flow_kinds": FlowKind,
        },
    )


def notification_detail(request, number):
    perm.require(perm.can_read_register(request.user))
    n = selectors.notification_get(request.user, number)
    if n is None:
        raise Http404("届出が見つかりません。")
    if n.status == NotificationStatus.IMPORTED:
        form = ImportedReviewForm(initial=ImportedReviewForm.initial_for(n), version=concurrency.token_for(n))
        context = _review_context(request, n, form) | {"can_review": perm.can_review_notifications(request.user)}
        return render(request, "register/imported_review.html", context)
    base = version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=n.base_version_id)).get()) if n.base_version_id else None
    rows = diff(base, n.proposed, _labels(base, n.proposed))
    names = [name for g in n.proposed.get("groups") or [] for name in g.get("items") or []]
    names += [name for f in n.proposed.get("flows") or [] for name in f.get("items") or []]
    unknown = sorted(set(Vocabulary().unknown(names)))
    user = request.user
    actions = selectors.notification_actions(user, n)
    return render(
        request,
        "register/notification_detail.html",
        {
            "n": n, "rows": rows, "unknown": unknown, "actions": actions, "form": ActionForm(version=concurrency.token_for(n), auto_id=False),
            "events": n.events.select_related("actor"), "labels": _labels(n.proposed), "history": audit.history(n),
            "duty_notes": selectors.notification_duty_notes(user, n),
            "kept_comment": request.session.pop("action_comment", ""),
        },
    )


ACTIONS = {
    "submit": (services.notification_submit, "提出しました。所管課長の承認を待っています。"),
    "approve": (services.notification_approve, "承認しました。個人情報保護担当の審査に回りました。"),
    "return": (services.notification_return, "差し戻しました。"),
    "accept": (services.notification_accept, "受理しました。登録簿に新しい版が作成されました。"),
    "withdraw": (services.notification_withdraw, "取り下げました。"),
    "comment": (services.notification_comment, "コメントを追加しました。"),
}


@require_POST
def notification_action(request, number, action):
    perm.require(perm.can_read_register(request.user))
    if action not in ACTIONS:
        raise Http404()
    n = selectors.notification_get(request.user, number)
    if n is None:
        raise Http404("届出が見つかりません。")
    form = ActionForm(request.POST)
    form.is_valid()
    service, done = ACTIONS[action]
    # The person acts on the 届出 they saw: a change since the page was loaded refuses the action (a comment stays valid).
    version = {} if action == "comment" else {"base_version": form.cleaned_data.get("base_version", "")}
    try:
        service(notification=n, actor=request.user, comment=form.cleaned_data.get("comment", ""), **version)
        messages.success(request, done)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        request.session["action_comment"] = form.cleaned_data.get("comment", "")
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "この操作を行う権限がありません。")
    return redirect("register:notification_detail", number=number)


# ---------------------------------------------------------------- vocabulary


def vocabulary_list(request):
    perm.require(perm.can_read_register(request.user))
    items = Item.objects.select_related("category", "alias_of").order_by("category__order", "order", "name")
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(name__icontains=q)
    if request.GET.get("unreviewed") == "1":
        items = items.filter(reviewed=False)
    return render(
        request,
        "register/vocabulary_list.html",
        {
            "items": items, "q": q, "unreviewed": request.GET.get("unreviewed") == "1",
            "unreviewed_count": Item.objects.filter(reviewed=False).count(),
            "categories": ItemCategory.objects.all(),
            "can_edit": perm.can_manage_vocabulary(request.user),
        },
    )


def vocabulary_edit(request, pk=None):
    perm.require(perm.can_manage_vocabulary(request.user))
    item = get_object_or_404(Item, pk=pk) if pk else None
    form = ItemForm(request.POST or None, instance=item, version=concurrency.token_for(item) if item else None)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            if item is None:
                services.item_create(actor=request.user, **fields)
            else:
                services.item_update(item=item, actor=request.user, base_version=form.cleaned_data["base_version"], **fields)
            messages.success(request, f"記録項目「{fields['name']}」を保存しました。")
            return redirect("register:vocabulary")
        except ValidationError as exc:
            attach_errors(exc, form)
    history = audit.history(item) if item else []
    return render(request, "register/vocabulary_edit.html", {"form": form, "item": item, "history": history})


# ---------------------------------------------------------------- 取り込んだ届出の確認


def imports(request):
    perm.require(perm.can_read_imports(request.user))
    sources = IngestSource.objects.prefetch_related("notifications")
    pending = selectors.notifications_visible(request.user).filter(status=NotificationStatus.IMPORTED).order_by("number")
    return render(request, "register/imports.html", {"sources": sources, "pending": pending, "can_upload": perm.can_review_notifications(request.user)})


def _review_context(request, n, form):
    lists = review_lists(n.extracted)
    return {
        "n": n, "form": form, "source_html": highlighted(n.source_block, n.extracted), "lists": lists,
        "department": n.extracted.get("department") or {}, "create_program": CreateProgramForm(),
        "events": n.events.select_related("actor"),
    }


@require_POST
def imported_review(request, number):
    perm.require(perm.can_review_notifications(request.user))
    n = selectors.notification_get(request.user, number)
    if n is None:
        raise Http404("届出が見つかりません。")
    form = ImportedReviewForm(request.POST)
    if form.is_valid():
        try:
            n = services.imported_update(notification=n, actor=request.user, unit=form.cleaned_data["unit"],
                                         base_version=form.cleaned_data["base_version"], **form.service_fields())
            if "accept" in request.POST:
                ingest.accept(notification=n, actor=request.user)
                messages.success(request, "受理しました。登録簿に反映されました。")
            else:
                messages.success(request, "読み取り内容を保存しました。")
            return redirect("register:notification_detail", number=number)
        except ValidationError as exc:
            attach_errors(exc, form)
    if form.stale_edit is None:
        messages.error(request, "受理できませんでした。赤字の項目を確認してください。")
    return render(request, "register/imported_review.html", _review_context(request, n, form))


@require_POST
def imported_create_unit(request, number):
    perm.require(perm.can_manage_organisation(request.user))
    n = selectors.notification_get(request.user, number)
    if n is None:
        raise Http404("届出が見つかりません。")
    dept = n.extracted.get("department") or {}
    organ = Organ.objects.order_by("order").first()
    try:
        with transaction.atomic():
            unit = units_for_department(organ=organ, actor=request.user, **{k: dept.get(k) for k in ("division", "section", "unit", "team")})
            services.imported_set_unit(notification=n, actor=request.user, unit=unit)
        messages.success(request, f"組織「{unit.label}」を用意し、担当にしました。")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("register:notification_detail", number=number)


@require_POST
def imported_create_program(request, number):
    perm.require(perm.can_review_notifications(request.user))
    form = CreateProgramForm(request.POST)
    if form.is_valid():
        data = empty_version_dict(form.cleaned_data["unit"]) | {"name": form.cleaned_data["name"]}
        try:
            program = services.program_migrate(data=data, effective_from=timezone.localdate(), actor=request.user,
                                               note=f"届出{number}の確認で登録（移行データ）")
            messages.success(request, f"事務事業「{program}」（{program.code}）を登録簿に登録しました。内容は後で届出により補ってください。")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        messages.error(request, "登録する事務事業の名前と担当を指定してください。")
    return redirect("register:notification_detail", number=number)
