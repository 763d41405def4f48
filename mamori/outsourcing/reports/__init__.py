"""資料5 (委託に関する報告) and the contract forms (別紙1〜4)."""
from mamori.core.reports import annual_report
from mamori.outsourcing.reports import outsourcing_report

REPORT = annual_report(outsourcing_report, code="outsourcing", key="shiryo5", label="資料5", topic="委託",
                       title="資料5 委託に関する報告", file_title="委託に関する報告",
                       formats=("json", "docx", "pdf", "xlsx"))
FORMATS = REPORT.formats
build = REPORT.build
