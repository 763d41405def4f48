"""Reads of incidents: the list and its filters, the reports still to be sent, and the home page's entries
(core.worklist). An entry's count is what its link lists: both come from ``to_send``."""
import datetime
from dataclasses import dataclass

from django.db.models import F, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from mamori.core import permissions as perm
from mamori.core.calendar import wareki
from mamori.core.models import UNIT_CHAIN
from mamori.core.worklist import ITEMS_SHOWN, Entry, Item
from mamori.incidents import rules, services
from mamori.incidents.models import Incident
from mamori.outsourcing.models import ContractIncident
from mamori.register.vocabulary import Vocabulary

CLOCK_FILTERS = {
    "sokuhou": "速報がまだの事案（報告が必要なもの）",
    "kakuhou": "確報がまだの事案（報告が必要なもの）",
}
STATUS_FILTERS = {"unconfirmed": "報告要否の確認待ち"}


def incidents() -> QuerySet[Incident]:
    return Incident.objects.select_related("unit").prefetch_related("groups").annotate(persons_total=Sum("groups__count"))


@dataclass
class Waiting:
    incident: Incident
    due: rules.Due


def to_send(stage: str, today: datetime.date) -> list[Waiting]:
    """Incidents whose 速報 (``sokuhou``) or 確報 (``kakuhou``) is still to be sent, for those the PPC must be
    told of (services.reportable: the assessment, or the office's override), soonest first."""
    field = {"sokuhou": "sokuhou_on", "kakuhou": "kakuhou_on"}[stage]
    due = {"sokuhou": rules.sokuhou_due, "kakuhou": rules.kakuhou_due}[stage]
    vocab, closure = Vocabulary(), services.calendar()
    out = []
    for incident in Incident.objects.filter(**{f"{field}__isnull": True}).prefetch_related("groups").order_by("learned_on", "pk"):
        if services.reportable(incident, vocab):
            d = due(services.clocks_for(incident, closure), None, today)
            out.append(Waiting(incident, d))
    return sorted(out, key=lambda w: (w.due.by, w.incident.pk))


def unconfirmed() -> QuerySet[Incident]:
    return Incident.objects.filter(confirmed=False).order_by("learned_on", "pk")


def pending_contractor_reports() -> QuerySet[ContractIncident]:
    """特記事項第13条: contractors' reports not yet recorded as an incident (none learned of on or after the report)."""
    return (ContractIncident.objects.exclude(contract__incidents__learned_on__gte=F("reported_on"))
            .select_related("contract__contractor", "contract__program__current").order_by("reported_on", "pk"))


def incident_list(*, clock: str = "", status: str = "", q: str = "", today: datetime.date) -> QuerySet[Incident]:
    qs = incidents()
    if clock in CLOCK_FILTERS:
        qs = qs.filter(pk__in=[w.incident.pk for w in to_send(clock, today)])
    if status == "unconfirmed":
        qs = qs.filter(confirmed=False)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def worklist(user):
    """The office's part of the home page: 速報・確報 still to be sent with their clocks, contractors' reports
    not yet recorded, assessments not yet confirmed."""
    if not perm.can_manage_incidents(user):
        return []
    today = timezone.localdate()
    out = []
    url = reverse("incidents:list")
    for stage, title, hint in (
        ("sokuhou", "漏えい等の速報がまだの事案", "速報は速やかに（目安は知った日から3〜5日）。個人情報保護委員会に報告してください。"),
        ("kakuhou", "漏えい等の確報がまだの事案", "確報は知った日から30日以内（不正の目的によるものは60日以内）です。"),
    ):
        waiting = to_send(stage, today)
        if waiting:
            items = tuple(Item(w.incident.title, reverse("incidents:detail", args=[w.incident.pk]), w.due.note, w.due.urgent) for w in waiting[:ITEMS_SHOWN])
            out.append(Entry(title, len(waiting), f"{url}?clock={stage}", "該当する事案の一覧へ", hint, urgent=any(w.due.urgent for w in waiting), items=items))
    reports = pending_contractor_reports()
    if (n := reports.count()):
        items = tuple(Item(f"{r.contract.contractor}（{r.contract.program.current.name}）", f"{reverse('incidents:new')}?contract_report={r.pk}",
                           f"報告を受けた日 {wareki(r.reported_on, weekday=True)}", True) for r in reports[:ITEMS_SHOWN])
        out.append(Entry("受注者からの事故報告（まだ事案にしていないもの）", n, f"{url}#contractor-reports", "事故報告の一覧へ",
                         "期限は職員が知った日から数えます。事案として記録し、報告の要否を確認してください。", urgent=True, items=items))
    pending = unconfirmed()
    if (n := pending.count()):
        items = tuple(Item(i.title, reverse("incidents:detail", args=[i.pk]), f"職員が知った日 {wareki(i.learned_on, weekday=True)}")
                      for i in pending[:ITEMS_SHOWN])
        out.append(Entry("報告要否の確認待ちの事案", n, f"{url}?status=unconfirmed", "確認待ちの事案の一覧へ", items=items))
    return out


def incidents_visible(user) -> QuerySet[Incident]:
    if not perm.can_read_incidents(user):
        return Incident.objects.none()
    return Incident.objects.select_related(f"unit__{UNIT_CHAIN}").prefetch_related("groups", "programs")
