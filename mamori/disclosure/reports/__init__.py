"""資料3 for `mamori report operation-status` and the council meeting page."""

FORMATS = ("json", "docx", "pdf", "xlsx")


def build(fiscal_year: int, fmt: str) -> bytes:
    from mamori.core.reports import build_annual
    from mamori.disclosure.reports import operation_status as report

    return build_annual(report, fiscal_year, fmt)


def register_reports() -> None:
    from mamori.core.reports import register_annual

    register_annual("operation-status", "資料3 情報公開制度・個人情報保護制度運用状況報告書", build, FORMATS)
