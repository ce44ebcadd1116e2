"""The processes bench/bench_hardening.py kills: a writer, a restore and a first open, each saying how far it got.

Run: python -m bench.hardening_child write DATA_DIR TAG COUNT PAUSE   ("ready", then "NUMBER INDEX" per commit)
     python -m bench.hardening_child restore DATA_DIR BACKUP           ("restoring", then "done")
     python -m bench.hardening_child open DATA_DIR                     ("opening", then "done")
Each prints "done" when it has finished. Only the app's own modules are imported, so a child starts
as quickly as the desk does.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from desktop.rules import decide, load_pack, parse_intake
from desktop.store import open_store, restore_from

PACK_DIR = Path(__file__).resolve().parent.parent / "resources" / "policies" / "northampton-2019"
RESTORER = "J. SMITH #1234"


def say(line: str) -> None:
    """One line in one write: a kill can cut the output short but not split a line (print writes in pieces)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def writer_officer(tag: str, index: int) -> str:
    return f"WRITER {tag} #{index}"


def write(data: Path, tag: str, count: int, pause: float) -> None:
    """Record `count` cases, printing `NUMBER INDEX` once each commit has returned; `ready` after the open."""
    pack = load_pack(PACK_DIR)
    with open_store(data) as store:
        say("ready")
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
            saved = store.record(intake, decide(intake, pack), pack, officer=writer_officer(tag, index))
            say(f"{saved.case_number} {index}")
            if pause:
                time.sleep(pause)
    say("done")


def restore(data: Path, copy: Path) -> None:
    say("restoring")
    restore_from(data, copy, actor=RESTORER)
    say("done")


def first_open(data: Path) -> None:
    say("opening")
    open_store(data).close()
    say("done")


def main(args: list[str]) -> None:
    mode, rest = args[0], args[1:]
    if mode == "write":
        write(Path(rest[0]), rest[1], int(rest[2]), float(rest[3]))
    elif mode == "restore":
        restore(Path(rest[0]), Path(rest[1]))
    elif mode == "open":
        first_open(Path(rest[0]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
