import datetime

from django.db.models import Count, Q, QuerySet

from mamori.core import permissions as perm
from mamori.outsourcing.models import Certification, Contract, Contractor


def contracts_visible(user) -> QuerySet[Contract]:
    qs = Contract.objects.select_related("program__current", "contractor", "parent")
    return qs.filter(perm.unit_scope_q(user, "program__current__unit"))


def contractors_list(q: str = "") -> QuerySet[Contractor]:
    qs = Contractor.objects.annotate(contract_count=Count("contracts")).prefetch_related("certifications")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(corporate_number=q))
    return qs.order_by("name")


def expiring_certifications(today: datetime.date, within_days: int = 90):
    return Certification.objects.filter(expires_on__lte=today + datetime.timedelta(days=within_days)).select_related("contractor").order_by("expires_on")


def contracts_missing_forms(user, today: datetime.date):
    """Contracts in force whose 別紙1〜3 are not all received."""
    return [c for c in contracts_visible(user).filter(ends_on__gte=today).annotate(n=Count("forms")).filter(n__lt=3)]


def ended_without_disposal(user, today: datetime.date):
    return contracts_visible(user).filter(ends_on__lt=today, disposal__isnull=True).order_by("ends_on")


def unapproved_subcontracts(user):
    return contracts_visible(user).filter(kind__in=["sub", "subsub"], approved_on__isnull=True)


def chain(contract: Contract) -> list[tuple[int, Contract]]:
    """The contract's tree from its root, depth-first: (depth, contract)."""
    root = contract
    while root.parent_id:
        root = root.parent
    out = []

    def walk(node, depth):
        out.append((depth, node))
        for child in node.children.select_related("contractor").order_by("starts_on", "id"):
            walk(child, depth + 1)

    walk(root, 0)
    return out
