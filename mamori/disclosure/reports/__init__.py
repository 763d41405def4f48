"""資料3 for `mamori report operation-status` and the council meeting page."""
import json

FORMATS = ("json", "docx", "pdf", "xlsx")


def build(fiscal_year: int, fmt: str) -> bytes:
    from mamori.disclosure.reports import operation_status as report

    ctx = report.context(fiscal_year)
    if fmt == "json":
        return json.dumps(ctx.as_json(), ensure_ascii=False, indent=1).encode("utf-8")
    return {"docx": report.render_docx, "pdf": report.render_pdf, "xlsx": report.render_xlsx}[fmt](ctx)


def register_reports() -> None:
    from mamori.core.reports import register_annual

    register_annual("operation-status", "資料3 情報公開制度・個人情報保護制度運用状況報告書", build, FORMATS)
