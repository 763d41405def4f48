"""`mamori deadline ...` against bad input (issue 11, B3): every bad argument ends in a CommandError with a
Japanese message saying what to fix, and writes nothing."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mamori.core.tests import fuzzing
from mamori.core.tests.fuzzing import attempt, db_state


@pytest.fixture(scope="module", autouse=True)
def _tally():
    yield
    fuzzing.write_tally("deadline")


def refused(*args: str, expected: str = "") -> str:
    before = db_state()
    outcome, message = attempt(" ".join(args), "deadline", *args)
    assert outcome == "refused", message
    assert db_state() == before
    assert expected in message, message
    return message


def test_good_arguments_give_a_deadline(db, capsys):
    outcome, message = attempt("good", "deadline", "--procedure", "personal-disclosure", "--received", "2024-06-03")
    assert outcome == "accepted", message
    assert "決定期限" in capsys.readouterr().out


@pytest.mark.parametrize("args, expected", [
    (["--received", "2024-06-31"], "YYYY-MM-DD"),
    (["--received", "20240603"], "YYYY-MM-DD"),
    (["--received", "9999-12-31"], "2999年まで"),
    (["--received", "0001-01-01"], "1900年から"),
    (["--received", "2024-06-03", "--extension-days", "-1"], "1以上の整数"),
    (["--received", "2024-06-03", "--extension-days", str(2**63)], "1以上の整数"),
    (["--received", "2024-06-03", "--extension-days", "31"], "30日以内"),
    (["--received", "2024-06-03", "--extension-days", "1e30"], "extension-days"),
    (["--received", "2024-06-03", "--correction-to", "2024-06-10"], "--correction-from"),
    (["--received", "2024-06-03", "--correction-from", "2024-06-01"], "受付日"),
    (["--received", "2024-06-03", "--correction-from", "2024-06-05", "--correction-to", "2024-06-04"], "補正"),
    (["--received", "2024-06-03", "--extension-days", "10", "--extension-notified", "2999-12-31"], "延長の通知"),
], ids=["no-such-day", "no-dashes", "year-9999", "year-1", "extension-minus-1", "extension-2**63", "extension-31", "extension-float",
        "correction-to-alone", "correction-before-received", "correction-backwards", "notified-too-late"])
def test_B3_deadline_refuses_bad_arguments(db, args, expected):
    refused("--procedure", "personal-disclosure", *args, expected=expected)


def test_B3_deadline_refuses_an_unknown_procedure(db):
    refused("--procedure", "teleport", "--received", "2024-06-03", expected="引数が正しくありません")
    refused("--received", "2024-06-03", expected="引数が正しくありません")


def test_B3_deadline_refuses_bad_input_as_a_real_process(tmp_path_factory):
    env = fuzzing.migrated_sqlite_env(tmp_path_factory)
    fuzzing.cli_refuses(env, "deadline", "--procedure", "personal-disclosure", "--received", "9999-12-31")


DATES = st.dates().map(str) | st.text(max_size=12) | st.integers().map(str)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(received=DATES, correction=st.none() | DATES, returned=st.none() | DATES,
       extension=st.none() | st.integers(min_value=-(2**70), max_value=2**70).map(str) | st.text(max_size=6), notified=st.none() | DATES)
def test_fuzz_deadline_any_arguments(db, received, correction, returned, extension, notified):
    args = ["--procedure", "personal-disclosure", f"--received={received}"]
    for flag, value in (("--correction-from", correction), ("--correction-to", returned), ("--extension-days", extension),
                        ("--extension-notified", notified)):
        if value is not None:
            args.append(f"{flag}={value}")
    outcome, message = attempt(" ".join(args), "deadline", *args)
    assert outcome in ("refused", "accepted"), message
