"""`main.py --self-test`: the window built offscreen, a request decided, recorded, its memo drawn and the log
verified, in a temporary folder (one line per step; IT runs it on a new install)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings

from desktop.desk import Desk, system_clock
from desktop.ui.app import _needs_offscreen, make_application
from desktop.ui.main_window import MainWindow


def self_test() -> int:
    """In a temporary folder: build the window offscreen, decide, record, render a memo, verify.

    Prints one line per step; returns 0 when every step worked, 1 otherwise.
    """
    if _needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    steps: list[tuple[str, bool, str]] = []
    folder = Path(tempfile.mkdtemp(prefix="safedesk-selftest-"))

    def step(name: str, ok: bool, detail: str = "") -> bool:
        steps.append((name, ok, detail))
        sys.stdout.write(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}\n")
        return ok

    try:
        app = make_application()
        desk = Desk(folder / "data", clock=system_clock)
        import secrets

        password = secrets.token_urlsafe(16)  # a throw-away log: its accounts are never used again
        admin = desk.people.setup(username="selftest.admin", name="SELF TEST ADMIN", badge="0", password=password)
        desk.people.add_user(
            admin,
            username="selftest",
            name="SELF TEST",
            badge="1",
            roles=frozenset({"officer"}),
            password=password,
        )
        window = MainWindow(
            desk=desk,
            settings=QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat),
            session=desk.people.sign_in("selftest", password),
        )
        window.show()
        app.processEvents()
        step("window built", window.isVisible(), app.platformName())
        pack = desk.active_pack()
        step("policy pack loaded", True, f"{pack.id} {pack.version}")
        wizard = window.start_intake()
        assert wizard is not None
        wizard.load(
            {
                "received_at": desk.clock().astimezone().replace(microsecond=0).isoformat(),
                "channel": "fax",
                "requester": "ice_ero",
                "documents": [{"kind": "I-247A", "signer": "dhs_officer"}, {"kind": "I-200", "signer": "dhs_officer"}],
                "actions": ["hold", "notify_release"],
                "subject": {"custody": "in_city_custody", "release_blockers": [], "booking_number": "SELFTEST-1"},
            }
        )
        decided = desk.decide(wizard.intake_data())
        codes = [r.code for r in decided.decision.responses]
        step("decided", codes == ["NO_HOLD", "DECLINE_NOTIFY"], " ".join(codes))
        checks = desk.cases.checks(wizard.session, decided.intake)
        recorded = wizard.record(decided, None, "", {c.id for c in checks})
        saved = wizard.saved
        assert saved is not None
        step("recorded", recorded and saved.case_number.endswith("000001"), saved.case_number)
        memo = desk.paper.print_memo(wizard.session, saved.case_number)
        memo_check = desk.paper.verify_memo(wizard.session, memo)
        step("memo rendered", memo_check.record_hash == saved.record_hash, f"{memo.stat().st_size} bytes")
        check = desk.log.verify(wizard.session)
        step("log verified", check.ok, f"{check.entries_checked} entries")
        wizard.close()
        window.close()
        desk.close()
    except Exception as exc:  # every failure becomes a FAIL line and exit code 1
        step("self-test", False, f"{type(exc).__name__}: {exc}")
    ok = all(passed for _name, passed, _detail in steps)
    if ok:
        shutil.rmtree(folder, ignore_errors=True)
        sys.stdout.write("self-test passed\n")
        return 0
    # A failure keeps its folder (the log, the data) for IT to look at.
    log = folder / "self-test.log"
    log.write_text("\n".join(f"{'ok' if p else 'FAIL'} {n} {d}" for n, p, d in steps) + "\n", encoding="utf-8")
    sys.stdout.write(f"self-test FAILED (log: {log})\n")
    return 1
