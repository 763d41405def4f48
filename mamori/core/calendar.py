"""Dates as Japanese documents write them: 和暦, full-width digits, fiscal years.

元号法 and 元号を改める政令: 平成 from 1989-01-08, 令和 from 2019-05-01. The first
year of an era is written 元年.
"""
import calendar as _cal
import datetime
import re
import unicodedata

import jpholiday

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


def fiscal_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a fiscal year (年度: 4月1日から翌年3月31日まで, 地方自治法第208条第1項)."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def fiscal_year_label(year: int, *, full: bool = False) -> str:
    """令和5年度 for 2023. The 年度 in which 令和 began is 令和元年度, as cities name it in every document
    written after 2019年5月1日 (決算, 運用状況報告): a 年度 is named by the era of its 1 May."""
    era, n = era_of(datetime.date(year, 5, 1))
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


# ---------------------------------------------------------------- dates as a person types them
# A date field accepts 令和6年4月1日, 令和元年5月1日, R6.4.1, 令6.4.1, H31.4.30, 2024-04-01, 2024/4/1
# and 2024年4月1日, in full- or half-width. A date that does not exist, or a year its era did not
# reach, is refused with a message that says why (元号法: 平成 ends on 2019-04-30).
ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", "令": "令和", "平": "平成", "昭": "昭和", "大": "大正"}
_ERA_INPUT = re.compile(
    r"^(令和|平成|昭和|大正|[RHSTrhst令平昭大])\s*(元|\d{1,2})\s*(?:年|[./\-])\s*(\d{1,2})\s*(?:月|[./\-])\s*(\d{1,2})\s*日?$")
_SEIREKI_INPUT = re.compile(r"^(\d{4})\s*(?:年|[./\-])\s*(\d{1,2})\s*(?:月|[./\-])\s*(\d{1,2})\s*日?$")
DATE_INPUT_EXAMPLES = "令和6年4月1日、R6.4.1、2024-04-01"


class DateInputError(ValueError):
    """A typed date that cannot be read; the message says, in Japanese, what to fix."""


def _era_span(name: str) -> tuple[datetime.date, datetime.date | None]:
    index = next(i for i, (_, n) in enumerate(ERAS) if n == name)
    start = ERAS[index][0]
    end = ERAS[index - 1][0] - datetime.timedelta(days=1) if index > 0 else None
    return start, end


def _checked_date(year: int, month: int, day: int, shown: str) -> datetime.date:
    if not 1 <= month <= 12:
        raise DateInputError(f"「{shown}」の月が{month}月になっています。月は1から12で入力してください。")
    last = _cal.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateInputError(f"「{shown}」という日はありません（{month}月は{last}日までです）。")
    return datetime.date(year, month, day)


def parse_date_input(text: str) -> datetime.date | None:
    """The date a person typed (see above), None for an empty field; DateInputError says what is wrong."""
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if not value:
        return None
    value = re.sub(r"[（(][月火水木金土日][)）]$", "", value)  # a weekday shown back, e.g. （月）
    m = _SEIREKI_INPUT.match(value)
    if m:
        year, month, day = (int(g) for g in m.groups())
        if year < 1900:
            raise DateInputError(f"「{text}」の年が読めません。{DATE_INPUT_EXAMPLES} のように入力してください。")
        return _checked_date(year, month, day, text.strip())
    m = _ERA_INPUT.match(value)
    if not m:
        raise DateInputError(f"「{text.strip()}」を日付として読めません。{DATE_INPUT_EXAMPLES} のように入力してください。")
    letter, year_text, month_text, day_text = m.groups()
    era = ERA_LETTERS.get(letter.upper() if letter.isascii() else letter, letter)
    n = 1 if year_text == "元" else int(year_text)
    if n < 1:
        raise DateInputError(f"「{text.strip()}」の年が0年になっています。最初の年は元年（1年）です。")
    start, end = _era_span(era)
    day = _checked_date(start.year + n - 1, int(month_text), int(day_text), text.strip())
    if day < start:
        raise DateInputError(f"{era}は{wareki(start)}（{start.year}年{start.month}月{start.day}日）から始まります。"
                             f"「{text.strip()}」はそれより前の日付です。")
    if end and day > end:
        raise DateInputError(f"{era}は{wareki(end)}（{end.year}年{end.month}月{end.day}日）までです。"
                             f"「{text.strip()}」は次の元号で入力してください（{wareki(day)}）。")
    return day


FISCAL_YEAR_EXAMPLES = "令和6年度、R6、2024"
_FISCAL_ERA_INPUT = re.compile(r"^(令和|平成|[RHrh令平])(元|\d{1,2})(?:年度?)?$")
_FISCAL_SEIREKI_INPUT = re.compile(r"^(\d{4})(?:年度?)?$")


def parse_fiscal_year(text: str) -> int | None:
    """The 年度 a person typed or picked — 令和6年度, R6, 令6, 令和元年度, 平成30年度, 2024, 2024年度 — as
    the year it starts in (2024); None for an empty field; DateInputError says what to fix."""
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))
    if not value:
        return None
    m = _FISCAL_SEIREKI_INPUT.match(value)
    if m:
        year = int(m[1])
    else:
        m = _FISCAL_ERA_INPUT.match(value)
        if not m:
            raise DateInputError(f"「{str(text).strip()}」を年度として読めません。{FISCAL_YEAR_EXAMPLES} のように入力してください。")
        era = ERA_LETTERS.get(m[1].upper() if m[1].isascii() else m[1], m[1])
        n = 1 if m[2] == "元" else int(m[2])
        start, end = _era_span(era)
        if n < 1 or (end and start.year + n - 1 > end.year):
            raise DateInputError(f"{era}{m[2]}年度という年度はありません。{FISCAL_YEAR_EXAMPLES} のように入力してください。")
        year = start.year + n - 1
    if not 1989 <= year <= 2100:
        raise DateInputError(f"「{str(text).strip()}」は扱える年度（平成元年度から）の外です。{FISCAL_YEAR_EXAMPLES} のように入力してください。")
    return year


def fiscal_year_choices(today: datetime.date, back: int = 10) -> list[tuple[int, str]]:
    """(2024, 令和6年度) for this 年度 and the ``back`` before it, newest first: a report's year select."""
    this = fiscal_year(today)
    return [(year, fiscal_year_label(year)) for year in range(this, this - back - 1, -1)]


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


# ---------------------------------------------------------------- closure days
# 地方自治法第4条の2第1項・第2項 and the city's 休日条例: the offices are closed on 日曜日・土曜日,
# 国民の祝日に関する法律の休日, and 12月29日から翌年1月3日まで; a city may add days of its own
# (core.ClosureDay). Holidays come from jpholiday, which follows the Cabinet Office's list.


class ClosureCalendar:
    """Whether a day is a closure day, and why. ``extra`` holds the city's own days."""

    def __init__(self, extra: dict[datetime.date, str] | None = None, year_end: bool = True):
        self.extra = extra or {}
        self.year_end = year_end

    def reason(self, day: datetime.date) -> str | None:
        if day in self.extra:
            return self.extra[day]
        if self.year_end and ((day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)):
            return "年末年始の閉庁日"
        name = jpholiday.is_holiday_name(day)
        if name:
            return name
        if day.weekday() == 5:
            return "土曜日"
        if day.weekday() == 6:
            return "日曜日"
        return None

    def is_open(self, day: datetime.date) -> bool:
        return self.reason(day) is None

    def next_open(self, day: datetime.date) -> datetime.date:
        while not self.is_open(day):
            day += datetime.timedelta(days=1)
        return day

    def open_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Open days after ``start`` up to and including ``end`` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            count += self.is_open(day)
        return count


def seireki(day: datetime.date, *, weekday: bool = True) -> str:
    """2025年1月6日（月）"""
    text = f"{day.year}年{day.month}月{day.day}日"
    return text + (f"（{WEEKDAYS[day.weekday()]}）" if weekday else "")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The corresponding day ``months`` later (the last day of the month when there is none)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, _cal.monthrange(year, month)[1]))
