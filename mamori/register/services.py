"""Every write to the register: 届出 through its workflow, versions, the vocabulary.

Each function checks the actor's permission, validates, writes, and records the
audit event in the same transaction.
"""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mamori.core import audit, concurrency, hooks
from mamori.core import services as core_services
from mamori.core.calendar import fiscal_year
from mamori.core.models import AuditAction, Organ, OrgUnit
from mamori.core.permissions import (
    can_draft,
    can_manage_organisation,
    can_manage_vocabulary,
    can_migrate_programs,
    can_review_notifications,
    require,
    unit_in_scope,
)
from mamori.register import rules, selectors
from mamori.register.diff import diff
from mamori.register.models import (
    Flow,
    FlowItem,
    GroupItem,
    IngestSource,
    Item,
    ItemCategory,
    Notification,
    NotificationEvent,
    NotificationEventKind,
    NotificationKind,
    NotificationStatus,
    Program,
    ProgramVersion,
    SubjectGroup,
    name_key,
)
from mamori.register.serialize import DATE_FIELDS, SCALAR_FIELDS, prefetch_version, validate_version_dict, version_to_dict
from mamori.register.vocabulary import Vocabulary


def _item_for(vocabulary: Vocabulary, name: str, actor) -> Item:
    return vocabulary.find(name) or item_learn(name=name, actor=actor, vocabulary=vocabulary)


@transaction.atomic
def write_version(
    *,
    program: Program,
    number: int,
    data: dict,
    effective_from: datetime.date,
    actor=None,
    created_at: datetime.datetime | None = None,
    vocabulary: Vocabulary | None = None,
    units: dict | None = None,
    programs: dict | None = None,
) -> ProgramVersion:
    """Write a new immutable version with its groups, items and flows (item names the vocabulary
    does not know become unreviewed items, each audited)."""
    vocabulary = vocabulary or Vocabulary()
    unit = units[data["unit"]] if units else OrgUnit.objects.get(code=data["unit"])
    version = ProgramVersion(
        program=program,
        number=number,
        unit=unit,
        effective_from=effective_from,
        created_at=created_at or timezone.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    for field in SCALAR_FIELDS:
        value = data.get(field)
        if field in DATE_FIELDS and value:
            value = datetime.date.fromisoformat(value)
        if field in ("computerized", "manual"):
            value = bool(value)
        if value is None and field not in ("person_count", *DATE_FIELDS):
            value = ""
        setattr(version, field, value)
    version.save()

    group_items, flow_items = [], []
    for g_order, group in enumerate(data.get("groups") or []):
        sg = SubjectGroup.objects.create(version=version, order=g_order, name=group["name"].strip(), note=group.get("note") or "")
        for i_order, name in enumerate(group.get("items") or []):
            group_items.append(GroupItem(group=sg, item=_item_for(vocabulary, name, actor), written_name=name.strip(), order=i_order))
    for f_order, flow in enumerate(data.get("flows") or []):
        other = None
        if flow.get("program"):
            other = programs[flow["program"]] if programs else Program.objects.get(code=flow["program"])
        fl = Flow.objects.create(
            version=version,
            order=f_order,
            kind=flow["kind"],
            program=other,
            party=(flow.get("party") or "").strip(),
            purpose=flow.get("purpose") or "",
        )
        for i_order, name in enumerate(flow.get("items") or []):
            flow_items.append(FlowItem(flow=fl, item=_item_for(vocabulary, name, actor), written_name=name.strip(), order=i_order))
    GroupItem.objects.bulk_create(group_items)
    FlowItem.objects.bulk_create(flow_items)
    return version



def _notification_snapshot(n: Notification) -> dict:
    snap = audit.snapshot(n)
    snap.pop("proposed", None)
    snap["proposed"] = n.proposed
    return snap


def _event(n: Notification, actor, kind: str, comment: str = "", at=None) -> None:
    NotificationEvent.objects.create(notification=n, actor=actor, kind=kind, comment=comment, at=at or timezone.now())


def next_notification_number(day: datetime.date) -> str:
    prefix = f"{fiscal_year(day)}-"
    last = (
        Notification.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    )
    seq = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def next_program_code() -> str:
    last = Program.objects.aggregate(m=Max("code"))["m"]
    seq = int(last[1:]) + 1 if last and last[1:].isdigit() else 1
    return f"P{seq:05d}"


def _validate_against_db(data: dict) -> OrgUnit:
    """Check a version dict against the organisation and the register; return its unit."""
    units = {u.code: u for u in OrgUnit.objects.filter(code=data.get("unit"))}
    codes = {f.get("program") for f in data.get("flows") or [] if isinstance(f, dict) and f.get("program")}
    programs = {p.code: p for p in Program.objects.filter(code__in=codes)}
    errors = validate_version_dict(data, units=units, programs=programs)
    if errors:
        raise ValidationError({field or "proposed": message for field, message in errors})
    return units[data["unit"]]


def _check_proposed(proposed: dict, actor) -> OrgUnit:
    unit = _validate_against_db(proposed)
    if not unit_in_scope(actor, unit):
        raise ValidationError({"unit": "担当には自分の所属（またはその下の組織）を選んでください。"})
    return unit


@transaction.atomic
def notification_create(
    *,
    actor,
    kind: str,
    reason: str,
    content: str,
    proposed: dict | None,
    effective_date: datetime.date,
    program: Program | None = None,
) -> Notification:
    require(can_draft(actor), "届出を作成できるのは所管課の職員です。")
    base = None
    if kind == NotificationKind.NEW:
        if program is not None:
            raise ValidationError({"program": "新規の届出では既存の事務事業を選べません。変更の届出を使ってください。"})
    else:
        if program is None or program.current_id is None:
            raise ValidationError({"program": "変更・廃止する事務事業を選んでください。"})
        base = program.current
        if not unit_in_scope(actor, base.unit):
            raise PermissionDenied("この事務事業の届出を作成する権限がありません。")
        if base.is_abolished:
            raise ValidationError({"program": "この事務事業は廃止されています。"})
        if kind == NotificationKind.ABOLISH:
            proposed = version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=base.pk)).get())
            proposed["abolished_on"] = effective_date.isoformat()
    unit = _check_proposed(proposed or {}, actor)
    now = timezone.now()
    n = Notification(
        number=next_notification_number(timezone.localdate()),
        kind=kind,
        program=program,
        base_version=base,
        unit=unit,
        reason=reason,
        content=content,
        proposed=proposed,
        effective_date=effective_date,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    n.full_clean()
    n.save()
    _event(n, actor, NotificationEventKind.CREATE, at=now)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=n, after=_notification_snapshot(n))
    return n


def _require_open(n: Notification, actor, action: str) -> None:
    """Refuse what register.rules.refusal refuses: PermissionDenied for who, ValidationError for when."""
    refused = rules.refusal(action, n.status, selectors.standing(actor, n))
    if refused:
        kind, message = refused
        raise PermissionDenied(message) if kind == rules.PERMISSION else ValidationError(message)


@transaction.atomic
def notification_update(
    *, notification: Notification, actor, reason: str, content: str, proposed: dict, effective_date: datetime.date,
    base_version: str | None = None,
) -> Notification:
    n = Notification.objects.select_for_update().get(pk=notification.pk)
    _require_open(n, actor, "edit")
    check_version(n, base_version)
    before = _notification_snapshot(n)
    if n.kind == NotificationKind.ABOLISH:
        proposed = dict(n.proposed, abolished_on=effective_date.isoformat())
    n.unit = _check_proposed(proposed, actor)
    n.reason, n.content, n.proposed, n.effective_date = reason, content, proposed, effective_date
    n.updated_at = timezone.now()
    n.full_clean()
    n.save()
    _event(n, actor, NotificationEventKind.EDIT)
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=n, before=before, after=_notification_snapshot(n))
    return n


def _transition(n: Notification, actor, target: str, event: str, comment: str = "", **fields) -> Notification:
    rules.check_transition(n.status, target)  # the last guard: every caller has checked _require_open
    before = _notification_snapshot(n)
    n.status = target
    n.updated_at = timezone.now()
    for key, value in fields.items():
        setattr(n, key, value)
    n.save()
    _event(n, actor, event, comment)
    audit.record(
        actor=actor,
        action=TRANSITION_VERBS[target],
        obj=n,
        before=before,
        after=_notification_snapshot(n),
        summary=f"{NotificationStatus(before['status']).label} → {n.get_status_display()}",
    )
    return n


TRANSITION_VERBS = {
    NotificationStatus.SUBMITTED: AuditAction.SUBMIT, NotificationStatus.APPROVED: AuditAction.APPROVE,
    NotificationStatus.RETURNED: AuditAction.RETURN, NotificationStatus.WITHDRAWN: AuditAction.WITHDRAW,
    NotificationStatus.ACCEPTED: AuditAction.ACCEPT,
}


def _locked(notification: Notification) -> Notification:
    return Notification.objects.select_for_update(of=("self",)).select_related("unit", "program__current").get(pk=notification.pk)


def _proposed_rows(before, now) -> list[tuple[str, str, str]]:
    rows = diff(before if isinstance(before, dict) else None, now or {}, {})
    return [(f"届出後の内容・{r.label}", r.old, r.new) for r in rows] or [("届出後の内容", "（変更前）", "（変更後）")]


def check_version(n: Notification, base_version: str | None) -> None:
    """core.concurrency.check for a 届出: its proposed content is shown as a 新旧対照."""
    concurrency.check(n, base_version, subject=f"届出 {n.number}", describe={"proposed": _proposed_rows})


@transaction.atomic
def notification_submit(*, notification: Notification, actor, comment: str = "", base_version: str | None = None) -> Notification:
    n = _locked(notification)
    _require_open(n, actor, "submit")
    check_version(n, base_version)  # after the permission: the changes are shown only to who may act
    if not (n.reason or "").strip() or not (n.content or "").strip():
        raise ValidationError("理由及び経緯と内容を入力してから提出してください。")
    return _transition(n, actor, NotificationStatus.SUBMITTED, NotificationEventKind.SUBMIT, comment, submitted_at=timezone.now())


@transaction.atomic
def notification_approve(*, notification: Notification, actor, comment: str = "", base_version: str | None = None) -> Notification:
    n = _locked(notification)
    _require_open(n, actor, "approve")
    check_version(n, base_version)  # after the permission: the changes are shown only to who may act
    return _transition(
        n, actor, NotificationStatus.APPROVED, NotificationEventKind.APPROVE, comment, approved_by=actor, approved_at=timezone.now()
    )


@transaction.atomic
def notification_return(*, notification: Notification, actor, comment: str, base_version: str | None = None) -> Notification:
    n = _locked(notification)
    _require_open(n, actor, "return")
    check_version(n, base_version)  # after the permission: the changes are shown only to who may act
    if not (comment or "").strip():
        raise ValidationError({"comment": "差し戻す理由（修正してほしい点）を入力してください。"})
    return _transition(n, actor, NotificationStatus.RETURNED, NotificationEventKind.RETURN, comment)


@transaction.atomic
def notification_withdraw(*, notification: Notification, actor, comment: str = "", base_version: str | None = None) -> Notification:
    n = _locked(notification)
    _require_open(n, actor, "withdraw")
    check_version(n, base_version)  # after the permission: the changes are shown only to who may act
    return _transition(n, actor, NotificationStatus.WITHDRAWN, NotificationEventKind.WITHDRAW, comment)


@transaction.atomic
def notification_comment(*, notification: Notification, actor, comment: str) -> Notification:
    n = _locked(notification)
    _require_open(n, actor, "comment")
    if not (comment or "").strip():
        raise ValidationError({"comment": "コメントを入力してください。"})
    _event(n, actor, NotificationEventKind.COMMENT, comment)
    audit.record(actor=actor, action=AuditAction.COMMENT, obj=n, summary="コメント", after={"comment": comment})
    return n


def _apply_acceptance(n: Notification, actor, comment: str) -> Notification:
    """The proposed content becomes the program's next immutable version."""
    if n.kind == NotificationKind.NEW:
        program = Program.objects.create(code=next_program_code())
        number = 1
    else:
        program = Program.objects.select_for_update().get(pk=n.program_id)
        if program.current_id != n.base_version_id:
            raise ValidationError(
                "この届出の作成後に別の届出が受理され、登録内容が変わっています。"
                "差し戻して、最新の内容をもとに作り直してください。"
            )
        number = program.versions.count() + 1
    version = write_version(program=program, number=number, data=n.proposed, effective_from=n.effective_date, actor=actor)
    before_program = audit.snapshot(program)
    program.current = version
    program.save(update_fields=["current"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if number == 1 else AuditAction.UPDATE,
        obj=program,
        before=before_program if number > 1 else None,
        after=audit.snapshot(program),
        summary=f"届出{n.number}の受理により第{number}版を作成",
    )
    n = _transition(
        n, actor, NotificationStatus.ACCEPTED, NotificationEventKind.ACCEPT, comment,
        program=program, result_version=version, accepted_by=actor, accepted_at=timezone.now(),
    )
    # The apps above follow the new version in this transaction (the ファイル簿 drafts its entry at once).
    hooks.version_accepted(hooks.VersionAccepted(program=program, version=version, notification=n, actor=actor))
    return n


@transaction.atomic
def notification_accept(*, notification: Notification, actor, comment: str = "", base_version: str | None = None) -> Notification:
    """Accept a 届出 its 課長 approved: it becomes the program's next version."""
    n = _locked(notification)
    _require_open(n, actor, "accept")
    check_version(n, base_version)  # after the permission: the changes are shown only to who may act
    if n.status == NotificationStatus.IMPORTED:
        raise ValidationError("取り込んだ届出は、取込確認の画面で読み取り内容を確かめてから受理してください。")
    return _apply_acceptance(n, actor, comment)


# ---------------------------------------------------------------- 取り込んだ届出

IMPORTED_FIELDS = ("kind", "program_name", "reason", "content", "effective_date", "items", "reuse_sources", "provided_to",
                   "contractors", "online_partners", "uses_my_number", "online_link")


def _require_correctable_import(n: Notification, actor) -> None:
    """The office corrects an imported 届出 while it waits for its check."""
    require(can_review_notifications(actor), "取り込んだ届出を確認できるのは個人情報保護担当です。")
    if n.status != NotificationStatus.IMPORTED:
        raise ValidationError("確認待ちの取り込んだ届出だけを修正できます。")


@transaction.atomic
def imported_update(*, notification: Notification, actor, unit: OrgUnit | None, base_version: str | None = None, **fields) -> Notification:
    """The office corrects what was read from the document."""
    n = _locked(notification)
    _require_correctable_import(n, actor)
    check_version(n, base_version)
    before = _notification_snapshot(n)
    extracted = dict(n.extracted)
    for key in ("items", "reuse_sources", "provided_to", "contractors", "online_partners", "uses_my_number", "online_link"):
        if key in fields:
            extracted[key] = fields[key]
    if "program_name" in fields:
        extracted["program"] = fields["program_name"].strip()
    n.kind = fields.get("kind", n.kind)
    n.reason, n.content = fields.get("reason", n.reason), fields.get("content", n.content)
    n.effective_date = fields.get("effective_date", n.effective_date)
    n.unit = unit
    n.extracted = extracted
    program = None
    if n.kind != NotificationKind.NEW:
        program = Program.objects.filter(current__name=extracted["program"]).select_related("current").first()
    n.program, n.base_version = program, (program.current if program else None)
    n.updated_at = timezone.now()
    n.save()
    _event(n, actor, NotificationEventKind.EDIT, "読み取り内容を修正")
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=n, before=before, after=_notification_snapshot(n), summary="取込内容の修正")
    return n


@transaction.atomic
def ingest_source_create(*, actor, file_name: str, sha256: str, size: int, text: str, meeting: dict | None, ocr: dict | None = None) -> IngestSource:
    """A document read by `mamori ingest` or the upload, kept with its text as the source of its 届出."""
    source = IngestSource.objects.create(file_name=file_name, sha256=sha256, size=size, text=text, meeting=meeting, ocr=ocr,
                                         created_by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor=actor, action=AuditAction.IMPORT, obj=source, after={"file_name": file_name, "sha256": sha256, "size": size},
                 summary="文書の取込")
    return source


@transaction.atomic
def notification_import(
    *, actor, source: IngestSource, kind: str, unit: OrgUnit | None, program: Program | None, reason: str, content: str,
    effective_date: datetime.date, source_block: str, extracted: dict, import_key: str,
) -> Notification:
    """One 届出 read from a document: it waits as 取込済・確認待ち until the office checks and accepts it."""
    now = timezone.now()
    n = Notification.objects.create(
        number=next_notification_number(timezone.localdate()), kind=kind, status=NotificationStatus.IMPORTED,
        program=program, base_version=program.current if program else None, unit=unit, reason=reason, content=content, proposed={},
        effective_date=effective_date, created_by=actor if getattr(actor, "pk", None) else None, created_at=now, updated_at=now,
        source=source, source_block=source_block, extracted=extracted, import_key=import_key,
    )
    _event(n, actor if getattr(actor, "pk", None) else None, NotificationEventKind.IMPORT, f"{source.file_name} から取込", at=now)
    audit.record(actor=actor, action=AuditAction.IMPORT, obj=n, after={"source": source.file_name, "extracted": extracted}, summary="文書から取込")
    return n


@transaction.atomic
def imported_accept(*, notification: Notification, actor, propose, comment: str = "") -> Notification:
    """Accept a checked import. It was drafted and approved on paper, so the 課長 step and
    the drafter rule do not apply; the acceptance is recorded as the office's.

    ``propose(extracted, unit, base)`` maps what was read onto the version it stands for and
    returns (version dict, names of programs the register lacks): register.importers.mapping.
    """
    n = _locked(notification)
    _require_open(n, actor, "accept")
    if n.unit is None:
        raise ValidationError({"unit": "担当の組織を選ぶか作成してから受理してください（文書の担当が組織にありません）。"})
    base = None
    if n.kind != NotificationKind.NEW:
        if n.program is None or n.program.current_id is None:
            raise ValidationError(f"変更する事務事業「{n.extracted.get('program')}」が登録簿にありません。事務事業名を直すか、新規として受理してください。")
        base = version_to_dict(prefetch_version(ProgramVersion.objects.filter(pk=n.program.current_id)).get())
        n.base_version = n.program.current
    elif Program.objects.filter(current__name=n.extracted.get("program")).exists():
        raise ValidationError(f"事務事業「{n.extracted.get('program')}」はすでに登録簿にあります。種類を「変更」にしてください。")
    proposed, missing = propose(n.extracted, n.unit, base)
    if missing:
        raise ValidationError(
            "登録簿にない事務事業が書かれています：" + "、".join(f"「{m}」" for m in missing)
            + "。名前を直すか、先にその事務事業を登録してください。"
        )
    n.proposed = proposed
    n.save(update_fields=["proposed", "base_version"])
    return _apply_acceptance(n, actor, comment)


@transaction.atomic
def imported_units_create(*, actor, organ: Organ, parent: OrgUnit | None, missing: list[tuple[str, str]]) -> OrgUnit:
    """The levels of an imported 担当 the organisation lacks (a 係 under its existing 課, ...), created
    under ``parent`` through core's org-unit service (permission-checked, each audited); the deepest is returned."""
    require(can_manage_organisation(actor), "組織を作成できるのはシステム管理者か個人情報保護担当です。")
    if not missing:
        raise ValidationError("作成する組織がありません。担当を選んでください。")
    for kind, name in missing:
        seq = OrgUnit.objects.count() + 1
        code = f"{kind}-{seq}"
        while OrgUnit.objects.filter(code=code).exists():
            seq += 1
            code = f"{kind}-{seq}"
        parent = core_services.unit_create(organ=organ, kind=kind, code=code, name=name.strip(), parent=parent, actor=actor)
    return parent


# ---------------------------------------------------------------- vocabulary

ITEM_FIELDS = ("name", "category", "sensitive", "my_number", "alias_of", "reviewed", "note")


@transaction.atomic
def item_create(*, actor, **fields) -> Item:
    require(can_manage_vocabulary(actor), "記録項目を編集できるのは個人情報保護担当です。")
    item = Item(**{k: v for k, v in fields.items() if k in ITEM_FIELDS})
    item.key = name_key(item.name)
    item.full_clean()
    item.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=item, after=audit.snapshot(item))
    return item


@transaction.atomic
def item_update(*, item: Item, actor, base_version: str | None = None, **fields) -> Item:
    require(can_manage_vocabulary(actor), "記録項目を編集できるのは個人情報保護担当です。")
    item = Item.objects.select_for_update().get(pk=item.pk)
    concurrency.check(item, base_version, subject=f"記録項目「{item.name}」")
    before = audit.snapshot(item)
    for key, value in fields.items():
        if key in ITEM_FIELDS:
            setattr(item, key, value)
    item.key = name_key(item.name)
    item.full_clean()
    if item.alias_of_id and item.aliases.exists():
        raise ValidationError({"alias_of": "この項目には同義語があるため、他の項目の同義語にはできません。"})
    item.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=item, before=before, after=audit.snapshot(item))
    return item


def item_learn(*, name: str, actor, vocabulary: Vocabulary | None = None) -> Item:
    """A name the vocabulary does not know, written in a 届出 or an import: kept as an unreviewed
    item for the office to map, never dropped. Runs inside the writing service's transaction."""
    item = Item.objects.create(name=name.strip(), reviewed=False, note="届出で初めて使われた項目名")
    audit.record(actor=actor, action=AuditAction.CREATE, obj=item, after=audit.snapshot(item), summary="届出で初めて使われた項目名")
    if vocabulary is not None:
        vocabulary.remember(item)
    return item


@transaction.atomic
def category_create(*, actor, name: str, order: int = 0) -> ItemCategory:
    require(can_manage_vocabulary(actor), "記録項目の分類を編集できるのは個人情報保護担当です。")
    category = ItemCategory(name=name, order=order)
    category.full_clean()
    category.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=category, after=audit.snapshot(category))
    return category


@transaction.atomic
def vocabulary_load(*, data: dict, actor=None) -> int:
    """Load a vocabulary file (register/data/vocabulary.json): categories, items, synonyms.

    Existing names are left as they are (the office may have edited them); returns
    the number of items created.
    """
    if actor is not None:
        require(can_manage_vocabulary(actor), "記録項目を編集できるのは個人情報保護担当です。")
    created = 0
    for c_order, cat in enumerate(data["categories"]):
        category, _ = ItemCategory.objects.get_or_create(name=cat["name"], defaults={"order": c_order})
        for i_order, entry in enumerate(cat["items"]):
            item = Item.objects.filter(key=name_key(entry["name"])).first()
            if item is None:
                item = Item(
                    name=entry["name"], category=category, order=i_order, sensitive=entry.get("sensitive", False),
                    my_number=entry.get("my_number", False), note=entry.get("note", ""),
                )
                item.save()
                created += 1
                audit.record(actor=actor, action=AuditAction.CREATE, obj=item, after=audit.snapshot(item), summary="標準語彙の読込み")
            for alias in entry.get("aliases", []):
                if not Item.objects.filter(key=name_key(alias)).exists():
                    syn = Item.objects.create(name=alias, category=category, order=i_order, alias_of=item)
                    created += 1
                    audit.record(actor=actor, action=AuditAction.CREATE, obj=syn, after=audit.snapshot(syn), summary="標準語彙の読込み")
    return created


@transaction.atomic
def program_migrate(*, data: dict, effective_from: datetime.date, actor=None, note: str = "移行データ") -> Program:
    """Bring a program from the office's previous register (Word/Excel) in as version 1,
    without a 届出. Used by the demo and by the office when moving to Mamori."""
    if actor is not None:
        require(can_migrate_programs(actor), "移行データを登録できるのは個人情報保護担当です。")
    _validate_against_db(data)
    program = Program.objects.create(code=next_program_code())
    version = write_version(program=program, number=1, data=data, effective_from=effective_from, actor=actor)
    program.current = version
    program.save(update_fields=["current"])
    audit.record(actor=actor, action=AuditAction.CREATE, obj=program, after=audit.snapshot(program), summary=note)
    return program
