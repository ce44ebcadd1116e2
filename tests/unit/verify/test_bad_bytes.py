"""Text that is not UTF-8, written into the log with another tool: `verify` names each such row in a problem line
and goes on; it never stops with a traceback (at the desk or at the command line)."""

from __future__ import annotations

import os

from tests.unit.cli_run import S01, invoke
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING
from tests.unit.verify.insider import raw


def _two_bad_rows(staff) -> int:
    desk = staff.desk
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    seq = desk._store.audit_entries(kind="recorded", limit=1)[0].seq
    desk.close()
    with raw(desk.log_file) as conn:
        conn.execute("UPDATE audit_log SET detail = CAST(X'636f646573ff20fe' AS TEXT) WHERE seq = ?", [seq])
        conn.execute("UPDATE accounts SET name = CAST(X'4c2e2043c8454e' AS TEXT) WHERE username = 'ofc.chen'")
    return seq


def test_bad_bytes_are_problem_lines_at_the_desk(staff) -> None:
    seq = _two_bad_rows(staff)
    check = staff.desk.log.verify(staff.admin)
    assert not check.ok
    assert any(
        p.startswith(f"audit_log row {seq} holds bytes that are not UTF-8 text in detail") for p in check.problems
    )
    assert any(
        p.startswith("accounts row ofc.chen holds bytes that are not UTF-8 text in name") for p in check.problems
    )
    assert any(f"audit entry {seq} (recorded" in p and "was altered" in p for p in check.problems)
    assert all(p.isprintable() for p in check.problems)


def test_bad_bytes_are_a_failed_check_at_the_command_line(staff) -> None:
    _two_bad_rows(staff)
    env = {
        **os.environ,
        "SAFEDESK_DATA_DIR": str(staff.desk.data_dir),
        "SAFEDESK_USER": "ofc.smith",
        "SAFEDESK_PASSWORD": PASSWORDS["ofc.smith"],
    }
    done = invoke(env, "verify")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith("FAILED: ") and "Traceback" not in done.stdout + done.stderr
    assert "\\xff" in done.stdout  # the stored byte, shown
