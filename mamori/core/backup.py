"""`mamori backup` / `mamori restore`: a complete, consistent snapshot of every table, and its return.

Unlike `mamori export` (the register as documented JSON, for moving data between systems), a
backup keeps everything the installation holds: the audit log, users with their password
hashes, every record, and the stored files (MEDIA_ROOT). Sessions are left out (a restore logs
everybody out); content types and permissions are rebuilt by `mamori migrate`.

- **Consistent on a live database.** SQLite: the online backup API copies the database to a
  temporary file first, and the snapshot is read from the copy. PostgreSQL: everything is read
  in one REPEATABLE READ, READ ONLY transaction.
- **Any engine to any engine.** Rows are written as Django's JSON Lines, one member per table,
  with their primary keys, so a backup of the embedded SQLite restores into PostgreSQL (the
  documented way from the demo to production) and back.
- **Into an empty, migrated database only**, with the same migrations as the backup; the whole
  restore is one transaction, and sequences are set past the restored keys.

The file is a ZIP: ``manifest.json`` (format, version, engine, time, migrations, and per member
its row count and SHA-256), ``tables/<app>.<model>.jsonl`` and ``files/<path>``.
"""
import datetime
import hashlib
import io
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, identify_hasher
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend
from django.utils import timezone

from mamori.core import inputfiles, integrity

FORMAT = "mamori-backup"
VERSION = 1
# Not kept: sessions (a restore logs everyone out); rebuilt by migrate: content types, permissions.
# Left out: sessions (everyone logs in again), Django's own derived tables, and axes' login-failure records (they
# can hold a mistyped name, even a password typed into the name box, and the `next` of a search).
# Background jobs and their queue are left out: a restored job would wait for a task that is gone, and the
# queue's rows (arguments, tracebacks) are the old system's work in progress, not records.
LEFT_OUT = {"sessions.session", "contenttypes.contenttype", "auth.permission", "admin.logentry",
            "axes.accessattempt", "axes.accessfailurelog", "axes.accesslog", "core.job", "django_tasks_db.dbtaskresult"}
SNAPSHOT_ALIAS = "mamori_backup_snapshot"
CHUNK = 2000


class _Exact(DjangoJSONEncoder):
    """Datetimes and times to the microsecond (Django's encoder stops at milliseconds): a restore gives back the same instants."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says in Japanese what to do."""


@dataclass
class Result:
    path: Path
    tables: dict[str, int]
    files: int


def _left_out(model) -> bool:
    label = model._meta.label_lower
    if label in LEFT_OUT:
        return True
    if model._meta.auto_created:  # an m2m table: left out when it joins to a table that is
        return any(f.related_model and f.related_model._meta.label_lower in LEFT_OUT for f in model._meta.fields)
    return False


def tables() -> list:
    """Every model whose rows a backup keeps, m2m tables included, in a stable order."""
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy and not _left_out(m)]
    return sorted(models, key=lambda m: m._meta.label_lower)


def _member(model) -> str:
    return f"tables/{model._meta.label_lower}.jsonl"


def _fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if not f.primary_key]


def _migrations(alias: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    applied = MigrationRecorder(connections[alias]).applied_migrations()
    out: dict[str, list[str]] = {}
    for app, name in sorted(applied):
        out.setdefault(app, []).append(name)
    return out


@contextmanager
def _snapshot():
    """The database alias to read a consistent snapshot from."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory(prefix="mamori-backup-") as tmp:
            copy = Path(tmp) / "snapshot.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(copy)
            try:
                connection.connection.backup(target)  # the online backup API: consistent while others write
            finally:
                target.close()
            # A connection of its own to the copy, made here and never added to settings.DATABASES.
            snapshot_settings = {**connection.settings_dict, "NAME": str(copy), "OPTIONS": {}}
            wrapper = load_backend(snapshot_settings["ENGINE"]).DatabaseWrapper(snapshot_settings, alias=SNAPSHOT_ALIAS)
            connections[SNAPSHOT_ALIAS] = wrapper
            try:
                yield SNAPSHOT_ALIAS
            finally:
                wrapper.close()
                del connections[SNAPSHOT_ALIAS]
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield DEFAULT_DB_ALIAS
    else:  # pragma: no cover - the two engines Mamori supports
        raise BackupError(f"{connection.vendor} のデータベースはバックアップできません（SQLite か PostgreSQL を使ってください）。")


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def backup(path: Path) -> Result:
    """Write the snapshot to ``path`` (a new file; its folder is created)."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} はすでにあります。別の名前を指定するか、--directory で日時つきの名前にしてください。")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    counts: dict[str, int] = {}
    digests: dict[str, str] = {}
    files = 0
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf, _snapshot() as alias:
            for model in tables():
                counts[model._meta.label_lower], digests[_member(model)] = _write_table(zf, model, alias)
            root = media_root()
            if root.is_dir():
                for file in sorted(p for p in root.rglob("*") if p.is_file()):
                    name = "files/" + file.relative_to(root).as_posix()
                    data = file.read_bytes()
                    zf.writestr(name, data)
                    digests[name] = hashlib.sha256(data).hexdigest()
                    files += 1
            manifest = {
                "format": FORMAT, "version": VERSION, "engine": connections[DEFAULT_DB_ALIAS].vendor,
                "created_at": timezone.now().isoformat(), "migrations": _migrations(alias), "tables": counts,
                "files": files, "sha256": digests,
            }
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return Result(path, counts, files)


def _write_table(zf: zipfile.ZipFile, model, alias: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    with zf.open(_member(model), "w") as raw:
        qs = model._base_manager.using(alias).order_by("pk")
        fields = _fields(model)
        last = None
        while True:  # keyset pages: constant memory on a table of any size
            page = list(qs.filter(pk__gt=last)[:CHUNK] if last is not None else qs[:CHUNK])
            if not page:
                break
            text = serializers.serialize("jsonl", page, fields=fields, cls=_Exact)
            data = text.encode("utf-8")
            raw.write(data)
            digest.update(data)
            count += len(page)
            last = page[-1].pk
    return count, digest.hexdigest()


def read_manifest(zf: zipfile.ZipFile, name: str) -> dict:
    try:
        raw = zf.read("manifest.json")
    except KeyError:
        raise BackupError(f"{name} に manifest.json がありません。mamori backup で作ったファイルを指定してください。") from None
    try:
        manifest = inputfiles.parse_json(raw, f"{name} の manifest.json")
    except inputfiles.InputError as exc:
        raise BackupError(f"{exc} ファイルが壊れています。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"{name} は {FORMAT} 第{VERSION}版のバックアップではありません。")
    _check_manifest_shape(manifest, name)
    return manifest


def _check_manifest_shape(manifest: dict, name: str) -> None:
    def mapping_of(key, ok) -> bool:
        value = manifest.get(key)
        return value is None or (isinstance(value, dict) and all(isinstance(k, str) and ok(v) for k, v in value.items()))

    shapes = {
        "tables": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
        "sha256": lambda v: isinstance(v, str),
        "migrations": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    }
    for key, ok in shapes.items():
        if not mapping_of(key, ok):
            raise BackupError(f"{name} の manifest.json の {key} の形が違います。mamori backup で作ったファイルを指定してください。")


MEMBER_NAME = re.compile(r"^(manifest\.json|tables/[a-z0-9_]+\.[a-z0-9_]+\.jsonl|files/[^\\:]+)$")


def _open_zip(path: Path) -> zipfile.ZipFile:
    """The backup ZIP, refused before anything is read from it when too large, cut short or not a ZIP."""
    size, most = path.stat().st_size, inputfiles.limit("backup_bytes")
    if size > most:
        raise BackupError(f"{path.name} は {size:,} バイトで、上限 {most:,} バイト（設定 MAMORI_RESTORE_MAX_BYTES）を超えています。")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        with open(path, "rb") as f:
            head = f.read(4)
        if head == b"PK\x03\x04":
            raise BackupError(
                f"{path.name} は途中で切れています（truncated）: {size:,} バイトで終わっていて、ZIP の末尾にある目録（中央ディレクトリ）がありません。"
                "コピーや転送が最後まで済んだバックアップを指定してください。"
            ) from None
        raise BackupError(f"{path.name} は ZIP として読めません。mamori backup で作ったファイルか確かめてください。") from None


def check_members(zf: zipfile.ZipFile, name: str) -> None:
    """Member names (no path outside the backup's own layout) and sizes (no ZIP bomb), before anything is unpacked."""
    member_most, total_most, ratio_most = inputfiles.limit("member_bytes"), inputfiles.limit("unpacked_bytes"), inputfiles.limit("ratio")
    total = 0
    for info in zf.infolist():
        member = info.filename
        parts = member.split("/")
        if not MEMBER_NAME.match(member) or ".." in parts or "" in parts[:-1] or member.startswith("/"):
            raise BackupError(f"{name} の {member!r} は、バックアップにない名前です（ファイル置き場の外を指す名前や絶対パスは受け付けません）。復元を中止しました。")
        if info.file_size > member_most:
            raise BackupError(f"{name} の {member} は展開すると {info.file_size:,} バイトで、上限 {member_most:,} バイト（設定 MAMORI_RESTORE_MAX_MEMBER_BYTES）を超えます。")
        if info.file_size > 2**20 and info.file_size > ratio_most * max(info.compress_size, 1):
            raise BackupError(
                f"{name} の {member} は圧縮率が異常です（{info.compress_size:,} バイトが {info.file_size:,} バイトに展開されます。"
                f"上限 {ratio_most} 倍、設定 MAMORI_RESTORE_MAX_RATIO）。ZIP 爆弾の疑いがあるため復元しません。"
            )
        total += info.file_size
    if total > total_most:
        raise BackupError(f"{name} は展開すると合計 {total:,} バイトで、上限 {total_most:,} バイト（設定 MAMORI_RESTORE_MAX_UNPACKED_BYTES）を超えます。")


def _check_restorable(manifest: dict, zf: zipfile.ZipFile, name: str) -> None:
    here = {f"{app}.{n}" for app, names in _migrations().items() for n in names}
    there = {f"{app}.{n}" for app, names in (manifest.get("migrations") or {}).items() for n in names}
    if here != there:
        missing, extra = sorted(there - here), sorted(here - there)
        hint = "このデータベースで mamori migrate を実行してから" if missing else "バックアップを作った版のまもりで"
        raise BackupError(
            f"{name} とこのデータベースとでは、データベースの版（マイグレーション）が違います"
            f"（バックアップにだけあるもの: {', '.join(missing) or 'なし'}／こちらにだけあるもの: {', '.join(extra) or 'なし'}）。"
            f"{hint}復元してください。"
        )
    filled = [m._meta.label for m in tables() if m._base_manager.exists()]
    if filled:
        raise BackupError(
            "復元先のデータベースが空ではありません（" + "、".join(filled[:8]) + ("ほか" if len(filled) > 8 else "") + " にデータがあります）。"
            "空のデータベースに mamori migrate を実行してから復元してください。"
        )
    root = media_root()
    if root.is_dir() and any(root.iterdir()):
        raise BackupError(f"復元先のファイル置き場 {root} が空ではありません。空にしてから復元してください。")
    for member, expected in (manifest.get("sha256") or {}).items():
        try:
            digest = hashlib.sha256()
            with zf.open(member) as stream:  # in chunks: a table may be larger than memory should hold
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(chunk)
            actual = digest.hexdigest()
        except KeyError:
            raise BackupError(f"{name} に {member} がありません。ファイルが欠けています。") from None
        if actual != expected:
            raise BackupError(f"{name} の {member} が作成時と違います（チェックサム不一致）。ファイルが壊れているか、書き換えられています。")


@contextmanager
def _keep_timestamps(model):
    """bulk_create would stamp auto_now / auto_now_add fields with the present: keep the stored times."""
    changed = [(f, f.auto_now, f.auto_now_add) for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for f, _, _ in changed:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in changed:
            f.auto_now, f.auto_now_add = now, now_add


def restore(path: Path) -> Result:
    """Load a backup into this (empty, migrated) database and its file store, in one transaction."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} がありません（または通常のファイルではありません）。")
    zf = _open_zip(path)
    try:
        with zf:
            return _restore(zf, path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise BackupError(f"{path.name} の中身が壊れていて読めません（{type(exc).__name__}）。別のバックアップを指定してください。") from None


def _restore(zf: zipfile.ZipFile, path: Path) -> Result:
    counts: dict[str, int] = {}
    check_members(zf, path.name)
    manifest = read_manifest(zf, path.name)
    _check_restorable(manifest, zf, path.name)
    by_label = {m._meta.label_lower: m for m in tables()}
    unknown = sorted(set(manifest.get("tables") or {}) - set(by_label))
    if unknown:
        raise BackupError(f"{path.name} に、このまもりにない表があります: {', '.join(unknown)}。")
    connection = connections[DEFAULT_DB_ALIAS]
    written_files: list[Path] = []
    try:
        with transaction.atomic():
            for label, expected in (manifest.get("tables") or {}).items():
                model = by_label[label]
                counts[label] = _load_table(zf, model)
                if counts[label] != expected:
                    raise BackupError(f"{label} の件数が manifest と違います（{counts[label]}件／{expected}件）。")
            _check_integrity(path.name)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), list(by_label.values())):
                        cursor.execute(sql)
            root = media_root()
            for member in zf.namelist():
                if member.startswith("files/") and not member.endswith("/"):
                    target = (root / member[len("files/"):]).resolve()
                    if root.resolve() not in target.parents:
                        raise BackupError(f"{member} はファイル置き場の外を指しています。復元を中止しました。")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(member) as src, open(target, "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    written_files.append(target)
    except BaseException as exc:
        for file in written_files:
            file.unlink(missing_ok=True)
        if isinstance(exc, DatabaseError | ValueError | TypeError | OverflowError):
            raise BackupError(f"{path.name} の内容をデータベースが受け付けません（{str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}）。") from None
        raise
    return Result(path, counts, len(written_files))


def _check_password_hash(obj) -> None:
    """A restored password is a hash: the validators cannot run on it (they ran when it was set). What restore can
    hold is that it is a login this installation can check: unusable ("!…", no login), or in the format of one of
    settings.PASSWORD_HASHERS. Anything else (plain text, an unknown or removed hasher) stops the restore."""
    password = getattr(obj, "password", None)
    if password is None or obj._meta.label != settings.AUTH_USER_MODEL or password.startswith(UNUSABLE_PASSWORD_PREFIX):
        return
    try:
        identify_hasher(password)
    except ValueError:
        raise BackupError(
            f"利用者（ID {obj.pk}）のパスワードが、この設定で確かめられる形式（PASSWORD_HASHERS）のハッシュではありません。"
            "平文のパスワードや、使っていない方式のハッシュは復元できません。バックアップを作った環境と同じ設定で復元してください。"
        ) from None


def _check_integrity(name: str) -> None:
    """The domain rules over everything restored (core.integrity), before the transaction commits."""
    broken = integrity.run_checks()
    if broken:
        lines = [f"tables/{v.table}.jsonl の {v.record}（{v.field}）: {v.message}" for v in broken[:50]]
        more = f"\n…ほか {len(broken) - 50} 件" if len(broken) > 50 else ""
        raise BackupError(f"{name} の内容が規則に合いません（{len(broken)}件）:\n" + "\n".join(lines) + more)


def _rows(zf: zipfile.ZipFile, model):
    """The rows of a table member, each validated like a service's write (core.integrity.clean); BackupError naming the line."""
    member = _member(model)
    line = 0
    try:
        with zf.open(member) as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
            for line, deserialized in enumerate(serializers.deserialize("jsonl", stream, ignorenonexistent=False, handle_forward_references=False), start=1):
                integrity.clean(deserialized.object, model_clean=False)
                yield deserialized.object
    except KeyError:
        raise BackupError(f"{member} がありません。ファイルが欠けています。") from None
    except integrity.RecordInvalid as exc:
        fields = "、".join(f"{f or '全体'}: {m}" for f, m in exc.fields())
        raise BackupError(f"{member} の {line}行目（{integrity.record_name(exc.instance)}）が正しくありません — {fields}") from None
    except (DeserializationError, ValidationError, UnicodeDecodeError, ValueError, TypeError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise BackupError(f"{member} の {line + 1}行目が読めません（{reason}）。ファイルが壊れています。") from None


def _load_table(zf: zipfile.ZipFile, model) -> int:
    count = 0
    with _keep_timestamps(model):
        batch = []
        for obj in _rows(zf, model):
            _check_password_hash(obj)
            batch.append(obj)
            if len(batch) >= CHUNK:
                model._base_manager.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            model._base_manager.bulk_create(batch)
            count += len(batch)
    return count


def prune(directory: Path, keep_daily: int, keep_monthly: int) -> list[Path]:
    """Keep the newest backup of each of the last ``keep_daily`` days and of the last ``keep_monthly`` months."""
    found = sorted(directory.glob("mamori-*.zip"), reverse=True)
    keep: set[Path] = set()
    days: dict[str, Path] = {}
    months: dict[str, Path] = {}
    for file in found:
        stamp = file.stem.removeprefix("mamori-")
        days.setdefault(stamp[:8], file)
        months.setdefault(stamp[:6], file)
    keep.update(list(days.values())[:keep_daily])
    keep.update(list(months.values())[:keep_monthly])
    removed = [f for f in found if f not in keep]
    for file in removed:
        file.unlink()
    return removed


def dated_name(directory: Path, now: datetime.datetime | None = None) -> Path:
    now = timezone.localtime(now or timezone.now())
    return Path(directory) / f"mamori-{now:%Y%m%d-%H%M%S}.zip"
