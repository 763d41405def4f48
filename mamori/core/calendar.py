"""Dates as Japanese documents write them: 和暦, full-width digits, fiscal years.

元号法 and 元号を改める政令: 平成 from 1989-01-08, 令和 from 2019-05-01. The first
year of an era is written 元年.
"""
import datetime
import re
import unicodedata

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


_WAREKI_DATE = re.compile(r"(令和|平成|昭和|大正)\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_TIME = re.compile(r"(午前|午後)?\s*(\d{1,2})\s*時\s*(?:(\d{1,2})\s*分|半)?")


def parse_wareki(text: str) -> datetime.date | None:
    """The first 和暦 date in the text (令和６年７月２９日, 令和元年5月1日), or None."""
    m = _WAREKI_DATE.search(unicodedata.normalize("NFKC", text or ""))
    if not m:
        return None
    era, year, month, day = m.groups()
    start = next(s for s, name in ERAS if name == era)
    try:
        return datetime.date(start.year + (1 if year == "元" else int(year)) - 1, int(month), int(day))
    except ValueError:
        return None


def parse_time(text: str) -> datetime.time | None:
    """午前１０時００分 / 午後2時半 / 14時 → time, or None."""
    m = _TIME.search(unicodedata.normalize("NFKC", text or ""))
    if not m:
        return None
    half, hour, minute = m.group(1), int(m.group(2)), m.group(3)
    minute = int(minute) if minute else (30 if "半" in m.group(0) else 0)
    if half == "午後" and hour < 12:
        hour += 12
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return datetime.time(hour, minute)


def time_label(value: datetime.time, *, full: bool = True) -> str:
    """10:00 → 午前１０時００分 (the 次第's phrasing)."""
    half = "午前" if value.hour < 12 else "午後"
    hour = value.hour if value.hour <= 12 else value.hour - 12
    text = f"{half}{hour}時{value.minute:02d}分"
    return fullwidth(text) if full else text
