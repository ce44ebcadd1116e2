"""The small values every part of the store checks or writes: one-line text, who acted, and times."""

from __future__ import annotations

import datetime as dt
import os
import platform
from typing import Final

from desktop.records import Actor, Override
from desktop.store.errors import InvalidInput

MAX_TEXT: Final = 500  # officer, reason and similar one-line fields


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def zone_label(moment: dt.datetime) -> str:
    """The desk's own time zone at `moment`, e.g. "EST (-05:00)", as kept with each record."""
    local = moment.astimezone()
    offset = local.strftime("%z")
    return f"{local.tzname()} ({offset[:3]}:{offset[3:]})"


def one_line(value: str, what: str, *, required: bool = True) -> str:
    text = " ".join(value.split()) if value else ""
    if required and not text:
        raise InvalidInput(f"{what} is required")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{what} is longer than {MAX_TEXT} characters")
    return text


def check_officer(officer: str | Actor) -> str:
    """The officer as 'NAME #BADGE'; refuses a missing name or badge. An `Actor` gives its label."""
    if isinstance(officer, Actor):
        return one_line(officer.label, "the officer (name and badge)")
    text = one_line(officer, "the officer (name and badge)")
    name, _, badge = text.rpartition("#")
    if not name.strip() or not badge.strip() or " " in badge.strip():
        raise InvalidInput(f"officer {text!r} should be a name and a badge number, like 'J. SMITH #1234'")
    return text


def actor_text(actor: str | Actor, what: str) -> str:
    """Who did something, as the audit log writes it: an `Actor`'s label, or the text given."""
    return one_line(actor.label if isinstance(actor, Actor) else actor, what)


def check_override(override: Override | None) -> Override | None:
    if override is None:
        return None
    return Override(one_line(override.reason, "the reason for disagreeing"), check_officer(override.officer))


def default_desk() -> str:
    """This machine's name, as Windows and other systems report it."""
    return os.environ.get("COMPUTERNAME") or platform.node() or "unknown desk"
