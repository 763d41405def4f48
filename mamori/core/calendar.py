"""Dates as Japanese documents write them: 和暦, full-width digits, fiscal years.

元号法 and 元号を改める政令: 平成 from 1989-01-08, 令和 from 2019-05-01. The first
year of an era is written 元年.
"""
import datetime

ERAS = [  # (first day, name), newest first
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
    (datetime.date(1912, 7, 30), "大正"),
]
WEEKDAYS = "月火水木金土日"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def fullwidth(text: str) -> str:
    return str(text).translate(_FULLWIDTH)


def era_of(day: datetime.date) -> tuple[str, int]:
    for start, name in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError(f"{day} は大正より前の日付です")


def wareki(day: datetime.date | None, *, full: bool = False, weekday: bool = False) -> str:
    """令和6年7月29日 (``full`` → 令和６年７月２９日, ``weekday`` adds （月))."""
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = day.date()
    era, year = era_of(day)
    year_text = "元" if year == 1 else str(year)
    text = f"{era}{year_text}年{day.month}月{day.day}日"
    if weekday:
        text += f"（{WEEKDAYS[day.weekday()]}）"
    return fullwidth(text) if full else text


def fiscal_year(day: datetime.date) -> int:
    """年度: April to March, named by the year it starts in."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_label(year: int, *, full: bool = False) -> str:
    """令和5年度 for 2023."""
    era, n = era_of(datetime.date(year, 4, 1))
    text = f"{era}{'元' if n == 1 else n}年度"
    return fullwidth(text) if full else text
