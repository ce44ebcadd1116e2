"""Restore, encrypted copies and a lost log, attacked (issue 14, items 3 and 4, and copies leaving the station)."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import desktop.encrypted
from desktop.desk import system_clock
from desktop.encrypted import EncryptedCopyError, WrongPassphrase, decrypt_file, encrypt_file
from desktop.store import StoreError, backup_to, open_store, restore_from
from desktop.store.marker import LogMissing
from desktop.store.restore import OtherDesksLog
from tests.conftest import KILLED_RETURNCODE, ROOT
from tests.unit.store.cases import OFFICER, record

PASSPHRASE = "Station-Copy-2026!"


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cheaper scrypt for sealing in tests; each copy names its own cost, so opening matches."""
    monkeypatch.setattr(desktop.encrypted, "SCRYPT_N", 2**12)


def _kinds(data: Path) -> list[str]:
    conn = sqlite3.connect(data / "cases.db")
    try:
        return [r[0] for r in conn.execute("SELECT kind FROM audit_log ORDER BY seq")]
    finally:
        conn.close()


def _log_with_backup(tmp_path: Path, pack, before: int, after: int) -> tuple[Path, Path, str]:
    """A log, a backup taken after `before` cases, then `after` more cases; returns data, backup, highest number."""
    data = tmp_path / "data"
    with open_store(data) as opened:
        for _ in range(before):
            record(opened, pack)
        backup_to(opened, tmp_path / "copy.db", actor=OFFICER)
        numbers = [record(opened, pack).case_number for _ in range(after)]
        highest = max(numbers) if numbers else opened.case_numbers()[0]
    return data, tmp_path / "copy.db", highest


RESTORE_ONE = (
    "import sys; from pathlib import Path; from desktop.store import restore_from\n"
    "print('restoring', flush=True)\n"
    "restore_from(Path(sys.argv[1]), Path(sys.argv[2]), actor='J. SMITH #1234'); print('done', flush=True)\n"
)


@pytest.mark.kill
def test_a_killed_restore_leaves_either_log_whole_and_never_reuses_a_number(tmp_path: Path, pack) -> None:
    data, copy, highest = _log_with_backup(tmp_path, pack, 300, 60)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", RESTORE_ONE, str(data), str(copy)], cwd=ROOT, check=True)
    span = time.perf_counter() - started
    restored_at_least_once = interrupted = 0
    chance = random.Random(3)
    for _run in range(10):
        with open_store(data) as opened:  # back to a log that holds the 60 later cases, numbered after the backup
            newest = record(opened, pack).case_number
        proc = subprocess.Popen(
            [sys.executable, "-c", RESTORE_ONE, str(data), str(copy)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "restoring"
        time.sleep(chance.uniform(0.0, span * 0.8))
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        out, _ = proc.communicate(timeout=60)
        interrupted += "done" not in out
        with open_store(data) as opened:
            report = opened.verify()
            assert report.ok, report.problems[:3]
            kinds = _kinds(data)
            if opened.total_cases() == 300:  # restored: its floor and its entry came with it
                restored_at_least_once += 1
                assert kinds[-1] == "restore"
            else:
                assert opened.get(newest).current.case_number == newest  # the old log, whole
            fresh = record(opened, pack).case_number
            assert fresh > newest and fresh > highest  # no number on paper is handed out twice
    assert interrupted >= 3 and restored_at_least_once >= 1


def test_two_restores_in_one_second_keep_both_replaced_logs(tmp_path: Path, pack) -> None:
    import datetime as dt

    data, copy, _ = _log_with_backup(tmp_path, pack, 2, 3)
    at = dt.datetime(2026, 12, 1, 2, 0, 0, tzinfo=dt.UTC)
    first = restore_from(data, copy, actor=OFFICER, now=at)
    with open_store(data) as opened:
        record(opened, pack)
    second = restore_from(data, copy, actor=OFFICER, now=at)
    assert first.kept and second.kept and first.kept != second.kept
    counts = []
    for kept in (first.kept, second.kept):
        raw = sqlite3.connect(kept)
        counts.append(raw.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
        raw.close()
    assert counts == [5, 3]  # the 3 cases recorded after the backup, then the 1 recorded after the first restore


def test_another_desks_log_is_refused_unless_the_change_is_confirmed(tmp_path: Path, pack) -> None:
    data, _copy, _ = _log_with_backup(tmp_path, pack, 1, 1)
    other = tmp_path / "other"
    with open_store(other) as opened:
        record(opened, pack)
        backup_to(opened, tmp_path / "other.db", actor=OFFICER)
    before = (data / "cases.db").read_bytes()
    with pytest.raises(OtherDesksLog, match="not an earlier copy of this desk's log"):
        restore_from(data, tmp_path / "other.db", actor=OFFICER)
    assert (data / "cases.db").read_bytes() == before and not list((data / "replaced").glob("*.db"))
    result = restore_from(data, tmp_path / "other.db", actor=OFFICER, other_desk=True)
    assert result.other_desk and result.report.ok
    with open_store(data) as opened:
        detail = opened._conn.execute("SELECT detail FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert "desk change confirmed: the backup's history is not this log's" in detail


def test_an_older_backup_of_a_log_a_restore_replaced_is_still_this_desks(tmp_path: Path, pack) -> None:
    data, first_copy, _ = _log_with_backup(tmp_path, pack, 1, 1)
    with open_store(data) as opened:
        backup_to(opened, tmp_path / "later.db", actor=OFFICER)
    restore_from(data, first_copy, actor=OFFICER)  # the log that held later.db's history is now in replaced/
    assert restore_from(data, tmp_path / "later.db", actor=OFFICER).report.ok


def test_restoring_the_live_log_onto_itself_is_refused_at_once(tmp_path: Path, pack) -> None:
    data, _copy, _ = _log_with_backup(tmp_path, pack, 1, 0)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            restore_from(data, data / "cases.db", actor=OFFICER)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "restoring the live log onto itself hung"
    assert isinstance(outcome[0], StoreError) and "is the live case log itself" in str(outcome[0])


def test_a_sealed_backup_round_trips_and_refuses_a_wrong_passphrase_or_a_flipped_byte(tmp_path: Path, pack) -> None:
    data, _plain, _ = _log_with_backup(tmp_path, pack, 2, 1)
    with open_store(data) as opened:
        sealed = backup_to(opened, tmp_path / "copy.enc", actor=OFFICER, passphrase=PASSPHRASE).path
    body = sealed.read_bytes()
    assert body.startswith(b"SCDENC01") and b"SQLite format 3" not in body and b"DOE, JOHN" not in body
    before = (data / "cases.db").read_bytes()
    with pytest.raises(WrongPassphrase, match="passphrase does not open copy.enc"):
        restore_from(data, sealed, actor=OFFICER, passphrase="Wrong-Pass-2026!")
    header_end = 12 + int.from_bytes(body[8:12], "big")
    for where in (10, 40, header_end + 5, len(body) // 2, len(body) - 3):  # length, header, body, tag
        flipped = tmp_path / f"flipped-{where}.enc"
        damaged = bytearray(body)
        damaged[where] ^= 0x01
        flipped.write_bytes(bytes(damaged))
        with pytest.raises(EncryptedCopyError) as refused:
            restore_from(data, flipped, actor=OFFICER, passphrase=PASSPHRASE)
        assert "\n" not in str(refused.value) and "flipped" in str(refused.value)
    cut = tmp_path / "cut.enc"
    cut.write_bytes(body[:-100])
    with pytest.raises(EncryptedCopyError, match="altered or damaged|cut short"):
        restore_from(data, cut, actor=OFFICER, passphrase=PASSPHRASE)
    assert (data / "cases.db").read_bytes() == before  # the live log untouched by every refusal
    assert not any((data / "restoring").iterdir())  # and no decrypted copy left behind
    result = restore_from(data, sealed, actor=OFFICER, passphrase=PASSPHRASE)
    assert result.report.ok and result.report.records_checked == 3
    assert (
        "(encrypted copy)"
        in sqlite3.connect(data / "cases.db")
        .execute("SELECT detail FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetchone()[0]
    )


def test_a_weak_passphrase_is_refused_before_anything_is_written(tmp_path: Path, pack) -> None:
    with open_store(tmp_path / "data") as opened:
        record(opened, pack)
        for weak, rule in (("", "empty"), ("short-1A", "at least 10"), ("alllowercase-123", "upper-case")):
            with pytest.raises(EncryptedCopyError, match=rule):
                backup_to(opened, tmp_path / "copy.enc", actor=OFFICER, passphrase=weak)
        assert not (tmp_path / "copy.enc").exists() and "backup" not in _kinds(tmp_path / "data")


def test_an_encrypted_file_decrypts_only_whole(tmp_path: Path) -> None:
    plain = tmp_path / "plain.bin"
    plain.write_bytes(bytes(range(256)) * 9000)  # more than one chunk
    encrypt_file(plain, tmp_path / "x.enc", PASSPHRASE, kind="test")
    decrypt_file(tmp_path / "x.enc", tmp_path / "back.bin", PASSPHRASE)
    assert (tmp_path / "back.bin").read_bytes() == plain.read_bytes()
    damaged = bytearray((tmp_path / "x.enc").read_bytes())
    damaged[-(1024 * 1024 + 40)] ^= 0x80  # a byte in the first chunk: written out before the tag is checked
    (tmp_path / "y.enc").write_bytes(bytes(damaged))
    with pytest.raises(EncryptedCopyError, match="altered or damaged"):
        decrypt_file(tmp_path / "y.enc", tmp_path / "half.bin", PASSPHRASE)
    assert not (tmp_path / "half.bin").exists()


# --- a lost log ----------------------------------------------------------------------------------


def test_a_deleted_log_is_not_silently_replaced(tmp_path: Path, pack) -> None:
    data, _copy, _ = _log_with_backup(tmp_path, pack, 2, 0)
    (data / "cases.db").unlink()
    with pytest.raises(
        LogMissing, match=r"is missing, but this folder kept one .*restore the latest backup .*copy\.db"
    ):
        open_store(data)
    assert not (data / "cases.db").exists()


@pytest.mark.parametrize("how", ["emptied", "deleted with its backups gone"])
def test_an_emptied_log_is_refused_and_new_log_starts_one_that_says_so(tmp_path: Path, pack, how: str) -> None:
    data, copy, highest = _log_with_backup(tmp_path, pack, 2, 0)
    (data / "cases.db").write_bytes(b"")
    for stray in data.glob("cases.db-*"):
        stray.unlink()
    if how != "emptied":
        copy.unlink()
    with pytest.raises(LogMissing, match="is empty .0 bytes." if how == "emptied" else "case-log.json records"):
        open_store(data)
    with open_store(data, new_log=True) as opened:
        assert _kinds(data) == ["new_log"] and opened.verify().ok
        detail = opened._conn.execute("SELECT detail FROM audit_log").fetchone()[0]
        assert "a new log started with --new-log in place of a missing one" in detail
    with open_store(data) as reopened:  # no --new-log needed again
        assert reopened.total_cases() == 0


def test_a_folder_that_never_held_a_log_starts_one(tmp_path: Path) -> None:
    with open_store(tmp_path / "fresh") as opened:
        assert opened.total_cases() == 0
    assert (tmp_path / "fresh" / "case-log.json").exists()


def test_a_lost_log_is_restored_from_its_backup(tmp_path: Path, pack) -> None:
    data, copy, _ = _log_with_backup(tmp_path, pack, 2, 0)
    (data / "cases.db").unlink()
    result = restore_from(data, copy, actor=OFFICER)
    assert result.kept is None and result.report.ok
    with open_store(data) as opened:
        assert opened.total_cases() == 2


def _resealed_header(sealed: Path, out: Path, change) -> Path:
    """The sealed copy with its JSON header rewritten by `change` (the header length fixed up to match)."""
    import json as json_module

    body = sealed.read_bytes()
    length = int.from_bytes(body[8:12], "big")
    header_text = change(json_module.loads(body[12 : 12 + length]))
    raw = header_text.encode("utf-8") if isinstance(header_text, str) else json_module.dumps(header_text).encode()
    out.write_bytes(body[:8] + len(raw).to_bytes(4, "big") + raw + body[12 + length :])
    return out


@pytest.mark.parametrize(
    "change",
    [
        lambda h: {**h, "kdf": {**h["kdf"], "n": 2**20}},  # more memory than a desk gives a key
        lambda h: {**h, "kdf": {**h["kdf"], "n": 1}},  # too cheap to be one of ours
        lambda h: json.dumps(h).replace(str(h["kdf"]["n"]), "1e400"),  # a number no integer holds
        lambda h: "[" * 3000 + "]" * 3000,  # nesting deep enough to exhaust a recursive parser
        lambda h: {**h, "nonce": "00"},
    ],
    ids=["huge-n", "tiny-n", "overflow", "deep-nesting", "short-nonce"],
)
def test_an_edited_header_is_refused_in_one_line(tmp_path: Path, change) -> None:
    plain = tmp_path / "plain.bin"
    plain.write_bytes(b"case data " * 100)
    encrypt_file(plain, tmp_path / "x.enc", PASSPHRASE, kind="test")
    edited = _resealed_header(tmp_path / "x.enc", tmp_path / "edited.enc", change)
    with pytest.raises(EncryptedCopyError) as refused:
        decrypt_file(edited, tmp_path / "out.bin", PASSPHRASE)
    assert "\n" not in str(refused.value) and not (tmp_path / "out.bin").exists()


@pytest.mark.posix_only(reason="a named pipe made with mkfifo is POSIX's; Windows' pipes are not files a user can name")
def test_a_pipe_given_as_a_copy_is_refused_at_once(tmp_path: Path, pack) -> None:
    import os

    from desktop.encrypted import is_encrypted

    pipe = tmp_path / "fifo"
    os.mkfifo(pipe)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            assert not is_encrypted(pipe)
            decrypt_file(pipe, tmp_path / "out.bin", PASSPHRASE)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # unblock the reader, so a regression fails instead of hanging the suite
        with open(pipe, "wb"):
            pass
        pytest.fail("a pipe given as a copy hung")
    assert isinstance(outcome[0], EncryptedCopyError) and "is not a file" in str(outcome[0])
    data, _copy, _ = _log_with_backup(tmp_path, pack, 1, 0)
    with pytest.raises(StoreError, match="is not a file"):
        restore_from(data, pipe, actor=OFFICER)


OPEN_BIG = (
    "import sys; from pathlib import Path; from desktop.encrypted import decrypt_file\n"
    "print('opening', flush=True); decrypt_file(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])\n"
)


@pytest.mark.kill
def test_a_killed_decrypt_leaves_nothing_under_the_target_name(tmp_path: Path) -> None:
    plain = tmp_path / "plain.bin"
    plain.write_bytes(bytes(range(256)) * (256 * 1024))  # 64 MB: long enough to be killed half-way
    encrypt_file(plain, tmp_path / "big.enc", PASSPHRASE, kind="test")
    target = tmp_path / "big.out"
    proc = subprocess.Popen(
        [sys.executable, "-c", OPEN_BIG, str(tmp_path / "big.enc"), str(target), PASSPHRASE],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "opening"
    time.sleep(0.05)
    proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
    proc.communicate(timeout=60)
    assert proc.returncode == KILLED_RETURNCODE  # killed while it ran, not after
    assert not target.exists()  # never a half-decrypted, unchecked plain file under the name asked for


# --- found by attacking the safeguards above ------------------------------------------------------


def test_a_lost_log_is_not_replaced_by_another_desks_backup_unless_confirmed(tmp_path: Path, pack) -> None:
    data, _copy, _ = _log_with_backup(tmp_path, pack, 1, 0)
    with open_store(tmp_path / "other") as opened:
        record(opened, pack)
        backup_to(opened, tmp_path / "other.db", actor=OFFICER)
    (data / "cases.db").unlink()
    with pytest.raises(OtherDesksLog, match="not an earlier copy of this desk's log"):
        restore_from(data, tmp_path / "other.db", actor=OFFICER)
    assert not (data / "cases.db").exists()
    assert restore_from(data, tmp_path / "other.db", actor=OFFICER, other_desk=True).other_desk


def test_a_lost_log_restored_twice_never_hands_out_a_number_again(tmp_path: Path, pack) -> None:
    data, copy, _ = _log_with_backup(tmp_path, pack, 3, 2)  # the log reached 000005; the backup holds 3
    restore_from(data, copy, actor=OFFICER)
    with open_store(data) as opened:
        sixth = record(opened, pack).case_number
    (data / "cases.db").unlink()  # lost; only replaced/ remembers that 000005 was handed out
    for stray in data.glob("cases.db-*"):
        stray.unlink()
    restore_from(data, copy, actor=OFFICER)
    with open_store(data) as opened:
        assert record(opened, pack).case_number > sixth.replace("000006", "000005")


@pytest.mark.posix_only(reason="a read-only bind mount needs Linux's mount (as root)")
def test_a_read_only_log_with_changes_in_its_journal_is_refused_not_shown_short(tmp_path: Path, pack) -> None:
    from tests.unit.store.test_messages import _mount, _umount

    data = tmp_path / "data"
    with open_store(data) as opened:
        record(opened, pack)
    script = (
        "import os, sys; from pathlib import Path; from desktop.rules import load_pack\n"
        "from desktop.store import open_store; from tests.unit.store.cases import record\n"
        "s = open_store(Path(sys.argv[1])); p = load_pack(Path('resources/policies/northampton-2019'))\n"
        "[record(s, p) for _ in range(3)]; os._exit(0)  # no close: the changes stay in the journal\n"
    )
    subprocess.run([sys.executable, "-c", script, str(data)], cwd=ROOT, check=True)
    assert (data / "cases.db-wal").stat().st_size > 0
    view = tmp_path / "ro"
    view.mkdir()
    _mount("--bind", str(data), str(view))
    try:
        _mount("-o", "remount,ro,bind", str(view))
        try:
            opened = open_store(view)
        except StoreError as exc:
            assert "write-ahead journal" in str(exc)
        else:
            with opened:  # read through the journal: all four cases, or none shown at all
                assert opened.total_cases() == 4 and opened.verify().ok
    finally:
        _umount(view)


def test_a_folder_named_with_uri_characters_backs_up_and_restores(tmp_path: Path, pack) -> None:
    data, _copy, _ = _log_with_backup(tmp_path, pack, 1, 0)
    # '?' is what SQLite's URI syntax reads as the start of the query; Windows forbids it in a name, so there the
    # other URI characters stand alone.
    odd = tmp_path / ("desk#2 50% &" if sys.platform == "win32" else "desk#2 50% ?")
    odd.mkdir()
    with open_store(data) as opened:
        plain = backup_to(opened, odd / "b#1.db", actor=OFFICER)
        sealed = backup_to(opened, odd / "b#2.db.enc", actor=OFFICER, passphrase=PASSPHRASE)
    assert plain.report.ok and sealed.report.ok
    assert restore_from(data, plain.path, actor=OFFICER).report.ok
    assert restore_from(data, sealed.path, actor=OFFICER, passphrase=PASSPHRASE).report.ok
    assert not (tmp_path / "desk").exists()  # nothing made beside the folder the '#' would have cut


def test_the_marker_is_not_defeated_by_an_empty_database_or_a_copied_in_log(tmp_path: Path, pack) -> None:
    from desktop.store.errors import OtherLog

    data, _copy, _ = _log_with_backup(tmp_path, pack, 1, 0)
    with open_store(tmp_path / "other") as opened:
        record(opened, pack)
    (data / "cases.db").unlink()
    for stray in data.glob("cases.db-*"):
        stray.unlink()
    sqlite3.connect(data / "cases.db").execute("PRAGMA user_version = 1").connection.close()  # no tables
    assert (data / "cases.db").stat().st_size > 0
    with pytest.raises(LogMissing, match="holds no log"):
        open_store(data)
    (data / "cases.db").unlink()
    raw = sqlite3.connect(tmp_path / "other" / "cases.db")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    shutil.copy(tmp_path / "other" / "cases.db", data / "cases.db")  # another desk's log put in its place
    before = (data / "cases.db").read_bytes()
    with pytest.raises(OtherLog, match="is not the log this folder kept"):
        open_store(data)
    assert (data / "cases.db").read_bytes() == before


def test_a_deleted_marker_and_log_still_leave_the_desk_key_as_evidence(tmp_path: Path, pack) -> None:
    from desktop.desk import Desk

    desk = Desk(tmp_path / "data", clock=system_clock)
    desk.people.setup(username="chief", name="A. ADMIN", badge="900", password="correct horse battery 7")
    desk.close()  # a desk that was set up here: its key and its log
    for name in ("cases.db", "cases.db-wal", "cases.db-shm", "case-log.json"):
        (tmp_path / "data" / name).unlink(missing_ok=True)
    with pytest.raises(LogMissing, match="keys/desk.key shows a desk was set up here"):
        Desk(tmp_path / "data", clock=system_clock).open()


def test_new_log_keeps_the_lost_logs_journal(tmp_path: Path, pack) -> None:
    data, _copy, _ = _log_with_backup(tmp_path, pack, 1, 0)
    (data / "cases.db").write_bytes(b"")
    (data / "cases.db-wal").write_bytes(b"the lost log's last changes")
    with open_store(data, new_log=True) as opened:
        assert opened.verify().ok
    kept = list((data / "replaced").glob("cases-stray-journal*-wal"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"the lost log's last changes"


def test_copies_a_killed_backup_or_restore_left_are_cleared_at_open(tmp_path: Path, pack) -> None:
    import os

    data, _copy, _ = _log_with_backup(tmp_path, pack, 1, 0)
    leftovers = [data / "backups" / ".sealing-20261201T000000Z.db", data / "restoring" / "x" / "cases.db"]
    reserved = data / "replaced" / "cases-replaced-20261201T000000Z.db"
    for path in [*leftovers, reserved]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"" if path == reserved else b"SQLite format 3\0 a plain copy of the log")
    fresh = data / "backups" / ".sealing-now.db"
    fresh.write_bytes(b"a backup being sealed right now")
    old = time.time() - 3600
    for path in [*leftovers, leftovers[1].parent, reserved]:
        os.utime(path, (old, old))
    open_store(data).close()
    assert not any(p.exists() for p in [*leftovers, reserved]) and fresh.exists()


def test_a_backup_that_does_not_verify_is_not_left_behind(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as opened:
        saved = record(opened, pack)
        raw = sqlite3.connect(data / "cases.db")  # an insider edits a decision behind the triggers' back
        raw.execute("DROP TRIGGER case_versions_no_update")
        raw.execute("UPDATE case_versions SET officer = 'SOMEONE ELSE' WHERE case_number = ?", [saved.case_number])
        raw.commit()
        raw.close()
        with pytest.raises(StoreError, match="does not verify"):
            backup_to(opened, tmp_path / "b.db", actor=OFFICER)
        assert "backup" not in _kinds(data)
    assert not (tmp_path / "b.db").exists()
