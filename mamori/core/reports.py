"""The registry behind `mamori report NAME ...`: each app registers its official documents.

A report declares its own options and a ``build(options) -> (bytes, extension)``.
"""
from dataclasses import dataclass
from typing import Callable


@dataclass
class ReportSpec:
    name: str
    help: str
    add_arguments: Callable
    build: Callable  # (options: dict) -> bytes; options include "format"
    formats: tuple[str, ...]


REPORTS: dict[str, ReportSpec] = {}


def register(spec: ReportSpec) -> None:
    REPORTS[spec.name] = spec


MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def register_annual(name: str, help: str, build: Callable, formats: tuple[str, ...]) -> None:
    """A report for a fiscal year: `mamori report NAME --fiscal-year 2023 --format … --output FILE`."""

    def arguments(parser):
        parser.add_argument("--fiscal-year", type=int, required=True, help="年度（西暦の開始年。令和5年度なら 2023）")

    register(ReportSpec(name, help, arguments, lambda options: build(options["fiscal_year"], options["format"]), formats))


def build_annual(module, fiscal_year: int, fmt: str) -> bytes:
    """One fiscal year's report from a report module: ``module.context(year)``, then JSON or ``module.render_<fmt>``."""
    import json

    ctx = module.context(fiscal_year)
    if fmt == "json":
        return json.dumps(ctx.as_json(), ensure_ascii=False, indent=1).encode("utf-8")
    return getattr(module, f"render_{fmt}")(ctx)


def download(data: bytes, fmt: str, filename: str):
    """An attachment response; the Japanese file name goes in RFC 5987 form (filename*=UTF-8'')."""
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(data, content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
