"""Reads for requests, scoped: the office sees all; a department sees the requests that concern it;
auditors see all but not the requester's personal data.

The list of requests and the home worklist share one set of filters (``filtered``), so a worklist
entry's count is exactly the list its link opens."""
import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from mamori.core import permissions as perm
from mamori.core.calendar import ClosureCalendar
from mamori.core.models import OrgUnit
from mamori.core.worklist import ITEMS_SHOWN, Entry, Item
from mamori.disclosure import clock, rules
from mamori.disclosure.models import BoxStatus, FileStatus, Procedure, Request, RequestDocument, RequestStatus

# 「7開庁日以内」: the office's week of work, counted in open days of the city's closure calendar (as the clock counts).
SOON_OPEN_DAYS = 7
FAR = datetime.date(9999, 12, 31)  # sorts a stopped clock (補正中, no due date) after every due date


def _concerning(path: str) -> QuerySet[Request]:
    """Requests one of whose 担当課 is the unit at ``path`` or beneath it (a subquery: no duplicate rows, no DISTINCT)."""
    through = Request.departments.through
    return Request.objects.filter(pk__in=through.objects.filter(orgunit__path__startswith=path).values("request_id"))


def requests_visible(user) -> QuerySet[Request]:
    if perm.sees_all_departments(user):
        return Request.objects.all()
    if perm.is_department_user(user):
        return _concerning(user.unit.path)
    return Request.objects.none()


def can_see_requester(user, request: Request) -> bool:
    """Those handling the request: the office, and the departments it concerns."""
    if perm.can_see_requester_of_any(user):
        return True
    if perm.is_department_user(user):
        return request.departments.filter(path__startswith=user.unit.path).exists()
    return False


GROUPS = {
    "overdue": "期限超過",
    "soon": f"{SOON_OPEN_DAYS}開庁日以内に期限",
    "stopped": "補正中（期限停止）",
    "later": "その他の処理中",
}
STATUSES = dict(RequestStatus.choices)


def soon_limit(today: datetime.date, cal: ClosureCalendar, open_days: int = SOON_OPEN_DAYS) -> datetime.date:
    """The ``open_days``-th open day after today: a due date up to it is 「{open_days}開庁日以内」."""
    day, counted = today, 0
    while counted < open_days:
        day += datetime.timedelta(days=1)
        counted += cal.is_open(day)
    return day


def by_due(qs: QuerySet[Request], group: str, today: datetime.date, cal: ClosureCalendar) -> QuerySet[Request]:
    """Open requests of one urgency group (GROUPS)."""
    open_ = qs.filter(status=RequestStatus.OPEN)
    limit = soon_limit(today, cal)
    return {
        "overdue": lambda: open_.filter(due_on__lt=today),
        "soon": lambda: open_.filter(due_on__gte=today, due_on__lte=limit),
        "later": lambda: open_.filter(due_on__gt=limit),
        "stopped": lambda: open_.filter(due_on__isnull=True),
    }[group]()


def units_for_filter(user) -> QuerySet[OrgUnit]:
    """The units the list can be narrowed to: those the user may see."""
    return OrgUnit.objects.filter(perm.units_q(user), active=True).select_related("parent__parent")


@dataclass(frozen=True)
class Filter:
    key: str       # the query parameter
    value: str
    label: str     # 「期限：期限超過」


@dataclass
class Filtered:
    queryset: QuerySet[Request]
    filters: list[Filter]


def filtered(user, params, today: datetime.date, cal: ClosureCalendar | None = None) -> Filtered:
    """The requests ``user`` may see, narrowed by ``params`` (a QueryDict or dict): procedure, due (GROUPS; ``group``
    is its older name), status (open / decided) and unit (an OrgUnit code: that unit and everything beneath it).
    A value that is not one of these, or a unit out of the user's sight, is ignored, as listing() ignores an old sort."""
    qs = requests_visible(user)
    filters = []
    procedure = params.get("procedure", "")
    if procedure in Procedure.values:
        qs = qs.filter(procedure=procedure)
        filters.append(Filter("procedure", procedure, f"手続：{Procedure(procedure).label}"))
    due = params.get("due", "") or params.get("group", "")
    if due in GROUPS:
        qs = by_due(qs, due, today, cal or clock.calendar())
        filters.append(Filter("due", due, f"期限：{GROUPS[due]}"))
    status = params.get("status", "")
    if status in STATUSES:
        qs = qs.filter(status=status)
        filters.append(Filter("status", status, f"状態：{STATUSES[status]}"))
    code = params.get("unit", "")
    if code:
        unit = units_for_filter(user).filter(code=code).first()
        if unit is not None:
            qs = qs.filter(pk__in=_concerning(unit.path).values("pk"))
            filters.append(Filter("unit", code, f"所管：{unit.label}（配下を含む）"))
    return Filtered(qs, filters)


def for_list(qs: QuerySet[Request]) -> QuerySet[Request]:
    """What the list's columns show and sort by: 所管 by the first of the request's units in the organisation's order,
    期限 with a stopped clock last."""
    first_unit = Request.departments.through.objects.filter(request_id=OuterRef("pk")).order_by("orgunit__path").values("orgunit__path")[:1]
    return (qs.select_related("organ").prefetch_related("departments")
            .annotate(first_unit=Subquery(first_unit), due_key=Coalesce("due_on", Value(FAR))))


def list_url(**params) -> str:
    return reverse("disclosure:dashboard") + ("?" + urlencode(params) if params else "")


def counts(user, today: datetime.date, cal: ClosureCalendar | None = None) -> dict[str, int]:
    """Open requests by urgency group, for the list's summary."""
    cal = cal or clock.calendar()
    visible = requests_visible(user)
    return {group: by_due(visible, group, today, cal).count() for group in GROUPS}


# ---------------------------------------------------------------- the home worklist


def clock_note(r: Request, today: datetime.date, cal: ClosureCalendar) -> str:
    """「保有個人情報開示請求・期限 令和8年12月3日（木）・あと2開庁日」: the request's clock as the worklist shows it."""
    if r.due_on is None:
        return f"{r.get_procedure_display()}・補正中（期限停止）"
    due = rules.day_label(r.due_on)
    if r.due_on < today:
        late = cal.open_days_between(r.due_on, today)
        state = f"{late}開庁日超過" if late else "期限超過"
    elif r.due_on == today:
        state = "本日が期限"
    else:
        state = f"あと{cal.open_days_between(today, r.due_on)}開庁日"
    return f"{r.get_procedure_display()}・期限 {due}・{state}"


def _label(r: Request) -> str:
    subject = " ".join(r.subject.split())
    return f"{r.number} {subject[:30]}{'…' if len(subject) > 30 else ''}"


def _items(qs: QuerySet[Request], today: datetime.date, cal: ClosureCalendar) -> tuple[Item, ...]:
    rows = qs.order_by(Coalesce("due_on", Value(FAR)), "received_on", "pk")[:ITEMS_SHOWN]
    return tuple(Item(_label(r), reverse("disclosure:request", args=[r.number]), clock_note(r, today, cal),
                      urgent=r.due_on is not None and r.due_on < today) for r in rows)


def worklist(user, today: datetime.date | None = None):
    """The requests' part of each home page (core.worklist).

    The office: requests overdue and requests due within SOON_OPEN_DAYS open days.
    A department (所管課担当・所管課長): the open requests of its unit (and the units beneath it) with their clocks,
    its overdue ones first and marked urgent."""
    if not perm.can_read_requests(user):
        return
    today = today or timezone.localdate()
    cal = clock.calendar()
    if perm.can_decide_requests(user):
        overdue = by_due(Request.objects.all(), "overdue", today, cal)
        n = overdue.count()
        yield Entry("期限を過ぎた請求", n, list_url(due="overdue"), "期限超過の請求の一覧へ",
                    "決定期限を過ぎています。決定するか、延長・特例の記録を確かめてください。", urgent=bool(n), items=_items(overdue, today, cal))
        soon = by_due(Request.objects.all(), "soon", today, cal)
        yield Entry(f"{SOON_OPEN_DAYS}開庁日以内に期限の請求", soon.count(), list_url(due="soon"), "期限が近い請求の一覧へ",
                    f"本日から{SOON_OPEN_DAYS}開庁日以内（{rules.day_label(soon_limit(today, cal))}まで）に決定期限が来ます。",
                    items=_items(soon, today, cal))
    elif perm.is_department_user(user):
        mine = _concerning(user.unit.path)
        overdue = by_due(mine, "overdue", today, cal)
        n = overdue.count()
        if n:
            yield Entry(f"{user.unit.name}の請求：期限超過", n, list_url(due="overdue", unit=user.unit.code), "期限超過の請求の一覧へ",
                        "決定期限を過ぎています。保護担当と相談し、決定の準備を急いでください。", urgent=True, items=_items(overdue, today, cal))
        open_ = mine.filter(status=RequestStatus.OPEN)
        yield Entry(f"{user.unit.name}の処理中の請求", open_.count(), list_url(status=RequestStatus.OPEN, unit=user.unit.code), "処理中の請求の一覧へ",
                    "所管する文書の請求です。期限の早い順に並べています。", items=_items(open_, today, cal))


# ---------------------------------------------------------------- the decision from the boxes


def derived_decision(document: RequestDocument) -> str | None:
    """The decision the document's boxes amount to (rules.decision_from_boxes); None when it has no file ready."""
    files = [f for f in document.files.all() if f.status == FileStatus.READY]
    if not files:
        return None
    sizes, boxes, offset = [], [], 0
    for f in files:
        sizes += [tuple(s) for s in f.page_sizes]
        boxes += [(offset + b.page, b.x0, b.top, b.x1, b.bottom) for b in f.boxes.all() if b.status == BoxStatus.ACCEPTED]
        offset += f.page_count
    return rules.decision_from_boxes(sizes, boxes)


def box_articles(document: RequestDocument) -> list[str]:
    """The articles of the document's boxes, in the order of the reason list."""
    used = {b.reason_code for f in document.files.all() for b in f.boxes.all() if b.status == BoxStatus.ACCEPTED and b.reason_code}
    order = list(rules.box_reasons(document.request.procedure))
    return sorted(used, key=lambda c: (order.index(c) if c in order else len(order), c))


def can_see_documents(user, request: Request) -> bool:
    """The files of a request's documents, unredacted, are for those handling the request (as its requester's data)."""
    return can_see_requester(user, request)
