"""資料5 (`mamori report outsourcing`) and the contract forms."""

FORMATS = ("json", "docx", "pdf", "xlsx")


def build(fiscal_year: int, fmt: str) -> bytes:
    from mamori.core.reports import build_annual
    from mamori.outsourcing.reports import outsourcing_report as report

    return build_annual(report, fiscal_year, fmt)


def register_reports() -> None:
    from mamori.core.reports import register_annual

    register_annual("outsourcing", "資料5 委託に関する報告", build, FORMATS)
