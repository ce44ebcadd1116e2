"""Plain-text helpers for the memo: dates in words, labels, and free text made safe for paragraph markup."""

from __future__ import annotations

import re
from collections.abc import Mapping
from xml.sax.saxutils import escape

from desktop.dates import received, recorded, when
from desktop.memo.fonts import visible

__all__ = ["bounded", "clean", "label", "markup", "received", "recorded", "short_hash", "when", "yes_no"]
# A field printed in a paragraph (a name, a title) is cut here, and the notes at NOTES_LIMIT, so that any
# recorded case, even one logged before the intake limits, prints within seconds. Intake refuses longer.
FIELD_LIMIT = 5_000
NOTES_LIMIT = 300_000
# Control characters other than tab and line breaks break the paragraph parser and print as nothing.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def bounded(text: str, limit: int, whole: int | None = None) -> str:
    """`text`, or its first `limit` characters and how many more the case log holds (of `whole` in all)."""
    whole = len(text) if whole is None else max(whole, len(text))
    if whole <= limit and len(text) <= limit:
        return text
    return f"{text[:limit]} […{whole - limit:,} more characters: see the case log]"


def markup(text: object, limit: int = FIELD_LIMIT) -> str:
    """Free text escaped for reportlab paragraph markup (&, <, >), control characters dropped.

    Characters the memo's fonts cannot draw print as their code points; past `limit` characters it is cut.
    """
    text = str(text)
    return escape(visible(bounded(_CONTROL.sub("", text[: limit * 2]), limit, len(text))))


def clean(text: str, limit: int = NOTES_LIMIT) -> str:
    """Free text with control characters dropped, tabs as spaces and line breaks normalised to \\n."""
    whole = len(text)
    text = text[: limit * 2].replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return visible(bounded(_CONTROL.sub("", text), limit, whole))


def label(labels: Mapping[str, str], value: object) -> str:
    """The plain-English label of an enum value; an unknown value is shown as it is."""
    text = str(value)
    return labels.get(text, text)


def yes_no(value: object) -> str:
    return "yes" if value else "no"


def short_hash(value: str, length: int = 12) -> str:
    return f"{value[:length]}…" if len(value) > length else value
