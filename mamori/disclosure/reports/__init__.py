"""資料3 (運用状況報告書) and the notices of a request."""
from mamori.core.reports import annual_report
from mamori.disclosure.reports import operation_status

REPORT = annual_report(operation_status, code="operation-status", key="shiryo3", label="資料3", topic="運用状況",
                       title="資料3 情報公開制度・個人情報保護制度運用状況報告書", file_title="運用状況報告書",
                       formats=("json", "docx", "pdf", "xlsx"))
FORMATS = REPORT.formats
build = REPORT.build
