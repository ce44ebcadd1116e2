"""Case records built from the pack's real scenarios, for the memo tests and the pictures in docs/memo.

Run `python -m tests.unit.memo.samples OUTDIR` to write the sample memos as PDFs.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from desktop.records import STATUS_DECIDED, STATUS_REFERRED, STATUS_RESOLVED, CaseRecord, CaseVersion, Override
from desktop.rules import Decision, decide, load_pack, parse_intake
from desktop.rules.pack import Pack

ROOT = Path(__file__).resolve().parents[3]
PACK_DIR = ROOT / "resources" / "policies" / "northampton-2019"
SCENARIOS = PACK_DIR / "scenarios"

DECLINE = "D11-detainer-by-fax-bail-posted-no-hold"
JUDICIAL = "D02-federal-arrest-warrant-verified-with-marshals-is-honoured"
REFERRAL = "D04-judge-orders-delivery-to-ice-for-civil-purpose-is-referred"
RECORDS_REQUEST = "D16-ice-asks-for-address-photo-and-court-date"

OFFICER = "Off. José Núñez #412"
SUPERVISOR = "Sgt. Nguyễn Thị Ánh #117"
CASE = "2026-000123"


def fake_hash(*parts: object) -> str:
    """A plausible sha256: the hash of the parts' text."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()


CHAIN_HEAD = fake_hash("audit chain head", CASE)


def scenario_intake(name: str, **changes: Any) -> dict[str, Any]:
    """A scenario's intake in contract form (validated), with top-level fields or subject fields replaced."""
    data = json.loads((SCENARIOS / f"{name}.json").read_text(encoding="utf-8"))["intake"]
    subject = changes.pop("subject", None)
    data.update(changes)
    if subject:
        data["subject"] = {**data["subject"], **subject}
    return parse_intake(data).to_dict()


def decision_for(intake: dict[str, Any], pack: Pack) -> dict[str, Any]:
    return decision_of(intake, pack).to_dict()


def decision_of(intake: dict[str, Any], pack: Pack) -> Decision:
    return decide(parse_intake(intake), pack)


def version(
    pack: Pack,
    intake: dict[str, Any],
    *,
    number: int = 1,
    case: str = CASE,
    officer: str = OFFICER,
    recorded_at: str = "2026-03-03T02:41:07+00:00",
    amendment_reason: str | None = None,
    override: Override | None = None,
) -> CaseVersion:
    decision = decide(parse_intake(intake), pack)
    return CaseVersion(
        case_number=case,
        version=number,
        intake=parse_intake(intake),
        decision=decision,
        officer=officer,
        desk="NPD-BOOKING-1",
        received_at=intake["received_at"],
        recorded_at=recorded_at,
        recorded_zone="EST (-05:00)",
        status=STATUS_REFERRED if decision.refer_to_counsel else STATUS_DECIDED,
        record_hash=fake_hash(case, number, json.dumps(intake, sort_keys=True)),
        amendment_reason=amendment_reason,
        override=override,
    )


def single(pack: Pack, name: str, **changes: Any) -> CaseRecord:
    """A one-version case from a scenario."""
    return CaseRecord(CASE, (version(pack, scenario_intake(name, **changes)),))


def amended(pack: Pack) -> CaseRecord:
    """The fax detainer recorded with the wrong booking and no notes, then corrected by a supervisor."""
    first = version(pack, scenario_intake(DECLINE, subject={"booking_number": "26-001071", "name": "DOE, ALEX"}))
    second_intake = scenario_intake(
        DECLINE,
        subject={"booking_number": "26-001017", "name": "Łukasz Żółć"},
        notes="Booking number and name corrected from the booking sheet.",
    )
    second = version(
        pack,
        second_intake,
        number=2,
        officer=SUPERVISOR,
        recorded_at="2026-03-03T04:05:00+00:00",
        amendment_reason=(
            "Wrong booking number typed at intake (26-001071); corrected to 26-001017 with the name as booked."
        ),
    )
    return CaseRecord(CASE, (first, second))


OUTCOME = "The Solicitor advised: do not deliver to ICE; hold only on the court's criminal order (call of 4 Mar)."


def resolved(pack: Pack) -> CaseRecord:
    """A referral recorded by the officer, then resolved by a supervisor with the Solicitor's answer."""
    first = version(pack, scenario_intake(REFERRAL))
    second = replace(
        version(
            pack,
            scenario_intake(REFERRAL),
            number=2,
            officer=SUPERVISOR,
            recorded_at="2026-03-04T15:20:00+00:00",
            amendment_reason=f"Resolved: {OUTCOME}",
        ),
        status=STATUS_RESOLVED,
    )
    return CaseRecord(CASE, (first, second))


def overridden(pack: Pack) -> CaseRecord:
    """The officer disagrees with the decision on a records request; a supervisor has to review it."""
    record = single(pack, RECORDS_REQUEST)
    reason = (
        "The requester says the address is already public in the court file; I would give it. "
        "Asking a supervisor to review before anything is sent."
    )
    current = replace(record.current, override=Override(reason=reason, officer=OFFICER))
    return CaseRecord(record.case_number, (current,))


def long_notes(size: int = 200_000) -> str:
    """About `size` characters of notes with markup characters, blank lines and markers at start, middle and end."""
    line = 'Called ICE ERO back at 617-555-0139 <ext. 4> & faxed a copy of the policy; R&D said "ok" > fine. '
    lines = ["NOTES-START-MARKER José Núñez took the fax."]
    while sum(len(x) + 1 for x in lines) < size // 2:
        lines.append(line * 3)
        lines.append("")
    lines.append("NOTES-MIDDLE-MARKER one very long line follows " + "lorem ipsum dolor " * 3000)
    while sum(len(x) + 1 for x in lines) < size:
        lines.append(line)
    lines.append("NOTES-END-MARKER Łukasz signed off.")
    return "\n".join(lines)


def main(outdir: str) -> None:
    from desktop.memo import render_draft, render_memo

    pack = load_pack(PACK_DIR)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    memos = {
        "decline": single(pack, DECLINE, subject={"name": "José Núñez"}),
        "judicial": single(pack, JUDICIAL),
        "referral": single(pack, REFERRAL),
        "resolved": resolved(pack),
        "amended": amended(pack),
        "override": overridden(pack),
        "long-notes": single(pack, DECLINE, notes=long_notes()),
    }
    for name, record in memos.items():
        (out / f"{name}.pdf").write_bytes(render_memo(record, pack, chain_head=CHAIN_HEAD))
    intake = scenario_intake(DECLINE)
    (out / "draft.pdf").write_bytes(
        render_draft(parse_intake(intake), decision_of(intake, pack), pack, officer=OFFICER)
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "memo-samples")
