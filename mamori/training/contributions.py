"""What training contributes to core's registries: 資料4 and the export/import section."""
from mamori.core import transfer
from mamori.core.reports import register_annual
from mamori.training import reports
from mamori.training.transfer_sections import TrainingSection


def register() -> None:
    register_annual(reports.REPORT)
    transfer.register_sections(TrainingSection)
