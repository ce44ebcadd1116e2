"""Restoring a backup without losing the log it replaces: staged and verified first, then swapped in at once.

Staging (`stage_restore`) opens the backup into the data folder and checks it, leaving the live log
alone; `restore_staged` gives the staged copy its numbering floor and its own entry, then writes it
over the live log in one transaction. What the kept logs remember (numbers, identity) is history.py's.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from desktop.errors import BadInput
from desktop.records import Actor, EventKind
from desktop.store.accounts import CarriedAccounts, carried_accounts
from desktop.store.chain import accounts_exist, append_event
from desktop.store.connect import DB_NAME, read_only_uri
from desktop.store.copies import check_log_file, check_log_header, copy_database, stamp, unique_path
from desktop.store.errors import AccountError, LogDamaged, LogLocked, StoreError, describe_os_error
from desktop.store.fields import utc_now
from desktop.store.history import floors, holds_entry, kept_floors, kept_logs, last_entry, log_id, read_kept
from desktop.store.marker import (
    clear_stale_copies,
    evidence_of_a_log,
    read_marker,
    set_aside_stray_journal,
    update_marker,
)
from desktop.store.query import VerifyReport
from desktop.store.store import CaseStore, open_store, upgrade_copy

if TYPE_CHECKING:
    from desktop.signing import Signer


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


class OtherDesksLog(StoreError, BadInput):
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
    upgraded: tuple[str, ...] = ()  # the migrations a backup from an earlier version was given here
    # The backup's newest entry, read when it was staged: what makes it this log's history or not. Signing in
    # to a backup's own accounts (a lost log, a desk change) adds entries to the staged copy after it.
    last_entry: tuple[int, str] | None = None

    @property
    def path(self) -> Path:
        return self.folder / DB_NAME

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def stage_restore(data_dir: Path, source: Path, *, passphrase: str | None = None) -> StagedRestore:
    """Copy a backup into the data folder's staging area and verify it, leaving the live log alone.

    A sealed backup (desktop/encrypted.py) is opened with `passphrase`; a wrong one, or a single
    flipped byte, is refused in one line. A backup written by an earlier version is upgraded in the
    staging copy first (the migrations an open applies, in one transaction), so every backup this
    project ever made can be checked and restored; the backup itself is never changed.

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
        folder = Path(tempfile.mkdtemp(prefix=f"{stamp()}-", dir=root))
    except OSError as exc:
        raise StoreError(f"the folder {root} cannot be used: {describe_os_error(exc)}") from None
    sealed = encrypted.is_encrypted(source)
    try:
        staged = folder / DB_NAME
        if sealed:
            encrypted.decrypt_file(source, staged, passphrase or "")
            check_log_header(staged)  # a stranger's database is refused before anything is done to it
        else:
            try:
                incoming = sqlite3.connect(read_only_uri(source), uri=True)
            except sqlite3.Error as exc:
                raise LogDamaged(f"{source} cannot be opened: {exc}") from None
            try:
                check_log_header(source)  # refuses a stranger's file by its header before copying it
                copy_database(incoming, staged)
            finally:
                incoming.close()
        upgraded = upgrade_copy(staged)
        report = check_log_file(staged)
        if not report.ok:
            raise LogDamaged(f"{source} fails verification ({report.first_problem}); it was not restored")
        newest = last_entry(staged)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return StagedRestore(data_dir, folder, source, sealed, report, upgraded, newest)


def same_history(live_conn: sqlite3.Connection | None, staged: StagedRestore) -> bool:
    """Whether the backup is an earlier state of this desk's log.

    The audit chain makes that exact: a backup of this log ends on an entry this log (or a log kept in
    its folder: one a restore replaced, a copy made before an upgrade) holds at the same place with the
    same hash, and that one hash vouches for every entry before it. With the live log gone, the backup
    may also carry the identity the folder's marker names; a folder that never held a log takes any.
    """
    last = staged.last_entry
    if last is None:
        return False
    if live_conn is not None and holds_entry(live_conn, last):
        return True
    if any(read_kept(kept, lambda c: holds_entry(c, last)) for kept in kept_logs(staged.data_dir)):
        return True
    if live_conn is None:
        marked = (read_marker(staged.data_dir) or {}).get("log_id")
        if isinstance(marked, str) and marked and read_kept(staged.path, log_id) == marked:
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

    A backup of this log from before it had accounts takes this desk's accounts with it (everyone keeps
    their password), and the restore is where signing begins in the restored log, as set-up is in a new
    log and the upgrade's entry in an upgraded one: the first admin (`actor` must hold the root key)
    certifies their key again naming the backup's last entry, certifies the others' keys with the same
    restore entry, and signs each account's standing and each setting after it (accounts.take_accounts).
    Entries up to the backup's last rest on the chain alone, as in any log from before accounts; from the
    restore on, `verify` refuses an unsigned entry, so stripping and recomputing is caught as anywhere.

    Raises:
        LogLocked: the log is open elsewhere; nothing was changed.
        OtherDesksLog: the backup is not an earlier state of this log, and `other_desk` was not given.
        AccountError: a backup from before accounts, and `actor` is not the desk's first admin.
        StoreError: the staged copy cannot take the entry (say its accounts do not know the signer).
    """
    data_dir = staged.data_dir
    live = data_dir / DB_NAME
    kept_dir = data_dir / "replaced"
    present = live.exists() and live.stat().st_size > 0
    conn = _lock_alone(live) if present else None
    kept: Path | None = None
    try:
        floor = kept_floors(data_dir)  # numbers the logs kept here handed out (the live one may be gone)
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
            live_id = log_id(conn) or live_id
            if confirmed_change:
                _authorise_desk_change(conn, staged, authorised_by or actor, now, desk_signer)
            for year, seq in floors(conn).items():
                floor[year] = max(seq, floor.get(year, 0))
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
            kept = unique_path(kept_dir, f"cases-replaced-{stamp(now)}", ".db")  # the name; copied just before the swap
        detail = f"restored from {staged.source.name}" + (" (encrypted copy)" if staged.encrypted else "")
        if kept:
            detail += f"; replaced log kept as {kept.name}"
        if only_in_replaced:
            detail += f"; {only_in_replaced} case(s) recorded after that backup are only in the replaced log"
        if confirmed_change:
            detail += "; desk change confirmed: the backup's history is not this log's"
        if staged.upgraded:
            detail += f"; upgraded from an earlier version's log ({', '.join(staged.upgraded)})"
        with open_store(staged.folder, now=now, desk_signer=desk_signer) as incoming:
            carried = None
            if conn is not None and not confirmed_change and not incoming.has_accounts() and accounts_exist(conn):
                carried = carried_accounts(conn)  # the backup predates this desk's accounts: they come with it
                _check_root_restores(carried, actor, staged)
            else:
                _check_signer_known(incoming, actor, staged)
            at = now or utc_now()
            with incoming._write() as write:
                for year, seq in floors(write).items():  # the backup's own floor, if it has a higher one
                    floor[year] = max(seq, floor.get(year, 0))
                write.executemany(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    [(f"case_number_floor:{year}", str(seq)) for year, seq in sorted(floor.items())],
                )
                if not confirmed_change and isinstance(live_id, str) and live_id:
                    # The same log, restored: it keeps the identity the folder's marker names.
                    write.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('log_id', ?)", [live_id])
                if carried is not None and isinstance(actor, Actor):
                    # Signing begins at this restore, as it begins at set-up or at an upgrade: the first admin
                    # certifies their key again here, naming the backup's last entry, and signs the restore.
                    start = incoming.take_accounts(write, carried, root=actor, at=at)
                    detail += (
                        "; this desk's accounts carried over (the backup was made before it had them): signing "
                        f"begins here, after entry {start}, as the first admin's key certifies again with this entry"
                    )
                append_event(write, EventKind.RESTORE, actor, detail, at=at, desk_signer=desk_signer)
                if carried is not None and isinstance(actor, Actor):
                    incoming.sign_taken_accounts(write, carried, by=actor, at=at)
                restored_id = log_id(write)
            report = incoming.verify()
            if not report.ok:
                raise LogDamaged(f"the restored copy does not verify ({report.first_problem}); nothing was changed")
        if conn is not None and kept is not None:
            copy_database(conn, kept)  # last, so a restore killed before it leaves no second copy of the log
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


def _check_root_restores(carried: CarriedAccounts, actor: str | Actor, staged: StagedRestore) -> None:
    """A backup from before accounts is restored by the desk's first admin, whose key alone may say where signing
    begins in a log (the root pinned outside the data folder, on the paper from set-up); another admin's could
    be any admin's word that everything before it needs no signature."""
    signer = actor.signer if isinstance(actor, Actor) else None
    if carried.root is None or signer is None or signer.key_id != carried.root:
        label = actor.label if isinstance(actor, Actor) else str(actor)
        raise AccountError(
            f"{staged.source.name} was made before this desk had accounts: restoring it takes this desk's accounts "
            f"into it, and where signing begins in it is signed with the first admin's own key, as at set-up; "
            f"{label} does not hold it. {carried.root_holder} must restore it. Nothing was changed"
        )


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
