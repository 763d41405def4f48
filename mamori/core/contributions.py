"""What core itself contributes to its registries: its export/import sections, and the person's own
background jobs on their home page."""
import datetime

from django.urls import reverse
from django.utils import timezone

from mamori.core import transfer, worklist
from mamori.core.models import Job, JobStatus
from mamori.core.transfer_sections import ClosureDaysSection, OrgansSection, SettingsSection, UnitsSection, UsersSection

RECENT_FAILURES = datetime.timedelta(days=7)


def own_jobs(user):
    """Jobs the person asked for that are still waiting or running, or failed in the last week."""
    jobs = Job.objects.filter(created_by=user).filter(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING]) | Job.objects.filter(
        created_by=user, status=JobStatus.FAILED, finished_at__gte=timezone.now() - RECENT_FAILURES)
    count = jobs.count()
    if not count:
        return
    jobs = list(jobs.order_by("-created_at")[:worklist.ITEMS_SHOWN])
    failed = any(j.status == JobStatus.FAILED for j in jobs)
    items = tuple(worklist.Item(j.title, reverse("job", args=[j.pk]), f"{j.get_status_display()}（{j.progress}%）",
                                urgent=j.status == JobStatus.FAILED) for j in jobs)
    first = reverse("job", args=[jobs[0].pk])
    yield worklist.Entry("依頼したバックグラウンド処理", count, first, "最新の処理を開く",
                         "失敗した処理があります。理由を確かめてください。" if failed else "", urgent=failed, items=items)


def register() -> None:
    transfer.register_sections(SettingsSection, OrgansSection, UnitsSection, UsersSection, ClosureDaysSection)
    worklist.register_worklist(own_jobs)
