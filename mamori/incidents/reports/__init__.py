"""資料6 (漏えい等の報告) and the PPC report draft."""
from mamori.core.reports import annual_report
from mamori.incidents.reports import incidents_report
from mamori.incidents.reports.ppc import ppc_context, ppc_docx, ppc_pdf

REPORT = annual_report(incidents_report, code="incidents", key="shiryo6", label="資料6", topic="漏えい等",
                       title="資料6 個人情報保護委員会への漏えい等の報告", file_title="漏えい等の報告",
                       formats=("json", "docx", "pdf"))
FORMATS = REPORT.formats
build = REPORT.build

__all__ = ["REPORT", "FORMATS", "build", "ppc_context", "ppc_docx", "ppc_pdf"]
