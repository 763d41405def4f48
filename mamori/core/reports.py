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
