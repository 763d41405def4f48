"""What the ファイル簿 contributes to core's registries: its listener on the register's acceptances, the home
worklist, the export/import section and the checks over data written in bulk."""
from mamori.core import hooks, integrity, transfer, worklist
from mamori.filebook import integrity as checks
from mamori.filebook import selectors, services
from mamori.filebook.transfer_sections import FilesSection


def register() -> None:
    hooks.on_version_accepted(services.program_version_accepted)
    worklist.register_worklist(selectors.worklist)
    transfer.register_sections(FilesSection)
    integrity.register_checks(checks.files, checks.revisions)
