"""Render the window's screens into docs/screenshots/ on a 1366×768 screen, at 100% and at 150%.

Run with .venv/bin/python docs/screenshots/make_screenshots.py; each scale runs in its own process
(Qt reads QT_SCALE_FACTOR once, at start), on the offscreen platform given a 1366×768 screen.
Files: NAME.png at 100%, NAME-150.png at 150%.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent
SCALES = {"1": "", "1.5": "-150"}


def shoot(suffix: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from PySide6.QtCore import QSettings

    from desktop.demo import DEMO_PASSWORD, fill_demo_log
    from desktop.desk import Desk, system_clock
    from desktop.ui.app import make_application
    from desktop.ui.intake import PAGE_RECORDED
    from desktop.ui.main_window import VIEW_LOG, VIEW_POLICY, VIEW_REVIEW, MainWindow

    app = make_application()
    folder = Path(tempfile.mkdtemp(prefix="safedesk-shots-"))
    desk = Desk(folder / "data", clock=system_clock)
    fill_demo_log(desk)
    settings = QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)
    officer = desk.people.sign_in("demo.martin", DEMO_PASSWORD)  # OFC. R. MARTIN #1147, an officer
    window = MainWindow(desk=desk, settings=settings, session=officer)
    window.show()
    window.finish_start()
    app.processEvents()

    def save(widget: object, name: str) -> None:
        app.processEvents()
        widget.grab().save(str(OUT / f"{name}{suffix}.png"))  # type: ignore[attr-defined]

    save(window, "main-window")
    for view, name in ((VIEW_LOG, "case-log"), (VIEW_REVIEW, "review-queue"), (VIEW_POLICY, "policy")):
        window.show_view(view)
        save(window, name)
    wizard = window.start_intake(
        next(dict(p.intake) for p in desk.active_pack().guidance.presets if p.name.startswith("I-247A"))
    )
    assert wizard is not None
    wizard.received_page.requester_name.setText("ICE ERO Boston, Detainer Unit; fax (617) 555-0139")
    wizard.person_page.booking.setText("26-000187")
    wizard.person_page.name.setText("NÚÑEZ, JOSÉ")
    wizard.request_page.notes.setPlainText("Bail posted 22:10. I-247A Box 1 checked.")
    for page in range(PAGE_RECORDED + 1):
        if page == 1:
            wizard.documents_page.list.setCurrentRow(1)  # an added paper open for editing
        save(wizard, f"wizard-{page + 1}")
        if page < PAGE_RECORDED:
            wizard.next()
    saved = wizard.saved
    assert saved is not None
    wizard.close()
    dialog = window.open_case(saved.case_number)
    assert dialog is not None
    save(dialog, "case-view")
    changed = dataclasses.replace(
        saved.intake, subject=dataclasses.replace(saved.intake.subject, release_blockers=("bail_not_posted",))
    )
    desk.cases.amend(officer, saved.case_number, desk.decide(changed), reason="Bail was not posted after all")
    app.processEvents()
    dialog.tabs.setCurrentIndex(2)
    save(dialog, "case-view-versions")
    dialog.close()
    window.show_help()
    save(window._help_dialog, "help")
    print(f"screenshots{suffix} in {OUT}")


def main() -> None:
    if os.environ.get("SAFEDESK_SHOT_SUFFIX") is not None:
        shoot(os.environ["SAFEDESK_SHOT_SUFFIX"])
        return
    folder = Path(tempfile.mkdtemp(prefix="safedesk-screen-"))
    config = folder / "screen.json"
    screen = {"name": "desk", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}))
    for scale, suffix in SCALES.items():
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
            "QT_SCALE_FACTOR": scale,
            "SAFEDESK_SHOT_SUFFIX": suffix,
        }
        subprocess.run([sys.executable, __file__], env=env, check=True)


if __name__ == "__main__":
    main()
