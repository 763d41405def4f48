"""Reads on handbooks, scoped by permission (core.permissions.can_read_handbooks)."""
import datetime

from django.db.models import Count, QuerySet

from mamori.core.permissions import can_read_handbooks
from mamori.handbooks.models import Edition, Handbook, Revision, RevisionStatus


def handbooks_for(user) -> QuerySet[Handbook]:
    if not can_read_handbooks(user):
        return Handbook.objects.none()
    return Handbook.objects.annotate(edition_count=Count("editions", distinct=True), revision_count=Count("revisions", distinct=True))


def editions_of(handbook: Handbook) -> QuerySet[Edition]:
    return handbook.editions.defer("source_file").order_by("-issued_on", "-id")


def revisions_of(handbook: Handbook) -> QuerySet[Revision]:
    return handbook.revisions.select_related("from_edition", "to_edition").annotate(row_count=Count("rows"))


def revisions_reported(*, after: datetime.date | None, until: datetime.date) -> list[Revision]:
    """The finalized revisions a meeting reports as 資料7: those revised after the previous meeting (``after``, None
    for the first) and on or before this one's day. Computed from the dates alone, so a past packet reprints the same."""
    qs = Revision.objects.filter(status=RevisionStatus.FINAL, revised_on__lte=until).select_related("handbook").prefetch_related("rows")
    if after is not None:
        qs = qs.filter(revised_on__gt=after)
    return list(qs.order_by("revised_on", "handbook__order", "handbook__id", "id"))
