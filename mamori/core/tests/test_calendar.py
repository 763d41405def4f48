"""和暦 and fiscal years: dated cases around era changes, leap days and the fiscal year edge."""
import datetime

import pytest

from mamori.core.calendar import fiscal_year, fiscal_year_label, wareki

D = datetime.date


@pytest.mark.parametrize(
    ("day", "kwargs", "expected"),
    [
        (D(2024, 7, 29), {"weekday": True}, "令和6年7月29日（月）"),  # the seed's council meeting
        (D(2024, 7, 29), {"full": True, "weekday": True}, "令和６年７月２９日（月）"),
        (D(2019, 4, 30), {}, "平成31年4月30日"),  # last day of 平成
        (D(2019, 5, 1), {}, "令和元年5月1日"),  # 元年, not 1年
        (D(2020, 1, 1), {}, "令和2年1月1日"),
        (D(1989, 1, 7), {}, "昭和64年1月7日"),
        (D(1989, 1, 8), {}, "平成元年1月8日"),
        (D(2024, 2, 29), {"full": True}, "令和６年２月２９日"),  # leap day (the seed's 速報日)
        (D(2024, 4, 4), {"weekday": True}, "令和6年4月4日（木）"),
    ],
)
def test_wareki(day, kwargs, expected):
    assert wareki(day, **kwargs) == expected


@pytest.mark.parametrize(
    ("day", "year", "label"),
    [
        (D(2024, 3, 31), 2023, "令和5年度"),
        (D(2024, 4, 1), 2024, "令和6年度"),
        (D(2019, 4, 1), 2019, "令和元年度"),  # began under 平成, named by 令和 (from 2019年5月1日)
        (D(2020, 1, 15), 2019, "令和元年度"),
        (D(2019, 3, 31), 2018, "平成30年度"),
        (D(1989, 3, 31), 1988, "昭和63年度"),  # 平成 began 1989年1月8日, inside 昭和63年度
        (D(1989, 4, 1), 1989, "平成元年度"),
    ],
)
def test_fiscal_year(day, year, label):
    assert fiscal_year(day) == year
    assert fiscal_year_label(year) == label


def test_before_taisho_is_refused():
    with pytest.raises(ValueError):
        wareki(D(1900, 1, 1))
