"""Every read of contractor supervision, scoped to what the user may see; the lists' filters and the
home page's entries (core.worklist) are built from the same querysets, so an entry's count is what its
link lists."""
import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from mamori.core import audit
from mamori.core import permissions as perm
from mamori.core.calendar import fiscal_year, fiscal_year_bounds, fiscal_year_label, wareki
from mamori.core.models import AuditEvent
from mamori.core.worklist import ITEMS_SHOWN, Entry, Item
from mamori.outsourcing import rules
from mamori.outsourcing.models import Certification, Contract, Contractor, Finding, Inspection, SpecialProvisions


def notice_days() -> int:
    """How many days before expiry a certification is shown as 期限間近 (settings.MAMORI_CERTIFICATION_NOTICE_DAYS)."""
    return getattr(settings, "MAMORI_CERTIFICATION_NOTICE_DAYS", rules.CERTIFICATION_NOTICE_DAYS)


# ---------------------------------------------------------------- contracts


def contracts_visible(user) -> QuerySet[Contract]:
    qs = Contract.objects.select_related("program__current", "contractor", "parent")
    return qs.filter(perm.unit_scope_q(user, "program__current__unit"))


def unapproved_subcontracts(user) -> QuerySet[Contract]:
    """再委託・再々委託 with no written approval recorded (特記事項第10条)."""
    return contracts_visible(user).filter(kind__in=[k for k in rules.KINDS if rules.needs_approval(k)], approved_on__isnull=True)


def contracts_missing_forms(user, today: datetime.date) -> QuerySet[Contract]:
    """Contracts in force whose 別紙1〜3 are not all received."""
    return contracts_visible(user).filter(ends_on__gte=today).annotate(form_count=Count("forms", distinct=True)).filter(form_count__lt=len(rules.FORMS))


def ended_without_disposal(user, today: datetime.date) -> QuerySet[Contract]:
    """Ended contracts with no return or erasure recorded (特記事項第14条)."""
    return contracts_visible(user).filter(ends_on__lt=today, disposal__isnull=True).order_by("ends_on")


def uninspected_this_year(user, today: datetime.date) -> QuerySet[Contract]:
    """Contracts in force today with no inspection recorded for this fiscal year (特記事項第15条; 資料5 counts them)."""
    inspected = Inspection.objects.filter(contract=OuterRef("pk"), fiscal_year=fiscal_year(today))
    return contracts_visible(user).filter(starts_on__lte=today, ends_on__gte=today).filter(~Exists(inspected))


def contracts_with_warning(user, warning: str, today: datetime.date) -> QuerySet[Contract]:
    """The contracts of one of rules.WARNINGS."""
    if warning == "unapproved":
        return unapproved_subcontracts(user)
    if warning == "missing_forms":
        return contracts_missing_forms(user, today)
    if warning == "no_disposal":
        return ended_without_disposal(user, today)
    if warning == "no_inspection":
        return uninspected_this_year(user, today)
    raise KeyError(warning)


def contract_list(user, *, q: str = "", kind: str = "", warning: str = "", period: str = "", today: datetime.date) -> QuerySet[Contract]:
    """The contract list with its filters (each one already checked against its choices)."""
    qs = contracts_with_warning(user, warning, today) if warning in rules.WARNINGS else contracts_visible(user)
    if q:
        qs = qs.filter(Q(contractor__name__icontains=q) | Q(title__icontains=q) | Q(program__current__name__icontains=q))
    if kind in rules.KINDS:
        qs = qs.filter(kind=kind)
    if period == "current":
        qs = qs.filter(starts_on__lte=today, ends_on__gte=today)
    elif period == "ended":
        qs = qs.filter(ends_on__lt=today)
    elif period == "future":
        qs = qs.filter(starts_on__gt=today)
    return qs


def missing_form_names(contract: Contract) -> list[str]:
    have = {f.form for f in contract.forms.all()}
    return [name.split()[0] for key, name in rules.FORMS.items() if key not in have]


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


# ---------------------------------------------------------------- contractors and certifications


def _not_renewed() -> Exists:
    """No later certification of the same kind for the same contractor (a renewal is a new expiry)."""
    later = Certification.objects.filter(contractor=OuterRef("contractor"), kind=OuterRef("kind"), expires_on__gt=OuterRef("expires_on"))
    return ~Exists(later)


def _in_force(today: datetime.date) -> Exists:
    return Exists(Contract.objects.filter(contractor=OuterRef("contractor"), ends_on__gte=today))


def certifications_to_follow(state: str, today: datetime.date) -> QuerySet[Certification]:
    """Certifications of contractors with a contract in force, not renewed: ``expiring`` within notice_days(),
    or ``expired``."""
    qs = Certification.objects.filter(_not_renewed(), _in_force(today)).select_related("contractor")
    if state == "expiring":
        return qs.filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=notice_days())).order_by("expires_on", "pk")
    if state == "expired":
        return qs.filter(expires_on__lt=today).order_by("expires_on", "pk")
    raise KeyError(state)


def contractors_list(q: str = "", cert: str = "", today: datetime.date | None = None) -> QuerySet[Contractor]:
    qs = Contractor.objects.annotate(contract_count=Count("contracts", distinct=True)).prefetch_related("certifications")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(corporate_number=rules.normalize_corporate_number(q)))
    if cert in rules.CERTIFICATION_FILTERS:
        ids = certifications_to_follow(cert, today or timezone.localdate()).values("contractor_id")
        qs = qs.filter(pk__in=ids)
    elif cert == "none":
        qs = qs.filter(certifications__isnull=True)
    return qs.order_by("name")


# ---------------------------------------------------------------- inspections and findings


def inspections_visible(user) -> QuerySet[Inspection]:
    return Inspection.objects.select_related("contract__contractor", "contract__program__current").filter(
        perm.unit_scope_q(user, "contract__program__current__unit"))


def open_findings(user) -> QuerySet[Finding]:
    return Finding.objects.filter(done_on__isnull=True, inspection__in=inspections_visible(user)).select_related("inspection__contract__contractor")


def overdue_findings(user, today: datetime.date) -> QuerySet[Finding]:
    """Findings not confirmed by their 是正期限 (rules.finding_overdue)."""
    return open_findings(user).filter(due_on__lt=today).order_by("due_on", "pk")


def inspection_list(user, *, fiscal_year: int | None = None, method: str = "", findings: str = "", today: datetime.date) -> QuerySet[Inspection]:
    qs = inspections_visible(user).annotate(open_count=Count("findings", filter=Q(findings__done_on__isnull=True), distinct=True))
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if method in rules.METHODS:
        qs = qs.filter(method=method)
    if findings == "open":
        qs = qs.filter(pk__in=open_findings(user).values("inspection_id"))
    elif findings == "overdue":
        qs = qs.filter(pk__in=overdue_findings(user, today).values("inspection_id"))
    return qs


def inspection_years(user) -> list[int]:
    return sorted(set(inspections_visible(user).values_list("fiscal_year", flat=True)), reverse=True)


# ---------------------------------------------------------------- the home page (core.worklist)


def _contract_item(c: Contract, note: str, urgent: bool = False) -> Item:
    return Item(f"{c.title}（{c.contractor}）", reverse("outsourcing:contract", args=[c.pk]), note, urgent)


def entries(user, today: datetime.date) -> list[Entry]:
    """What contractor supervision asks of ``user`` today: the contracts with a warning of rules.WARNINGS, the
    findings past their 是正期限, and (for the office) certifications to follow. Only entries with work."""
    out = []
    contracts = reverse("outsourcing:contracts")
    unapproved = unapproved_subcontracts(user).order_by("starts_on", "pk")
    if (n := unapproved.count()):
        started = unapproved.filter(starts_on__lte=today).exists()
        items = tuple(_contract_item(c, f"{c.get_kind_display()}・開始 {wareki(c.starts_on)}" + ("・承認の記録がないまま契約期間中" if c.starts_on <= today else ""),
                                     c.starts_on <= today) for c in unapproved[:ITEMS_SHOWN])
        out.append(Entry(rules.WARNINGS["unapproved"], n, f"{contracts}?warning=unapproved", "書面承認のない再委託の一覧へ",
                         "書面承認日を記録するか、受注者に再委託の承認申請を求めてください。", urgent=started, items=items))
    overdue = inspection_list(user, findings="overdue", today=today).order_by("inspected_on", "pk")
    if (n := overdue.count()):
        late = {}
        for f in overdue_findings(user, today).filter(inspection__in=[i.pk for i in overdue[:ITEMS_SHOWN]]):
            late.setdefault(f.inspection_id, []).append(f)
        items = tuple(Item(f"{i.contract.title}：点検項目{'・'.join(str(f.item) for f in late[i.pk])}", reverse("outsourcing:contract", args=[i.contract_id]),
                           rules.days_note(min(f.due_on for f in late[i.pk]), today, what="是正期限"), True) for i in overdue[:ITEMS_SHOWN])
        out.append(Entry("是正期限を過ぎた指摘事項がある検査（別紙4）", n, f"{reverse('outsourcing:inspections')}?findings=overdue", "該当する検査の一覧へ",
                         "是正の確認日を記録するか、受注者に是正を求めてください。", urgent=True, items=items))
    missing = contracts_missing_forms(user, today).order_by("starts_on", "pk").prefetch_related("forms")
    if (n := missing.count()):
        items = tuple(_contract_item(c, "未提出：" + "・".join(missing_form_names(c))) for c in missing[:ITEMS_SHOWN])
        out.append(Entry(rules.WARNINGS["missing_forms"], n, f"{contracts}?warning=missing_forms", "提出物がそろっていない契約の一覧へ", items=items))
    ended = ended_without_disposal(user, today)
    if (n := ended.count()):
        items = tuple(_contract_item(c, f"契約終了 {wareki(c.ends_on)}・{(today - c.ends_on).days:,}日経過") for c in ended[:ITEMS_SHOWN])
        out.append(Entry(rules.WARNINGS["no_disposal"], n, f"{contracts}?warning=no_disposal", "返還・廃棄の記録がない契約の一覧へ",
                         "受注者から第14条の書面報告を受け、返還・廃棄を記録してください。", items=items))
    uninspected = uninspected_this_year(user, today).order_by("ends_on", "pk")
    if (n := uninspected.count()):
        year_end = fiscal_year_bounds(fiscal_year(today))[1]
        items = tuple(_contract_item(c, f"契約期間 {wareki(c.starts_on)}〜{wareki(c.ends_on)}") for c in uninspected[:ITEMS_SHOWN])
        out.append(Entry(rules.WARNINGS["no_inspection"], n, f"{contracts}?warning=no_inspection", "検査の記録がない契約の一覧へ",
                         f"{fiscal_year_label(fiscal_year(today))}の実地検査・書面検査などを、年度末（{wareki(year_end)}）までに記録してください。", items=items))
    if perm.can_supervise_contractors(user):
        for state, title, hint, urgent in (
            ("expired", "有効期限が切れた認証（契約期間中の事業者）", "更新後の認証を登録するか、有効期限を訂正してください。", True),
            ("expiring", f"有効期限が{notice_days():,}日以内の認証（契約期間中の事業者）", "受注者に更新の予定を確かめてください。", False),
        ):
            certs = certifications_to_follow(state, today)
            contractor_count = certs.values("contractor_id").distinct().count()
            if contractor_count:
                items = tuple(Item(str(c.contractor), reverse("outsourcing:contractor", args=[c.contractor_id]),
                                   f"{c.get_kind_display()}・" + rules.days_note(c.expires_on, today, what="有効期限"), urgent) for c in certs[:ITEMS_SHOWN])
                out.append(Entry(title, contractor_count, f"{reverse('outsourcing:contractors')}?cert={state}", "該当する委託事業者の一覧へ", hint,
                                 urgent=urgent, items=items))
    return out


def worklist(user):
    """Contractor supervision's part of the home page: for those who manage contracts (the office, the departments)."""
    if not (perm.can_supervise_contractors(user) or perm.can_draft(user)):
        return []
    return entries(user, timezone.localdate())


# ---------------------------------------------------------------- the 特記事項


def provisions_editions(user) -> QuerySet[SpecialProvisions]:
    """Every edition, newest 施行日 first: whoever reads contracts reads the provisions they are signed under."""
    if not perm.can_read_contracts(user):
        return SpecialProvisions.objects.none()
    return SpecialProvisions.objects.select_related("created_by")


def provisions_in_force(on: datetime.date) -> SpecialProvisions | None:
    """The edition in force on ``on``: the newest whose 施行日 is not after it (the packet's, on the meeting's date)."""
    return SpecialProvisions.objects.filter(in_force_on__lte=on).order_by("-in_force_on").first()


def provisions_history(user, limit: int = 100) -> list:
    """The 履歴 of every edition (each is its own record; the page shows them as one)."""
    if not perm.can_read_contracts(user):
        return []
    events = AuditEvent.objects.filter(root_model=SpecialProvisions._meta.label).select_related("actor")[:limit]
    return audit.present(events)
