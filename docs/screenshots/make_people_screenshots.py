"""Screenshots of the people side of the window: sign-in, the lock screen, the audit log and the queue.

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_people_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QSettings  # noqa: E402

from desktop.demo import DEMO_PASSWORD, fill_demo_log  # noqa: E402
from desktop.desk import Desk, system_clock  # noqa: E402
from desktop.ui.app import make_application  # noqa: E402
from desktop.ui.main_window import VIEW_REVIEW, MainWindow  # noqa: E402
from desktop.ui.signin import SignInDialog  # noqa: E402

OUT = Path(__file__).resolve().parent


def main() -> None:
    app = make_application()
    folder = Path(tempfile.mkdtemp(prefix="safedesk-people-"))
    desk = Desk(folder / "data", clock=system_clock)
    fill_demo_log(desk, count=20)  # with the demo's accounts: demo.admin, demo.sgt, demo.martin and two more
    officer = desk.people.sign_in("demo.martin", DEMO_PASSWORD)
    desk.cases.record(officer, desk.decide({**_referral()}))
    supervisor = desk.people.sign_in("demo.sgt", DEMO_PASSWORD)

    sign_in = SignInDialog(desk=desk)
    sign_in.username.setText("demo.martin")
    sign_in.show()
    app.processEvents()
    sign_in.grab().save(str(OUT / "sign-in.png"))
    sign_in.close()

    window = MainWindow(
        desk=desk, settings=QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat), session=supervisor
    )
    window.resize(1366, 740)
    window.show()
    window.finish_start()
    window.show_view(VIEW_REVIEW)
    app.processEvents()
    window.grab().save(str(OUT / "review-queue-waits-for.png"))

    audit = window.open_audit()
    assert audit is not None
    audit.resize(1300, 640)
    app.processEvents()
    audit.grab().save(str(OUT / "audit-log.png"))
    audit.close()

    window.lock_now()
    screen = window.idle_lock.screen if window.idle_lock else None
    assert screen is not None
    app.processEvents()
    screen.grab().save(str(OUT / "lock-screen.png"))
    print("wrote sign-in.png, review-queue-waits-for.png, audit-log.png, lock-screen.png")


def _referral() -> dict[str, object]:
    return {
        "received_at": "2026-11-19T23:40:00-05:00",
        "channel": "fax",
        "requester": "ice_ero",
        "documents": [{"kind": "state_court_order", "signer": "state_judge", "verified": True}],
        "actions": ["hold"],
        "subject": {"custody": "in_city_custody", "release_blockers": [], "booking_number": "26-004410"},
    }


if __name__ == "__main__":
    main()
