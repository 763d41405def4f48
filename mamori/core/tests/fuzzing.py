"""Shared parts of the fuzz suites (test_fuzz_import, test_fuzz_restore, incidents/test_fuzz_assess,
disclosure/test_fuzz_deadline): a small city built through the services, the database state to compare
before and after, and the tally of outcomes that `scripts/fuzz-report` prints.

An attempt runs the real command in-process (call_command). Its outcome is one of
- refused: CommandError with a Japanese message, database unchanged (what every bad input must give);
- accepted: the command succeeded (a fuzzed value that happens to be valid);
- traceback: any other exception;
and separately, changed: a refused or failed attempt that left the database different.
"""
import datetime
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from mamori.conftest import make_user, version_data
from mamori.core import services as core
from mamori.core.models import AuditEvent, Organ, Role, UnitKind
from mamori.disclosure import services as disclosure
from mamori.incidents import services as incidents
from mamori.outsourcing import services as outsourcing
from mamori.register import services as register
from mamori.register.management.commands.load_vocabulary import VOCABULARY
from mamori.register.models import NotificationKind

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
TALLY: Counter = Counter()
TRACEBACKS: list[str] = []
ROOT = Path(__file__).resolve().parents[3]
REPORT_DIR = os.environ.get("MAMORI_FUZZ_REPORT")  # scripts/fuzz-report collects the tallies from here


def build_small_city() -> dict:
    """Everything an export holds, a little of each, written through the services."""
    organ = Organ.objects.create(code="mayor", name="市長")
    bu = core.unit_create(organ=organ, kind=UnitKind.DIVISION, code="kodomo", name="こども・健康部", actor=None)
    ka = core.unit_create(organ=organ, kind=UnitKind.SECTION, code="mirai", name="こども未来課", parent=bu, actor=None)
    office_unit = core.unit_create(organ=organ, kind=UnitKind.SECTION, code="joho", name="情報公開課", parent=bu, actor=None)
    staff = make_user("staff", Role.DEPT_STAFF, ka)
    manager = make_user("manager", Role.DEPT_MANAGER, ka)
    office = make_user("office", Role.PRIVACY_OFFICE, office_unit)
    register.vocabulary_load(data=json.loads(VOCABULARY.read_text(encoding="utf-8")))
    program = register.program_migrate(data=version_data("児童手当給付事業", ka), effective_from=datetime.date(2021, 4, 1))
    proposed = version_data("児童手当給付事業", ka, groups=(("受給者", ("氏名", "住所", "電話番号")),))
    n = register.notification_create(actor=staff, kind=NotificationKind.CHANGE, program=program, proposed=proposed, reason="連絡のため",
                                     content="電話番号を追加する。", effective_date=datetime.date(2024, 6, 1))
    register.notification_submit(notification=n, actor=staff)
    register.notification_approve(notification=n, actor=manager)
    register.notification_accept(notification=n, actor=office)
    contractor = outsourcing.contractor_save(actor=None, name="株式会社まもり計算センター")
    program.refresh_from_db()
    outsourcing.contract_save(actor=None, program=program, contractor=contractor, kind="outsourcing", title="手当システム運用保守",
                              starts_on=datetime.date(2024, 4, 1), ends_on=datetime.date(2025, 3, 31), items=["氏名"])
    disclosure.request_create(actor=office, departments=[ka], documents=[(ka, "児童手当の受給記録")], procedure="personal-disclosure",
                              organ=organ, received_on=datetime.date(2024, 5, 7), requester_name="山田花子", subject="自分の受給記録")
    incidents.incident_save(actor=office, title="通知書の誤送付", summary="別の世帯に送付した。", learned_on=datetime.date(2024, 7, 1),
                            occurred_on=datetime.date(2024, 6, 28), unit=ka, items=["氏名", "住所"], groups=[("受給者", 1)])
    return {"staff": staff, "manager": manager, "office": office}


def db_state() -> dict[str, int]:
    """Rows per table of every installed model (the audit log among them)."""
    state = {m._meta.label_lower: m._base_manager.count() for m in apps.get_models(include_auto_created=True) if m._meta.managed}
    state["audit"] = AuditEvent.objects.count()
    return state


def attempt(label: str, *args, **kwargs) -> tuple[str, str]:
    """Run one command once; tally and return (outcome, message)."""
    before = db_state()
    TALLY["tried"] += 1
    outcome, message = "accepted", ""
    try:
        call_command(*args, **kwargs)
    except CommandError as exc:
        message = str(exc)
        outcome = "refused" if JAPANESE.search(message) and "Traceback" not in message else "traceback"
    except BaseException as exc:  # noqa: BLE001 - counting what escapes is the point
        if isinstance(exc, KeyboardInterrupt):
            raise
        outcome, message = "traceback", f"{type(exc).__name__}: {exc}"[:500]
        TRACEBACKS.append(f"{label}: {message}")
    changed = outcome != "accepted" and db_state() != before
    TALLY[outcome] += 1
    if changed:
        TALLY["changed"] += 1
        outcome = "changed"
    return outcome, message


def write_tally(suite: str) -> None:
    line = f"[fuzz {suite}] tried {TALLY['tried']} / refused cleanly {TALLY['refused']} / accepted {TALLY['accepted']} / tracebacks {TALLY['traceback']} / DBs changed {TALLY['changed']}"
    print("\n" + line, file=sys.stderr)
    for t in TRACEBACKS[:20]:
        print("  " + t, file=sys.stderr)
    if REPORT_DIR:  # added to what an earlier run of the same module wrote (test order may split a module's tests)
        path = Path(REPORT_DIR) / f"{suite}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        seen = json.loads(path.read_text()) if path.exists() else {}
        merged = {k: seen.get(k, 0) + TALLY.get(k, 0) for k in ("tried", "refused", "accepted", "traceback", "changed")}
        merged["tracebacks_seen"] = (seen.get("tracebacks_seen", []) + TRACEBACKS)[:50]
        path.write_text(json.dumps(merged, ensure_ascii=False))
    TALLY.clear()
    TRACEBACKS.clear()


def migrated_sqlite_env(tmp_path_factory) -> dict:
    """The environment of a real `mamori` process on a fresh, migrated SQLite database (made once per session)."""
    global _MIGRATED
    if _MIGRATED is None:
        work = tmp_path_factory.mktemp("fuzz-cli")
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}", "MAMORI_LOG_LEVEL": "ERROR", "MAMORI_MEDIA_ROOT": str(work / "media")}
        subprocess.run([sys.executable, "-m", "mamori.cli", "migrate", "-v0"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
        _MIGRATED = env
    return _MIGRATED


_MIGRATED: dict | None = None


def cli_refuses(env: dict, *args: str) -> str:
    """Run `mamori ARGS` as a real process; tally; assert a non-zero exit with a Japanese message and no traceback."""
    result = subprocess.run([sys.executable, "-m", "mamori.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    TALLY["tried"] += 1
    ok = result.returncode != 0 and "Traceback" not in result.stderr and bool(JAPANESE.search(result.stderr))
    TALLY["refused" if ok else "traceback"] += 1
    assert ok, f"exit {result.returncode}\n{result.stderr}"
    return result.stderr
