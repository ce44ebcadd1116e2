"""What officers type for "when was it received": now, 22:18, 10:18 pm, 13 Jan 22:18, 1/13 22:18 (month first,
as a US fax header writes it), 2026-01-13 22:18, yesterday 23:50.

Pure Python (no Qt), so it is tested on its own. Every moment is read on the desk's clock: `now` is an
aware time in the pack's zone, and the answer is an aware time in that zone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Protocol

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
EXAMPLES = "now, 22:18, 10:18 pm, 13 Jan 22:18, 1/13 22:18, 2026-01-13 22:18 or yesterday 23:50"
_TIME = r"(?P<h>\d{1,2})(?::?(?P<m>\d{2}))"
_TWELVE = re.compile(r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<half>[ap])\.?\s?m\.?$")


class Zoned(Protocol):
    """What gives the desk's clock: a policy pack (its zone and how it turns a moment into local time)."""

    @property
    def time_zone(self) -> str: ...

    @property
    def zone(self) -> dt.tzinfo | None: ...

    def local_time(self, moment: dt.datetime) -> dt.datetime: ...


class WhenError(ValueError):
    """What was typed cannot be read as a moment; the message says what is accepted."""


def _clock(match: re.Match[str]) -> tuple[int, int]:
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    if hour > 23 or minute > 59:
        raise WhenError(f"{hour:02d}:{minute:02d} is not a time of day")
    return hour, minute


def _at(day: dt.date, hour: int, minute: int, zone: dt.tzinfo | None) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def _twenty_four(low: str) -> str:
    """'10:18 pm' as '22:18' (and '12 am' as '00:00') at the end of what was typed; the rest as it was."""
    match = _TWELVE.search(low)
    if match is None:
        return low
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    if not 1 <= hour <= 12 or minute > 59:
        raise WhenError(f"{match.group(0)!r} is not a time on a 12-hour clock; type for example 10:18 pm or 22:18")
    hour = hour % 12 + (12 if match.group("half") == "p" else 0)
    return f"{low[: match.start()]}{hour:02d}:{minute:02d}"


def _month(word: str) -> int:
    key = word[:3].lower()
    if key not in MONTHS:
        raise WhenError(f"{word!r} is not a month")
    return MONTHS.index(key) + 1


def parse_when(text: str, now: dt.datetime) -> dt.datetime:
    """The moment `text` names, on the clock of `now` (aware). Raises WhenError saying what is accepted.

    A time alone is today, or yesterday when today's would be later than now (a request typed just
    after midnight). A day without a year is this year, or last year when this year's is later than now.
    """
    zone = now.tzinfo
    raw = " ".join(text.replace(",", " ").split())
    low = raw.lower()
    if low in ("", "now"):
        return now.replace(second=0, microsecond=0)
    soon = now + dt.timedelta(minutes=5)
    low = _twenty_four(low)

    match = re.fullmatch(rf"(?P<word>today|yesterday)\s+(?:at\s+)?{_TIME}", low)
    if match:
        day = now.date() - dt.timedelta(days=1 if match.group("word") == "yesterday" else 0)
        return _at(day, *_clock(match), zone)

    match = re.fullmatch(_TIME, low)
    if match and (":" in low or len(low) == 4):
        moment = _at(now.date(), *_clock(match), zone)
        return moment - dt.timedelta(days=1) if moment > soon else moment

    # 2026-01-13 22:18 (or with a T, or an ISO time with its own offset)
    match = re.fullmatch(rf"(?P<y>\d{{4}})-(?P<mo>\d{{1,2}})-(?P<d>\d{{1,2}})(?:[ t]+{_TIME})?", low)
    if match:
        day = _date(int(match.group("y")), int(match.group("mo")), int(match.group("d")))
        return _at(day, *(_clock(match) if match.group("h") else (0, 0)), zone)
    try:
        iso = dt.datetime.fromisoformat(raw)
    except ValueError:
        iso = None
    if iso is not None and iso.tzinfo is not None:
        return iso.astimezone(zone).replace(second=0, microsecond=0)

    # 1/13 22:18, 1/13/2026 22:18, 01/13/26 22:18: the month first, as US papers write it
    match = re.fullmatch(
        rf"(?P<mo>\d{{1,2}})/(?P<d>\d{{1,2}})(?:/(?P<y>\d{{4}}|\d{{2}}))?(?:\s+(?:at\s+)?{_TIME})?", low
    )
    if match:
        month, day_number = int(match.group("mo")), int(match.group("d"))
        if month > 12:
            raise WhenError(f"{raw!r}: the month comes first (1/13 is 13 January); {month} is not a month")
        hour, minute = _clock(match) if match.group("h") else (0, 0)
        if match.group("y"):
            year = int(match.group("y")) + (2000 if len(match.group("y")) == 2 else 0)
            return _at(_date(year, month, day_number), hour, minute, zone)
        moment = _at(_date(now.year, month, day_number), hour, minute, zone)
        return _at(_date(now.year - 1, month, day_number), hour, minute, zone) if moment > soon else moment

    # 13 Jan 22:18, 13 Jan 2026 22:18, Jan 13 2026 22:18
    match = re.fullmatch(
        rf"(?:(?P<d1>\d{{1,2}})\s+(?P<mon1>[a-z]+)|(?P<mon2>[a-z]+)\s+(?P<d2>\d{{1,2}}))"
        rf"(?:\s+(?P<y>\d{{4}}))?(?:\s+(?:at\s+)?{_TIME})?",
        low,
    )
    if match:
        month = _month(match.group("mon1") or match.group("mon2"))
        day_number = int(match.group("d1") or match.group("d2"))
        hour, minute = _clock(match) if match.group("h") else (0, 0)
        if match.group("y"):
            return _at(_date(int(match.group("y")), month, day_number), hour, minute, zone)
        moment = _at(_date(now.year, month, day_number), hour, minute, zone)
        return _at(_date(now.year - 1, month, day_number), hour, minute, zone) if moment > soon else moment
    raise WhenError(f"cannot read {raw!r} as a date and time; type for example {EXAMPLES}")


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise WhenError(f"{year}-{month:02d}-{day:02d} is not a date") from None


def say_when(moment: dt.datetime, zone_name: str) -> str:
    """The moment back in words, e.g. "Tue 13 Jan 2026, 22:18 (America/New_York)"."""
    from desktop.dates import when

    return f"{when(moment)} ({zone_name})" if zone_name else when(moment)


def as_text(moment: dt.datetime) -> str:
    """The form the field shows for a moment: "2026-01-13 22:18"."""
    return moment.strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Reading:
    """What was typed, read: the moment, or why it cannot be read (for a field to say at once)."""

    moment: dt.datetime | None
    problem: str = ""


def read_when(text: str, now: dt.datetime) -> Reading:
    """`parse_when`, with a problem given back rather than raised (the window shows it under the field)."""
    try:
        return Reading(parse_when(text, now))
    except WhenError as exc:
        return Reading(None, str(exc))


def on_desk_clock(iso: str, zone: Zoned | None) -> str:
    """A moment the log keeps (UTC) as "2026-11-20 10:00" on the desk's clock, the zone of its pack; the
    window names that zone once, not beside every time. Without a pack, UTC, and said."""
    moment = moment_of(iso)
    if moment is None:
        return iso
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    if zone is None or not zone.time_zone:
        return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"
    return f"{zone.local_time(moment):%Y-%m-%d %H:%M}"


def zone_words(zone: Zoned | None) -> str:
    """The zone the window's times are in, named once: "Times are in America/New_York"."""
    return f"Times are in {zone.time_zone}" if zone is not None and zone.time_zone else "Times are in UTC"


def desk_days(first: dt.date, last: dt.date, zone: Zoned | None) -> tuple[dt.datetime, dt.datetime]:
    """The days `first` to `last` on the desk's clock, as the moments (UTC) from the start of the first to the
    start of the day after the last, for a filter over what the log keeps in UTC."""
    tz = (zone.zone if zone is not None else None) or dt.UTC
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz).astimezone(dt.UTC)
    return start, end


def moment_of(value: object) -> dt.datetime | None:
    """An ISO 8601 moment as a draft or a case keeps it; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
