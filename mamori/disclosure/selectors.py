"""Reads for requests, scoped: the office sees all; a department sees the requests that concern it;
auditors see all but not the requester's personal data."""
import datetime

from django.db.models import QuerySet

from mamori.core import permissions as perm
from mamori.disclosure.models import Request, RequestStatus


def requests_visible(user) -> QuerySet[Request]:
    if perm.sees_all_departments(user):
        return Request.objects.all()
    if perm.is_department_user(user):
        return Request.objects.filter(departments__path__startswith=user.unit.path).distinct()
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
    "soon": "7日以内に期限",
    "stopped": "補正中（期限停止）",
    "later": "その他の処理中",
}


def urgency_group(user, group: str, today: datetime.date, soon_days: int = 7):
    open_ = requests_visible(user).filter(status=RequestStatus.OPEN).select_related("organ").prefetch_related("departments").order_by("due_on", "received_on")
    soon = today + datetime.timedelta(days=soon_days)
    return {
        "overdue": open_.filter(due_on__lt=today),
        "soon": open_.filter(due_on__gte=today, due_on__lte=soon),
        "later": open_.filter(due_on__gt=soon),
        "stopped": open_.filter(due_on__isnull=True),
    }[group]


def dashboard(user, today: datetime.date, soon_days: int = 7, limit: int = 100) -> dict:
    """Open requests by urgency, the most urgent first; each group shows ``limit`` rows and its total."""
    out = {}
    for group in GROUPS:
        qs = urgency_group(user, group, today, soon_days)
        items = list(qs[: limit + 1])
        out[group] = {"items": items[:limit], "total": len(items) if len(items) <= limit else qs.count(), "more": len(items) > limit}
    return out
