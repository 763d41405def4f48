"""What the register contributes to core's registries: export/import sections and the home worklist."""
from mamori.core import integrity, transfer, worklist
from mamori.register import selectors
from mamori.register.integrity import notification_duties
from mamori.register.transfer_sections import IngestSourcesSection, NotificationsSection, ProgramsSection, VocabularySection


def register() -> None:
    integrity.register_checks(notification_duties)
    transfer.register_sections(VocabularySection, ProgramsSection, IngestSourcesSection, NotificationsSection)
    worklist.register_worklist(selectors.worklist)
