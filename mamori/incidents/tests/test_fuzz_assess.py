"""`mamori incident assess FILE` against bad input (issue 11, B3): every bad file ends in a CommandError with a
Japanese message saying what to fix, and writes nothing."""
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mamori.core.tests import fuzzing
from mamori.core.tests.fuzzing import attempt, db_state

GOOD = {"learned_on": "2024-07-01", "occurred_on": "2024-06-28", "items": ["氏名", "住所"], "groups": [{"name": "受給者", "count": 120}],
        "malicious": False}


@pytest.fixture(scope="module", autouse=True)
def _tally():
    yield
    fuzzing.write_tally("incident-assess")


def refused(path: Path, *expected: str) -> str:
    before = db_state()
    outcome, message = attempt(str(path), "incident", "assess", str(path))
    assert outcome == "refused", message
    assert db_state() == before
    for text in expected:
        assert text in message, message
    return message


def _file(tmp_path, content) -> Path:
    path = tmp_path / "facts.json"
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content, ensure_ascii=False).encode())
    return path


def test_good_facts_are_assessed(db, tmp_path, capsys):
    outcome, message = attempt("good", "incident", "assess", str(_file(tmp_path, GOOD)))
    assert outcome == "accepted", message
    assert "報告：必要" in capsys.readouterr().out  # 120 persons > 100 (規則43条4号)


@pytest.mark.parametrize("content, expected", [
    (json.dumps(GOOD, ensure_ascii=False).encode("shift_jis"), "Shift_JIS"),
    (json.dumps(GOOD, ensure_ascii=False).encode("utf-16"), "UTF-16"),
    (bytes(range(256)), "バイナリ"),
    (b'{"learned_on": "2024-07-01"\x00}', "NUL"),
    (json.dumps(GOOD, ensure_ascii=False).encode()[:-9], "途中で切れています（truncated）"),
    ("{\"learned_on\": \"受".encode()[:-1], "途中で切れています（truncated）"),
    (b"[" * 100_000, "入れ子が深すぎます"),
    (GOOD | {"learned_on": 20240701}, "learned_on"),
    (GOOD | {"learned_on": "9999-12-31"}, "2999年まで"),
    (GOOD | {"occurred_on": "2024-13-01"}, "occurred_on"),
    (GOOD | {"groups": [{"count": 1e30}]}, "count"),
    (GOOD | {"groups": [{"count": -1}]}, "count"),
    (GOOD | {"groups": [{"count": 2**63}]}, "count"),
    (GOOD | {"groups": [{"count": True}]}, "count"),
    (GOOD | {"groups": "受給者"}, "groups"),
    (GOOD | {"groups": [3]}, "groups"),
    (GOOD | {"items": "氏名"}, "items"),
    (GOOD | {"items": [1, 2]}, "items"),
    (GOOD | {"items": ["あ" * 10000]}, "items"),
    (GOOD | {"malicious": "yes"}, "malicious"),
    (GOOD | {"learned_on": "2024-06-01"}, "知った日"),
    ([GOOD], "オブジェクト"),
    ("null", "オブジェクト"),
], ids=["shift_jis", "utf16", "binary", "nul", "truncated-json", "truncated-utf8", "deep", "date-as-number", "year-9999", "bad-date",
        "count-1e30", "count-minus-1", "count-2**63", "count-bool", "string-for-list", "number-for-group", "string-for-items",
        "numbers-for-items", "overlong-item", "yes-for-bool", "learned-before-occurred", "list-for-object", "null"])
def test_B3_incident_assess_refuses_bad_facts(db, tmp_path, content, expected):
    refused(_file(tmp_path, content.encode() if content == "null" else content), expected)


def test_B3_incident_assess_refuses_a_directory_and_a_missing_file(db, tmp_path):
    refused(tmp_path, "フォルダーです")
    refused(tmp_path / "none.json", "ありません")


def test_B3_incident_assess_refuses_a_file_over_the_size_limit(db, tmp_path, settings):
    settings.MAMORI_INPUT_LIMITS = settings.MAMORI_INPUT_LIMITS | {"json_bytes": 10}
    refused(_file(tmp_path, GOOD), "MAMORI_IMPORT_MAX_BYTES")


def test_B3_incident_assess_refuses_bad_input_as_a_real_process(tmp_path, tmp_path_factory):
    env = fuzzing.migrated_sqlite_env(tmp_path_factory)
    assert "入れ子" in fuzzing.cli_refuses(env, "incident", "assess", str(_file(tmp_path, b"[" * 100_000)))


FACT_VALUES = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | st.text(max_size=30) \
    | st.lists(st.integers() | st.text(max_size=5) | st.dictionaries(st.sampled_from(["name", "count"]), st.integers() | st.text(max_size=4)), max_size=3)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(key=st.sampled_from(["learned_on", "occurred_on", "items", "groups", "malicious", "encrypted", "property_damage"]), value=FACT_VALUES)
def test_fuzz_incident_assess_any_value(db, tmp_path_factory, key, value):
    path = _file(tmp_path_factory.mktemp("fuzz"), GOOD | {key: value})
    outcome, message = attempt(f"{key}={value!r:.80}", "incident", "assess", str(path))
    assert outcome in ("refused", "accepted"), message
