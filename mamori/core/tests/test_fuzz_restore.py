"""`mamori restore FILE` against bad input (issue 11, B3): damaged and hostile ZIPs, and well-formed backups
(valid checksums) whose rows break the rules the services enforce. Every one ends in a CommandError with a
Japanese message and an unchanged database."""
import copy
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from django.core import serializers
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mamori.core import backup
from mamori.core.tests import fuzzing
from mamori.core.tests.fuzzing import attempt, db_state


@pytest.fixture(scope="module", autouse=True)
def _tally():
    yield
    fuzzing.write_tally("restore")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def snapshot(django_db_setup, django_db_blocker) -> dict[str, list[dict]]:
    """Every table's rows of the small city, as a backup holds them, then rolled back: the database is empty again."""
    out = {}
    with django_db_blocker.unblock(), transaction.atomic():
        users = fuzzing.build_small_city()
        for model in backup.tables():
            text = serializers.serialize("jsonl", model._base_manager.order_by("pk"), fields=backup._fields(model), cls=backup._Exact)
            out[model._meta.label_lower] = [json.loads(line) for line in text.splitlines() if line]
        out["_users"] = {name: u.pk for name, u in users.items()}
        transaction.set_rollback(True)
    return out


@pytest.fixture
def rows(db, snapshot) -> dict[str, list[dict]]:
    return copy.deepcopy(snapshot)


def make_zip(path: Path, rows: dict, *, extra: dict | None = None, raw_members: dict | None = None) -> Path:
    """A backup as `mamori backup` writes it (manifest, counts, checksums) from ``rows``; ``raw_members`` replace a member's bytes."""
    members = {}
    for label, records in rows.items():
        if label.startswith("_"):
            continue
        members[f"tables/{label}.jsonl"] = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    members.update(raw_members or {})
    manifest = {"format": backup.FORMAT, "version": backup.VERSION, "engine": "sqlite", "created_at": "2024-06-01T00:00:00+00:00",
                "migrations": backup._migrations(), "files": 0,
                "tables": {label: len(r) for label, r in rows.items() if not label.startswith("_")},
                "sha256": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
    return path


def refused(path: Path, *expected: str) -> str:
    before = db_state()
    outcome, message = attempt(str(path), "restore", str(path))
    assert outcome == "refused", message
    assert db_state() == before
    assert "何も書き込んでいません" in message
    for text in expected:
        assert text in message, message
    return message


def _row(rows, label, **match):
    return next(r for r in rows[label] if all(r["fields"].get(k) == v for k, v in match.items()))


def test_good_backup_is_restored(rows, tmp_path):
    outcome, message = attempt("good", "restore", str(make_zip(tmp_path / "good.zip", rows)))
    assert outcome == "accepted", message


def test_B3_restore_refuses_acceptor_equal_drafter(rows, tmp_path):
    n = rows["register.notification"][0]["fields"]
    n["accepted_by"] = n["created_by"]
    refused(make_zip(tmp_path / "b.zip", rows), "tables/register.notification.jsonl の 届出 2026-0001（accepted_by）", "受理者「staff」")


def test_B3_restore_refuses_contract_ending_before_start(rows, tmp_path):
    rows["outsourcing.contract"][0]["fields"]["ends_on"] = "2024-03-31"
    refused(make_zip(tmp_path / "b.zip", rows), "tables/outsourcing.contract.jsonl", "契約期間の終了（令和6年3月31日）が開始（令和6年4月1日）より前です")


def test_B3_restore_refuses_request_without_requester(rows, tmp_path):
    rows["disclosure.request"][0]["fields"]["requester_name"] = ""
    refused(make_zip(tmp_path / "b.zip", rows), "tables/disclosure.request.jsonl の 1行目", "requester_name")


def test_B3_restore_refuses_overlong_unit_name(rows, tmp_path):
    _row(rows, "core.orgunit", code="mirai")["fields"]["name"] = "あ" * 10000
    refused(make_zip(tmp_path / "b.zip", rows), "tables/core.orgunit.jsonl の 2行目", "name", "120 文字以下")


def test_B3_restore_refuses_nul_in_text(rows, tmp_path):
    rows["core.user"][0]["fields"]["display_name"] = "a\u0000b"
    refused(make_zip(tmp_path / "b.zip", rows), "tables/core.user.jsonl の 1行目", "NUL 文字")


def test_B3_restore_refuses_a_garbled_table_with_a_valid_checksum(rows, tmp_path):
    refused(make_zip(tmp_path / "b.zip", rows, raw_members={"tables/core.organ.jsonl": b'{"model": "core.organ", "pk": 1, "fields": {"code": \n'}),
            "tables/core.organ.jsonl の 1行目が読めません")


def test_restore_truncated_zip_reported_as_truncated(rows, tmp_path):
    good = make_zip(tmp_path / "good.zip", rows)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good.read_bytes()[: int(good.stat().st_size * 0.9)])
    refused(cut, "途中で切れています（truncated）", "バイトで終わっていて")


def test_B3_restore_refuses_a_zip_bomb(rows, tmp_path):
    refused(make_zip(tmp_path / "bomb.zip", rows, extra={"files/bomb.bin": b"\0" * (30 * 2**20)}), "圧縮率が異常です", "ZIP 爆弾")


def test_B3_restore_refuses_members_over_the_size_limit(rows, tmp_path, settings):
    settings.MAMORI_INPUT_LIMITS = settings.MAMORI_INPUT_LIMITS | {"member_bytes": 500}
    refused(make_zip(tmp_path / "b.zip", rows), "MAMORI_RESTORE_MAX_MEMBER_BYTES")


def test_B3_restore_refuses_a_file_over_the_size_limit(rows, tmp_path, settings):
    settings.MAMORI_INPUT_LIMITS = settings.MAMORI_INPUT_LIMITS | {"backup_bytes": 100}
    refused(make_zip(tmp_path / "b.zip", rows), "MAMORI_RESTORE_MAX_BYTES")


@pytest.mark.parametrize("name", ["files/../../evil.txt", "/etc/passwd", "tables/../../x.jsonl", "files/a\\..\\..\\b", "other/thing", "files//x"])
def test_B3_restore_refuses_path_traversal(rows, tmp_path, name):
    refused(make_zip(tmp_path / "b.zip", rows, extra={name: b"x"}), "バックアップにない名前です")
    assert not (tmp_path / "evil.txt").exists()


@pytest.mark.parametrize("manifest, expected", [
    (b"[" * 100_000, "入れ子が深すぎます"),
    (b'{"format": "mamori-backup", "version": 1, "tables": [1, 2]}', "tables の形が違います"),
    (b'{"format": "mamori-backup", "vers', "途中で切れています（truncated）"),
    ("{\"format\": \"まもり\"}".encode("shift_jis"), "Shift_JIS"),
    (b'{"format": "mamori-backup", "version": 1e999}', "使えない値"),
], ids=["deep", "tables-as-list", "truncated", "shift_jis", "infinity"])
def test_B3_restore_refuses_a_bad_manifest(tmp_path, db, manifest, expected):
    path = tmp_path / "b.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", manifest)
    refused(path, expected)


@pytest.mark.parametrize("content, expected", [
    (b"", "ZIP として読めません"), (bytes(range(256)) * 40, "ZIP として読めません"), (b"PK\x03\x04" + b"\0" * 100, "途中で切れています"),
], ids=["empty", "binary", "zip-header-only"])
def test_B3_restore_refuses_what_is_not_a_backup(tmp_path, db, content, expected):
    path = tmp_path / "not.zip"
    path.write_bytes(content)
    refused(path, expected)


def test_B3_restore_refuses_a_directory(tmp_path, db):
    refused(tmp_path, "通常のファイルではありません")


def test_B3_restore_refuses_bad_input_as_a_real_process(rows, tmp_path, tmp_path_factory):
    env = fuzzing.migrated_sqlite_env(tmp_path_factory)
    good = make_zip(tmp_path / "good.zip", rows)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good.read_bytes()[: int(good.stat().st_size * 0.9)])
    assert "truncated" in fuzzing.cli_refuses(env, "restore", str(cut))
    bomb = make_zip(tmp_path / "bomb.zip", rows, extra={"files/../../evil": b"x"})
    fuzzing.cli_refuses(env, "restore", str(bomb))


# ---------------------------------------------------------------- hypothesis: any value in any row, checksums valid

VALUES = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats(allow_nan=False) | st.text(max_size=20) \
    | st.text(min_size=300, max_size=600) | st.lists(st.integers(), max_size=2) | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
LABELS = ("core.orgunit", "core.user", "register.notification", "outsourcing.contract", "disclosure.request", "incidents.incident",
          "register.programversion", "core.auditevent")


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fuzz_restore_any_value_in_any_row(rows, tmp_path_factory, data):
    label = data.draw(st.sampled_from(LABELS), label="table")
    mutated = copy.deepcopy(rows)
    record = data.draw(st.sampled_from(mutated[label]), label="row")
    key = data.draw(st.sampled_from(sorted(record["fields"])), label="field")
    record["fields"][key] = data.draw(VALUES, label="value")
    path = make_zip(tmp_path_factory.mktemp("fuzz") / "f.zip", mutated)
    with transaction.atomic():  # an accepted restore is rolled back, so each example starts from an empty database
        outcome, message = attempt(f"{label}.{key}", "restore", str(path))
        transaction.set_rollback(True)
    assert outcome in ("refused", "accepted"), message
