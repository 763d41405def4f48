"""The register's rules as tables."""
import pytest
from django.core.exceptions import ValidationError

from mamori.core.calendar import wareki
from mamori.register import rules
from mamori.register.models import NotificationStatus as S


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (S.DRAFT, S.SUBMITTED, True),
        (S.DRAFT, S.APPROVED, False),  # the 課長 must approve a submitted one
        (S.DRAFT, S.ACCEPTED, False),
        (S.SUBMITTED, S.APPROVED, True),
        (S.SUBMITTED, S.ACCEPTED, False),  # the office accepts only what the 課長 approved
        (S.SUBMITTED, S.RETURNED, True),
        (S.APPROVED, S.ACCEPTED, True),
        (S.APPROVED, S.RETURNED, True),
        (S.APPROVED, S.WITHDRAWN, False),  # under review at the office: no withdrawal
        (S.RETURNED, S.SUBMITTED, True),
        (S.ACCEPTED, S.RETURNED, False),  # accepted is final
        (S.WITHDRAWN, S.SUBMITTED, False),
    ],
)
def test_transitions(current, target, allowed):
    if allowed:
        rules.check_transition(current, target)
    else:
        with pytest.raises(ValidationError):
            rules.check_transition(current, target)


@pytest.mark.parametrize(
    ("persons", "threshold", "expected"),
    [(999, 1000, False), (1000, 1000, True), (1001, 1000, True), (None, 1000, None), (500, 500, True), (0, 1000, False)],
)
def test_file_register_threshold(persons, threshold, expected):
    # 法75条2項（74条2項9号の準用）: files of fewer persons than the threshold are left out
    assert rules.requires_file_register(persons, threshold) is expected


TODAY = __import__("datetime").date(2025, 6, 10)


@pytest.mark.parametrize(
    ("kind", "effective", "warned"),
    [
        ("new", "2025-06-11", False),  # tomorrow: filed before it applies, as it should be
        ("new", "2025-06-10", False),  # today: still not late
        ("new", "2025-06-09", True),  # yesterday: the register was wrong for a day
        ("change", "2024-04-01", True),
        ("abolish", "2025-05-31", True),  # 廃止 filed after the fact (施行令20条4項: 遅滞なく)
        ("abolish", "2025-07-01", False),
        ("change", None, False),  # no date yet: the field itself asks for one
    ],
)
def test_a_past_effective_date_is_warned_about_not_refused(kind, effective, warned):
    import datetime


    day = datetime.date.fromisoformat(effective) if effective else None
    message = rules.effective_date_warning(kind, day, TODAY)
    assert (message is not None) is warned
    if warned:
        assert "過去の日付です" in message and "保存・提出はできます" in message
        assert wareki(day) in message  # the date as a person writes it
        assert ("廃止は遅滞なく" in message) is (kind == "abolish")
        assert ("届出は事務事業を始める・変える前に行うもの" in message) is (kind != "abolish")
