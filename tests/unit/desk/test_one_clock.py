"""One clock: the desk is given its clock once, and every entry it writes is dated by it (issue 19).

The desk's clock here stands months before the machine's, so an entry stamped with the wall clock, by
any path from the desk down to the store, shows at once.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

import desktop.signing
from desktop.desk.reports import Period
from tests.conftest import Clock
from tests.unit.cli_run import S01
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING, staffed_desk

START = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)


def _dates(folder: Path) -> list[tuple[int, str, dt.datetime]]:
    conn = sqlite3.connect(folder / "cases.db")
    try:
        rows = conn.execute("SELECT seq, kind, at FROM audit_log ORDER BY seq").fetchall()
    finally:
        conn.close()
    return [(int(seq), str(kind), dt.datetime.fromisoformat(str(at))) for seq, kind, at in rows]


def test_every_entry_the_desk_writes_is_dated_by_its_own_clock(tmp_path: Path) -> None:
    clock = Clock(START)
    staff = staffed_desk(tmp_path / "data", clock)
    desk = staff.desk
    clock.advance(minutes=5)
    case = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING).case_number
    clock.advance(minutes=1)
    desk.paper.print_memo(staff.officer, case)
    desk.paper.record_print(staff.officer, case, printer="Booking desk", copies=1, version=1)
    (tmp_path / "export").mkdir()
    desk.paper.export_memos(staff.supervisor, tmp_path / "export", passphrase="Export-Passphrase-2026!")
    desk.cases.open(staff.officer, case)
    desk.cases.search(staff.officer, None)
    clock.advance(minutes=1)
    with pytest.raises(Exception):  # noqa: B017 - a wrong password, whatever the desk calls it
        desk.people.sign_in("ofc.chen", "not-the-password")
    desk.people.lock(staff.officer, reason="idle")
    desk.people.unlock(staff.officer, PASSWORDS["ofc.smith"])
    entries = desk.log.entries(staff.admin)
    desk.log.export_csv(staff.admin, tmp_path / "audit.csv", entries, passphrase="Export-Passphrase-2026!")
    desk.log.write_receipt(staff.admin, tmp_path / "receipt.json")
    desk.reports.figures(staff.admin, Period.year(2026))
    copy = desk.copies.backup(staff.admin, tmp_path / "copy.db", passphrase="Export-Passphrase-2026!").path
    check = desk.log.verify(staff.admin)
    assert check.ok, check.problems
    desk.people.sign_out(staff.officer)
    before_restore = _dates(tmp_path / "data")
    clock.advance(minutes=1)
    desk.close()
    desk.copies.restore(staff.admin, copy, passphrase="Export-Passphrase-2026!")
    end = clock.now

    dated = before_restore + _dates(tmp_path / "data")  # the restored log, with the restore's own entry
    kinds = {kind for _seq, kind, _at in dated}
    assert {
        "recorded",
        "memo",
        "print",
        "sign_in_failed",
        "locked",
        "receipt",
        "backup",
        "verify",
        "sign_out",
        "restore",
    } <= kinds, kinds
    wrong = [(seq, kind, at.isoformat()) for seq, kind, at in dated if not START <= at <= end]
    assert not wrong, f"entries not dated by the desk's clock ({START} to {end}): {wrong}"
