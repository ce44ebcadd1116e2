"""Plain-text helpers for the memo: dates in words, labels, and free text made safe for paragraph markup."""

from __future__ import annotations

import re
from collections.abc import Mapping
from xml.sax.saxutils import escape

from desktop.dates import received, recorded, when

__all__ = ["clean", "label", "markup", "received", "recorded", "short_hash", "when", "yes_no"]
# Control characters other than tab and line breaks break the paragraph parser and print as nothing.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def markup(text: object) -> str:
    """Free text escaped for reportlab paragraph markup (&, <, >), control characters dropped."""
    return escape(_CONTROL.sub("", str(text)))


def clean(text: str) -> str:
    """Free text with control characters dropped, tabs as spaces and line breaks normalised to \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", text)


def label(labels: Mapping[str, str], value: object) -> str:
    """The plain-English label of an enum value; an unknown value is shown as it is."""
    text = str(value)
    return labels.get(text, text)


def yes_no(value: object) -> str:
    return "yes" if value else "no"


def short_hash(value: str, length: int = 12) -> str:
    return f"{value[:length]}…" if len(value) > length else value
