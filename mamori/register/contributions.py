"""What the register contributes to core's registries: export/import sections and the home worklist."""
from mamori.core import transfer, worklist
from mamori.register import selectors
from mamori.register.transfer_sections import IngestSourcesSection, NotificationsSection, ProgramsSection, VocabularySection


def register() -> None:
    transfer.register_sections(VocabularySection, ProgramsSection, IngestSourcesSection, NotificationsSection)
    worklist.register_worklist(selectors.worklist)
