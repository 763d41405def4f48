"""What the council contributes to core's registries: its documents for `mamori report`, the
export/import section of meetings, and the home worklist."""
from mamori.core import transfer, worklist
from mamori.council import reports, selectors
from mamori.council.transfer_sections import MeetingsSection


def register() -> None:
    reports.register_reports()
    transfer.register_sections(MeetingsSection)
    worklist.register_worklist(selectors.worklist)
