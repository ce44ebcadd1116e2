"""The period of a report: a year, a quarter, a month or any run of days, in the desk's local days."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from desktop.store.errors import InvalidInput

MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ReportError(InvalidInput):
    """A report cannot be made as asked (a bad period, format or count); the message says why."""


@dataclass(frozen=True)
class Period:
    """A range of the desk's local dates, both ends included, and the name it goes by."""

    start: dt.date
    end: dt.date
    name: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ReportError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def label(self) -> str:
        return self.name or f"{self.start.isoformat()} to {self.end.isoformat()}"

    @property
    def words(self) -> str:
        """The period in a sentence: "1 January 2026 to 31 December 2026"."""
        return f"{long_date(self.start)} to {long_date(self.end)}"

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Period:
        return cls(start, end)

    @classmethod
    def year(cls, year: int) -> Period:
        if not 1900 <= year <= 9999:
            raise ReportError(f"the year {year} is not a year like 2026")
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))

    @classmethod
    def quarter(cls, text: str) -> Period:
        """ "2026-Q1" (or 2026Q1)."""
        found = _QUARTER.match(text.strip())
        if not found:
            raise ReportError(f"the quarter {text!r} should look like 2026-Q1")
        year, quarter = int(found[1]), int(found[2])
        first = dt.date(year, 3 * quarter - 2, 1)
        return cls(first, _month_end(year, 3 * quarter), f"{year}-Q{quarter}")

    @classmethod
    def month(cls, text: str) -> Period:
        """ "2026-03"."""
        found = _MONTH.match(text.strip())
        if not found or not 1 <= int(found[2]) <= 12:
            raise ReportError(f"the month {text!r} should look like 2026-03")
        year, month = int(found[1]), int(found[2])
        return cls(dt.date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")

    def months(self) -> list[str]:
        """Every month the period touches, as YYYY-MM, in order."""
        found = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append(f"{year}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return following - dt.timedelta(days=1)


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_words(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"
