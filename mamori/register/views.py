"""Register screens: list and search, program detail and history, 届出 inbox and
editor with its workflow, the item vocabulary, and the council's reading list."""
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mamori.core import actions, audit, concurrency
from mamori.core import permissions as perm
from mamori.core.calendar import DateInputError, parse_date_input
from mamori.core.forms import attach_errors
from mamori.core.listing import Column, listing
from mamori.core.models import UNIT_CHAIN, MunicipalSettings, Organ, OrgUnit
from mamori.core.pagecache import cached_page
from mamori.register import rules, selectors, services
from mamori.register.diff import diff
from mamori.register.forms import (
    ActionForm,
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
from mamori.register.importers.mapping import DepartmentMatch, Matcher, highlighted, review_lists
from mamori.register.models import FlowKind, IngestSource, Item, NotificationKind, NotificationStatus, Program, ProgramVersion
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


PROGRAM_COLUMNS = [
    Column("code", "管理番号", ("code",)),
    Column("name", "事務事業名", ("current__name",)),
    Column("unit", "担当", ("current__unit__path", "current__name")),
    Column("", "区分"),
    Column("effective", "適用年月日", ("current__effective_from",)),
]


@cached_page
def program_list(request):
    perm.require(perm.can_read_register(request.user))
    filters = _filters(request)
    result = listing(request, selectors.register_search(request.user, filters), PROGRAM_COLUMNS, default="unit")
    page = result.page
    page.object_list = selectors.mark_flags(list(page.object_list))
    units = OrgUnit.choices_for(OrgUnit.objects.filter(perm.units_q(request.user)))
    context = {"page": page, "listing": result, "filters": filters, "units": units}
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


NOTIFICATION_COLUMNS = [
    Column("number", "届出番号", ("number",)),
    Column("kind", "種類", ("kind",)),
    Column("name", "事務事業名", ("sort_name",)),
    Column("unit", "担当", ("unit__path",)),
    Column("status", "状態", ("status",)),
    Column("updated", "更新", ("updated_at",)),
]
BOX_SHOWN = 10  # a box on the 届出 page names its first few; its link opens the whole queue


@cached_page
def notification_inbox(request):
    """The 届出 page: what waits for this person (boxes), then every 届出 they may read, filtered by
    queue (?queue=, what a home-page entry counts) or by state (?status=), sortable and paged."""
    perm.require(perm.can_read_register(request.user))
    user = request.user
    queue = selectors.queue_get(user, request.GET.get("queue", ""))
    status = request.GET.get("status", "")
    status = status if status in NotificationStatus.values else ""
    rows = selectors.queue_notifications(user, queue.key) if queue else selectors.notifications_visible(user)
    if status:
        rows = rows.filter(status=status)
    filtered = queue is not None or bool(status)
    boxes = []
    if not filtered:
        for q in selectors.queues(user):
            waiting = selectors.queue_notifications(user, q.key)
            total = waiting.count()
            if q.key == "imported" and not total:
                continue
            boxes.append({"queue": q, "total": total, "items": list(waiting[:BOX_SHOWN]), "url": selectors.queue_url(q.key)})
    result = listing(request, selectors.with_sort_name(rows), NOTIFICATION_COLUMNS, default="-updated")
    return render(
        request,
        "register/notification_inbox.html",
        {
            "boxes": boxes, "listing": result, "page": result.page, "queue": queue, "status": status,
            "status_label": NotificationStatus(status).label if status else "", "statuses": NotificationStatus.choices,
            "queues": selectors.queues(user), "filtered": filtered, "can_draft": perm.can_draft(user),
            "page_actions": actions.actions_for("register:notifications", user),
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
            "effective_warning": _effective_warning(kind, head["effective_date"].value()),
        },
    )


def _effective_warning(kind: str, value) -> str | None:
    """register.rules.effective_date_warning for what the date field holds (typed text or a date)."""
    try:
        day = value if hasattr(value, "year") else parse_date_input(str(value or ""))
    except DateInputError:
        return None  # the field itself says what is wrong with the date
    return rules.effective_date_warning(kind, day, timezone.localdate())


def effective_date_note(request):
    """The warning beside 適用年月日 while it is typed (htmx, from the 届出 editor): a past date is warned about, not refused."""
    perm.require(perm.can_draft(request.user))
    kind = request.GET.get("kind", "")
    value = next((v for k, v in request.GET.items() if k.endswith("effective_date")), "")[:40]
    warning = _effective_warning(kind if kind in NotificationKind.values else NotificationKind.NEW, value)
    return render(request, "register/effective_date_note.html", {"warning": warning})


def notification_detail(request, number):
    perm.require(perm.can_read_register(request.user))
    n = selectors.notification_get(request.user, number)
    if n is None:
        raise Http404("届出が見つかりません。")
    if n.status == NotificationStatus.IMPORTED:
        match = _department(n)
        form = _review_form(n, match)
        return render(request, "register/imported_review.html", _review_context(request, n, form, match))
    return _render_detail(request, n, ActionForm(version=concurrency.token_for(n)))


def _render_detail(request, n, form, status=200):
    """The 届出 page; ``form`` is the action form, bound with what was typed when an action was refused."""
    base = version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=n.base_version_id)).get()) if n.base_version_id else None
    rows = diff(base, n.proposed, _labels(base, n.proposed))
    names = [name for g in n.proposed.get("groups") or [] for name in g.get("items") or []]
    names += [name for f in n.proposed.get("flows") or [] for name in f.get("items") or []]
    unknown = sorted(set(Vocabulary().unknown(names)))
    user = request.user
    actions = selectors.notification_actions(user, n)
    if "return" not in actions:
        form.fields["comment"].label = "コメント"
    warning = None
    if n.status in rules.WARNED_STATUSES:
        warning = rules.effective_date_warning(n.kind, n.effective_date, timezone.localdate())
    return render(
        request,
        "register/notification_detail.html",
        {
            "n": n, "rows": rows, "unknown": unknown, "actions": actions, "form": form,
            "events": n.events.select_related("actor"), "labels": _labels(n.proposed), "history": audit.history(n),
            "duty_notes": selectors.notification_duty_notes(user, n), "effective_warning": warning,
            "accept_confirm": f"受理すると{selectors.acceptance_outcome(n)}が作成され、変更できません。よろしいですか。",
            "withdraw_confirm": f"取り下げると、届出 {n.number} はこれ以上進められず、元に戻せません。"
                                "もう一度届け出るときは新しく作成します。よろしいですか。",
        },
        status=status,
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
    """One step of the workflow. Refused: the 届出 page comes back with what was typed and the
    reason beside the comment (差戻しの理由) or above the buttons; nothing is lost, nothing written."""
    perm.require(perm.can_read_register(request.user))
    if action not in ACTIONS:
        raise Http404()
    n = selectors.notification_get(request.user, number)
    if n is None:
        raise Http404("届出が見つかりません。")
    imported = n.status == NotificationStatus.IMPORTED
    form = ActionForm(request.POST)
    service, done = ACTIONS[action]
    if form.is_valid():
        # The person acts on the 届出 they saw: a change since the page was loaded refuses the action (a comment stays valid).
        version = {} if action == "comment" else {"base_version": form.cleaned_data["base_version"]}
        try:
            service(notification=n, actor=request.user, comment=form.cleaned_data["comment"], **version)
        except ValidationError as exc:
            attach_errors(exc, form)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or "この操作を行う権限がありません。")
            return redirect("register:notification_detail", number=number)
        else:
            if imported and action == "withdraw":
                messages.success(request, f"取り込んだ届出 {number} を破棄しました（取下げ）。取込元の文書は残っています。")
                return redirect("register:imports")
            messages.success(request, done)
            return redirect("register:notification_detail", number=number)
    n.refresh_from_db()
    if n.status == NotificationStatus.IMPORTED:
        match = _department(n)
        review = _review_form(n, match)  # the refusal goes above the discard button
        return render(request, "register/imported_review.html", _review_context(request, n, review, match, action_form=form))
    return _render_detail(request, n, form)


# ---------------------------------------------------------------- vocabulary


VOCABULARY_COLUMNS = [
    Column("name", "項目名", ("name",)),
    Column("category", "分類", ("category__order", "order", "name")),
    Column("", "区分"),
    Column("alias", "同義語の正式名", ("alias_of__name",)),
    Column("reviewed", "状態", ("reviewed", "name")),
]


def vocabulary_list(request):
    perm.require(perm.can_read_register(request.user))
    items = Item.objects.select_related("category", "alias_of__category")
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(name__icontains=q)
    unreviewed = request.GET.get("unreviewed") == "1"
    if unreviewed:
        items = items.filter(reviewed=False)
    result = listing(request, items, VOCABULARY_COLUMNS, default="category")
    return render(
        request,
        "register/vocabulary_list.html",
        {
            "listing": result, "page": result.page, "q": q, "unreviewed": unreviewed,
            "unreviewed_count": Item.objects.filter(reviewed=False).count(),
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


SOURCE_COLUMNS = [
    Column("file", "ファイル", ("file_name",)),
    Column("", "審議会"),
    Column("at", "取込日時", ("created_at",)),
    Column("count", "届出", ("count",), numeric=True),
]


def imports(request):
    perm.require(perm.can_read_imports(request.user))
    sources = listing(request, IngestSource.objects.annotate(count=Count("notifications")), SOURCE_COLUMNS, default="-at")
    pending = selectors.notifications_visible(request.user).filter(status=NotificationStatus.IMPORTED).order_by("number")
    return render(request, "register/imports.html", {"listing": sources, "page": sources.page, "pending": pending,
                                                     "page_actions": actions.actions_for("register:imports", request.user)})


def _department(n) -> DepartmentMatch:
    return Matcher().department(n.extracted.get("department") or {})


def _review_form(n, match: DepartmentMatch, data=None) -> ImportedReviewForm:
    create_label = None
    if match.unknown:
        create_label = f"「{match.nearest.label}」の下に{match.missing_text}を作成" if match.nearest else f"{match.missing_text}を作成"
    if data is None:
        return ImportedReviewForm(initial=ImportedReviewForm.initial_for(n), version=concurrency.token_for(n), create_label=create_label)
    return ImportedReviewForm(data, create_label=create_label)


def _review_context(request, n, form, match: DepartmentMatch, *, program_errors=None, action_form=None):
    lists = review_lists(n.extracted)
    siblings = []
    if n.source_id:
        siblings = selectors.notifications_visible(request.user).filter(source=n.source_id, status=NotificationStatus.IMPORTED).exclude(pk=n.pk)
    return {
        "n": n, "form": form, "source_html": highlighted(n.source_block, n.extracted), "lists": lists, "match": match,
        "program_units": OrgUnit.objects.filter(active=True).select_related(UNIT_CHAIN),
        "unknown_programs": [{"index": str(i), "name": name, "unit": request.POST.get(f"cp-unit-{i}", ""), "error": (program_errors or {}).get(str(i))}
                             for i, name in enumerate(lists["unknown_programs"])],
        "events": n.events.select_related("actor"), "siblings": siblings.order_by("number") if siblings else [],
        "can_review": perm.can_review_notifications(request.user), "action_form": action_form,
        "accept_confirm": f"受理すると{selectors.acceptance_outcome(n)}が作成され、変更できません。よろしいですか。",
        "discard_confirm": f"破棄すると、取り込んだ届出 {n.number} は「取下げ」になり、元に戻せません（取込元の文書は残ります）。よろしいですか。",
        "ocr": _ocr_of_block(n),
    }


def _ocr_of_block(n) -> dict | None:
    """When the source's text came from OCR (importers.ocr): its confidence, and the doubtful lines of this block."""
    ocr = n.source.ocr if n.source_id and n.source else None
    if not ocr:
        return None
    block = re.sub(r"\s+", "", n.source_block)
    return {"confidence": ocr.get("confidence"), "pages": ocr.get("pages", []),
            "low": [line for line in ocr.get("low", []) if re.sub(r"\s+", "", line["text"]) and re.sub(r"\s+", "", line["text"]) in block]}


def _register_program(request, index: str, errors: dict) -> Program:
    """「管理簿に登録」 beside a program the document names and the register lacks: version 1, no 届出."""
    name = request.POST.get(f"cp-name-{index}", "").strip()
    unit = OrgUnit.objects.filter(pk=request.POST.get(f"cp-unit-{index}") or None, active=True).first()
    if not name or unit is None:
        errors[index] = "登録する事務事業の担当を選んでください。"
        raise ValidationError(errors[index])
    data = empty_version_dict(unit) | {"name": name}
    try:
        return services.program_migrate(data=data, effective_from=timezone.localdate(), actor=request.user,
                                        note=f"届出{request.resolver_match.kwargs['number']}の確認で登録（移行データ）")
    except ValidationError as exc:
        errors[index] = "".join(exc.messages)
        raise


@require_POST
def imported_review(request, number):
    """The office's check of an imported 届出: save the corrections, create or map the 担当, register
    a program it names, and accept — all in one transaction; refused, the page comes back as typed."""
    perm.require(perm.can_review_notifications(request.user))
    n = selectors.notification_get(request.user, number)
    if n is None:
        raise Http404("届出が見つかりません。")
    match = _department(n)
    form = _review_form(n, match, request.POST)
    program_errors: dict = {}
    if form.is_valid():
        done = []
        try:
            with transaction.atomic():
                unit = form.cleaned_data["unit"]
                if form.creates_units:
                    organ = match.nearest.organ if match.nearest else Organ.objects.order_by("order", "pk").first()
                    unit = services.imported_units_create(actor=request.user, organ=organ, parent=match.nearest, missing=match.missing)
                    done.append(f"組織「{unit.label}」を作成し、担当にしました。")
                n = services.imported_update(notification=n, actor=request.user, unit=unit,
                                             base_version=form.cleaned_data["base_version"], **form.service_fields())
                if request.POST.get("create_program"):
                    program = _register_program(request, request.POST["create_program"], program_errors)
                    done.append(f"事務事業「{program}」（{program.code}）を管理簿に登録しました。内容は後で届出により補ってください。")
                if "accept" in request.POST:
                    ingest.accept(notification=n, actor=request.user)
                    done.append("受理しました。管理簿に反映されました。")
        except ValidationError as exc:
            if not program_errors:
                attach_errors(exc, form)
            n.refresh_from_db()
        else:
            for message in done or ["読み取り内容を保存しました。"]:
                messages.success(request, message)
            return redirect("register:notification_detail", number=number)
    return render(request, "register/imported_review.html", _review_context(request, n, form, match, program_errors=program_errors))
