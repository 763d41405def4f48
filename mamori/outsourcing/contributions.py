"""What contractor supervision contributes to core's registries: 資料5 and export/import sections."""
from mamori.core import integrity, transfer
from mamori.core.reports import register_annual
from mamori.outsourcing import reports
from mamori.outsourcing.integrity import contracts
from mamori.outsourcing.transfer_sections import ContractorsSection, ContractsSection


def register() -> None:
    register_annual(reports.REPORT)
    integrity.register_checks(contracts)
    transfer.register_sections(ContractorsSection, ContractsSection)
