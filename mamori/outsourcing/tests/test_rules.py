import pytest

from mamori.outsourcing.rules import approx_percent, chain_errors, checklist_errors, corporate_number_error


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("7000012050002", True),  # 国税庁
        ("1180301018771", True),  # トヨタ自動車株式会社
        ("１１８０３０１０１８７７１", True),  # full width is accepted
        ("1-1803-0101-8771", True),
        ("2180301018771", False),  # wrong check digit
        ("118030101877", False),  # 12 digits
        ("11803010187711", False),  # 14 digits
        ("11803O1018771", False),  # a letter O
        ("", False),
    ],
)
def test_corporate_number(number, valid):
    assert (corporate_number_error(number) is None) is valid


def test_check_digit_message_says_what_is_expected():
    assert "1 のはずです" in corporate_number_error("2180301018771")


@pytest.mark.parametrize(
    ("kind", "parent", "same", "ok"),
    [
        ("outsourcing", None, True, True),
        ("sub", "outsourcing", True, True),
        ("sub", "designated", True, True),
        ("subsub", "sub", True, True),
        ("sub", None, True, False),  # needs its parent
        ("subsub", "outsourcing", True, False),  # skips a layer
        ("sub", "outsourcing", False, False),  # parent of another program
        ("lease", "outsourcing", True, False),  # a lease has no parent
    ],
)
def test_chain(kind, parent, same, ok):
    assert (chain_errors(kind, parent, same) == []) is ok


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(45, 296, 15), (7, 296, 2), (44, 296, 15), (200, 296, 68),  # the seed's 資料5
     (1, 8, 13), (3, 8, 38), (1, 200, 1), (1, 201, 0), (0, 296, 0), (296, 296, 100), (1, 0, None)],  # 12.5 → 13, 0.5 → 1: half up
)
def test_approx_percent(part, whole, expected):
    assert approx_percent(part, whole) == expected


def test_checklist_needs_every_item_and_a_comment_for_ng():
    results = {str(n): {"result": "ok"} for n in range(1, 12)}
    assert checklist_errors(results) == []
    results["5"] = {"result": "ng", "comment": ""}
    del results["11"]
    errors = checklist_errors(results)
    assert errors == ["点検項目5は「否」です。コメントに不適合の内容を書いてください。",
                      "点検項目11（契約書等に独自に規定している事項（規定している場合のみ））の結果を 適・否・該当なし から選んでください。"]
