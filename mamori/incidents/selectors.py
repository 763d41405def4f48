"""Reads of incidents, scoped as the screens scope them: the office and the auditors read every incident."""
from django.db.models import QuerySet

from mamori.core import permissions as perm
from mamori.core.models import UNIT_CHAIN
from mamori.incidents.models import Incident


def incidents_visible(user) -> QuerySet[Incident]:
    if not perm.can_read_incidents(user):
        return Incident.objects.none()
    return Incident.objects.select_related(f"unit__{UNIT_CHAIN}").prefetch_related("groups", "programs")
