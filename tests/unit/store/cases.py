"""Shared pieces of the store tests: an intake, recording one, and packs with or without a time zone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from desktop.records import CaseVersion
from desktop.rules import Pack, decide, load_pack, parse_intake
from tests.conftest import PACK_DIR

OFFICER = "J. SMITH #1234"


def intake_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "received_at": "2026-01-13T22:18:00-05:00",
        "channel": "fax",
        "requester": "ice_ero",
        "requester_name": "ICE ERO Boston, Detainer Unit",
        "documents": [
            {"kind": "I-247A", "signer": "dhs_officer", "signer_name": "SDDO Harlan Pike"},
            {"kind": "I-200", "signer": "dhs_officer"},
        ],
        "actions": ["hold", "notify_release"],
        "subject": {"custody": "in_city_custody", "booking_number": "26-000187", "name": "DOE, JOHN"},
        "notes": "Bail posted 22:10.",
    }
    data.update(overrides)
    return data


def record(store: Any, pack: Pack, **overrides: Any) -> CaseVersion:
    intake = parse_intake(intake_data(**overrides))
    saved: CaseVersion = store.record(intake, decide(intake, pack), pack, officer=OFFICER)
    return saved


def pack_in_zone(folder: Path, time_zone: str) -> Pack:
    """The shipped pack with its [pack] time_zone set to `time_zone` ("" for an old pack naming none)."""
    text = (PACK_DIR / "pack.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^time_zone = ".*"\n', "", text)
    if time_zone:
        text = text.replace("[pack]\n", f'[pack]\ntime_zone = "{time_zone}"\n', 1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text(text, encoding="utf-8")
    pack = load_pack(folder)
    assert pack.time_zone == time_zone
    return pack


def count_rows(store: Any, table: str) -> int:
    return int(store._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
