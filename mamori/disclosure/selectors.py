"""Reads for requests, scoped: the office sees all; a department sees the requests that concern it;
auditors see all but not the requester's personal data."""
import datetime

from django.db.models import Q, QuerySet

from mamori.core import permissions as perm
from mamori.core.models import Role
from mamori.disclosure.models import Request, RequestStatus


def can_view_requests(user) -> bool:
    return perm.has_role(user, Role.PRIVACY_OFFICE, Role.AUDITOR, Role.DEPT_STAFF, Role.DEPT_MANAGER)


def requests_visible(user) -> QuerySet[Request]:
    if perm.has_role(user, Role.PRIVACY_OFFICE, Role.AUDITOR):
        return Request.objects.all()
    if perm.has_role(user, Role.DEPT_STAFF, Role.DEPT_MANAGER) and user.unit_id:
        return Request.objects.filter(departments__path__startswith=user.unit.path).distinct()
    return Request.objects.none()


def can_see_requester(user, request: Request) -> bool:
    """Those handling the request: the office, and the departments it concerns."""
    if perm.has_role(user, Role.PRIVACY_OFFICE):
        return True
    if perm.has_role(user, Role.DEPT_STAFF, Role.DEPT_MANAGER) and user.unit_id:
        return request.departments.filter(path__startswith=user.unit.path).exists()
    return False


def dashboard(user, today: datetime.date, soon_days: int = 7) -> dict:
    """Open requests by urgency: overdue, due within ``soon_days``, later, and stopped (補正中)."""
    open_ = requests_visible(user).filter(status=RequestStatus.OPEN).select_related("organ").prefetch_related("departments").order_by("due_on", "received_on")
    soon = today + datetime.timedelta(days=soon_days)
    return {
        "overdue": list(open_.filter(due_on__lt=today)),
        "soon": list(open_.filter(due_on__gte=today, due_on__lte=soon)),
        "later": list(open_.filter(due_on__gt=soon)),
        "stopped": list(open_.filter(due_on__isnull=True)),
    }
