"""Render the window's screens offscreen into docs/screenshots/ (run with .venv/bin/python)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QSettings  # noqa: E402

from desktop.demo import fill_demo_log  # noqa: E402
from desktop.desk import Desk  # noqa: E402
from desktop.ui.app import make_application  # noqa: E402
from desktop.ui.intake_wizard import PAGE_DECISION  # noqa: E402
from desktop.ui.main_window import VIEW_LOG, VIEW_POLICY, VIEW_REVIEW, MainWindow  # noqa: E402

OUT = Path(__file__).resolve().parent


def main() -> None:
    app = make_application()
    folder = Path(tempfile.mkdtemp(prefix="safedesk-shots-"))
    desk = Desk(folder / "data")
    fill_demo_log(desk)
    window = MainWindow(
        desk=desk, settings=QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat), officer="OFC. R. MARTIN #1147"
    )
    window.resize(1180, 760)
    window.show()
    window.finish_start()
    app.processEvents()
    window.grab().save(str(OUT / "main-window.png"))
    for view, name in ((VIEW_LOG, "case-log"), (VIEW_REVIEW, "review-queue"), (VIEW_POLICY, "policy")):
        window.show_view(view)
        app.processEvents()
        window.grab().save(str(OUT / f"{name}.png"))
    wizard = window.start_intake(
        next(dict(p.intake) for p in desk.active_pack().guidance.presets if p.name.startswith("I-247A"))
    )
    assert wizard is not None
    wizard.received_page.requester_name.setText("ICE ERO Boston, Detainer Unit; fax (617) 555-0139")
    wizard.person_page.booking.setText("26-000187")
    wizard.person_page.name.setText("NÚÑEZ, JOSÉ")
    wizard.request_page.notes.setPlainText("Bail posted 22:10. I-247A Box 1 checked.")
    for page in range(PAGE_DECISION + 1):
        app.processEvents()
        wizard.grab().save(str(OUT / f"wizard-{page + 1}.png"))
        if page < PAGE_DECISION:
            wizard.next()
    wizard.next()  # record
    app.processEvents()
    wizard.grab().save(str(OUT / "wizard-7.png"))
    saved = wizard.saved
    assert saved is not None
    wizard.close()
    dialog = window.open_case(saved.case_number)
    assert dialog is not None
    app.processEvents()
    dialog.grab().save(str(OUT / "case-view.png"))
    amended = desk.store.search()[-1].case_number
    other = window.open_case(desk.store.case_numbers()[-1])
    assert other is not None
    other.tabs.setCurrentIndex(2)
    app.processEvents()
    other.grab().save(str(OUT / "case-view-versions.png"))
    print(f"screenshots in {OUT} ({amended})")


if __name__ == "__main__":
    main()
