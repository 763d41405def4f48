"""What the council contributes to core's registries: its documents for `mamori report`, the bound packet's background job, the
export/import section of meetings, the home worklist, and the upload link on the register's 届出 pages."""
from django.urls import reverse

from mamori.core import actions, transfer, worklist
from mamori.core.permissions import can_review_notifications
from mamori.council import ingest_job, jobs, packet_readers, reports, selectors
from mamori.council.transfer_sections import MeetingsSection


def ingest_link(user):
    """「審議会資料・届出書を取り込む」 on the register's 届出 and 取込 pages (the register may not name the council)."""
    if can_review_notifications(user):
        yield actions.Action("審議会資料・届出書を取り込む", reverse("council:ingest"), "ファイルを指定して、届出として取り込みます。")


def register() -> None:
    reports.register_reports()
    packet_readers.register()
    jobs.register()
    ingest_job.register()
    transfer.register_sections(MeetingsSection)
    worklist.register_worklist(selectors.worklist)
    for page in ("register:notifications", "register:imports"):
        actions.register_page_action(page, ingest_link)
