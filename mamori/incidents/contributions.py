"""What incidents contribute to core's registries: 資料6, the export/import section, the leak clocks in the
morning reminder, and the home page's entries (速報・確報 still to be sent, contractors' reports, confirmations)."""
from mamori.core import digest, integrity, transfer, worklist
from mamori.core.reports import register_annual
from mamori.incidents import reminders, reports, selectors
from mamori.incidents.integrity import incidents
from mamori.incidents.transfer_sections import IncidentsSection


def register() -> None:
    register_annual(reports.REPORT)
    integrity.register_checks(incidents)
    transfer.register_sections(IncidentsSection)
    digest.register_digest(reminders.incident_reminders)
    worklist.register_worklist(selectors.worklist)
