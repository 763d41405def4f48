"""規則43条 triggers and the 速報・確報 clocks as tables."""
import datetime

import pytest

from mamori.incidents.rules import Facts, assess, clocks, date_errors

D = datetime.date


def applied(facts):
    return [t.key for t in assess(facts).triggers if t.applies]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (Facts(items=["氏名"], persons=10), []),
        (Facts(items=["氏名", "検診の結果"], sensitive_items=["検診の結果"], persons=3), ["sensitive"]),  # 第1号 alone
        (Facts(items=["氏名", "クレジットカード番号"], persons=3), ["property"]),  # 第2号 alone
        (Facts(items=["氏名", "口座番号"], persons=3), []),  # an account number alone does not qualify
        (Facts(items=["氏名"], persons=3, malicious=True), ["malicious"]),  # 第3号 alone
        (Facts(items=["氏名"], persons=100), []),  # exactly 100: not more than 100
        (Facts(items=["氏名"], persons=101), ["over100"]),  # 第4号
        (Facts(items=["氏名"], persons=5, ordinance_items=["生活保護の受給"]), ["ordinance"]),  # 第5号
        # the seed's case: 要配慮, 不正の目的, more than 100
        (Facts(items=["検診の結果"], sensitive_items=["検診の結果"], persons=12073 + 298, malicious=True), ["sensitive", "malicious", "over100"]),
        (Facts(items=["検診の結果"], sensitive_items=["検診の結果"], persons=5000, malicious=True, encrypted=True), []),  # strong encryption
        (Facts(items=["氏名"], persons=500, recovered_unseen=True), []),  # recovered before anyone saw it
    ],
)
def test_triggers(facts, expected):
    assert applied(facts) == expected
    assert assess(facts).reportable is bool(expected)


def test_each_trigger_says_why_with_its_article():
    a = assess(Facts(items=["氏名"], persons=100))
    over = next(t for t in a.triggers if t.key == "over100")
    assert (over.article, over.reason) == ("規則第43条第4号", "本人の数は100人で、100人以下です。")


def test_my_number_report():
    assert assess(Facts(items=["マイナンバー"], my_number=True, persons=150)).my_number_report
    a = assess(Facts(items=["マイナンバー"], my_number=True, persons=3))
    assert not a.my_number_report and "番号法の報告対象の事態" in a.notes[0]


@pytest.mark.parametrize(
    ("learned", "malicious", "kakuhou_by"),
    [
        (D(2024, 6, 3), False, D(2024, 7, 2)),  # day 1 = 6/3, day 30 = 7/2
        (D(2024, 6, 3), True, D(2024, 8, 1)),  # 60 days
        (D(2024, 12, 1), False, D(2025, 1, 6)),  # day 30 = 12/30, 年末年始 → 1/6
        (D(2024, 2, 1), False, D(2024, 3, 1)),  # day 30 = 3/1 across the leap day (2/29 counted)
        (D(2024, 2, 26), True, D(2024, 4, 25)),  # 60 days across the leap day
        (D(2025, 4, 4), False, D(2025, 5, 7)),  # day 30 = 5/3 → Golden Week → 5/7
    ],
)
def test_clocks(learned, malicious, kakuhou_by):
    c = clocks(learned, malicious)
    assert c.kakuhou_by == kakuhou_by
    assert c.sokuhou_by == learned + datetime.timedelta(days=4)


def test_bad_dates():
    assert "learned_on" in date_errors(D(2024, 2, 10), D(2024, 2, 9), None, None)
    assert date_errors(None, D(2024, 2, 26), D(2024, 2, 29), D(2024, 2, 28))["kakuhou_on"] == "確報日（令和6年2月28日）が速報日（令和6年2月29日）より前です。"
    with pytest.raises(ValueError, match="0以上"):
        assess(Facts(persons=-1))
