"""Statutory clocks count working days in England and Wales: weekdays that are not bank holidays.

Bank holidays come from the maintained `holidays` package (England's list is
England and Wales's), never from a hand-written list.
"""

import calendar
import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (the day of the event itself not counted)."""
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def subtract_working_days(end: datetime.date, days: int) -> datetime.date:
    """The date `days` working days before `end` (the day of the event itself not counted)."""
    day = end
    counted = 0
    while counted < days:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before."""
    if end < start:
        return -working_days_between(end, start)
    return sum(
        1
        for n in range(1, (end - start).days + 1)
        if is_working_day(start + datetime.timedelta(days=n))
    )


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        # As add_working_days does past the calendar's end (date arithmetic raises it).
        raise OverflowError("date value out of range")
    return start.replace(
        year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1])
    )
