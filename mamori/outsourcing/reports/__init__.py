"""資料5 (`mamori report outsourcing`) and the contract forms."""
import json

FORMATS = ("json", "docx", "pdf", "xlsx")


def build(fiscal_year: int, fmt: str) -> bytes:
    from mamori.outsourcing.reports import outsourcing_report as report

    ctx = report.context(fiscal_year)
    if fmt == "json":
        return json.dumps(ctx.as_json(), ensure_ascii=False, indent=1).encode("utf-8")
    return {"docx": report.render_docx, "pdf": report.render_pdf, "xlsx": report.render_xlsx}[fmt](ctx)


def register_reports() -> None:
    from mamori.core.reports import register_annual

    register_annual("outsourcing", "資料5 委託に関する報告", build, FORMATS)
