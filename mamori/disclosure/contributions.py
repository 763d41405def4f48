"""What requests contribute to core's registries: 資料3, export/import sections, the morning
reminder, the home worklist, and deadlines that follow the city's closure days."""
from mamori.core import digest, integrity, transfer, worklist
from mamori.core.reports import register_annual
from mamori.core.services import closure_days_changed
from mamori.disclosure import jobs, reminders, reports, selectors, services
from mamori.disclosure.integrity import requests
from mamori.disclosure.transfer_sections import NoticeTemplatesSection, RequestsSection


def register() -> None:
    register_annual(reports.REPORT)
    jobs.register()
    integrity.register_checks(requests)
    transfer.register_sections(NoticeTemplatesSection, RequestsSection)
    digest.register_digest(reminders.request_reminders)
    worklist.register_worklist(selectors.worklist)
    closure_days_changed.connect(services.refresh_open_dues, dispatch_uid="disclosure.refresh_open_dues")
