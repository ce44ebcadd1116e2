"""Consistent copies of the case log, and restoring one without losing the log it replaces."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

from desktop.atomic import reserve_name
from desktop.records import Actor, EventKind
from desktop.store import schema
from desktop.store.chain import accounts_exist, append_event
from desktop.store.connect import DB_NAME, read_only_uri
from desktop.store.errors import LogDamaged, LogLocked, NewerLog, StoreError, describe_os_error
from desktop.store.fields import utc_now
from desktop.store.marker import (
    clear_stale_copies,
    evidence_of_a_log,
    read_marker,
    set_aside_stray_journal,
    update_marker,
)
from desktop.store.query import VerifyReport
from desktop.store.store import CaseStore, open_store

if TYPE_CHECKING:
    from desktop.signing import Signer

SQLITE_HEADER = b"SQLite format 3\x00"
T = TypeVar("T")


@dataclass(frozen=True)
class BackupResult:
    """Where the copy went and what checking it found."""

    path: Path
    size: int
    report: VerifyReport


def _stamp(now: dt.datetime | None = None) -> str:
    return (now or utc_now()).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _discard(partial: Path) -> None:
    """Remove a half-written copy, if there is one and it can be removed (the error already says why)."""
    try:
        partial.unlink(missing_ok=True)
    except OSError:
        pass


def _copy_database(source: sqlite3.Connection, target: Path) -> None:
    """SQLite's online backup API: a consistent copy even while others write."""
    partial = target.with_name(target.name + ".partial")
    try:
        partial.unlink(missing_ok=True)  # a stale one, left by a copy that was killed
        dst = sqlite3.connect(partial)
        try:
            source.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        finally:
            dst.close()
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except OSError as exc:
        _discard(partial)
        raise StoreError(f"the copy {target} could not be written: {describe_os_error(exc)}") from None
    except sqlite3.Error as exc:
        _discard(partial)
        raise StoreError(f"the copy {target} could not be written: {exc}") from None


def check_log_file(path: Path) -> VerifyReport:
    """Check that a file is this app's case log, undamaged and verified, without changing it.

    Raises:
        LogDamaged: not a SQLite file, another program's database, or fails integrity_check.
        NewerLog: written by a newer version of the app.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise LogDamaged(f"{path} cannot be read: {describe_os_error(exc)}") from None
    if header != SQLITE_HEADER:
        raise LogDamaged(f"{path} is not a SQLite database, so not a case log")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise LogDamaged(f"{path} cannot be opened: {exc}") from None
    conn.row_factory = sqlite3.Row
    try:
        if int(conn.execute("PRAGMA application_id").fetchone()[0]) != schema.APPLICATION_ID:
            raise LogDamaged(f"{path} is not a Safe Communities Desk case log")
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise LogDamaged(f"{path} is damaged (integrity check failed)")
        applied = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
        unknown = applied - set(schema.known_migrations())
        if unknown:
            raise NewerLog(f"{path} was written by a newer version of Safe Communities Desk")
        from sqlite_utils import Database

        return CaseStore(path.parent, Database(conn), conn).verify()
    except sqlite3.DatabaseError as exc:
        raise LogDamaged(f"{path} is damaged: {exc}") from None
    finally:
        conn.close()


def _carry_entry(source: sqlite3.Connection, target: Path, copied_head: str, entry: str) -> bool:
    """Add the backup's own audit entry, as the live log holds it, to the verified copy.

    Only when it follows the copy's chain head directly (nobody recorded in between), so the copy
    still verifies; otherwise, or if the copy cannot be written, the copy simply goes without it.
    """
    row = source.execute("SELECT * FROM audit_log WHERE entry_hash = ?", [entry]).fetchone()
    if row is None or row["prev_hash"] != copied_head:
        return False
    columns = list(row.keys())
    try:
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            dst.execute("BEGIN IMMEDIATE")
            dst.execute(
                f"INSERT INTO audit_log ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", tuple(row)
            )
            dst.execute("COMMIT")
        finally:
            dst.close()
        with open(target, "rb+") as handle:
            os.fsync(handle.fileno())
    except (OSError, sqlite3.Error):
        return False
    return True


def backup_to(
    store: CaseStore,
    target: Path,
    *,
    actor: str | Actor,
    now: dt.datetime | None = None,
    passphrase: str | None = None,
    note: str = "",
) -> BackupResult:
    """Copy the live log to `target` (which must not exist yet), then check the copy.

    With `passphrase` the copy is sealed (desktop/encrypted.py, AES-256-GCM): the plain copy is made
    and verified inside the data folder, sealed into `target`, and the sealed file read back and
    checked against it before the plain copy is removed. `note` is added to the audit entry (say that
    a copy leaving the data folder was deliberately left unencrypted).

    The backup is recorded in the audit chain (at `now`) only once the copy is written and
    verified, so the chain never names a backup that does not exist. A `.partial` file left by a
    killed backup to the same name is cleared first.
    """
    target = Path(target)
    if target.exists():
        raise StoreError(f"{target} already exists; choose a new file name for the backup")
    if not target.parent.is_dir():
        raise StoreError(f"the folder {target.parent} does not exist")
    if passphrase is not None:
        return _sealed_backup(store, target, actor=actor, now=now, passphrase=passphrase, note=note)
    _copy_database(store._conn, target)
    try:
        report = check_log_file(target)
        if not report.ok:
            raise LogDamaged(f"the backup {target} does not verify: {report.first_problem}")
    except BaseException:
        _discard(target)  # a copy that does not verify is not left to be taken for a backup
        raise
    head = store.log_event(None, EventKind.BACKUP, actor, f"backup to {target.name}{note}", now=now)
    if _carry_entry(store._conn, target, report.chain_head, head):
        report = replace(report, entries_checked=report.entries_checked + 1, chain_head=head)
    update_marker(store.data_dir, last_backup=str(target.resolve()))
    return BackupResult(target, target.stat().st_size, report)


def _sealed_backup(
    store: CaseStore, target: Path, *, actor: str | Actor, now: dt.datetime | None, passphrase: str, note: str
) -> BackupResult:
    from desktop import encrypted

    encrypted.check_passphrase(passphrase)  # before any copy is made
    folder = store.data_dir / "backups"
    try:
        folder.mkdir(exist_ok=True)
        plain = unique_path(folder, f".sealing-{_stamp(now)}", ".db")
    except OSError as exc:
        raise StoreError(f"the backup folder {folder} cannot be used: {describe_os_error(exc)}") from None
    try:
        _copy_database(store._conn, plain)
        report = check_log_file(plain)
        if not report.ok:
            raise LogDamaged(f"the backup of {store.path} does not verify: {report.first_problem}")
        sealer = encrypted.Sealer(passphrase)
        try:
            with open(plain, "rb") as source:
                digest = sealer.seal(source, target, kind="backup", name=target.name.removesuffix(encrypted.SUFFIX))
        except OSError as exc:
            raise StoreError(f"the backup {plain} cannot be read: {describe_os_error(exc)}") from None
        try:
            if sealer.plain_digest(target) != digest:
                raise LogDamaged(f"the sealed backup {target} does not read back as the copy it was made from")
        except BaseException:
            _discard(target)
            raise
    finally:
        _discard(plain)
    detail = f"backup to {target.name} (encrypted, {encrypted.CIPHER}){note}"
    store.log_event(None, EventKind.BACKUP, actor, detail, now=now)
    update_marker(store.data_dir, last_backup=str(target.resolve()))
    return BackupResult(target, target.stat().st_size, report)


def backup_before_migration(store: CaseStore, pending: Sequence[str], *, now: dt.datetime | None = None) -> Path:
    """Copy the log aside before its schema changes (backups/cases-before-<migration>-<time>.db)."""
    folder = store.data_dir / "backups"
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise StoreError(f"the backup folder {folder} cannot be created: {describe_os_error(exc)}") from None
    target = folder / f"cases-before-{pending[0]}-{_stamp(now)}.db"
    _copy_database(store._conn, target)
    return target


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: where the replaced log is kept, and what the backup lacks that it held."""

    kept: Path | None
    report: VerifyReport
    cases_only_in_replaced: int  # recorded after the backup was made; still in the kept log
    other_desk: bool = False  # the backup's history is not this log's, and the operator confirmed it


def _lock_alone(live: Path) -> sqlite3.Connection:
    """A connection holding the log exclusively; refused while any other connection has it open.

    In WAL mode every open connection holds a shared lock on the log, so an exclusive lock here
    proves that no window or command is using it, and keeps them out until the restore is done.
    """
    conn = sqlite3.connect(live, isolation_level=None, timeout=2.0)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")  # the lock stays until the connection closes (exclusive locking mode)
    except sqlite3.OperationalError:
        conn.close()
        raise LogLocked(
            f"the case log {live} is open (the window on this or another account, or another command); "
            "close it everywhere, then restore. Nothing was changed."
        ) from None
    return conn


def _highest_numbers(conn: sqlite3.Connection, schema_name: str = "main") -> dict[int, int]:
    """The highest case number of each year a log holds or its audit chain ever recorded."""
    highest: dict[int, int] = {}
    for year, seq in conn.execute(f"SELECT year, MAX(seq) FROM {schema_name}.cases GROUP BY year"):
        highest[int(year)] = int(seq)
    for (number,) in conn.execute(
        f"SELECT case_number FROM {schema_name}.audit_log WHERE kind = ?", [EventKind.RECORDED.value]
    ):
        year, _, seq = str(number).partition("-")
        if year.isdigit() and seq.isdigit():
            highest[int(year)] = max(highest.get(int(year), 0), int(seq))
    return highest


class OtherDesksLog(StoreError):
    """The backup is not an earlier state of this desk's log (another desk's, or a stranger's)."""


RESTORING: Final = "restoring"  # the staging folder, inside the data folder (so inside the station)


@dataclass(frozen=True)
class StagedRestore:
    """A backup opened (decrypted if sealed), copied into the data folder and verified, ready to swap in.

    Nothing of the live log has been touched yet. `discard()` removes the staged copy.
    """

    data_dir: Path
    folder: Path
    source: Path
    encrypted: bool
    report: VerifyReport

    @property
    def path(self) -> Path:
        return self.folder / DB_NAME

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def unique_path(folder: Path, stem: str, suffix: str) -> Path:
    """A new file name in `folder` no one else holds (desktop/atomic.py): two restores in one second used to
    overwrite each other's kept copy."""
    try:
        return reserve_name(folder, stem, suffix)
    except OSError as exc:
        raise StoreError(f"a file cannot be created in {folder}: {describe_os_error(exc)}") from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def stage_restore(data_dir: Path, source: Path, *, passphrase: str | None = None) -> StagedRestore:
    """Copy a backup into the data folder's staging area and verify it, leaving the live log alone.

    A sealed backup (desktop/encrypted.py) is opened with `passphrase`; a wrong one, or a single
    flipped byte, is refused in one line.

    Raises:
        StoreError: the backup is the live log itself, or cannot be read or copied.
        WrongPassphrase, EncryptedCopyError: a sealed backup that this passphrase does not open.
        LogDamaged, NewerLog: the backup is not a verified case log this version can restore.
    """
    from desktop import encrypted

    data_dir, source = Path(data_dir), Path(source)
    live = data_dir / DB_NAME
    if not source.is_file():
        raise StoreError(f"{source} is not a file that can be restored")
    if any(_same_file(source, live.with_name(live.name + tail)) for tail in ("", "-wal", "-shm")):
        raise StoreError(f"{source} is the live case log itself; restore a backup of it instead")
    root = data_dir / RESTORING
    clear_stale_copies(data_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f"{_stamp()}-", dir=root))
    except OSError as exc:
        raise StoreError(f"the folder {root} cannot be used: {describe_os_error(exc)}") from None
    sealed = encrypted.is_encrypted(source)
    try:
        staged = folder / DB_NAME
        if sealed:
            encrypted.decrypt_file(source, staged, passphrase or "")
        else:
            try:
                incoming = sqlite3.connect(read_only_uri(source), uri=True)
            except sqlite3.Error as exc:
                raise LogDamaged(f"{source} cannot be opened: {exc}") from None
            try:
                check_log_file(source)  # refuses a stranger's file by its header before copying it
                _copy_database(incoming, staged)
            finally:
                incoming.close()
        report = check_log_file(staged)
        if not report.ok:
            raise LogDamaged(f"{source} fails verification ({report.first_problem}); it was not restored")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return StagedRestore(data_dir, folder, source, sealed, report)


def _last_entry(path: Path) -> tuple[int, str] | None:
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        row = conn.execute("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        return (int(row[0]), str(row[1])) if row else None
    finally:
        conn.close()


def _holds_entry(conn: sqlite3.Connection, entry: tuple[int, str]) -> bool:
    return conn.execute("SELECT 1 FROM audit_log WHERE seq = ? AND entry_hash = ?", list(entry)).fetchone() is not None


def _kept_logs(data_dir: Path) -> list[Path]:
    """Earlier states of this desk's log kept in its folder: logs a restore replaced, copies made before upgrades."""
    return sorted([*(data_dir / "replaced").glob("*.db"), *(data_dir / "backups").glob("*.db")])


def _read_kept(path: Path, read: Callable[[sqlite3.Connection], T]) -> T | None:
    """`read` on a kept log opened read-only, or None when it cannot be read (it then proves nothing)."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error:
        return None
    try:
        return read(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _log_id(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'log_id'").fetchone()
    return str(row[0]) if row else None


def same_history(live_conn: sqlite3.Connection | None, staged: StagedRestore) -> bool:
    """Whether the backup is an earlier state of this desk's log.

    The audit chain makes that exact: a backup of this log ends on an entry this log (or a log kept in
    its folder: one a restore replaced, a copy made before an upgrade) holds at the same place with the
    same hash, and that one hash vouches for every entry before it. With the live log gone, the backup
    may also carry the identity the folder's marker names; a folder that never held a log takes any.
    """
    last = _last_entry(staged.path)
    if last is None:
        return False
    if live_conn is not None and _holds_entry(live_conn, last):
        return True
    if any(_read_kept(kept, lambda c: _holds_entry(c, last)) for kept in _kept_logs(staged.data_dir)):
        return True
    if live_conn is None:
        marked = (read_marker(staged.data_dir) or {}).get("log_id")
        if isinstance(marked, str) and marked and _read_kept(staged.path, _log_id) == marked:
            return True
        return evidence_of_a_log(staged.data_dir) is None
    return False


def is_this_logs_history(staged: StagedRestore) -> bool:
    """Whether the staged backup is an earlier state of this desk's log (a read-only look)."""
    live = staged.data_dir / DB_NAME
    if not live.exists() or live.stat().st_size == 0:
        return same_history(None, staged)
    conn = sqlite3.connect(read_only_uri(live), uri=True)
    try:
        return same_history(conn, staged)
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _floors(conn: sqlite3.Connection) -> dict[int, int]:
    """The numbering floor a log sets: its highest numbers, and any floor an earlier restore left it."""
    floors = _highest_numbers(conn)
    for key, value in conn.execute("SELECT key, value FROM meta WHERE key LIKE 'case_number_floor:%'"):
        year = str(key).partition(":")[2]
        if year.isdigit() and str(value).isdigit():
            floors[int(year)] = max(floors.get(int(year), 0), int(value))
    return floors


def restore_staged(
    staged: StagedRestore,
    *,
    actor: str | Actor,
    now: dt.datetime | None = None,
    other_desk: bool = False,
    desk_signer: Signer | None = None,
    authorised_by: Actor | None = None,
) -> RestoreResult:
    """Swap a staged backup in for the live log, all at once; the replaced log is kept, not deleted.

    A desk change (a backup that is not this log's history, `other_desk`) over a live log also needs
    `authorised_by`, an admin of the live log: their entry goes into the log being replaced, which is
    kept, before it is replaced. The restore's own entry is the incoming log's, signed by `actor`.

    The staged copy first receives the numbering floor (so no number the replaced log handed out is
    handed out again) and the restore's own audit entry; only then is it written over the live log,
    in one SQLite transaction under an exclusive lock. A kill at any moment leaves either the old log
    or the restored one with its floor and its entry, never a mixture.

    Raises:
        LogLocked: the log is open elsewhere; nothing was changed.
        OtherDesksLog: the backup is not an earlier state of this log, and `other_desk` was not given.
        StoreError: the staged copy cannot take the entry (say its accounts do not know the signer).
    """
    data_dir = staged.data_dir
    live = data_dir / DB_NAME
    kept_dir = data_dir / "replaced"
    present = live.exists() and live.stat().st_size > 0
    conn = _lock_alone(live) if present else None
    kept: Path | None = None
    try:
        floors = _kept_floors(data_dir)  # numbers the logs kept here handed out (the live one may be gone)
        only_in_replaced = 0
        confirmed_change = False
        live_id = (read_marker(data_dir) or {}).get("log_id")
        if not same_history(conn, staged):
            if not other_desk:
                raise OtherDesksLog(
                    f"{staged.source.name} is not an earlier copy of this desk's log (its audit chain is "
                    "another log's); restoring it would replace this desk's history. If the desk really "
                    "changes logs, confirm it (--other-desk); nothing was changed"
                )
            confirmed_change = True
        if conn is not None:
            live_id = _log_id(conn) or live_id
            if confirmed_change:
                _authorise_desk_change(conn, staged, authorised_by or actor, now, desk_signer)
            for year, seq in _floors(conn).items():
                floors[year] = max(seq, floors.get(year, 0))
            conn.execute("ATTACH DATABASE ? AS incoming", [str(staged.path)])
            only_in_replaced = int(
                conn.execute(
                    "SELECT COUNT(*) FROM main.cases WHERE case_number NOT IN (SELECT case_number FROM incoming.cases)"
                ).fetchone()[0]
            )
            conn.execute("DETACH DATABASE incoming")
            try:
                kept_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"the folder {kept_dir} cannot be created: {describe_os_error(exc)}") from None
            kept = unique_path(
                kept_dir, f"cases-replaced-{_stamp(now)}", ".db"
            )  # the name; copied just before the swap
        detail = f"restored from {staged.source.name}" + (" (encrypted copy)" if staged.encrypted else "")
        if kept:
            detail += f"; replaced log kept as {kept.name}"
        if only_in_replaced:
            detail += f"; {only_in_replaced} case(s) recorded after that backup are only in the replaced log"
        if confirmed_change:
            detail += "; desk change confirmed: the backup's history is not this log's"
        with open_store(staged.folder, now=now, desk_signer=desk_signer) as incoming:
            _check_signer_known(incoming, actor, staged)
            with incoming._write() as write:
                for year, seq in _floors(write).items():  # the backup's own floor, if it has a higher one
                    floors[year] = max(seq, floors.get(year, 0))
                write.executemany(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    [(f"case_number_floor:{year}", str(seq)) for year, seq in sorted(floors.items())],
                )
                if not confirmed_change and isinstance(live_id, str) and live_id:
                    # The same log, restored: it keeps the identity the folder's marker names.
                    write.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('log_id', ?)", [live_id])
                append_event(write, EventKind.RESTORE, actor, detail, at=now or utc_now(), desk_signer=desk_signer)
                restored_id = _log_id(write)
            report = incoming.verify()
            if not report.ok:
                raise LogDamaged(f"the restored copy does not verify ({report.first_problem}); nothing was changed")
        if conn is not None and kept is not None:
            _copy_database(conn, kept)  # last, so a restore killed before it leaves no second copy of the log
        _swap_in(staged, conn, live)
        update_marker(data_dir, log_id=restored_id)  # a desk change: the folder now keeps the other log
    except sqlite3.Error as exc:
        where = f"; the replaced log is kept as {kept}" if kept else ""
        raise StoreError(f"the log could not be restored: {exc}{where}") from None
    finally:
        if conn is not None:
            conn.close()
    staged.discard()
    with open_store(data_dir, now=now, desk_signer=desk_signer) as store:
        return RestoreResult(kept, store.verify(), only_in_replaced, confirmed_change)


def _kept_floors(data_dir: Path) -> dict[int, int]:
    """The highest numbers every log kept in the folder handed out (or had as its floor)."""
    floors: dict[int, int] = {}
    for kept in _kept_logs(data_dir):
        for year, seq in (_read_kept(kept, _floors) or {}).items():
            floors[year] = max(seq, floors.get(year, 0))
    return floors


def _authorise_desk_change(
    conn: sqlite3.Connection,
    staged: StagedRestore,
    admin: str | Actor,
    now: dt.datetime | None,
    desk_signer: Signer | None,
) -> None:
    """The live log's admin agrees to the desk change, in the live log itself (kept in replaced/ after).

    A log with accounts needs one of its own admins, signed in to it; a log from before accounts takes
    the name typed, as every entry it holds does.
    """
    signed_admin = isinstance(admin, Actor) and admin.signer is not None and admin.has_role("admin")
    if accounts_exist(conn) and not (signed_admin and _knows_key(conn, admin)):
        raise OtherDesksLog(
            f"{staged.source.name} is another desk's log: taking it over needs an admin of this desk's log as "
            "well as one of that log; nothing was changed"
        )
    detail = f"desk change authorised: this log is replaced by {staged.source.name}, another desk's log"
    conn.execute("BEGIN IMMEDIATE")
    try:
        append_event(conn, EventKind.RESTORE, admin, detail, at=now or utc_now(), desk_signer=desk_signer)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _knows_key(conn: sqlite3.Connection, actor: str | Actor) -> bool:
    signer = actor.signer if isinstance(actor, Actor) else None
    return signer is not None and (
        conn.execute("SELECT 1 FROM signing_keys WHERE key_id = ?", [signer.key_id]).fetchone() is not None
    )


def _check_signer_known(incoming: CaseStore, actor: str | Actor, staged: StagedRestore) -> None:
    """The restore entry is signed by whoever restores: the restored log must know their key to check it."""
    signer = actor.signer if isinstance(actor, Actor) else None
    if signer is not None and incoming.public_key(signer.key_id) is None:
        label = actor.label if isinstance(actor, Actor) else str(actor)
        raise StoreError(
            f"{staged.source.name} does not know {label}'s signing key (the account was made or reset after "
            "that backup), so it could not check the restore's entry; an admin that backup knows must restore "
            "it. Nothing was changed"
        )


def _swap_in(staged: StagedRestore, conn: sqlite3.Connection | None, live: Path) -> None:
    """The one step that changes the live log: the staged copy written over it in one transaction."""
    if conn is None:  # no live log: the staged file (fsynced, self-contained) is renamed into place
        set_aside_stray_journal(staged.data_dir)
        with open(staged.path, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(staged.path, live)
        return
    source = sqlite3.connect(read_only_uri(staged.path), uri=True)
    try:
        source.backup(conn)  # all pages in one step: one write transaction on the live log
    finally:
        source.close()


def restore_from(
    data_dir: Path,
    source: Path,
    *,
    actor: str | Actor,
    now: dt.datetime | None = None,
    passphrase: str | None = None,
    other_desk: bool = False,
    desk_signer: Signer | None = None,
    authorised_by: Actor | None = None,
) -> RestoreResult:
    """Stage a backup and swap it in (`stage_restore`, then `restore_staged`); the staged copy never lingers."""
    staged = stage_restore(data_dir, source, passphrase=passphrase)
    try:
        return restore_staged(
            staged,
            actor=actor,
            now=now,
            other_desk=other_desk,
            desk_signer=desk_signer,
            authorised_by=authorised_by,
        )
    finally:
        staged.discard()
