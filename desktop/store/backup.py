"""Backups: a consistent, verified copy of the live log, recorded in its audit chain (restore.py puts one back)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from desktop.records import Actor, EventKind
from desktop.store.copies import check_log_file, copy_database, discard, stamp
from desktop.store.errors import LogDamaged, StoreError, describe_os_error
from desktop.store.marker import update_marker
from desktop.store.pending import PendingCopy
from desktop.store.query import VerifyReport
from desktop.store.store import CaseStore, settle_copies


@dataclass(frozen=True)
class BackupResult:
    """Where the copy went and what checking it found."""

    path: Path
    size: int
    report: VerifyReport


def _carry_entry(source: sqlite3.Connection, target: Path, copied_head: str, entry: str) -> bool:
    """Add the backup's own audit entry, as the live log holds it, to the verified copy.

    Called inside the transaction that writes the entry, before it commits, so the copy either holds
    it as the log will, or is undone with it. Only when it follows the copy's chain head directly, so
    the copy still verifies; otherwise, or if the copy cannot be written, the copy simply goes without it.
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


def _start(store: CaseStore, target: Path, *, sealed: bool = False) -> PendingCopy:
    """Settle what killed backups left (this is the next backup), then record this one before it is written."""
    settle_copies(store)
    try:
        return PendingCopy.start(store.data_dir, target, sealed=sealed)
    except OSError as exc:
        raise StoreError(f"the backup cannot be started in {store.data_dir}: {describe_os_error(exc)}") from None


def _log_and_place(
    store: CaseStore, job: PendingCopy, detail: str, *, actor: str | Actor, now: dt.datetime | None, copied_head: str
) -> str | None:
    """Log the checked copy, then put it under its name; returns the entry's hash if the copy carries it too.

    The entry, the note of it beside the copy (pending.py) and, for a plain copy (`copied_head`: the
    chain head it was copied at), the entry itself inside the copy, all go in before the log commits.
    """
    carried = False

    def note_entry(conn: sqlite3.Connection, head: str) -> None:
        nonlocal carried
        if job.target.exists():
            raise StoreError(f"{job.target} was created while the backup was made; choose a new file name for it")
        carried = bool(copied_head) and _carry_entry(conn, job.temp, copied_head, head)
        try:
            job.logged(head)
        except OSError as exc:
            raise StoreError(f"the backup cannot be noted in {store.data_dir}: {describe_os_error(exc)}") from None

    head = store.log_event(None, EventKind.BACKUP, actor, detail, now=now, before_commit=note_entry)
    try:
        job.finish()
    except OSError as exc:
        raise StoreError(
            f"the backup {job.target} is written, checked and logged, but could not be put under its name "
            f"({describe_os_error(exc)}); the next start of the desk puts it there if the name is still free"
        ) from None
    return head if carried else None


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
    and verified inside the data folder, sealed, and the sealed file read back and checked against it
    before the plain copy is removed. `note` is added to the audit entry (say that a copy leaving the
    data folder was deliberately left unencrypted).

    An entry, or no copy: the copy is written under a temporary name beside `target`, verified, logged
    (at `now`), and only then renamed into place (pending.py). A kill at any moment leaves either a
    copy its entry names, or a temporary one that the next open or the next backup clears; the chain
    never names a backup that was not written and checked, and no copy appears that it does not name.
    """
    target = Path(target)
    if target.exists():
        raise StoreError(f"{target} already exists; choose a new file name for the backup")
    if not target.parent.is_dir():
        raise StoreError(f"the folder {target.parent} does not exist")
    discard(target.with_name(target.name + ".partial"))  # what a backup killed under an earlier version left
    if passphrase is not None:
        return _sealed_backup(store, target, actor=actor, now=now, passphrase=passphrase, note=note)
    with _start(store, target) as job:
        copy_database(store._conn, job.temp)
        report = check_log_file(job.temp)
        if not report.ok:
            raise LogDamaged(f"the backup {target} does not verify: {report.first_problem}")
        detail = f"backup to {target.name}{note}"
        carried = _log_and_place(store, job, detail, actor=actor, now=now, copied_head=report.chain_head)
    if carried is not None:
        report = replace(report, entries_checked=report.entries_checked + 1, chain_head=carried)
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
    except OSError as exc:
        raise StoreError(f"the backup folder {folder} cannot be used: {describe_os_error(exc)}") from None
    with _start(store, target, sealed=True) as job:
        (plain,) = job.also
        copy_database(store._conn, plain)
        report = check_log_file(plain)
        if not report.ok:
            raise LogDamaged(f"the backup of {store.path} does not verify: {report.first_problem}")
        sealer = encrypted.Sealer(passphrase)
        try:
            with open(plain, "rb") as source:
                digest = sealer.seal(source, job.temp, kind="backup", name=target.name.removesuffix(encrypted.SUFFIX))
        except OSError as exc:
            raise StoreError(f"the backup {plain} cannot be read: {describe_os_error(exc)}") from None
        if sealer.plain_digest(job.temp) != digest:
            raise LogDamaged(f"the sealed backup {target} does not read back as the copy it was made from")
        detail = f"backup to {target.name} (encrypted, {encrypted.CIPHER}){note}"
        _log_and_place(store, job, detail, actor=actor, now=now, copied_head="")  # a sealed copy carries no entry
    update_marker(store.data_dir, last_backup=str(target.resolve()))
    return BackupResult(target, target.stat().st_size, report)


def backup_before_migration(store: CaseStore, pending: Sequence[str], *, now: dt.datetime | None = None) -> Path:
    """Copy the log aside before its schema changes (backups/cases-before-<migration>-<time>.db)."""
    folder = store.data_dir / "backups"
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise StoreError(f"the backup folder {folder} cannot be created: {describe_os_error(exc)}") from None
    target = folder / f"cases-before-{pending[0]}-{stamp(now)}.db"
    copy_database(store._conn, target)
    return target
