"""Deadlines as tables of dated cases: plain, 年末年始, Golden Week, leap days, 補正, extensions
(and a refused 31st day), 特例; the requester's periods; the 公開率 at its rounding boundary."""
import datetime

import pytest

from mamori.core.calendar import ClosureCalendar, wareki
from mamori.disclosure.rules import (
    Correction,
    Extension,
    RuleError,
    Settings,
    Special,
    appeal_deadline,
    compute_due,
    correction_filing_deadline,
    disclosure_rates,
    earliest_disclosure_after_objection,
    rule_for,
)

D = datetime.date


@pytest.mark.parametrize(
    ("procedure", "received", "raw", "due", "closure"),
    [
        # 法83条1項: 30 days, the first day not counted
        ("personal-disclosure", D(2024, 6, 3), D(2024, 7, 3), D(2024, 7, 3), None),
        # 年末年始: day 30 is 2025-01-02 → 1/3 closed, 1/4 Sat, 1/5 Sun → Monday 1/6
        ("personal-disclosure", D(2024, 12, 3), D(2025, 1, 2), D(2025, 1, 6), "年末年始の閉庁日"),
        ("personal-disclosure", D(2024, 12, 20), D(2025, 1, 19), D(2025, 1, 20), "日曜日"),
        # Golden Week 2025: 5/3 憲法記念日, 5/4, 5/5, 5/6 振替休日 → Wednesday 5/7
        ("personal-disclosure", D(2025, 4, 3), D(2025, 5, 3), D(2025, 5, 7), "憲法記念日"),
        # across the leap day: 2024-01-30 + 30 = 2024-02-29 (a Thursday, open)
        ("personal-disclosure", D(2024, 1, 30), D(2024, 2, 29), D(2024, 2, 29), None),
        # 2023 has no 2/29: 2023-01-30 + 30 = 2023-03-01
        ("personal-disclosure", D(2023, 1, 30), D(2023, 3, 1), D(2023, 3, 1), None),
        ("personal-correction", D(2024, 8, 13), D(2024, 9, 12), D(2024, 9, 12), None),
        ("personal-suspension", D(2024, 8, 22), D(2024, 9, 21), D(2024, 9, 24), "土曜日"),  # 9/22 Sun, 9/23 振替休日
        # 公文書公開請求: 15 days (setting)
        ("public-request", D(2024, 4, 19), D(2024, 5, 4), D(2024, 5, 7), "みどりの日"),
        ("public-request", D(2024, 12, 16), D(2024, 12, 31), D(2025, 1, 6), "年末年始の閉庁日"),
    ],
)
def test_plain_periods(procedure, received, raw, due, closure):
    result = compute_due(rule_for(procedure), received)
    assert (result.raw, result.due, result.closure) == (raw, due, closure)
    assert result.explanation.startswith(f"受付日 {wareki(received, weekday=True)}。")  # 和暦, with the weekday


def test_the_explanation_says_why():
    result = compute_due(rule_for("personal-disclosure"), D(2024, 12, 3))
    assert result.steps == [
        "受付日 令和6年12月3日（火）。初日は算入せず翌日から数えます（民法第140条）。",
        "30日目は令和7年1月2日（木）です（個人情報保護法第83条第1項）。",
        "最終日の令和7年1月2日（木）は閉庁日（年末年始の閉庁日）のため、翌開庁日の令和7年1月6日（月）とします（自治体設定）。",
    ]
    assert not any(str(year) in result.explanation for year in (2024, 2025))  # no 西暦 left


@pytest.mark.parametrize(
    ("corrections", "raw"),
    [
        ([Correction(D(2024, 6, 5), D(2024, 6, 12))], D(2024, 7, 10)),  # 7 days not counted
        ([Correction(D(2024, 6, 5), D(2024, 6, 5))], D(2024, 7, 3)),  # corrected the same day
        ([Correction(D(2024, 6, 5), D(2024, 6, 8)), Correction(D(2024, 6, 20), D(2024, 6, 30))], D(2024, 7, 16)),  # 3 + 10
    ],
)
def test_correction_days_are_not_counted(corrections, raw):
    assert compute_due(rule_for("personal-disclosure"), D(2024, 6, 3), corrections=corrections).raw == raw


def test_the_clock_stops_while_a_correction_is_out():
    result = compute_due(rule_for("personal-disclosure"), D(2024, 6, 3), corrections=[Correction(D(2024, 6, 5))])
    assert result.stopped and result.due is None and "期限は止まっています" in result.explanation


def test_a_correction_that_ends_before_it_starts_is_refused():
    with pytest.raises(RuleError, match="補正の終わり"):
        compute_due(rule_for("personal-disclosure"), D(2024, 6, 3), corrections=[Correction(D(2024, 6, 10), D(2024, 6, 9))])
    with pytest.raises(RuleError, match="受付日"):
        compute_due(rule_for("personal-disclosure"), D(2024, 6, 3), corrections=[Correction(D(2024, 6, 1), D(2024, 6, 9))])


@pytest.mark.parametrize(
    ("days", "raw", "due"),
    [
        (30, D(2024, 8, 2), D(2024, 8, 2)),  # the full 30 days (法83条2項)
        (1, D(2024, 7, 4), D(2024, 7, 4)),
        (31, None, None),  # refused: the 31st day
    ],
)
def test_extension(days, raw, due):
    ext = Extension(notified_on=D(2024, 6, 28), days=days, reason="文書が大量のため")
    if raw is None:
        with pytest.raises(RuleError, match=r"延長は30日以内です（個人情報保護法第83条第2項）。31日は延長できません。"):
            compute_due(rule_for("personal-disclosure"), D(2024, 6, 3), extension=ext)
        return
    result = compute_due(rule_for("personal-disclosure"), D(2024, 6, 3), extension=ext)
    assert (result.raw, result.due, result.first_period_end) == (raw, due, D(2024, 7, 3))


def test_extension_must_be_notified_within_the_period():
    with pytest.raises(RuleError, match="当初の期限"):
        compute_due(rule_for("personal-disclosure"), D(2024, 6, 3), extension=Extension(D(2024, 7, 4), 10))


def test_extension_across_year_end_and_leap_day():
    # received 2023-12-01: day 30 = 12/31; +30 = 2024-01-30
    assert compute_due(rule_for("personal-disclosure"), D(2023, 12, 1), extension=Extension(D(2023, 12, 20), 30)).due == D(2024, 1, 30)
    # received 2024-01-05: day 30 = 2/4 (Sun); extended 25 days → 2/29 (leap day, Thursday)
    assert compute_due(rule_for("personal-disclosure"), D(2024, 1, 5), extension=Extension(D(2024, 1, 31), 25)).due == D(2024, 2, 29)


def test_special_case_for_disclosure():
    result = compute_due(rule_for("personal-disclosure"), D(2024, 6, 3), special=Special(D(2024, 6, 28), D(2024, 10, 31), "文書が著しく大量"))
    assert result.raw == D(2024, 8, 2) and result.due == D(2024, 8, 2) and result.special_rest_due == D(2024, 10, 31)
    assert "個人情報保護法第84条" in result.explanation and "相当の部分は60日目" in result.explanation
    with pytest.raises(RuleError, match="当初の期限"):
        compute_due(rule_for("personal-disclosure"), D(2024, 6, 3), special=Special(D(2024, 7, 10), D(2024, 10, 31)))


def test_special_case_for_correction_is_a_reasonable_period():
    result = compute_due(rule_for("personal-correction"), D(2024, 6, 3), special=Special(D(2024, 6, 28), D(2024, 9, 30)))
    assert result.due == D(2024, 9, 30) and "個人情報保護法第95条" in result.explanation


def test_extension_and_special_together_are_refused():
    with pytest.raises(RuleError, match="同時"):
        compute_due(rule_for("personal-disclosure"), D(2024, 6, 3), extension=Extension(D(2024, 6, 28), 10), special=Special(D(2024, 6, 28), D(2024, 9, 30)))


def test_settings_change_the_result():
    shorter = Settings(personal_days=14, roll_forward=False, public_days=10)
    result = compute_due(rule_for("personal-disclosure", shorter), D(2024, 12, 3))
    assert result.raw == result.due == D(2024, 12, 17)
    result = compute_due(rule_for("public-request", shorter), D(2024, 12, 23))
    assert result.due == D(2025, 1, 2) and "繰り延べません" in result.explanation
    city_day = ClosureCalendar(extra={D(2024, 7, 3): "庁舎停電（市独自の休日）"})
    assert compute_due(rule_for("personal-disclosure"), D(2024, 6, 3), calendar=city_day).due == D(2024, 7, 4)


@pytest.mark.parametrize(
    ("known", "expected"),
    [
        (D(2024, 4, 10), D(2024, 7, 10)),  # 3 months: the day before the corresponding day of the start (4/11 → 7/10)
        (D(2023, 11, 29), D(2024, 2, 29)),  # start 11/30: no 2/30, so the last day of February (民法143条2項ただし書)
        (D(2023, 11, 30), D(2024, 2, 29)),  # start 12/1: the corresponding day 3/1, the day before is the leap day
        (D(2024, 9, 30), D(2025, 1, 6)),  # ends 12/30, a closure day → after 年末年始 and the weekend
    ],
)
def test_appeal_deadline(known, expected):
    assert appeal_deadline(known) == expected


def test_filing_and_third_party_periods():
    assert correction_filing_deadline(D(2024, 1, 10)) == D(2024, 4, 9)  # 90 days
    assert correction_filing_deadline(D(2024, 10, 2)) == D(2025, 1, 6)  # 12/31 → after 年末年始 and the weekend
    assert earliest_disclosure_after_objection(D(2024, 6, 3)) == D(2024, 6, 18)


@pytest.mark.parametrize(
    ("documents", "disclosed", "partial", "withdrawn", "expected"),
    [
        (53, 4, 5, 0, (7, 16)),  # 市長 (seed): 7.5 → 7, 16.98 → 16
        (4, 0, 3, 0, (0, 75)),  # 教育委員会
        (40, 2, 38, 0, (5, 100)),  # 選挙管理委員会
        (97, 6, 46, 0, (6, 53)),  # 合計
        (3, 1, 1, 0, (33, 66)),  # 33.3 / 66.6: floored, not rounded
        (100, 49, 0, 1, (50, 50)),  # 取下げ counts as 公開 (朝霞市)
        (0, 0, 0, 0, (None, None)),
    ],
)
def test_disclosure_rates(documents, disclosed, partial, withdrawn, expected):
    assert disclosure_rates(documents, disclosed, partial, withdrawn) == expected


def test_other_citys_rate_formula():
    assert disclosure_rates(100, 49, 0, 1, formula="exclude-withdrawn") == (49, 49)
