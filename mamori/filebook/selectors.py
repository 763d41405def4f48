"""Every read of the 個人情報ファイル簿, scoped by the reader; and the public data contract.

``public_entries()`` and ``public_history()`` are what the public site and the bulk downloads are built
from, and only from: plain frozen dataclasses holding exactly what 法第74条第1項・第75条 and 施行令第20条
put in the register — no staff names, no internal notes, no 届出, no person counts. They read what the
office *published* (FileRevision.content), never the register's current state, so an unpublished
change reaches nobody outside.
"""
import datetime
from dataclasses import dataclass, fields

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from django.urls import reverse
from django.utils import timezone

from mamori.core import permissions as perm
from mamori.core.models import OrgUnit
from mamori.core.worklist import Entry, Item
from mamori.filebook import entry, rules
from mamori.filebook.models import FileProgram, FileRevision, PersonalFile, RevisionKind, RevisionStatus
from mamori.filebook.services import calendar
from mamori.register.models import FlowItem, GroupItem

# ---------------------------------------------------------------- the public data contract


@dataclass(frozen=True)
class PublicChange:
    """One published act on an entry (施行令第20条第1項・第3項・第4項), as the public history shows it."""

    code: str  # the file's number, stable: F00001
    name: str  # the entry's name as published with this act
    number: int  # 1, 2, … in the order published
    kind: str  # create / change / delete
    kind_label: str  # 作成 / 変更 / 消除
    date: datetime.date  # 作成年月日・変更年月日・消除年月日: the day the office published it
    changes: tuple[str, ...]  # what changed, in Japanese, one line per field


@dataclass(frozen=True)
class PublicEntry:
    """One entry of the 個人情報ファイル簿 as published (docs/file-register-schema.md)."""

    code: str  # ファイル番号 (Mamori's; stable across changes)
    name: str  # 法第74条第1項第1号 個人情報ファイルの名称
    organ: str  # 同第2号 行政機関等の名称 (朝霞市長, 朝霞市教育委員会)
    units: tuple[str, ...]  # 同第2号 事務をつかさどる組織の名称
    purpose: str  # 同第3号 利用目的
    items: tuple[str, ...]  # 同第4号 記録項目
    scope: str  # 同第4号 記録範囲
    collection: str  # 同第5号 収集方法
    sensitive: bool  # 同第6号 要配慮個人情報が含まれる旨
    ordinance_sensitive: bool  # 法第75条第4項 条例要配慮個人情報が含まれる旨
    recipients: tuple[str, ...]  # 法第74条第1項第7号 経常的提供先 (empty: none)
    request_office: str  # 同第9号 開示請求等を受理する組織の名称及び所在地
    special_procedures: str  # 同第10号 訂正・利用停止の特別の手続 ("" : none)
    kind: str  # 施行令第20条第6項第1号: "computerized" (電算処理ファイル) / "manual" (マニュアル処理ファイル)
    manual_counterpart: bool  # 同第2号: a 電算 file has a manual file holding its records
    created_on: datetime.date  # 作成年月日 (the latest 作成; an entry deleted and listed again has a new one)
    changed_on: datetime.date | None  # 変更年月日 (the latest 変更 since then)
    deleted_on: datetime.date | None  # 消除年月日 (set: the entry is no longer on the register; its page keeps its history)
    history: tuple[PublicChange, ...]  # oldest first

    @property
    def kind_label(self) -> str:
        return rules.KIND_LABELS[self.kind]

    @property
    def deleted(self) -> bool:
        return self.deleted_on is not None

    @property
    def has_recipients(self) -> bool:
        return bool(self.recipients)


ENTRY_KEYS = tuple(f.key for f in rules.ENTRY_FIELDS)
LIST_KEYS = {f.key for f in rules.ENTRY_FIELDS if f.type == "list"}


def _published():
    return FileRevision.objects.filter(status=RevisionStatus.PUBLISHED).select_related("file").order_by("file__code", "number")


def _change(r: FileRevision) -> PublicChange:
    return PublicChange(r.file.code, (r.content or {}).get("name", ""), r.number, r.kind, RevisionKind(r.kind).label,
                        timezone.localdate(r.published_at), tuple(r.changes or ()))


def _entry(code: str, revisions: list[FileRevision]) -> PublicEntry:
    last = revisions[-1]
    content = last.content or {}
    values = {k: (tuple(content.get(k) or ()) if k in LIST_KEYS else content.get(k)) for k in ENTRY_KEYS}
    for key in ("name", "organ", "purpose", "scope", "collection", "request_office", "special_procedures"):
        values[key] = values[key] or ""
    for key in ("sensitive", "ordinance_sensitive", "manual_counterpart"):
        values[key] = bool(values[key])
    values["kind"] = values["kind"] or "computerized"
    return PublicEntry(code=code, **values, **entry_dates(revisions), history=tuple(_change(r) for r in revisions))


def entry_dates(revisions: list[FileRevision]) -> dict:
    """作成年月日・変更年月日・消除年月日 from an entry's published acts, oldest first (the latest 作成 counts:
    an entry deleted and listed again starts anew)."""
    if not any(r.kind == RevisionKind.CREATE for r in revisions):
        return {"created_on": None, "changed_on": None, "deleted_on": None}
    created = max(i for i, r in enumerate(revisions) if r.kind == RevisionKind.CREATE)
    changed = [r for r in revisions[created:] if r.kind == RevisionKind.CHANGE]
    day = timezone.localdate
    return {"created_on": day(revisions[created].published_at), "changed_on": day(changed[-1].published_at) if changed else None,
            "deleted_on": day(revisions[-1].published_at) if revisions[-1].kind == RevisionKind.DELETE else None}


def public_entries(*, include_deleted: bool = True) -> list[PublicEntry]:
    """Every published entry of the body's one register (施行令第20条第2項), by file number.

    Deleted entries are included (deleted_on set) so that a file's stable page and its history stay;
    ``include_deleted=False`` gives the register as it stands."""
    by_file: dict[str, list[FileRevision]] = {}
    for r in _published():
        by_file.setdefault(r.file.code, []).append(r)
    out = [_entry(code, revs) for code, revs in by_file.items() if any(r.kind == RevisionKind.CREATE for r in revs)]
    return [e for e in out if include_deleted or not e.deleted]


def public_history() -> list[PublicChange]:
    """Every published act on the register, newest first (the site's feed of changes)."""
    return sorted((_change(r) for r in _published()), key=lambda c: (c.date, c.code, c.number), reverse=True)


def public_entry_dict(e: PublicEntry) -> dict:
    """The entry as JSON (docs/file-register-schema.md): dates as YYYY-MM-DD, lists as arrays."""
    out = {}
    for f in fields(e):
        value = getattr(e, f.name)
        if f.name == "history":
            value = [{"number": c.number, "kind": c.kind, "date": c.date.isoformat(), "changes": list(c.changes), "name": c.name} for c in value]
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


# ---------------------------------------------------------------- inside the app


def files_visible(user) -> QuerySet[PersonalFile]:
    """A department sees the files of its unit's programs; the office, the auditors and the council every file."""
    if not perm.can_read_files(user):
        return PersonalFile.objects.none()
    if perm.sees_all_files(user):
        return PersonalFile.objects.all()
    if perm.is_department_user(user):
        mine = FileProgram.objects.filter(file=OuterRef("pk"), program__current__unit__path__startswith=user.unit.path)
        return PersonalFile.objects.filter(Exists(mine))
    return PersonalFile.objects.none()


def file_get(user, code: str) -> PersonalFile | None:
    return files_visible(user).filter(code=code).first()


STATUSES = {
    "pending": "公表待ち",
    "listed": "掲載中",
    "deleted": "消除済み",
    "not_listed": "未掲載（対象外・判定待ち）",
}


@dataclass
class FileFilters:
    q: str = ""
    organ: int | None = None
    unit: int | None = None
    sensitive: bool = False
    kind: str = ""  # computerized / manual
    status: str = ""  # STATUSES
    overdue: bool = False
    unconfirmed: bool = False


def _first_program(field: str):
    return Subquery(FileProgram.objects.filter(file=OuterRef("pk")).order_by("order", "id").values(f"program__current__{field}")[:1])


def _annotated(qs: QuerySet[PersonalFile]) -> QuerySet[PersonalFile]:
    drafted = FileRevision.objects.filter(file=OuterRef("pk"), status=RevisionStatus.DRAFTED)
    last = FileRevision.objects.filter(file=OuterRef("pk"), status=RevisionStatus.PUBLISHED).order_by("-number")
    return qs.annotate(
        first_name=_first_program("name"), unit_path=_first_program("unit__path"),
        sort_name=Coalesce(NullIf(F("name"), Value("")), Concat(_first_program("name"), Value("ファイル"))),
        pending_kind=Subquery(drafted.values("kind")[:1]), due_on=Subquery(drafted.values("due_on")[:1]),
        last_kind=Subquery(last.values("kind")[:1]),
    )


def _flagged(flag: str):
    """Exists: a linked program's current version holds an item whose canonical entry has ``flag``."""
    on = Q(**{f"item__{flag}": True}) | Q(**{f"item__alias_of__{flag}": True})
    groups = GroupItem.objects.filter(on, group__version__program__file_links__file=OuterRef("pk"),
                                      group__version__program__current=F("group__version"))
    flows = FlowItem.objects.filter(on, flow__version__program__file_links__file=OuterRef("pk"),
                                    flow__version__program__current=F("flow__version"))
    return Exists(groups) | Exists(flows)


def file_search(user, f: FileFilters, today: datetime.date) -> QuerySet[PersonalFile]:
    qs = _annotated(files_visible(user))
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(code__iexact=f.q) | Q(first_name__icontains=f.q))
    if f.organ:
        qs = qs.filter(Exists(FileProgram.objects.filter(file=OuterRef("pk"), program__current__unit__organ_id=f.organ)))
    if f.unit:
        unit = OrgUnit.objects.filter(pk=f.unit).first()
        path = unit.path if unit else "/none/"
        qs = qs.filter(Exists(FileProgram.objects.filter(file=OuterRef("pk"), program__current__unit__path__startswith=path)))
    if f.sensitive:
        qs = qs.filter(_flagged("sensitive"))
    if f.kind in ("computerized", "manual"):
        electronic = Exists(FileProgram.objects.filter(file=OuterRef("pk"), program__current__computerized=True))
        qs = qs.filter(electronic if f.kind == "computerized" else ~electronic)
    if f.status == "pending":
        qs = qs.filter(pending_kind__isnull=False)
    elif f.status == "listed":
        qs = qs.filter(pending_kind__isnull=True, last_kind__in=[RevisionKind.CREATE, RevisionKind.CHANGE])
    elif f.status == "deleted":
        qs = qs.filter(pending_kind__isnull=True, last_kind=RevisionKind.DELETE)
    elif f.status == "not_listed":
        qs = qs.filter(pending_kind__isnull=True, last_kind__isnull=True)
    if f.overdue:
        qs = qs.filter(due_on__lt=today)
    if f.unconfirmed:
        qs = qs.filter(unconfirmed_q(), pending_kind__isnull=True)
    return qs


def unconfirmed_q() -> Q:
    """Files whose recorded assessment the office has not confirmed (or confirmed differently). A file with a
    drafted revision is not among them in the lists: publishing it is the confirmation."""
    return Q(decided_at__isnull=True) | ~Q(decision=F("assessment")) | ~Q(decision_ground=F("assessment_ground"))


def status_of(file: PersonalFile) -> str:
    """STATUSES key of an annotated file."""
    if file.pending_kind:
        return "pending"
    if file.last_kind in (RevisionKind.CREATE, RevisionKind.CHANGE):
        return "listed"
    if file.last_kind == RevisionKind.DELETE:
        return "deleted"
    return "not_listed"


def drafted_revisions(user) -> QuerySet[FileRevision]:
    return FileRevision.objects.filter(status=RevisionStatus.DRAFTED, file__in=files_visible(user)).select_related("file").order_by("due_on", "drafted_at")


def worklist(user):
    """The ファイル簿's part of the home page (core.worklist): entries waiting for publication, files to judge."""
    if not perm.can_keep_files(user):
        return
    today = timezone.localdate()
    cal = calendar()
    waiting = list(drafted_revisions(user))
    names = {pk: c.content["name"] for pk, c in entry.for_files([r.file for r in waiting[:5]]).items()}
    late = [r for r in waiting if rules.overdue(r.due_on, today)]
    base = reverse("filebook:list")
    items = tuple(Item(f"{r.file.code} {names.get(r.file_id, '')}（{r.get_kind_display()}）", reverse("filebook:file", args=[r.file.code]),
                       rules.due_note(r.due_on, today, cal), rules.overdue(r.due_on, today)) for r in waiting[:5])
    if late:
        yield Entry("ファイル簿の公表期限を過ぎた記載", len(late), f"{base}?status=pending&overdue=1", "期限を過ぎた記載を開く",
                    "施行令第20条の「直ちに」「遅滞なく」を自治体設定の開庁日数で数えた期限を過ぎています。", urgent=True,
                    items=tuple(i for i in items if i.urgent))
    yield Entry("ファイル簿の公表待ち", len(waiting), f"{base}?status=pending", "公表待ちの記載を開く",
                "受理された届出などにより起案された記載です。内容を確かめて公表してください。", items=items)
    unconfirmed = file_search(user, FileFilters(unconfirmed=True), today).count()
    if unconfirmed:
        yield Entry("判定の確認が必要な個人情報ファイル", unconfirmed, f"{base}?unconfirmed=1", "確認する",
                    "ファイル簿に掲載するか（適用除外の号）を確かめてください。")
