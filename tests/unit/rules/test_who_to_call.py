"""Who to call at 2 a.m. (issue 23): the pack's department gives counsel's phone and the after-hours route, as
marked placeholders until the City fills them in; the reader refuses anything else, an invented number first."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop import present
from desktop.rules import PackError, decide, load_pack, parse_intake
from desktop.rules.jurisdiction import is_placeholder
from desktop.rules.reader import parse_pack
from tests.conftest import FIXTURES, PACK_DIR

REFERRED = {
    "received_at": "2026-01-13T22:18:00-05:00",
    "channel": "fax",
    "requester": "ice_ero",
    "documents": [{"kind": "state_court_order", "signer": "state_judge", "verified": True}],
    "actions": ["hold"],
    "subject": {"custody": "in_city_custody", "release_blockers": []},
}


def _with_department(lines: str) -> bytes:
    """The shipped pack with its phone and after-hours lines replaced by `lines`."""
    raw = (PACK_DIR / "pack.toml").read_text(encoding="utf-8")
    raw = re.sub(r"(?m)^(counsel_phone|after_hours) = .*\n", "", raw)
    return raw.replace("[department]\n", f"[department]\n{lines}", 1).encode()


def test_northampton_gives_placeholders_for_the_city_never_a_number(pack) -> None:
    department = pack.department
    assert department.placeholders() == ("counsel_phone", "after_hours")
    for value in (department.counsel_phone, department.after_hours):
        assert is_placeholder(value) and not any(ch.isdigit() for ch in value), value
    assert "phone" in department.counsel_phone and "night" in department.after_hours


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        ('counsel_phone = "call the Solicitor"\n', "expected a phone number"),
        ('counsel_phone = "(413) 555-0142"\n', "555-01xx numbers are fictional"),
        ('after_hours = "Dispatch pages the Solicitor on 413.555.0199"\n', "555-01xx numbers are fictional"),
        ('counsel_phone = "[TO BE FILLED IN: the phone"\n', "a placeholder reads [TO BE FILLED IN: what goes here]"),
        ('counsel_phone = "[TO BE FILLED IN:]"\n', "a placeholder reads"),
        ('after_hours = "[the on-call list]"\n', "a placeholder reads"),
        ('after_hours = """one\ntwo"""\n', "expected one line"),
        ("counsel_phone = 4135550000\n", "expected text"),
    ],
)
def test_a_phone_or_an_after_hours_line_that_is_neither_real_words_nor_a_placeholder_is_refused(
    lines: str, words: str
) -> None:
    with pytest.raises(PackError, match=re.escape(words)) as refused:
        parse_pack(_with_department(lines), Path("pack.toml"))
    assert "department." in str(refused.value)  # the key is named


def test_the_citys_own_words_are_taken_as_they_are_once_filled_in() -> None:
    lines = 'counsel_phone = "+1 (413) 000-0000 ext. 12"\nafter_hours = "Dispatch pages the on-call Solicitor."\n'
    department = parse_pack(_with_department(lines), Path("pack.toml")).department
    assert department.counsel_phone == "+1 (413) 000-0000 ext. 12" and department.placeholders() == ()


def test_the_referral_box_says_whom_to_call_and_how_at_night(pack) -> None:
    decision = decide(parse_intake(REFERRED), pack)
    referral = present.referral(decision, pack)
    assert referral is not None
    assert [(row.label, row.value) for row in referral.calls()] == [
        ("Phone", pack.department.counsel_phone),
        ("After hours", pack.department.after_hours),
    ]


def test_the_memo_prints_the_phone_and_the_after_hours_line_only_where_the_pack_has_them(pack) -> None:
    from desktop.memo import render_draft

    def text_of(pdf: bytes) -> str:
        return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())

    intake = parse_intake(REFERRED)
    text = text_of(render_draft(intake, decide(intake, pack), pack))
    assert "Phone: [TO BE FILLED IN: the City Solicitor's phone number]" in text
    assert "After hours: [TO BE FILLED IN: how the desk reaches the City Solicitor at night" in text
    other = load_pack(FIXTURES / "packs" / "exampleville")
    elsewhere = parse_intake({**REFERRED, "received_at": "2025-03-01T10:00:00-06:00", "actions": ["arrest"]})
    decision = decide(elsewhere, other)
    assert decision.refer_to_counsel  # a referral box, with neither line
    text = text_of(render_draft(elsewhere, decision, other))
    assert "Phone:" not in text and "After hours:" not in text
