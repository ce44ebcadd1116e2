"""An entry, or no copy: a memo or an audit export is put under its name only once its audit entry is written.
A kill before the entry leaves a temporary file the next open clears; a kill after it, a memo the next open
puts in place; a log that cannot be written makes no file at all."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.desk import Desk, system_clock
from tests.conftest import ROOT
from tests.unit.cli_run import S01, invoke
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING, staffed_desk

KILLS = {
    "before its entry commits": "logged",  # inside the log's transaction: the entry is rolled back
    "after its entry, before the rename": "finish",
}


@pytest.fixture
def desk_with_a_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    import desktop.signing

    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)
    staff = staffed_desk(tmp_path / "data")
    case = staff.desk.cases.record(staff.officer, staff.desk.decide(S01), confirmed=SAME_BOOKING).case_number
    staff.desk.close()
    return tmp_path / "data", case


def _memo_entries(data: Path) -> list[str]:
    desk = Desk(data, clock=system_clock)
    try:
        return [e.detail for e in desk._store.audit_entries(kind="memo")]
    finally:
        desk.close()


@pytest.mark.parametrize("step", sorted(KILLS))
def test_a_killed_memo_leaves_a_logged_memo_or_none(desk_with_a_case, tmp_path: Path, step: str) -> None:
    data, case = desk_with_a_case
    out = tmp_path / "out"
    out.mkdir()
    script = textwrap.dedent(
        f"""
        import os, sys
        from pathlib import Path
        import desktop.store.pending as pending
        setattr(pending.PendingCopy, {KILLS[step]!r}, lambda *args: os._exit(9))
        from desktop.desk import Desk, system_clock
        desk = Desk(sys.argv[1], clock=system_clock)
        session = desk.people.sign_in("ofc.smith", {PASSWORDS["ofc.smith"]!r})
        desk.paper.print_memo(session, {case!r}, target=Path(sys.argv[2]), no_encrypt=True)
        """
    )
    memo = out / "memo.pdf"
    killed = subprocess.run([sys.executable, "-c", script, str(data), str(memo)], cwd=ROOT, capture_output=True)
    assert killed.returncode == 9, killed.stderr
    assert not memo.exists() and len(list(out.iterdir())) == 1  # only the temporary copy, under a hidden name
    entries = _memo_entries(data)  # opening the log settles the copy
    if KILLS[step] == "finish":
        assert memo.read_bytes().startswith(b"%PDF-") and any("saved as memo.pdf" in e for e in entries), entries
        assert list(out.iterdir()) == [memo]
    else:
        assert not entries and list(out.iterdir()) == []


def test_a_memo_or_an_audit_export_whose_entry_fails_leaves_no_file(desk_with_a_case, tmp_path: Path) -> None:
    from desktop.store.errors import StoreError

    data, case = desk_with_a_case
    desk = Desk(data, clock=system_clock)
    try:
        session = desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])
        admin = desk.people.sign_in("admin", PASSWORDS["admin"])
        real = desk._store.log_event

        def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise StoreError("the disk is full")  # what a full disk or a locked log says at the entry

        desk._store.log_event = refused  # type: ignore[method-assign]
        with pytest.raises(StoreError, match="the disk is full"):
            desk.paper.print_memo(session, case, target=tmp_path / "memo.pdf", no_encrypt=True)
        with pytest.raises(StoreError, match="the disk is full"):
            desk.log.export_csv(admin, tmp_path / "audit.csv", [], no_encrypt=True)
        desk._store.log_event = real  # type: ignore[method-assign]
    finally:
        desk.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


@pytest.mark.posix_only(reason="a read-only bind mount needs Linux's mount (as root)")
def test_a_memo_of_a_read_only_log_is_refused_and_no_file_is_made(desk_with_a_case, tmp_path: Path) -> None:
    from tests.unit.store.test_messages import _mount, _umount

    data, case = desk_with_a_case
    view = tmp_path / "read-only"
    view.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    _mount("--bind", str(data), str(view))
    try:
        _mount("-o", "remount,ro,bind", str(view))
        env = {**os.environ, "SAFEDESK_DATA_DIR": str(view), "SAFEDESK_USER": "ofc.smith"}
        env["SAFEDESK_PASSWORD"] = PASSWORDS["ofc.smith"]
        refused = invoke(env, "memo", case, "-o", str(out / "memo.pdf"), "--no-encrypt")
        assert refused.returncode == 2 and "read-only here" in refused.stderr.splitlines()[-1], refused
        assert list(out.iterdir()) == []
    finally:
        _umount(view)
