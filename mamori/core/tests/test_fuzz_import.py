"""`mamori import DIR` against bad input (issue 11, B3): crafted files for every finding, then hypothesis
mutations of a real export. Every bad input must end in a CommandError with a Japanese message that says
what to fix, and leave the database exactly as it was (row counts of every table and the audit log)."""
import copy
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mamori.core.models import OrgUnit
from mamori.core.tests import fuzzing
from mamori.core.tests.fuzzing import attempt, db_state


@pytest.fixture(scope="module", autouse=True)
def _tally():
    yield
    fuzzing.write_tally("import")


@pytest.fixture(scope="module")
def small_export(django_db_setup, django_db_blocker, tmp_path_factory):
    """A small city exported by the real command, then rolled back: the database is empty again."""
    out = tmp_path_factory.mktemp("small-export") / "export"
    with django_db_blocker.unblock(), transaction.atomic():
        fuzzing.build_small_city()
        call_command("export", str(out))
        transaction.set_rollback(True)
    return out


def _copy(small_export, tmp_path) -> Path:
    target = tmp_path / "bad"
    shutil.copytree(small_export, target)
    return target


def _edit(directory: Path, file: str, change) -> None:
    path = directory / file
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def refused(directory: Path, *expected: str) -> str:
    before = db_state()
    outcome, message = attempt(str(directory), "import", str(directory))
    assert outcome == "refused", message
    assert db_state() == before and not OrgUnit.objects.exists()
    assert "データベースは変更していません" in message
    for text in expected:
        assert text in message, message
    return message


def test_good_export_is_accepted(db, small_export, tmp_path):
    """The control: the unmodified export imports (so the refusals below are the mutations' doing)."""
    outcome, message = attempt("good", "import", str(_copy(small_export, tmp_path)))
    assert outcome == "accepted", message
    assert OrgUnit.objects.count() == 3


# ---------------------------------------------------------------- the findings, one by one


def test_B3_import_refuses_acceptor_equal_drafter(db, small_export, tmp_path):
    bad = _copy(small_export, tmp_path)
    _edit(bad, "notifications.json", lambda d: d[0].update(accepted_by="staff"))
    refused(bad, "notifications.json の 届出 2026-0001（accepted_by）", "受理者「staff」がこの届出の作成・修正・提出者です")


def test_B3_import_refuses_approver_equal_drafter(db, small_export, tmp_path):
    bad = _copy(small_export, tmp_path)
    _edit(bad, "notifications.json", lambda d: d[0].update(approved_by="staff"))
    refused(bad, "（approved_by）", "承認者「staff」")


def test_B3_import_refuses_contract_ending_before_start(db, small_export, tmp_path):
    bad = _copy(small_export, tmp_path)
    _edit(bad, "contracts.json", lambda d: d[0].update(ends_on="2024-03-31"))
    refused(bad, "contracts.json の 契約「手当システム運用保守」（ends_on）", "契約期間の終了（令和6年3月31日）が開始（令和6年4月1日）より前です")


@pytest.mark.parametrize("change", [lambda r: r.update(requester_name=""), lambda r: r.pop("requester_name")], ids=["empty", "missing"])
def test_B3_import_refuses_request_without_requester(db, small_export, tmp_path, change):
    bad = _copy(small_export, tmp_path)
    _edit(bad, "requests.json", lambda d: change(d[0]))
    refused(bad, "requests.json", "requester_name")


def test_B3_import_refuses_overlong_unit_name(db, small_export, tmp_path):
    """Stored on SQLite and a traceback on PostgreSQL before: now refused on both, with file, record and field."""
    bad = _copy(small_export, tmp_path)
    _edit(bad, "units.json", lambda d: d[1].update(name="あ" * 10000))
    refused(bad, "units.json の 組織「", "（name）", "120 文字以下でなければなりません")


def test_import_truncated_file_reported_with_position(db, small_export, tmp_path):
    bad = _copy(small_export, tmp_path)
    path = bad / "programs.json"
    raw = path.read_bytes()
    path.write_bytes(raw[: int(len(raw) * 0.9)])
    message = refused(bad, "programs.json は途中で切れています（truncated）", "行")
    assert "文字目" in message


def test_import_truncated_utf8_reported_with_offset(db, small_export, tmp_path):
    bad = _copy(small_export, tmp_path)
    path = bad / "units.json"
    raw = path.read_bytes()
    cut = raw.rindex("課".encode()) + 1  # inside the three bytes of a character
    path.write_bytes(raw[:cut])
    refused(bad, "units.json は途中で切れています（truncated）", "バイト目")


def _sjis(path: Path) -> None:
    path.write_bytes(path.read_text(encoding="utf-8").encode("shift_jis"))


def _utf16(path: Path) -> None:
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 8)


def _nul_byte(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[:10] + b"\x00" + raw[10:])


def _deep(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")


def _deep_object(path: Path) -> None:
    path.write_text('{"a":' * 100_000 + "1" + "}" * 100_000, encoding="utf-8")


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("file, damage, expected", [
    ("units.json", _sjis, "Shift_JIS で保存されているようです"),
    ("units.json", _utf16, "UTF-16 で保存されているようです"),
    ("users.json", _binary, "バイナリファイル"),
    ("users.json", _nul_byte, "NUL 文字（0x00）"),
    ("programs.json", _deep, "入れ子が深すぎます"),
    ("settings.json", _deep_object, "入れ子が深すぎます"),
    ("units.json", _directory, "はフォルダーです"),
    ("organs.json", _empty, "途中で切れています（truncated）"),
], ids=["shift_jis", "utf16", "binary", "nul-byte", "deep-list", "deep-object", "directory", "empty"])
def test_B3_import_refuses_unreadable_files(db, small_export, tmp_path, file, damage, expected):
    bad = _copy(small_export, tmp_path)
    damage(bad / file)
    refused(bad, file, expected)


def test_B3_import_refuses_a_file_over_the_size_limit(db, small_export, tmp_path, settings):
    settings.MAMORI_INPUT_LIMITS = settings.MAMORI_INPUT_LIMITS | {"json_bytes": 1000}
    refused(_copy(small_export, tmp_path), "上限 1,000 バイト（設定 MAMORI_IMPORT_MAX_BYTES）を超えています")


def _set(file, path, value):
    """A change setting data[path...] = value."""
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return file, change


@pytest.mark.parametrize("file, change, expected", [
    (*_set("users.json", (0, "is_active"), "yes"), "is_active"),
    (*_set("incidents.json", (0, "groups", 0, "count"), 1e30), "人数は0以上の整数"),
    (*_set("incidents.json", (0, "groups", 0, "count"), -1), "人数は0以上の整数"),
    (*_set("units.json", (0, "order"), 2**63), "order"),
    (*_set("closure_days.json", (), None), ""),
    (*_set("contracts.json", (0, "starts_on"), 20240401), "starts_on"),
    (*_set("requests.json", (0, "received_on"), 20240507), "received_on"),
    (*_set("contracts.json", (0, "contractor"), 99), "contractor"),
    (*_set("incidents.json", (0, "unit"), "ghost"), "unit"),
    (*_set("requests.json", (0, "departments"), "mirai"), "departments"),
    (*_set("units.json", (0, "kind"), "empire"), "kind"),
    (*_set("notifications.json", (0, "events"), "create"), "events"),
    (*_set("users.json", (0, "display_name"), "a\u0000b"), "NUL"),
    (*_set("programs.json", (0, "versions", 0, "name"), "い" * 10000), "name"),
    (*_set("contracts.json", (0, "title"), "う" * 10000), "title"),
    (*_set("vocabulary.json", ("items",), {"氏名": 1}), "items"),
    (*_set("settings.json", ("file_register_threshold",), "many"), "file_register_threshold"),
    (*_set("requests.json", (0, "requester_name"), 12345), "requester_name"),
    (*_set("requests.json", (0, "subject"), ["a", "b"]), "subject"),
], ids=["bool-as-yes", "count-1e30", "count-minus-1", "order-2**63", "null-file", "date-as-number", "received-as-number",
        "index-past-end", "unknown-code", "string-for-list", "bad-choice", "string-for-events", "nul-in-string", "overlong-version-name",
        "overlong-title", "object-for-list", "word-for-number", "number-for-name", "list-for-text"])
def test_B3_import_refuses_wrong_values(db, small_export, tmp_path, file, change, expected):
    bad = _copy(small_export, tmp_path)
    if file == "closure_days.json":
        (bad / file).write_text("null", encoding="utf-8")
    else:
        _edit(bad, file, change)
    refused(bad, file, expected)


def test_B3_import_refuses_bad_input_as_a_real_process(small_export, tmp_path, tmp_path_factory):
    """The real CLI: non-zero exit, a Japanese message, no Python traceback."""
    env = fuzzing.migrated_sqlite_env(tmp_path_factory)
    bad = tmp_path / "bad"
    shutil.copytree(small_export, bad)
    _deep(bad / "programs.json")
    _sjis(bad / "units.json")
    message = fuzzing.cli_refuses(env, "import", str(bad))
    assert "入れ子が深すぎます" in message and "Shift_JIS" in message
    fuzzing.cli_refuses(env, "import", str(tmp_path / "missing"))


# ---------------------------------------------------------------- hypothesis: any value anywhere

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30) | st.text(alphabet=st.characters(codec="utf-8"), min_size=150, max_size=400),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)
FILES = ("organs.json", "units.json", "users.json", "programs.json", "notifications.json", "contracts.json", "requests.json",
         "incidents.json", "vocabulary.json", "contractors.json")


def _paths(value, prefix=()):
    """Every place in a JSON value: (path, ...) for dict keys and list indexes."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fuzz_import_any_value_anywhere(db, small_export, tmp_path_factory, data):
    """Replace one value anywhere in one file with any JSON value (or drop it): refused cleanly, or a valid import."""
    file = data.draw(st.sampled_from(FILES), label="file")
    original = json.loads((small_export / file).read_text(encoding="utf-8"))
    places = [p for p in _paths(original) if p]
    path = data.draw(st.sampled_from(places), label="path")
    drop = data.draw(st.booleans(), label="drop")
    value = None if drop else data.draw(JSON_VALUES, label="value")
    mutated = copy.deepcopy(original)
    target = mutated
    for key in path[:-1]:
        target = target[key]
    if drop:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    bad = tmp_path_factory.mktemp("fuzz")
    shutil.rmtree(bad)
    shutil.copytree(small_export, bad)
    (bad / file).write_text(json.dumps(mutated, ensure_ascii=False), encoding="utf-8")
    with transaction.atomic():  # an accepted import is rolled back, so each example starts from an empty database
        outcome, message = attempt(f"{file} {path} {'drop' if drop else repr(value)[:80]}", "import", str(bad))
        transaction.set_rollback(True)
    assert outcome in ("refused", "accepted"), message
