"""`mamori export DIR` / `mamori import DIR`: the whole register as JSON files.

Each app registers its sections from its ``AppConfig.ready()`` (``register_sections``); they
run in the order of registration, which is the layer order of INSTALLED_APPS, so a section
finds the sections of the apps below it already read. A section writes one file and reads it back. Import first reads and checks
every file, collecting every problem with its file, record and field; only when
there is none does it write, all in one transaction. The format is documented in
docs/data-format.md. Output is deterministic: export → import into an empty
database → export gives identical files.
"""
import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from mamori.core import audit
from mamori.core.models import AuditAction

FORMAT = "mamori-export"
FORMAT_VERSION = 1


@dataclass
class Problem:
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.record:
            where += f" の {self.record}"
        if self.field:
            where += f"（{self.field}）"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class ImportContext:
    """What the sections learn from each other while importing."""

    data: dict = field(default_factory=dict)  # file name → parsed JSON
    problems: list[Problem] = field(default_factory=list)
    objects: dict = field(default_factory=dict)  # e.g. "units" → {code: OrgUnit}

    def problem(self, file: str, record: str, field_: str, message: str) -> None:
        self.problems.append(Problem(file, record, field_, message))


def sorted_json(value):
    """Free-form JSON with its object keys sorted: PostgreSQL's jsonb does not keep key order,
    and the export must be the same whichever database it came from."""
    if isinstance(value, dict):
        return {k: sorted_json(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sorted_json(v) for v in value]
    return value


def record_label(i: int, key: str | None = None) -> str:
    """How a problem names a record: 「3件目（P00012）」."""
    return f"{i}件目" + (f"（{key}）" if key else "")


class Section:
    file: str = ""

    def export(self) -> object:  # pragma: no cover - interface
        raise NotImplementedError

    def is_empty(self) -> bool:
        return True

    def check(self, ctx: ImportContext) -> None:
        """Validate ctx.data[self.file]; report problems; never write."""

    def write(self, ctx: ImportContext) -> int:
        """Write the records; returns how many."""
        return 0


SECTIONS: list[type[Section]] = []


def register_sections(*classes: type[Section]) -> None:
    for cls in classes:
        if cls not in SECTIONS:
            SECTIONS.append(cls)


def sections() -> list[Section]:
    return [cls() for cls in SECTIONS]


def dt(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.timezone.utc).isoformat()


def parse_dt(value: str | None) -> datetime.datetime | None:
    if value is None:
        return None
    parsed = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(parsed):
        raise ValueError("タイムゾーン付きの日時（例 2024-06-01T09:00:00+00:00）で指定してください。")
    return parsed


def _dump(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8")


def export(directory: Path) -> dict[str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    secs = sections()
    _dump(directory / "manifest.json", {"format": FORMAT, "version": FORMAT_VERSION, "files": [s.file for s in secs]})
    for section in secs:
        value = section.export()
        _dump(directory / section.file, value)
        counts[section.file] = len(value) if isinstance(value, list) else len(value.get("items", [value])) if isinstance(value, dict) else 1
    return counts


def import_(directory: Path, *, actor=None) -> dict[str, int]:
    """Check everything, then write everything in one transaction (or nothing)."""
    ctx = ImportContext()
    secs = sections()
    manifest_path = directory / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportFailed([Problem("manifest.json", "", "", f"{directory} に manifest.json がありません。mamori export で書き出したフォルダーを指定してください。")])
    except json.JSONDecodeError as exc:
        raise ImportFailed([Problem("manifest.json", "", "", f"JSONとして読めません（{exc.lineno}行{exc.colno}文字目）。")])
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise ImportFailed([Problem("manifest.json", "", "format", f"形式 {FORMAT} 第{FORMAT_VERSION}版のファイルではありません。")])
    for section in secs:
        path = directory / section.file
        try:
            ctx.data[section.file] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            ctx.problem(section.file, "", "", "ファイルがありません。")
        except json.JSONDecodeError as exc:
            ctx.problem(section.file, "", "", f"JSONとして読めません（{exc.lineno}行{exc.colno}文字目: {exc.msg}）。")
        if not section.is_empty():
            ctx.problem(section.file, "", "", "取込み先のデータベースにすでにデータがあります。空のデータベースに取り込んでください。")
    if ctx.problems:
        raise ImportFailed(ctx.problems)
    for section in secs:
        section.check(ctx)
    if ctx.problems:
        raise ImportFailed(ctx.problems)
    counts = {}
    with transaction.atomic():
        for section in secs:
            counts[section.file] = section.write(ctx)
        audit.record(
            actor=actor, action=AuditAction.IMPORT, model="mamori.export", object_id=str(directory.name),
            object_repr=f"取込み {directory.name}", summary=", ".join(f"{k}: {v}件" for k, v in counts.items()), after=counts,
        )
    return counts
