"""Every read of the register, scoped by the reader's permissions."""
from dataclasses import dataclass
from typing import Callable

from django.db.models import Exists, F, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from mamori.core import permissions as perm
from mamori.core.calendar import wareki
from mamori.core.models import UNIT_CHAIN, OrgUnit
from mamori.core.worklist import ITEMS_SHOWN, Entry
from mamori.core.worklist import Item as WorkItem
from mamori.register import rules
from mamori.register.models import (
    Flow,
    FlowItem,
    FlowKind,
    GroupItem,
    Item,
    Notification,
    NotificationEvent,
    NotificationEventKind,
    NotificationKind,
    NotificationStatus,
    Program,
    ProgramVersion,
    name_key,
)

ITEM_PREFETCH = ("groups__items__item__alias_of", "flows__items__item__alias_of", "flows__program__current")


def programs_visible(user) -> QuerySet[Program]:
    if not perm.can_read_register(user):
        return Program.objects.none()
    return Program.objects.filter(current__isnull=False).filter(perm.unit_scope_q(user, "current__unit"))


def _item_ids_matching(text: str) -> list[int]:
    """Items whose name (or a synonym's) contains the text, with their synonyms."""
    key = name_key(text)
    base = Item.objects.filter(key__contains=key)
    canon = set(base.values_list("pk", flat=True)) | set(base.filter(alias_of__isnull=False).values_list("alias_of", flat=True))
    return list(canon | set(Item.objects.filter(alias_of__in=canon).values_list("pk", flat=True)))


def _flag_exists(flag: str):
    """Exists(...) for a current version holding an item whose canonical entry has the flag."""
    flagged = Q(**{f"item__{flag}": True}) | Q(**{f"item__alias_of__{flag}": True})
    in_groups = GroupItem.objects.filter(flagged, group__version=OuterRef("current"))
    in_flows = FlowItem.objects.filter(flagged, flow__version=OuterRef("current"))
    return Exists(in_groups) | Exists(in_flows)


@dataclass
class RegisterFilters:
    q: str = ""
    item: str = ""
    unit: int | None = None
    sensitive: bool = False
    my_number: bool = False
    contractor: str = ""
    source: str = ""
    abolished: bool = False


def register_search(user, f: RegisterFilters) -> QuerySet[Program]:
    qs = programs_visible(user)
    if not f.abolished:
        qs = qs.filter(current__abolished_on__isnull=True)
    if f.q:
        qs = qs.filter(Q(current__name__icontains=f.q) | Q(code__iexact=f.q))
    if f.unit:
        unit = OrgUnit.objects.filter(pk=f.unit).first()
        qs = qs.filter(current__unit__path__startswith=unit.path) if unit else qs.none()
    if f.item:
        ids = _item_ids_matching(f.item)
        qs = qs.filter(
            Exists(GroupItem.objects.filter(group__version=OuterRef("current"), item_id__in=ids))
            | Exists(FlowItem.objects.filter(flow__version=OuterRef("current"), item_id__in=ids))
        )
    if f.sensitive:
        qs = qs.filter(_flag_exists("sensitive"))
    if f.my_number:
        qs = qs.filter(_flag_exists("my_number"))
    if f.contractor:
        qs = qs.filter(
            Exists(Flow.objects.filter(version=OuterRef("current"), kind=FlowKind.OUTSOURCE, party__icontains=f.contractor))
        )
    if f.source:
        qs = qs.filter(
            Exists(
                Flow.objects.filter(
                    version=OuterRef("current"), kind=FlowKind.REUSE_IN, program__current__name__icontains=f.source
                )
            )
        )
    return qs.select_related(f"current__unit__{UNIT_CHAIN}").order_by("current__unit__path", "current__name")


def _flagged_versions(version_ids: list[int], flag: str) -> set[int]:
    flagged = Q(**{f"item__{flag}": True}) | Q(**{f"item__alias_of__{flag}": True})
    ids = set(GroupItem.objects.filter(flagged, group__version_id__in=version_ids).values_list("group__version_id", flat=True))
    ids |= set(FlowItem.objects.filter(flagged, flow__version_id__in=version_ids).values_list("flow__version_id", flat=True))
    return ids


def mark_flags(programs: list[Program]) -> list[Program]:
    """Set ``sensitive`` and ``my_number`` on a page of programs (two queries, not one per row)."""
    version_ids = [p.current_id for p in programs]
    sensitive, my_number = _flagged_versions(version_ids, "sensitive"), _flagged_versions(version_ids, "my_number")
    for p in programs:
        p.sensitive, p.my_number = p.current_id in sensitive, p.current_id in my_number
    return programs


def program_get(user, code: str) -> Program | None:
    return programs_visible(user).filter(code=code).select_related("current").first()


def version_full(version_id: int) -> ProgramVersion:
    return ProgramVersion.objects.select_related(f"unit__{UNIT_CHAIN}", "unit__organ", "created_by").prefetch_related(*ITEM_PREFETCH).get(pk=version_id)


def program_incoming(program: Program) -> list[Flow]:
    """Flows of other programs' current versions that point at this one (who takes our data, who gives us)."""
    return list(
        Flow.objects.filter(program=program, version__program__current=F("version"))
        .select_related(f"version__unit__{UNIT_CHAIN}", "version__program")
        .prefetch_related("items")
        .order_by("version__name")
    )


def program_versions(program: Program) -> QuerySet[ProgramVersion]:
    return program.versions.select_related(f"unit__{UNIT_CHAIN}", "created_by", "notification").order_by("-number")


# ---------------------------------------------------------------- notifications


def notifications_visible(user) -> QuerySet[Notification]:
    if not perm.can_read_register(user):
        return Notification.objects.none()
    qs = Notification.objects.filter(perm.unit_scope_q(user, "unit"))
    if perm.can_review_notifications(user):
        # A department's drafts are its own work until submitted; the office sees them from submission on.
        qs = qs.exclude(status=NotificationStatus.DRAFT)
    return qs.select_related(f"unit__{UNIT_CHAIN}", "program__current", "created_by")


def standing(user, n: Notification) -> rules.Standing:
    """What ``user`` is to the 届出 ``n``: the facts register.rules.refusal decides on."""
    return rules.Standing(
        drafter=n.unit is not None and perm.can_draft(user, n.unit),
        approver=n.unit is not None and perm.can_approve(user, n.unit),
        reviewer=perm.can_review_notifications(user),
        drafted_it=_drafted(user, n),
        approved_it=n.approved_by_id is not None and n.approved_by_id == getattr(user, "pk", None),
    )


DRAFTING_EVENTS = (NotificationEventKind.CREATE, NotificationEventKind.EDIT, NotificationEventKind.SUBMIT)


def _drafted(user, n: Notification) -> bool:
    """Created, edited or submitted ``n`` (register.rules, separation of duties rule 1)."""
    pk = getattr(user, "pk", None)
    if pk is None:
        return False
    if n.created_by_id == pk:
        return True
    return n.pk is not None and n.events.filter(actor_id=pk, kind__in=DRAFTING_EVENTS).exists()


def notification_duty_notes(user, n: Notification) -> list[str]:
    """Why the page does not offer this user approve/accept although their role would (separation of duties)."""
    return rules.duty_notes(n.status, standing(user, n))


def notification_actions(user, n: Notification) -> list[str]:
    """The actions the 届出 page offers ``user``: exactly those the services allow."""
    return rules.actions_open(n.status, standing(user, n))


def with_sort_name(qs: QuerySet[Notification]) -> QuerySet[Notification]:
    """``sort_name``: the program's name as the list shows it (proposed, else read from the document, else the register's)."""
    return qs.annotate(sort_name=Coalesce(KT("proposed__name"), KT("extracted__program"), F("program__current__name"), Value(""),
                                          output_field=TextField()))


def acceptance_outcome(n: Notification) -> str:
    """What accepting ``n`` writes, for the confirmation before it: 「児童手当給付事業」の第3版."""
    name = n.program_name or (n.extracted or {}).get("program") or ""
    if n.kind == NotificationKind.NEW:
        return f"事務事業「{name}」の第1版（管理簿への新規登録）"
    if n.program_id is None:
        return f"「{name}」の新しい版"
    number = n.program.versions.count() + 1
    return f"「{n.program}」の第{number}版" + ("（廃止）" if n.kind == NotificationKind.ABOLISH else "")


def notification_get(user, number: str) -> Notification | None:
    return notifications_visible(user).filter(number=number).first()


# ---------------------------------------------------------------- queues: what waits for whom
# Each queue is one filter of the 届出 list (?queue=KEY on the 届出 page). The home page's entries
# (worklist) and the 届出 page's boxes count exactly what the filtered list shows: the same function.


@dataclass(frozen=True)
class Queue:
    key: str
    short: str  # 審査待ち: the filter as the 届出 page names it
    title: str
    hint: str = ""
    work: bool = True  # the person's own next step (on the home page); False: only watched on the 届出 page


def _drafted_by(user) -> Q:
    """届出 ``user`` created, edited or submitted (register.rules, separation of duties rule 1)."""
    pk = getattr(user, "pk", None)
    drafted = NotificationEvent.objects.filter(notification=OuterRef("pk"), actor_id=pk, kind__in=DRAFTING_EVENTS)
    return Q(created_by_id=pk) | Q(Exists(drafted))


def _queue_specs(user) -> list[tuple[Queue, Callable[[QuerySet], QuerySet]]]:
    """The queues ``user`` has, in the order the pages show them, each with its filter."""
    S = NotificationStatus
    specs = []
    if perm.can_review_notifications(user):
        specs += [
            (Queue("imported", "取込確認待ち", "取込確認待ち（文書から取り込んだ届出）", "読み取った内容を元の文書と見比べ、直して受理してください。"),
             lambda qs: qs.filter(status=S.IMPORTED)),
            # The office member who drafted or approved one cannot accept it (rules 1–3): it is not their work.
            (Queue("review", "審査待ち", "審査待ち（課長承認済み）", "内容を確認し、受理または差戻ししてください。"),
             lambda qs: qs.filter(status=S.APPROVED).exclude(_drafted_by(user)).exclude(approved_by_id=user.pk)),
            (Queue("submitted", "課長承認待ち", "課長承認待ち", work=False), lambda qs: qs.filter(status=S.SUBMITTED)),
            (Queue("returned", "差戻し中", "差戻し中", work=False), lambda qs: qs.filter(status=S.RETURNED)),
        ]
    approver = perm.can_approve(user)
    if approver:
        # A 課長 does not approve what they drafted themselves (rule 2): another 課長 does.
        specs.append((Queue("approval", "承認待ち", "承認待ち（あなたの承認を待つ届出）", "内容を確認し、承認または差戻ししてください。"),
                      lambda qs: qs.filter(status=S.SUBMITTED).exclude(_drafted_by(user))))
    if perm.can_draft(user):
        specs += [
            (Queue("returned", "差戻し", "差し戻された届出", "コメントを確認して修正し、再提出してください。", work=not approver),
             lambda qs: qs.filter(status=S.RETURNED)),
            (Queue("drafts", "作成中", "作成中の届出", "内容を確かめ、課長に提出してください。", work=not approver), lambda qs: qs.filter(status=S.DRAFT)),
        ]
        if not approver:
            specs.append((Queue("submitted", "課長承認待ち", "課長承認待ち", work=False), lambda qs: qs.filter(status=S.SUBMITTED)))
        specs.append((Queue("approved", "保護担当審査中", "保護担当審査中", work=False), lambda qs: qs.filter(status=S.APPROVED)))
    return specs


def queues(user) -> list[Queue]:
    return [queue for queue, _ in _queue_specs(user)]


def queue_get(user, key: str) -> Queue | None:
    return next((queue for queue in queues(user) if queue.key == key), None)


def queue_notifications(user, key: str) -> QuerySet[Notification]:
    """The 届出 of one of ``user``'s queues, longest waiting first; none for a queue the user does not have."""
    visible = notifications_visible(user)
    for queue, narrow in _queue_specs(user):
        if queue.key == key:
            return narrow(visible).order_by("updated_at", "pk")
    return visible.none()


def queue_url(key: str) -> str:
    return f"{reverse('register:inbox')}?queue={key}"


def notification_item(n: Notification) -> Item:
    """A 届出 named on a home-page card: number, program, unit and since when it waits."""
    unit = n.unit.label if n.unit_id else "担当未設定"
    return WorkItem(f"{n.number} {n.program_name or '（事務事業名なし）'}", reverse("register:notification_detail", args=[n.number]),
                f"{unit}・{n.get_status_display()}（{wareki(timezone.localtime(n.updated_at).date())}から）")


def worklist(user):
    """The register's part of the home page (core.worklist): each role's own next steps, each entry
    opening the 届出 list filtered to exactly what it counts, its first few 届出 named."""
    if not perm.can_read_register(user):
        return
    count = programs_visible(user).filter(current__abolished_on__isnull=True).count()
    yield Entry("管理簿の事務事業", count, reverse("register:list"), "管理簿を開く")
    for queue in queues(user):
        if not queue.work:
            continue
        waiting = queue_notifications(user, queue.key)
        total = waiting.count()
        if queue.key == "imported" and not total:
            continue
        items = tuple(notification_item(n) for n in waiting[:ITEMS_SHOWN])
        yield Entry(queue.title, total, queue_url(queue.key), f"{queue.short}の届出一覧へ", queue.hint if total else "",
                    items=items)
    if perm.can_manage_vocabulary(user):
        unreviewed = Item.objects.filter(reviewed=False).count()
        if unreviewed:
            yield Entry("未確認の記録項目名", unreviewed, reverse("register:vocabulary") + "?unreviewed=1", "確認する")
