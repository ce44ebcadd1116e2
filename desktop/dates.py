"""Dates and times in words, as the memo prints them and the window shows them (one home for both)."""

from __future__ import annotations

import datetime as dt
import re

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ZONE_OFFSET = re.compile(r"([+-])(\d{1,2}):?(\d{2})")


def _offset(offset: dt.timedelta | None) -> str:
    if offset is None:
        return "no time zone given"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def when(moment: dt.datetime) -> str:
    """E.g. "Tue 13 Jan 2026, 22:18"."""
    return f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"


def received(iso: str) -> str:
    """An intake's ISO time in words with the offset it was given with, e.g. "Tue 13 Jan 2026, 22:18 (UTC-05:00)"."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return f"{when(moment)} ({_offset(moment.utcoffset())})"


def recorded(iso_utc: str, zone: str = "") -> str:
    """A recording time (UTC) shown in the desk's zone when the zone names its offset, e.g. "EST (-05:00)"."""
    try:
        moment = dt.datetime.fromisoformat(iso_utc)
    except (TypeError, ValueError):
        return str(iso_utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    match = _ZONE_OFFSET.search(zone or "")
    if match is None:
        return f"{when(moment.astimezone(dt.UTC))} (UTC)"
    sign, hours, minutes = match.groups()
    offset = dt.timedelta(hours=int(hours), minutes=int(minutes)) * (1 if sign == "+" else -1)
    local = moment.astimezone(dt.timezone(offset))
    name = _ZONE_OFFSET.sub("", zone).replace("()", "").strip(" ()")
    zone_words = f"{name}, {_offset(offset)}" if name else _offset(offset)
    return f"{when(local)} ({zone_words})"


def in_language(moment: dt.datetime, language: str) -> str:
    """A moment as a person reading `language` writes it (Babel, CLDR): "13 de enero de 2026, 22:18".

    For the notice to the person, printed in the person's language; `language` is a locale Babel knows
    ("en", "es", "pt_BR"), which reading the pack has checked. The moment is shown on its own clock.
    """
    from babel.dates import format_date, format_time, get_datetime_format

    pattern = str(get_datetime_format("long", locale=language)).replace("'", "")
    date = str(format_date(moment, format="long", locale=language))
    time = str(format_time(moment, format="short", locale=language))
    return pattern.replace("{1}", date).replace("{0}", time)
