"""Periods analysts name besides dates: quarters ("Q1 2025", "2025-Q3", "second quarter of 2024"), halves
("H1 2025", "2025H2", "first half of 2025") and periods counted back from today ("last 6 months", "past 2
years", "last year", "this month").

A number counts back from today ("last 6 months": the six months up to today); a bare unit is the calendar
unit ("last year": the previous calendar year; "this year": the current one, up to today).

Example:
    >>> p = read_period("repairs on the hpu in q1 2025", today=date(2026, 12, 4))
    >>> p.since, p.until
    (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    >>> read_period("wo history last 6 months", today=date(2026, 12, 4)).since
    datetime.date(2026, 6, 4)
    >>> read_period("failures last year", today=date(2026, 12, 4)).until
    datetime.date(2025, 12, 31)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_YEAR = r"(?:19|20)\d\d"
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_NUMBER = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "nine": 9, "twelve": 12}
_IN = r"(?:\b(?:in|during|for|over|of)\s+(?:the\s+)?)?"
_QUARTER = re.compile(
    rf"{_IN}\b(?:q([1-4])\s*[-/ ]?\s*({_YEAR})|({_YEAR})\s*[-/ ]?\s*q([1-4])|"
    rf"(first|second|third|fourth|1st|2nd|3rd|4th) quarter(?: of)?\s+({_YEAR}))\b",
    re.IGNORECASE,
)
_HALF = re.compile(
    rf"{_IN}\b(?:h([12])\s*[-/ ]?\s*({_YEAR})|({_YEAR})\s*[-/ ]?\s*h([12])|"
    rf"(first|second|1st|2nd) half(?: of)?\s+({_YEAR}))\b",
    re.IGNORECASE,
)
_BACK = re.compile(
    r"\b(?:in |over |during |within |for )?(?:the )?(last|past|previous|this|current)\s+"
    r"(?:(\d{1,3}|a|one|two|three|four|five|six|nine|twelve)\s+)?(days?|weeks?|months?|quarters?|years?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    since: date
    until: date
    span: tuple[int, int]


def _end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months_back(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _quarter(m: re.Match[str]) -> tuple[int, int]:
    if m.group(1):
        return int(m.group(2)), int(m.group(1))
    if m.group(3):
        return int(m.group(3)), int(m.group(4))
    return int(m.group(6)), _ORDINAL[m.group(5).lower()]


def _back(m: re.Match[str], today: date) -> tuple[date, date]:
    which, count, unit = m.group(1).lower(), m.group(2), m.group(3).lower().rstrip("s")
    if count is not None or (which == "past" and unit != "day"):
        n = int(count) if count and count.isdigit() else _NUMBER.get((count or "a").lower(), 1)
        if unit == "day":
            return today - timedelta(days=n), today
        if unit == "week":
            return today - timedelta(weeks=n), today
        months = n * {"month": 1, "quarter": 3, "year": 12}[unit]
        return _months_back(today, months), today
    if unit in ("day", "week"):
        days = 1 if unit == "day" else 7
        return today - timedelta(days=days), today
    step = {"month": 1, "quarter": 3, "year": 12}[unit]
    start = date(today.year, 1, 1) if unit == "year" else date(today.year, today.month, 1)
    if unit == "quarter":
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    if which in ("this", "current"):
        return start, today
    first = _months_back(start, step)
    return first, start - timedelta(days=1)


def read_period(question: str, *, today: date | None = None) -> Period | None:
    """The quarter, half-year or period back from ``today`` (default: the clock's) ``question`` names."""
    if m := _QUARTER.search(question):
        year, q = _quarter(m)
        return Period(date(year, 3 * q - 2, 1), _end(year, 3 * q), m.span())
    if m := _HALF.search(question):
        year = int(m.group(2) or m.group(3) or m.group(6))
        h = int(m.group(1) or m.group(4) or (1 if m.group(5).lower() in ("first", "1st") else 2))
        return Period(date(year, 6 * h - 5, 1), _end(year, 6 * h), m.span())
    if m := _BACK.search(question):
        since, until = _back(m, today or date.today())
        return Period(since, until, m.span())
    return None
