"""A separate writer process for the store tests: records cases and prints each number once committed.

Run: python -m tests.unit.store.writer DATA_DIR COUNT [TAG]
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.rules import decide, load_pack, parse_intake
from desktop.store import open_store
from tests.conftest import PACK_DIR


def main() -> None:
    data_dir, count = Path(sys.argv[1]), int(sys.argv[2])
    tag = sys.argv[3] if len(sys.argv) > 3 else "W"
    pack = load_pack(PACK_DIR)
    with open_store(data_dir) as store:
        for index in range(count):
            intake = parse_intake(
                {
                    "received_at": "2026-03-01T10:00:00-05:00",
                    "channel": "fax",
                    "requester": "ice_ero",
                    "documents": [{"kind": "I-247A", "signer": "dhs_officer"}],
                    "actions": ["hold", "notify_release"],
                    "subject": {"custody": "in_city_custody", "booking_number": f"{tag}-{index}"},
                    "notes": "x" * 2000,
                }
            )
            saved = store.record(intake, decide(intake, pack), pack, officer=f"WRITER {tag} #{index}")
            print(saved.case_number, flush=True)


if __name__ == "__main__":
    main()
