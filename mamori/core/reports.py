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
