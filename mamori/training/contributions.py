"""What training contributes to core's registries: 資料4, the export/import section, and the home page's entry
(マイナンバー取扱課の職員 not trained this year)."""
from mamori.core import transfer, worklist
from mamori.core.reports import register_annual
from mamori.training import reports, selectors
from mamori.training.transfer_sections import TrainingSection


def register() -> None:
    register_annual(reports.REPORT)
    transfer.register_sections(TrainingSection)
    worklist.register_worklist(selectors.worklist)
