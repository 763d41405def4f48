"""The 新旧対照表 rules: two editions of a small handbook give the expected located rows."""
import pytest

from mamori.handbooks.rules import BLANK, Line, Page, lines_of, location, marks, padded, pages_from_text, revision_rows

# A small handbook: page 3 has 10 lines with text (and a quoted article), page 4 has 8.
OLD = """第１ 目的
（定義）
第２条 この規程において「機関」とは、市長、教育委員会
及び公社をいう。

【解説】
本市の機関は次の２つです。
（ア）市長の部局
（イ）公社について
公社は市が出資する法人です。
公社の役職員も含みます。
―― 3 ――
第２ 運用
担当課は次の事務を行います。
（１） 届出の受理
（２） 公社との連絡
連絡は書面で行います。
年に一度、報告します。
報告は審議会に行います。
以上
―― 4 ――
"""
NEW = """第１ 目的
（定義）
第２条 この規程において「機関」とは、市長及び教育委員会
をいう。

【解説】
本市の機関は次のとおりです。
市長の部局
―― 3 ――
第２ 運用
担当課は次の事務を行います。
届出の受理
連絡は書面で行います。
年に一度、審議会に報告します。
報告は審議会に行います。
以上
―― 4 ――
"""


def test_pages_from_text_reads_markers_and_form_feeds():
    pages = pages_from_text(OLD)
    assert [p.number for p in pages] == [3, 4]
    assert pages[0].lines[0] == "第１ 目的" and len([x for x in pages[0].lines if x.strip()]) == 10
    fed = pages_from_text("一\n二\f三", first_page=7)
    assert [(p.number, p.lines) for p in fed] == [(7, ("一", "二")), (8, ("三",))]


@pytest.mark.parametrize("page, top, bottom, article, article_line, expected", [
    (5, 1, 30, "", 0, "５ページ 上から１行目"),
    (5, 23, 8, "", 0, "５ページ 下から８行目"),
    (6, 16, 25, "", 0, "６ページ 上から１６行目"),
    (6, 10, 10, "", 0, "６ページ 上から１０行目"),  # a tie counts from the top
    (108, 22, 10, "", 0, "１０８ページ 下から１０行目"),
    (5, 4, 27, "第２条（定義）", 2, "５ページ 第２条（定義） 上から２行目"),
])
def test_location_counts_from_the_nearer_end(page, top, bottom, article, article_line, expected):

    assert location(Line("x", page, top, bottom, article, article_line)) == expected


def test_lines_are_placed_under_their_article():
    lines = lines_of(pages_from_text(OLD))
    second = next(x for x in lines if x.text.startswith("及び公社"))
    assert (second.article, second.article_line) == ("第２条（定義）", 2)
    commentary = next(x for x in lines if x.text.startswith("本市の機関"))
    assert commentary.article == "" and (commentary.top, commentary.bottom) == (6, 5)


def test_two_editions_give_the_located_rows():
    rows = [(r.location, r.before, r.after) for r in revision_rows(pages_from_text(OLD), pages_from_text(NEW))]
    assert rows == [
        ("３ページ 第２条（定義） 上から１行目", "第２条 この規程において「機関」とは、市長、教育委員会", "第２条 この規程において「機関」とは、市長及び教育委員会"),
        ("３ページ 第２条（定義） 上から２行目", "及び公社をいう。", BLANK * 4 + "をいう。"),
        ("３ページ 下から５行目", "本市の機関は次の２つです。", "本市の機関は次のとおりです。"),
        ("３ページ 下から４行目", "（ア）市長の部局", BLANK * 3 + "市長の部局"),
        ("３ページ 下から３行目", "（イ）公社について", "項目（イ）すべて削除"),
        ("４ページ 上から３行目", "（１） 届出の受理", BLANK * 4 + "届出の受理"),
        ("４ページ 上から４行目", "（２） 公社との連絡", "項目（２）すべて削除"),
        ("４ページ 下から３行目", "年に一度、報告します。", "年に一度、審議会に報告します。"),
    ]


def test_identical_editions_give_no_rows():
    assert revision_rows(pages_from_text(OLD), pages_from_text(OLD)) == []


def test_an_added_line_is_placed_at_the_line_before_it():
    old = [Page(2, ("一行目", "二行目", "三行目"))]
    new = [Page(2, ("一行目", "二行目", "新しい行を加えます", "三行目"))]
    assert [(r.location, r.before, r.after) for r in revision_rows(old, new)] == [("２ページ 上から２行目", "", "新しい行を加えます")]


B = BLANK


@pytest.mark.parametrize("before, after, expected", [
    # A removed word at the start, in the middle, at the end (trailing blanks are not printed).
    pytest.param("公社及び市長", "市長", B * 4 + "市長", id="removed-at-start"),
    pytest.param("次の２つの機関については、", "次の機関については、", "次の" + B * 3 + "機関については、", id="removed-in-middle"),
    pytest.param("市長及び公社", "市長", "市長", id="removed-at-end"),
    pytest.param("（b）地方議会について", "地方議会について", B * 3 + "地方議会について", id="half-width-letter"),  # 2.5 cells: 3
    # Two removed spans: each leaves its own blanks where it stood.
    pytest.param("市長、公社及び議会並びに公社の委員会", "市長及び議会並びに委員会", "市長" + B * 3 + "及び議会並びに" + B * 3 + "委員会", id="two-spans"),
    # A replaced word takes the old one's place; a narrower one leaves blanks for the rest of its width.
    pytest.param("本市の機関は次の２つです。", "本市の機関は次のとおりです。", "本市の機関は次のとおりです。", id="replaced-wider"),
    pytest.param("三十日以内に決定", "十五日以内に決定", "十五日以内に決定", id="replaced-sharing-a-character"),
    pytest.param("市長、教育委員会", "市長及び教育委員会", "市長及び教育委員会", id="replaced-punctuation"),
    pytest.param("公社の役員とする", "市の職員とする", B * 4 + "市の職員とする", id="replaced-around-a-particle-narrower"),  # 「の」 not kept
    pytest.param("市長、議会", "議会、市長", "議会、市長", id="words-swapped"),
    pytest.param("市長", "市長", "市長", id="unchanged"),
])
def test_removed_words_leave_blanks(before, after, expected):
    assert padded(before, after) == expected


# The seed's rows (令和6年度第1回 資料7), blanks counted from its printing: a one-line row as extracted (less the
# space between the cells); a wrapped row keeps the 改訂前 cell's line layout, so its blanks fill each 改訂前 line
# (「中学校の職員」＋10 blanks fills 「中学校の職員及び土地開発公社の役」, 2 blanks stand where 「職員」 stood).
SEED_BLANKS = [
    ("次の２つの機関については、", "次の機関については、", "次の" + B * 3 + "機関については、"),
    ("（b）地方議会について", "地方議会について", B * 3 + "地方議会について"),
    ("固定資産評価審査委員会、議会及び土地開発公社", "固定資産評価審査委員会及び議会", "固定資産評価審査委員会" + B * 11 + "及び議会"),  # words moved
    ("議決機関である議会、さらに、市の出資法人である土地開発公社をいいます。", "議決機関である議会をいいます。", "議決機関である議会" + B * 20 + "をいいます。"),
    ("（１） 福祉事務所", "福祉事務所", B * 4 + "福祉事務所"),
    ("３ 土地開発公社以外の市の出資法人等", "３ 市の出資法人等", "３ " + B * 9 + "市の出資法人等"),
    ("中学校の職員及び土地開発公社の役職員をいいます", "中学校の職員をいいます", "中学校の職員" + B * 12 + "をいいます"),
]


@pytest.mark.parametrize("before, after, expected", SEED_BLANKS)
def test_the_seed_rows_blanks_are_where_the_city_put_them(before, after, expected):
    assert padded(before, after) == expected
    assert padded(before, expected) == expected  # a row already blanked (the office's edit) is left as it is


def test_marks_underline_the_changed_words():
    before, after = marks("次の２つの機関については、", "次の" + BLANK * 3 + "機関については、")
    assert [(s.text, s.changed) for s in before] == [("次の", False), ("２つの", True), ("機関については、", False)]
    assert [(s.text, s.changed) for s in after] == [("次の", False), (BLANK * 3, True), ("機関については、", False)]
    moved_before, moved_after = marks("固定資産評価審査委員会、議会及び土地開発公社", "固定資産評価審査委員会" + B * 11 + "及び議会")
    assert [(s.text, s.changed) for s in moved_before] == [("固定資産評価審査委員会", False), ("、議会及び土地開発公社", True)]
    assert [(s.text, s.changed) for s in moved_after] == [("固定資産評価審査委員会", False), (B * 11 + "及び議会", True)]
    whole, label = marks("（a）土地開発公社について", "項目（a）すべて削除")
    assert [(s.text, s.changed) for s in whole] == [("（a）土地開発公社について", True)] and not label[0].changed


def test_a_handbook_rewritten_wholesale_is_compared_in_time():
    import time

    old = [Page(n, tuple(f"{n}ページの旧い本文、その{k}行目です。" for k in range(40))) for n in range(1, 51)]
    new = [Page(n, tuple(f"第{n}頁：新しく書き直した文章 {k}" for k in range(40))) for n in range(1, 51)]
    start = time.monotonic()
    rows = revision_rows(old, new)
    assert len(rows) == 2000 and time.monotonic() - start < 10
    assert (rows[0].location, rows[-1].location) == ("１ページ 上から１行目", "５０ページ 下から１行目")
