"""The registry of official documents, filled by each app from its ``AppConfig.ready()``.

Two kinds of entry:

- ``REPORTS``: what `mamori report NAME ...` offers. A spec declares its own options and a
  ``build(options) -> bytes``.
- ``ANNUAL``: the yearly reports a council meeting presents for the fiscal year before it
  (資料3〜6). Each is a module-like pair — ``context(fiscal_year)`` builds a dataclass with
  ``as_json()``, and ``render_<fmt>(ctx)`` turns it into a file — so the council page and the
  CLI list the registry and hold no code of their own per 資料.
"""
import argparse
import json
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from django.http import HttpResponse

from mamori.core.calendar import FISCAL_YEAR_EXAMPLES, DateInputError, fiscal_year_label, parse_fiscal_year


class NoData(LookupError):
    """A report has nothing to show for what was asked (a year with no records); the message says so in Japanese."""


@dataclass
class ReportSpec:
    name: str
    help: str
    add_arguments: Callable
    build: Callable  # (options: dict) -> bytes; options include "format"
    formats: tuple[str, ...]


@dataclass(frozen=True)
class AnnualReport:
    code: str  # the CLI name: `mamori report operation-status`
    key: str  # the meeting page's slug: shiryo3
    label: str  # 資料3
    topic: str  # 運用状況 (the meeting page reads 「資料3（2023年度 運用状況）」)
    title: str  # 資料3 情報公開制度・個人情報保護制度運用状況報告書
    file_title: str  # 運用状況報告書: a download reads 資料3_運用状況報告書_令和5年度.xlsx
    formats: tuple[str, ...]
    context: Callable  # (fiscal_year: int) -> a dataclass with as_json(); raises NoData
    renderers: dict  # fmt → (ctx) -> bytes; "json" needs none

    def build(self, fiscal_year: int, fmt: str) -> bytes:
        if fmt not in self.formats:
            raise NoData(f"{self.label}は {', '.join(self.formats)} で出力できます（{fmt} はありません）。")
        ctx = self.context(fiscal_year)
        if fmt == "json":
            return json.dumps(ctx.as_json(), ensure_ascii=False, indent=1).encode("utf-8")
        return self.renderers[fmt](ctx)

    def file_name(self, fiscal_year: int, fmt: str) -> str:
        return f"{self.label}_{self.file_title}_{fiscal_year_label(fiscal_year)}.{fmt}"

    @property
    def file_formats(self) -> tuple[str, ...]:
        """The formats a person downloads (JSON is for the CLI and other systems)."""
        return tuple(f for f in self.formats if f != "json")


@dataclass(frozen=True)
class Annex:
    """Pages printed after a yearly report in the bound council packet (資料5 → the 特記事項 and its 別紙1〜4)."""
    key: str
    title: str
    context: Callable  # (fiscal_year: int, *, on: date) -> context; ``on`` the meeting's date; raises NoData when it has nothing to print
    renderers: dict  # "pdf" and "docx" → (ctx) -> bytes


REPORTS: dict[str, ReportSpec] = {}
ANNUAL: dict[str, AnnualReport] = {}
ANNEXES: dict[str, list[Annex]] = {}  # AnnualReport.key → its annexes, in order


def register_annex(report_key: str, annex: Annex) -> None:
    ANNEXES.setdefault(report_key, []).append(annex)


def register(spec: ReportSpec) -> None:
    REPORTS[spec.name] = spec


def _fiscal_year(text: str) -> int:
    try:
        year = parse_fiscal_year(text)
    except DateInputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    if year is None:
        raise argparse.ArgumentTypeError(f"年度を {FISCAL_YEAR_EXAMPLES} のように指定してください。")
    return year


def _fiscal_year_argument(parser) -> None:
    parser.add_argument("--fiscal-year", type=_fiscal_year, required=True, help=f"年度（{FISCAL_YEAR_EXAMPLES} のいずれの書き方でも）")


def annual_report(module, *, code: str, key: str, label: str, topic: str, title: str, file_title: str, formats: tuple[str, ...]) -> AnnualReport:
    """A yearly report from a module that has ``context(fiscal_year)`` and ``render_<fmt>(ctx)``."""
    renderers = {fmt: getattr(module, f"render_{fmt}") for fmt in formats if fmt != "json"}
    return AnnualReport(code, key, label, topic, title, file_title, tuple(formats), module.context, renderers)


def register_annual(report: AnnualReport) -> None:
    """`mamori report CODE --fiscal-year 2023 --format … --output FILE`, and the meeting page's 資料."""
    ANNUAL[report.key] = report
    register(ReportSpec(report.code, report.title, _fiscal_year_argument,
                        lambda options: report.build(options["fiscal_year"], options["format"]), report.formats))


MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
    "bin": "application/octet-stream",
}


def download(data: bytes, fmt: str, filename: str) -> HttpResponse:
    """An attachment response; the Japanese file name goes in RFC 5987 form (filename*=UTF-8'')."""
    response = HttpResponse(data, content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
