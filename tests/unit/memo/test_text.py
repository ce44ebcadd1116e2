"""Tests for desktop.memo.text and the notes flowable's wrapping: dates in words, escaping, cutting long words."""

from __future__ import annotations

import pytest

from desktop.memo import text as t


@pytest.mark.parametrize(
    ("iso", "words"),
    [
        ("2026-01-13T22:18:00-05:00", "Tue 13 Jan 2026, 22:18 (UTC-05:00)"),
        ("2026-07-04T08:05:00+00:00", "Sat 4 Jul 2026, 08:05 (UTC+00:00)"),
        ("2026-03-08T01:30:00+05:30", "Sun 8 Mar 2026, 01:30 (UTC+05:30)"),
        ("2026-03-08T01:30:00", "Sun 8 Mar 2026, 01:30 (no time zone given)"),
        ("not a date", "not a date"),
    ],
)
def test_received_time_in_words_keeps_its_offset(iso: str, words: str) -> None:
    assert t.received(iso) == words


@pytest.mark.parametrize(
    ("iso", "zone", "words"),
    [
        ("2026-01-14T03:18:00+00:00", "EST (-05:00)", "Tue 13 Jan 2026, 22:18 (EST, UTC-05:00)"),
        ("2026-07-14T03:18:00+00:00", "EDT (-04:00)", "Mon 13 Jul 2026, 23:18 (EDT, UTC-04:00)"),
        ("2026-01-14T03:18:00+00:00", "", "Wed 14 Jan 2026, 03:18 (UTC)"),
        ("2026-01-14T03:18:00Z", "+01:00", "Wed 14 Jan 2026, 04:18 (UTC+01:00)"),
    ],
)
def test_recorded_time_is_shown_in_the_desk_zone(iso: str, zone: str, words: str) -> None:
    assert t.recorded(iso, zone) == words


def test_markup_escapes_and_drops_control_characters() -> None:
    assert t.markup("a <b> & c\x00\x07") == "a &lt;b&gt; &amp; c"
    assert t.clean("one\r\ntwo\rthree\tfour\x0b") == "one\ntwo\nthree    four"


def test_labels_fall_back_to_the_value() -> None:
    assert t.label({"fax": "Fax"}, "fax") == "Fax"
    assert t.label({"fax": "Fax"}, "telex") == "telex"
    assert t.short_hash("0123456789abcdef") == "0123456789ab…"
    assert t.yes_no(True) == "yes" and t.yes_no(None) == "no"


def test_wrap_text_keeps_breaks_and_cuts_long_words() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from desktop.memo.flowables import wrap_text
    from desktop.memo.fonts import REGULAR, register_fonts

    register_fonts()
    text = "first line\n\nsecond   line with words " + "y" * 300 + " tail"
    lines = wrap_text(text, REGULAR, 9, 200)
    assert lines[:3] == ["first line", "", "second line with words"]
    assert all(stringWidth(line, REGULAR, 9) <= 200 for line in lines)
    assert "".join(lines[3:]).replace(" ", "") == "y" * 300 + "tail"
    assert len(lines) > 5
