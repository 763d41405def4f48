"""The law of redaction as tables: the decision a document's boxes amount to, and the 写しの交付 / 閲覧 fees."""
import pytest

from mamori.disclosure import rules

A4 = (595.0, 842.0)
WHOLE = (0.0, 0.0, 595.0, 842.0)


@pytest.mark.parametrize("sizes, boxes, expected", [
    ([A4], [], "disclose"),                                                   # no box: 公開
    ([A4], [(1, 72, 100, 300, 120)], "partial"),                              # a name: 部分公開
    ([A4], [(1, *WHOLE)], "nondisclose"),                                     # the whole page: 非公開
    ([A4, A4], [(1, *WHOLE)], "partial"),                                     # one page of two
    ([A4, A4], [(1, *WHOLE), (2, *WHOLE)], "nondisclose"),
    ([A4], [(1, 5, 5, 590, 837)], "nondisclose"),                             # a white margin stays: still the whole page (≥ 95 %)
    ([A4], [(1, 0, 0, 595, 421), (1, 0, 421, 595, 842)], "nondisclose"),     # two halves
    ([A4], [(1, 0, 0, 595, 421), (1, 0, 0, 595, 421)], "partial"),           # the same half twice is still half (overlap counted once)
    ([A4], [(1, -50, -50, 700, 900)], "nondisclose"),                        # a box past the edge counts to the edge
    ([], [(1, 0, 0, 10, 10)], "partial"),                                    # sizes unknown: some box, so 部分公開
])
def test_decision_from_boxes(sizes, boxes, expected):
    assert rules.decision_from_boxes(sizes, boxes) == expected


M, C = False, True


@pytest.mark.parametrize("pages, double_sided, per_side, amount, sheets, explanation", [
    ([], False, True, 0, 0, "交付する面がありません。"),
    ([M] * 12, False, True, 120, 12, "白黒 12面 × 10円 ＝ 120円（片面印刷 12枚）"),
    ([M] * 3 + [C] * 2, False, True, 70, 5, "白黒 3面 × 10円 ＋ カラー 2面 × 20円 ＝ 70円（片面印刷 5枚）"),
    ([M] * 5, True, True, 50, 3, "白黒 5面 × 10円 ＝ 50円（両面印刷 3枚）"),           # 朝霞市: a side is a 枚
    ([M] * 5, True, False, 30, 3, "白黒 3枚 × 10円 ＝ 30円（両面印刷・1枚ごと）"),     # per sheet
    ([M, C, M, M], True, False, 30, 2, "白黒 1枚 × 10円 ＋ カラー 1枚 × 20円 ＝ 30円（両面印刷・1枚ごと）"),  # a sheet with a colour side is colour
    ([C], False, False, 20, 1, "カラー 1面 × 20円 ＝ 20円（片面印刷 1枚）"),           # single-sided: per sheet = per side
])
def test_copy_fee(pages, double_sided, per_side, amount, sheets, explanation):
    fee = rules.copy_fee(pages, monochrome=10, colour=20, double_sided=double_sided, per_side=per_side)
    assert (fee.amount, fee.sheets, fee.sides, fee.explanation) == (amount, sheets, len(pages), explanation)


@pytest.mark.parametrize("pages, per_page, fee", [(10, 0, 0), (10, 10, 100), (0, 10, 0)])
def test_inspection_fee(pages, per_page, fee):
    assert rules.inspection_fee(pages, per_page=per_page) == fee


def test_a_box_is_withheld_under_the_procedures_own_articles():
    assert "法第78条第1項第2号" in rules.box_reasons("personal-disclosure")
    assert "条例第7条第2号" in rules.box_reasons("public-request") and "法第78条第1項第2号" not in rules.box_reasons("public-request")
