"""The register's rules as tables."""
import pytest
from django.core.exceptions import ValidationError

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
