"""Render the pages of a yearly oversight report on the demo log into docs/reports/ (run with .venv/bin/python).

The demo log (desktop.demo.fill_demo_log) covers the day before the desk's clock; so that the
chart by month has a year to show, 300 more synthetic cases are recorded through the desk at
known days spread over 2026 (fewer in summer), and a few referrals are resolved days later.
The desk clock is fixed, so the PDF, and the pages, are the same on every run.

    .venv/bin/python docs/reports/make_report_pages.py   # year.pdf, year-1.png ..., reports-view.png
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.demo import fill_demo_log, synthetic_intakes, synthetic_officer  # noqa: E402
from desktop.desk import Actor, Desk  # noqa: E402
from desktop.desk.reports import Period  # noqa: E402

OUT = Path(__file__).resolve().parent
YEAR = 2026


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def fill_year(desk: Desk, clock: Clock, count: int = 300) -> None:
    rng = random.Random(YEAR)
    pack = desk.active_pack()
    zone = pack.zone
    # Every day of the year, summer days at half weight.
    weighted = [
        dt.date(YEAR, 1, 1) + dt.timedelta(days=d) for d in range(365) for _ in range(1 if 150 < d < 240 else 2)
    ]
    days = sorted(rng.choice(weighted) for _ in range(count))
    referred = []
    for index, (day, intake) in enumerate(zip(days, synthetic_intakes(pack, count, seed=YEAR), strict=True)):
        at = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)), zone)
        intake["received_at"] = at.isoformat()
        clock.now = (at + dt.timedelta(minutes=20)).astimezone(dt.UTC)
        saved = desk.cases.record(Actor.parse(synthetic_officer(index)), desk.decide(intake))
        if saved.decision.get("refer_to_counsel"):
            referred.append(saved)
    supervisor = Actor.parse("SGT. K. JONES #77")
    for index, saved in enumerate(referred[: len(referred) // 2]):
        clock.now = dt.datetime.fromisoformat(saved.recorded_at) + dt.timedelta(days=1 + index % 9, hours=3)
        desk.cases.resolve(supervisor, saved.case_number, outcome="Counsel advised; the request was declined")


def grab_view(desk: Desk, actor: Actor) -> None:
    """The Reports window on the same log, showing the yearly report, grabbed offscreen."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.ui.app import make_application
    from desktop.ui.reports_view import ReportsDialog

    app = make_application()
    dialog = ReportsDialog(desk, actor)
    dialog.resize(860, 900)
    dialog.year.setValue(YEAR)
    dialog.ice_count.setValue(198)
    dialog.show()
    dialog.show_report()
    app.processEvents()
    dialog.grab().save(str(OUT / "reports-view.png"))
    dialog.close()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="safedesk-report-"))
    try:
        clock = Clock(dt.datetime(YEAR, 12, 20, 17, 0, tzinfo=dt.UTC))
        desk = Desk(folder / "data", clock=clock)
        fill_demo_log(desk)
        fill_year(desk, clock)
        clock.now = dt.datetime(YEAR + 1, 1, 5, 15, 0, tzinfo=dt.UTC)
        maker = Actor.parse("SGT. K. JONES #77")
        pdf = desk.reports().make(Period.year(YEAR), OUT / "year.pdf", actor=maker, ice_count=198).path
        grab_view(desk, maker)
        desk.close()
        for old in OUT.glob("year-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(OUT / "year")], check=True)
        print("\n".join(str(p) for p in sorted(OUT.glob("year*"))))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
