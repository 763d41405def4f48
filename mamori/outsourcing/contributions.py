"""What contractor supervision contributes to core's registries: 資料5, export/import sections, integrity
checks, and the home page's entries (contracts with a warning, findings past due, certifications to follow)."""
from mamori.core import integrity, transfer, worklist
from mamori.core.reports import register_annual
from mamori.outsourcing import reports, selectors
from mamori.outsourcing.integrity import contracts
from mamori.outsourcing.transfer_sections import ContractorsSection, ContractsSection


def register() -> None:
    register_annual(reports.REPORT)
    integrity.register_checks(contracts)
    transfer.register_sections(ContractorsSection, ContractsSection)
    worklist.register_worklist(selectors.worklist)
