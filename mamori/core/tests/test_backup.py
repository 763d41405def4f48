"""mamori backup / restore: a complete snapshot of a live database, restored into an empty database of
the same or the other engine, with the same exports, the same audit log and the same passwords.

The suite runs once on SQLite and once on PostgreSQL (make test), and each run restores into both a fresh
SQLite file and a fresh PostgreSQL database: SQLite → SQLite, SQLite → PostgreSQL, PostgreSQL → PostgreSQL
and PostgreSQL → SQLite are all exercised, by the real commands in their own processes.
"""
import datetime
import json
import os
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection

from mamori.conftest import PASSWORD
from mamori.core import backup, transfer
from mamori.core.models import AuditEvent, User
from mamori.disclosure import services as disclosure
from mamori.incidents import services as incidents
from mamori.register import services as register
from mamori.register.tests.test_workflow import draft_change

ROOT = Path(__file__).resolve().parents[3]
PG_SERVER = os.environ.get("MAMORI_TEST_PG_SERVER", "postgres://postgres@127.0.0.1:5432")

# Run in the restored database's own process: its audit log, and whether the old passwords still work.
PROBE = """
import json, django
django.setup()
from django.contrib.auth import authenticate
from mamori.core.models import AuditEvent, User
events = [[e.at.isoformat(), e.actor_name, e.action, e.model, e.object_id, e.object_repr, e.summary, e.before, e.after, e.root_model, e.root_id]
          for e in AuditEvent.objects.order_by("id")]
logins = {u.username: authenticate(username=u.username, password=%(password)r) is not None for u in User.objects.order_by("username")}
fresh = User.objects.create_user("after-restore", password="x-Long-enough-1")  # sequences continue past the restored keys
print(json.dumps({"events": events, "logins": logins, "new_id": fresh.pk}))
"""


def run(*args, env=None, check=True):
    result = subprocess.run([sys.executable, "-m", "mamori.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"mamori {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def env_for(url: str, media: Path) -> dict:
    return {**os.environ, "DATABASE_URL": url, "MAMORI_MEDIA_ROOT": str(media), "MAMORI_LOG_LEVEL": "ERROR"}


@pytest.fixture
def fresh_sqlite(tmp_path):
    return f"sqlite:///{tmp_path / 'restored.sqlite3'}"


@pytest.fixture
def fresh_postgres():
    name = f"mamori_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{PG_SERVER}/{name}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def live(transactional_db, city, tmp_path, settings):
    """A small city with records in every app, a stored file, and the audit log they wrote."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "requests").mkdir(parents=True)
    (tmp_path / "media" / "requests" / "請求書.pdf").write_bytes(b"%PDF-1.4 stored file")
    n = draft_change(city)
    register.notification_submit(notification=n, actor=city.users.staff)
    register.notification_approve(notification=n, actor=city.users.manager)
    register.notification_accept(notification=n, actor=city.users.office)
    r = disclosure.request_create(
        actor=city.users.office, procedure="personal-disclosure", organ=city.organ, departments=[city.units.kyufu],
        received_on=datetime.date(2024, 6, 3), requester_name="請求 花子", subject="記録", handler=city.users.office,
        documents=[(city.units.kyufu, "認定台帳")],
    )
    disclosure.document_decide(document=r.documents.get(), actor=city.users.office, decision="partial", decided_on=datetime.date(2024, 6, 20),
                               reasons=["法第78条第1項第2号"], reason_text="第三者の氏名")
    # The hashes a production server checks (this test run hashes with MD5 for speed; the restored
    # database's process uses the project's real hashers): PBKDF2, with few iterations to stay quick.
    User.objects.update(password=PBKDF2PasswordHasher().encode(PASSWORD, "backup-test-salt", iterations=1000))
    incidents.incident_save(actor=city.users.office, incident=None, programs=[city.programs.teate], groups=[("受給者", 120)], items=["氏名"],
                            title="誤送付", summary="通知の誤送付", unit=city.units.kyufu, learned_on=datetime.date(2024, 7, 1))
    return city


def audit_rows():
    return [[e.at.isoformat(), e.actor_name, e.action, e.model, e.object_id, e.object_repr, e.summary, e.before, e.after, e.root_model, e.root_id]
            for e in AuditEvent.objects.order_by("id")]


def read_dir(path: Path) -> dict:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(path.iterdir())}


@pytest.mark.parametrize("target", ["fresh_sqlite", "fresh_postgres"])
def test_backup_restores_into_an_empty_database_of_either_engine(live, target, request, tmp_path):
    url = request.getfixturevalue(target)
    archive = tmp_path / "mamori.zip"
    call_command("backup", str(archive), stdout=open(os.devnull, "w"))
    transfer.export(tmp_path / "before")

    media = tmp_path / "restored-media"
    env = env_for(url, media)
    run("migrate", "--no-input", env=env)
    out = run("restore", str(archive), env=env).stdout
    assert "を復元しました" in out

    run("export", str(tmp_path / "after"), env=env)
    assert read_dir(tmp_path / "after") == read_dir(tmp_path / "before")
    probe = subprocess.run([sys.executable, "-c", PROBE % {"password": PASSWORD}], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
                           capture_output=True, text=True, timeout=120, check=True)
    restored = json.loads(probe.stdout.strip().splitlines()[-1])
    assert restored["events"] == json.loads(json.dumps(audit_rows()))
    assert len(restored["events"]) > 20
    assert restored["logins"] and all(restored["logins"].values()), restored["logins"]
    assert restored["new_id"] > max(User.objects.values_list("pk", flat=True))
    assert (media / "requests" / "請求書.pdf").read_bytes() == b"%PDF-1.4 stored file"


def test_the_backup_holds_what_the_export_leaves_out(live, tmp_path):
    archive = tmp_path / "mamori.zip"
    result = backup.backup(archive)
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        users = [json.loads(line) for line in zf.read("tables/core.user.jsonl").decode().splitlines()]
    assert manifest["engine"] == connection.vendor and manifest["tables"]["core.auditevent"] == AuditEvent.objects.count()
    assert all(u["fields"]["password"].startswith(("md5$", "pbkdf2_", "argon2", "!")) for u in users)  # the hashes, never passwords
    assert "sessions.session" not in manifest["tables"] and result.files == 1
    assert manifest["sha256"]["files/requests/請求書.pdf"]


def test_restore_refuses_a_database_that_is_not_empty_and_writes_nothing(live, tmp_path):
    archive = tmp_path / "mamori.zip"
    backup.backup(archive)
    before = AuditEvent.objects.count()
    with pytest.raises(backup.BackupError, match="空ではありません"):
        backup.restore(archive)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(("damage", "message"), [
    (lambda p: p.write_bytes(b"not a zip"), "ZIP として読めません"),
    (lambda p: _rewrite(p, "tables/core.user.jsonl", b'{"model": "core.user"}\n'), "チェックサム不一致"),
    (lambda p: _rewrite(p, "manifest.json", b'{"format": "other"}'), "バックアップではありません"),
])
def test_a_damaged_backup_is_refused_with_a_message(live, tmp_path, fresh_sqlite, damage, message):
    archive = tmp_path / "mamori.zip"
    backup.backup(archive)
    damage(archive)
    env = env_for(fresh_sqlite, tmp_path / "m")
    run("migrate", "--no-input", env=env)
    result = run("restore", str(archive), env=env, check=False)
    assert result.returncode != 0 and message in result.stderr and "何も書き込んでいません" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_backup_from_another_schema_version_is_refused(live, tmp_path, fresh_sqlite):
    archive = tmp_path / "mamori.zip"
    backup.backup(archive)
    env = env_for(fresh_sqlite, tmp_path / "m")
    run("migrate", "core", "0004", "--no-input", env=env)  # this database stops two migrations short
    result = run("restore", str(archive), env=env, check=False)
    assert result.returncode != 0 and "マイグレーション" in result.stderr and "mamori migrate を実行してから" in result.stderr


def test_backups_in_a_directory_are_pruned_by_day_and_month(tmp_path):
    names = ["mamori-20260101-021500.zip", "mamori-20260201-021500.zip", "mamori-20261129-021500.zip",
             "mamori-20261130-021500.zip", "mamori-20261130-120000.zip", "mamori-20261201-021500.zip"]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    removed = backup.prune(tmp_path, keep_daily=2, keep_monthly=2)
    kept = sorted(p.name for p in tmp_path.iterdir())
    # two days (12/01 and the newest of 11/30), two months (12 and 11 are already kept by their newest): the rest go
    assert kept == ["mamori-20261130-120000.zip", "mamori-20261201-021500.zip"]
    assert len(removed) == 4


def _rewrite(path: Path, member: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as zf:
        items = {name: zf.read(name) for name in zf.namelist()}
    items[member] = data
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in items.items():
            zf.writestr(name, content)

