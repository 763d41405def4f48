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

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from mamori.core import audit, inputfiles, integrity
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
        if not self.record and not self.field and self.message.startswith(self.file):
            return self.message  # core.inputfiles names the file itself
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
    export_shape: object = []  # what the file holds at its top: a list of records, or {} for an object
    models: tuple = ()  # the models it writes with bulk_create (their rows are validated after the writes)


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


def parse_date(value) -> datetime.date | None:
    """A YYYY-MM-DD string (or None); ValueError for anything else, a number included."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError("日付は文字列 YYYY-MM-DD で指定してください。")
    return datetime.date.fromisoformat(value)


def check_dates(ctx: "ImportContext", file: str, where: str, rec: dict, fields: tuple[str, ...], required: tuple[str, ...] = ()) -> None:
    """Report each of ``fields`` of ``rec`` that is not a YYYY-MM-DD string (or missing while required)."""
    for key in fields:
        try:
            if parse_date(rec.get(key)) is None and key in required:
                raise ValueError
        except ValueError:
            ctx.problem(file, where, key, "日付を文字列 YYYY-MM-DD で指定してください（例 \"2024-04-01\"）。")


def parse_dt(value: str | None) -> datetime.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("日時は文字列（例 2024-06-01T09:00:00+00:00）で指定してください。")
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


def _shape_message(exc: Exception) -> str:
    """What a section's check tripped over, as something to fix (the checks expect the documented shapes)."""
    if isinstance(exc, KeyError):
        return f"項目 {exc.args[0]!r} がありません。docs/data-format.md の形式に合わせてください。"
    if isinstance(exc, IndexError):
        return "番号（何番目か）が一覧の範囲外です。参照している番号を確かめてください。"
    if isinstance(exc, (TypeError, AttributeError)):
        return "値の型が違います（オブジェクト・リスト・文字列・数の取り違え）。docs/data-format.md の形式に合わせてください。"
    return f"値が正しくありません（{exc}）。"


def _read(path: Path, name: str):
    try:
        return inputfiles.read_json(path, name)
    except inputfiles.InputError as exc:
        raise ImportFailed([Problem(name, "", "", str(exc))]) from None


def _write_problems(exc: Exception, current: str) -> list[Problem]:
    if isinstance(exc, integrity.RecordInvalid):
        return [Problem(current, integrity.record_name(exc.instance), f, m) for f, m in exc.fields()]
    if isinstance(exc, ValidationError):
        return [Problem(current, "", f, m) for f, m in integrity.field_errors(exc)]
    if isinstance(exc, DatabaseError):
        return [Problem(current, "", "", f"データベースが受け付けません（{str(exc).splitlines()[0][:200]}）。値の長さ・範囲・参照を確かめてください。")]
    return [Problem(current, "", "", _shape_message(exc))]


WRITE_ERRORS = (integrity.RecordInvalid, ValidationError, DatabaseError, KeyError, IndexError, TypeError, AttributeError, ValueError, OverflowError)


def import_(directory: Path, *, actor=None) -> dict[str, int]:
    """Check everything, then write everything in one transaction (or nothing).

    The files are read by core.inputfiles (encoding, size, truncation, depth); each section checks
    its file; the writes are validated as the services validate (core.integrity: every object's
    full_clean, then the domain rules the apps register), and any problem rolls everything back."""
    ctx = ImportContext()
    secs = sections()
    directory = Path(directory)
    if not directory.is_dir():
        raise ImportFailed([Problem(str(directory), "", "", "フォルダーがありません（mamori export で書き出したフォルダーを指定してください）。")])
    if not (directory / "manifest.json").exists():
        raise ImportFailed([Problem("manifest.json", "", "", f"{directory} に manifest.json がありません。mamori export で書き出したフォルダーを指定してください。")])
    manifest = _read(directory / "manifest.json", "manifest.json")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise ImportFailed([Problem("manifest.json", "", "format", f"形式 {FORMAT} 第{FORMAT_VERSION}版のファイルではありません。")])
    for section in secs:
        path = directory / section.file
        if not path.exists():
            ctx.problem(section.file, "", "", "ファイルがありません。")
        else:
            try:
                ctx.data[section.file] = inputfiles.read_json(path, section.file)
            except inputfiles.InputError as exc:
                ctx.problem(section.file, "", "", str(exc))
        if not section.is_empty():
            ctx.problem(section.file, "", "", "取込み先のデータベースにすでにデータがあります。空のデータベースに取り込んでください。")
    if ctx.problems:
        raise ImportFailed(ctx.problems)
    for section in secs:
        expected = dict if isinstance(section.export_shape, dict) else list
        if not isinstance(ctx.data[section.file], expected):
            ctx.problem(section.file, "", "", "オブジェクト（{…}）で指定してください。" if expected is dict else "リスト（[…]）で指定してください。")
            continue
        try:
            section.check(ctx)
        except Exception as exc:  # noqa: BLE001 - a shape the check did not foresee: reported, never a traceback
            ctx.problem(section.file, "", "", _shape_message(exc))
    if ctx.problems:
        raise ImportFailed(ctx.problems)
    counts = {}
    current = ""
    try:
        with transaction.atomic(), integrity.validating() as saved:
            for section in secs:
                current = section.file
                counts[section.file] = section.write(ctx)
            current = "（取込み後の検査）"
            integrity.sweep(saved)
            broken = integrity.run_checks()
            if broken:
                raise ImportFailed([Problem(v.file, v.record, v.field, v.message) for v in broken])
            audit.record(
                actor=actor, action=AuditAction.IMPORT, model="mamori.export", object_id=str(directory.name),
                object_repr=f"取込み {directory.name}", summary=", ".join(f"{k}: {v}件" for k, v in counts.items()), after=counts,
            )
    except WRITE_ERRORS as exc:
        if isinstance(exc, integrity.RecordInvalid) and current == "（取込み後の検査）":
            current = next((s.file for s in secs if type(exc.instance) in getattr(s, "models", ())), current)
        raise ImportFailed(_write_problems(exc, current)) from exc
    return counts
