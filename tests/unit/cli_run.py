"""Running main.py as a real process, and the S01 intake the command tests share."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

S01 = {
    "received_at": "2026-01-13T22:18:00-05:00",
    "channel": "fax",
    "requester": "ice_ero",
    "documents": [{"kind": "I-247A", "signer": "dhs_officer"}, {"kind": "I-200", "signer": "dhs_officer"}],
    "actions": ["hold", "notify_release"],
    "subject": {
        "custody": "in_city_custody",
        "release_blockers": [],
        "booking_number": "26-000187",
        "name": "DOE, JOHN",
    },
}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
