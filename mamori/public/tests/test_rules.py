"""The request procedure's rules: fees (法第89条第2項, the city's 条例) and the decision period (法第83条, 第108条)."""
import pytest

from mamori.public import rules

FREE = rules.Fees(request=0, copy_monochrome=10, copy_colour=20)


@pytest.mark.parametrize(
    ("fees", "monochrome", "colour", "cost"),
    [
        (FREE, 0, 0, 0),
        (FREE, 12, 0, 120),  # 白黒12枚
        (FREE, 3, 2, 70),  # 白黒3枚とカラー2枚
        (rules.Fees(300, 20, 50), 1, 1, 70),  # another city's rates
    ],
)
def test_the_cost_of_copies(fees, monochrome, colour, cost):
    assert rules.copy_cost(fees, monochrome=monochrome, colour=colour) == cost


def test_a_negative_number_of_sheets_is_refused():
    with pytest.raises(ValueError):
        rules.copy_cost(FREE, monochrome=-1)


@pytest.mark.parametrize(
    ("fees", "says"),
    [
        (FREE, "開示請求の手数料は無料です。"),
        (rules.Fees(300, 10, 20), "開示請求の手数料は、1件につき300円です。"),
        (rules.Fees(1200, 10, 20), "1件につき1,200円"),
    ],
)
def test_the_fee_as_the_page_states_it(fees, says):
    lines = rules.fee_lines(fees)
    assert says in lines[0] and "第89条第2項" in lines[0]
    assert f"白黒1枚{fees.copy_monochrome}円" in lines[1] and f"カラー1枚{fees.copy_colour}円" in lines[1]


@pytest.mark.parametrize(("days", "says"), [(30, "30日以内"), (15, "15日以内"), (45, "30日以内")])
def test_the_decision_period_is_the_citys_and_never_longer_than_the_law(days, says):
    # 法第83条第1項: 30 days; 法第108条: an ordinance may shorten it, not lengthen it
    assert says in rules.decision_lines(days)[0]
