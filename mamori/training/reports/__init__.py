"""資料4 (職員への研修状況)."""
from mamori.core.reports import annual_report
from mamori.training.reports import training_report

REPORT = annual_report(training_report, code="training", key="shiryo4", label="資料4", topic="研修",
                       title="資料4 職員への研修状況", file_title="職員への研修状況",
                       formats=("json", "docx", "pdf", "xlsx"))
FORMATS = REPORT.formats
build = REPORT.build
