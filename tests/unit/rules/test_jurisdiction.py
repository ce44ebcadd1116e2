"""Jurisdiction text lives in the pack: the department, counsel, presets, cues and hints; never in the code."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.rules import PackError, decide, load_pack, parse_intake
from desktop.rules.reader import parse_pack
from tests.conftest import FIXTURES, PACK_DIR, ROOT

EXAMPLEVILLE = FIXTURES / "packs" / "exampleville"


def test_northampton_names_its_department_counsel_and_presets(pack) -> None:
    assert pack.department.name == "City of Northampton, Police Department"
    assert pack.department.counsel == "City Solicitor" and pack.department.referral_contact
    assert {p.name for p in pack.guidance.presets} >= {"I-247A detainer with I-200 by fax"}
    assert "Judicial" in pack.guidance.desk_cues and "I-247A" in pack.guidance.kind_hints
    assert "G.L. c. 66" in pack.guidance.public_records_label


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[department]\nname = "X"\ncolour = "red"\n', "department.colour: unknown key"),
        ('[guidance.kind_hints]\nI-999 = "x"\n', "unknown document kind"),
        ('[[guidance.presets]]\nname = "P"\n[guidance.presets.intake]\nchannel = "pigeon"\n', "channel: unknown value"),
        ('[[guidance.presets]]\nname = "P"\n[guidance.presets.intake]\nreceived_at = "now"\n', "never sets when"),
        ('[[guidance.presets]]\nname = "P"\n[guidance.presets.intake]\nstatus = "x"\n', "status: unknown field"),
    ],
)
def test_bad_jurisdiction_text_is_refused_naming_the_key(text: str, words: str) -> None:
    raw = (PACK_DIR / "pack.toml").read_bytes()
    # Drop the pack's own sections of the same name, then add the bad one.
    cut = re.sub(rb"(?ms)^\[department\].*?(?=^\[\[changes\]\])", b"", raw)
    with pytest.raises(PackError, match=re.escape(words)):
        parse_pack(cut + b"\n" + text.encode(), Path("bad.toml"))


def test_a_pack_with_no_department_gets_generic_words() -> None:
    raw = (PACK_DIR / "pack.toml").read_bytes()
    bare = parse_pack(re.sub(rb"(?ms)^\[department\].*?(?=^\[\[changes\]\])", b"", raw), Path("bare.toml"))
    assert bare.department.name == "" and bare.department.counsel_title == "the counsel"
    assert bare.guidance.presets == ()


def test_another_citys_memo_carries_its_own_heading_and_counsel() -> None:
    from desktop.memo import render_draft

    other = load_pack(EXAMPLEVILLE)
    intake = parse_intake(
        {
            "received_at": "2025-03-01T10:00:00-06:00",
            "channel": "fax",
            "requester": "ice_ero",
            "documents": [{"kind": "federal_court_order", "signer": "state_judge"}],
            "actions": ["hold"],
            "subject": {"custody": "in_city_custody", "release_blockers": []},
        }
    )
    decision = decide(intake, other)
    pdf = render_draft(intake, decision, other)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Northampton" not in text and "City Solicitor" not in text
    if decision.refer_to_counsel:
        assert "Town Counsel" in text


def test_the_code_names_no_jurisdiction() -> None:
    # Jurisdiction text (names, addresses, legal guidance) lives in the packs, never in desktop/.
    words = re.compile(r"Northampton|City Solicitor|G\.L\. c\.|Center Street|Main Street")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "desktop").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if words.search(line)
    ]
    assert offenders == []
