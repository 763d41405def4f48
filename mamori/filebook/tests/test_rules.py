"""The ファイル簿's rules as tables of cases (法第74条・第75条, 施行令第20条)."""
import datetime

import pytest

from mamori.core.calendar import ClosureCalendar
from mamori.filebook import rules
from mamori.filebook.rules import CHANGE, CREATE, DELETE, EXEMPT, LISTED, NOT_HELD, UNKNOWN, Facts

D = datetime.date


def facts(count=1500, **kw):
    return Facts(held=kw.pop("held", True), person_counts=kw.pop("counts", (count,)), threshold=kw.pop("threshold", 1000), **kw)


@pytest.mark.parametrize(
    ("counts", "threshold", "file_count", "status", "ground"),
    [
        ((999,), 1000, None, EXEMPT, "74-2-9"),  # 法第74条第2項第9号: fewer than the 政令's 1,000
        ((1000,), 1000, None, LISTED, ""),  # 1,000 is not fewer: listed
        ((1001,), 1000, None, LISTED, ""),
        ((None,), 1000, None, UNKNOWN, ""),  # no count in the register: the rule cannot tell
        ((0,), 1000, None, EXEMPT, "74-2-9"),
        ((600,), 500, None, LISTED, ""),  # a city that lists smaller files (setting)
        ((600, 700), 1000, None, UNKNOWN, ""),  # the sum reaches 1,000 but the same persons may be in both
        ((300, 400), 1000, None, EXEMPT, "74-2-9"),  # even the sum stays below
        ((1200, None), 1000, None, LISTED, ""),  # one program alone reaches it
        ((600, 700), 1000, 900, EXEMPT, "74-2-9"),  # the office counted the file: 900 distinct persons
        ((600, 700), 1000, 1100, LISTED, ""),
        ((None,), 1000, 1500, LISTED, ""),
    ],
)
def test_threshold(counts, threshold, file_count, status, ground):
    a = rules.assess(facts(counts=counts, threshold=threshold, file_count=file_count))
    assert (a.status, a.ground) == (status, ground)
    if status == EXEMPT:
        assert "第74条第2項第9号" in a.reason and f"{threshold:,}人" in a.reason


@pytest.mark.parametrize("code", rules.CLAIMABLE)
def test_each_exemption_the_office_claims_leaves_the_file_out_and_cites_its_article(code):
    a = rules.assess(facts(claimed=code, claimed_note="理由"))
    assert (a.status, a.ground) == (EXEMPT, code)
    assert rules.EXEMPTIONS[code][0] in a.reason and "理由：理由" in a.reason


def test_the_count_ground_cannot_be_claimed():
    assert "74-2-9" not in rules.CLAIMABLE and set(rules.CLAIMABLE) | {"74-2-9"} == set(rules.EXEMPTIONS)


def test_a_file_no_longer_held_comes_before_any_exemption():
    a = rules.assess(facts(held=False, claimed="74-2-3", abolished_on=D(2025, 3, 31)))
    assert a.status == NOT_HELD and "令和7年3月31日" in a.reason and "施行令第20条第4項" in a.reason


@pytest.mark.parametrize(
    ("kw", "article"),
    [
        ({"group_names": ("職員",)}, "第74条第2項第3号"),
        ({"group_names": ("教職員", "会計年度任用職員")}, "第74条第2項第3号"),
        ({"retentions": ("1年",)}, "第74条第2項第6号"),
        ({"retentions": ("6か月",)}, "第74条第2項第6号"),
        ({"items": ("氏名", "住所", "電話番号")}, "第74条第2項第7号"),
    ],
)
def test_hints_suggest_an_exemption_but_never_apply_it(kw, article):
    a = rules.assess(facts(**kw))
    assert a.status == LISTED and any(article in h for h in a.hints)


@pytest.mark.parametrize(
    "kw",
    [{"group_names": ("児童生徒", "教職員")}, {"retentions": ("5年",)}, {"retentions": ("1年", "5年")}, {"items": ("氏名", "住所", "病歴")}],
)
def test_no_hint_when_the_register_shows_more(kw):
    assert rules.assess(facts(**kw)).hints == ()


@pytest.mark.parametrize(
    ("assessment", "last", "differs", "act"),
    [
        (LISTED, None, True, CREATE),  # 令第20条第1項: a file comes to be held → made 直ちに
        (LISTED, CREATE, True, CHANGE),  # 第3項: a matter changes → amended 直ちに
        (LISTED, CHANGE, True, CHANGE),
        (LISTED, CHANGE, False, None),  # an acceptance that changes nothing the register shows
        (LISTED, DELETE, True, CREATE),  # deleted, then qualifies again: listed anew
        (EXEMPT, CHANGE, True, DELETE),  # 第4項: falls under 第9号 (or is claimed exempt) → deleted 遅滞なく
        (EXEMPT, CREATE, False, DELETE),
        (NOT_HELD, CREATE, True, DELETE),  # 第4項: no longer held (廃止)
        (EXEMPT, None, True, None),  # never listed, nothing to delete
        (EXEMPT, DELETE, True, None),  # already deleted
        (NOT_HELD, None, True, None),
        (UNKNOWN, None, True, None),  # the rule cannot tell: not listed until the office decides
        (UNKNOWN, CHANGE, True, CHANGE),  # but an entry on the register is kept in step
        (UNKNOWN, CHANGE, False, None),
    ],
)
def test_when_an_acceptance_creates_changes_or_deletes_an_entry(assessment, last, differs, act):
    assert rules.revision_due(assessment, last, differs) == act


CAL = ClosureCalendar()


@pytest.mark.parametrize(
    ("kind", "caused_on", "due"),
    [
        (CREATE, D(2024, 6, 3), D(2024, 6, 6)),  # 月 → 3 open days: 火水木
        (CREATE, D(2024, 6, 7), D(2024, 6, 12)),  # 金 → 月火水 (土日 not counted)
        (CHANGE, D(2024, 12, 26), D(2025, 1, 7)),  # 木 → 金 12/27, then 12/28〜1/5 closed (年末年始・土日), 月 1/6, 火 1/7
        (CHANGE, D(2024, 12, 27), D(2025, 1, 8)),  # accepted on the last open day of the year
        (CREATE, D(2024, 12, 30), D(2025, 1, 8)),  # accepted during the closure (an emergency session): the same
        (CREATE, D(2025, 4, 28), D(2025, 5, 2)),  # 4/29 昭和の日 not counted: 4/30, 5/1, 5/2
        (CREATE, D(2025, 5, 1), D(2025, 5, 8)),  # ゴールデンウィーク: 5/2, then 5/3〜6 closed, 5/7, 5/8
        (DELETE, D(2024, 6, 3), D(2024, 6, 17)),  # 遅滞なく: 10 open days
        (DELETE, D(2024, 12, 20), D(2025, 1, 10)),  # 12/23〜27 (5), 1/6〜10 (5)
    ],
)
def test_publication_is_due_in_open_days_across_the_year_end(kind, caused_on, due):
    assert rules.publication_due(kind, caused_on, CAL, prompt_days=3, deletion_days=10) == due


def test_the_citys_own_closure_days_are_not_counted():
    cal = ClosureCalendar(extra={D(2024, 6, 4): "市制記念日"})
    assert rules.publication_due(CREATE, D(2024, 6, 3), cal, prompt_days=3, deletion_days=10) == D(2024, 6, 7)


@pytest.mark.parametrize(("caused_on", "due"), [(D(2024, 6, 3), D(2024, 6, 3)), (D(2024, 6, 8), D(2024, 6, 10))])
def test_zero_days_means_the_same_open_day(caused_on, due):
    assert rules.publication_due(CREATE, caused_on, CAL, prompt_days=0, deletion_days=0) == due


@pytest.mark.parametrize(
    ("today", "overdue", "note"),
    [
        (D(2025, 1, 6), False, "あと2開庁日"),
        (D(2025, 1, 8), False, "本日まで"),
        (D(2025, 1, 9), True, "1日超過"),
        (D(2024, 12, 27), False, "あと3開庁日"),  # 12/27 → 1/8: 1/6, 1/7, 1/8
    ],
)
def test_overdue_and_what_the_office_is_told(today, overdue, note):
    due = D(2025, 1, 8)
    assert rules.overdue(due, today) is overdue
    assert rules.due_note(due, today, CAL) == f"公表期限 令和7年1月8日（水）・{note}"


def test_change_lines_say_what_changed_in_japanese():
    old = {"name": "A", "items": ["氏名", "住所"], "sensitive": False, "recipients": [], "kind": "computerized"}
    new = {"name": "B", "items": ["氏名", "電話番号"], "sensitive": True, "recipients": ["埼玉県"], "kind": "manual"}
    assert rules.change_lines(old, new) == [
        "個人情報ファイルの名称：「A」を「B」に変更",
        "記録項目：「電話番号」を追加、「住所」を削除",
        "要配慮個人情報が含まれるときは、その旨：「なし」を「あり」に変更",
        "記録情報の経常的提供先：「埼玉県」を追加",
        "個人情報ファイルの種別：「電算処理ファイル」を「マニュアル処理ファイル」に変更",
    ]
    assert rules.change_lines(None, new) == ["個人情報ファイル簿に掲載しました。"]


@pytest.mark.parametrize(
    ("kinds", "problem"),
    [
        ([CREATE, CHANGE, CHANGE, DELETE, CREATE], None),
        ([CHANGE], "1回目の公表が「変更」"),
        ([CREATE, CREATE], "2回目の公表が「作成」"),
        ([CREATE, DELETE, DELETE], "3回目の公表が「消除」"),
        ([CREATE, DELETE, CHANGE], "3回目の公表が「変更」"),
    ],
)
def test_published_acts_run_in_the_laws_order(kinds, problem):
    found = rules.sequence_problem(kinds)
    assert (found is None) if problem is None else (problem in found)


def test_every_entry_field_cites_the_law():
    for f in rules.ENTRY_FIELDS + rules.DATE_FIELDS:
        assert f.basis.startswith(("法第74条第1項", "法第75条第4項", "施行令第20条"))
    bases = {f.basis for f in rules.ENTRY_FIELDS}
    # 法第75条第1項: 第74条第1項第1号〜第7号・第9号・第10号, and what the 政令 adds (施行令第20条第6項)
    assert {f"法第74条第1項第{n}号" for n in (1, 2, 3, 4, 5, 6, 7, 9, 10)} <= bases and "法第74条第1項第8号" not in bases
    assert {"施行令第20条第6項第1号", "施行令第20条第6項第2号", "法第75条第4項"} <= bases
