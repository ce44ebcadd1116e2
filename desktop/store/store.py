"""The case log: record, amend, find and verify cases in one SQLite file through sqlite-utils.

`CaseStore` is put together from one part per concern:

    connect.py  opening the file, the write transaction, what SQLite's error codes mean
    chain.py    the hash-chained audit log (ChainMixin: chain head and positions, log_event)
    write.py    recording, amending and attaching scans (WriteMixin)
    read.py     reading cases and packs, and searching (ReadMixin)
    verify.py   verify, rebuild_index, integrity_ok (VerifyMixin)
    index.py    the search projection derived from each case's current version
    rows.py     rows read back as values; fields.py the checked one-line values and times
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sqlite_utils import Database

from desktop import __version__
from desktop.records import Actor, EventKind
from desktop.store import schema
from desktop.store.accounts import AccountsMixin, register_key
from desktop.store.chain import EVENT_KINDS, ChainMixin, append_event
from desktop.store.connect import (
    DB_NAME,
    StoreBase,
    connect,
    connect_read_only,
    is_log,
    read_only_folder,
    translate,
    use_wal,
)
from desktop.store.errors import LogDamaged, NewerLog, OtherLog, StoreError, describe_os_error
from desktop.store.fields import MAX_TEXT, check_officer, default_desk, iso_utc, utc_now
from desktop.store.index import reindex_missing
from desktop.store.marker import (
    MARKER,
    clear_stale_copies,
    evidence_of_a_log,
    read_marker,
    refuse_missing_log,
    set_aside_stray_journal,
    update_marker,
)
from desktop.store.pending import settle_pending_copies
from desktop.store.queue import QueueMixin
from desktop.store.read import ReadMixin
from desktop.store.reports import ReportMixin
from desktop.store.rows import record_fields as _record_fields
from desktop.store.verify import VerifyMixin
from desktop.store.write import WriteMixin

if TYPE_CHECKING:
    from desktop.signing import Signer

# Audit event kinds, kept under their old names (desktop.records.EventKind is the one list).
EVENT_RECORDED: Final = EventKind.RECORDED
EVENT_AMENDED: Final = EventKind.AMENDED
EVENT_MEMO: Final = EventKind.MEMO
EVENT_BACKUP: Final = EventKind.BACKUP
EVENT_RESTORE: Final = EventKind.RESTORE
EVENT_VERIFY: Final = EventKind.VERIFY
EVENT_ATTACHMENT: Final = EventKind.ATTACHMENT
EVENT_MIGRATED: Final = EventKind.MIGRATED


class CaseStore(AccountsMixin, WriteMixin, QueueMixin, ReadMixin, ReportMixin, VerifyMixin, ChainMixin, StoreBase):
    """The case log in one data folder. Open with `open_store()`; one instance per thread."""


def open_store(
    data_dir: Path,
    *,
    create: bool = True,
    now: dt.datetime | None = None,
    desk_signer: Signer | None = None,
    new_log: bool = False,
    desk_known: bool = False,
    new_desk_key: str | None = None,
) -> CaseStore:
    """Open (or create) the case log in `data_dir`, migrating an older log after a backup copy.

    `now` dates the backup copy and the migration's audit entry (the clock, by default).
    `desk_signer` is the desk's own key: it signs the program's own entries (an upgrade, a failed
    sign-in) and is made known to the log here.

    A folder that shows a log was kept here (desktop/store/marker.py; `desk_known`: the desk's key was
    there before this start) but whose cases.db is missing, empty or holds no log is refused, unless
    `new_log` says to start a new log anyway (audited in the new log). A cases.db that is not the log
    the folder's marker names (another desk's, copied in) is refused too. `new_desk_key` says what a desk
    key made with --new-desk-key replaced: the log records the new key in an entry it signs.

    Raises:
        LogMissing: the log is gone but the folder kept one; nothing was created.
        OtherLog: cases.db is another log than the one this folder kept; it was left untouched.
        NewerLog: the log was written by a newer version of the app; it is left untouched.
        LogDamaged: the file is not a usable SQLite database, or is another program's database.
        StoreError: the folder cannot be created or written.
    """
    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"the data folder {data_dir} cannot be created: {describe_os_error(exc)}") from None
    path = data_dir / DB_NAME
    existed = path.exists() and path.stat().st_size > 0
    started_over = None  # what showed a log was kept here, when a new one is started in its place
    if not existed:
        started_over = _lost_log(data_dir, new_log, desk_known, "is empty (0 bytes)" if path.exists() else "is missing")
        if started_over is not None:
            set_aside_stray_journal(data_dir)  # the lost log's last changes, never replayed into the new one
    read_only = existed and read_only_folder(data_dir)
    conn = connect_read_only(path) if read_only else connect(path, create=create)
    try:
        try:
            is_empty = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
        except sqlite3.DatabaseError as exc:
            raise translate(exc, path) from None
        if not is_empty and not is_log(conn):
            raise LogDamaged(f"{path} is not a Safe Communities Desk case log; it was left untouched")
        if is_empty and existed:  # a database with nothing in it where the log should be
            started_over = _lost_log(data_dir, new_log, desk_known, "holds no log (an empty database)")
        if not read_only:
            use_wal(conn, path)  # only now: another program's file is never switched to WAL
        db = Database(conn)
        applied = {m.name for m in schema.migrations.applied(db)}
        unknown = sorted(applied - set(schema.known_migrations()))
        if unknown:
            raise NewerLog(
                f"the case log {path} was written by a newer version of Safe Communities Desk "
                f"(schema {', '.join(unknown)}); install that version. The log was not changed."
            )
        if read_only:
            store = _read_only_store(data_dir, db, conn, desk_signer)
            _check_identity(store, writable=False)
            return store
        store = CaseStore(data_dir, db, conn)
        store.desk_signer = desk_signer
        pending = schema.migrations.pending(db)
        if pending:
            _migrate(
                store,
                [m.name for m in pending],
                upgrading=existed and not is_empty,
                now=now or utc_now(),
                started_over=started_over,
            )
        else:
            _repair_index(store)
        _check_identity(store, writable=True)
        if desk_signer is not None:
            store.ensure_desk_key(desk_signer, owner=default_desk(), now=now)
            if new_desk_key is not None:
                store.log_event(
                    None,
                    EventKind.DESK_KEY,
                    Actor.system().label,
                    f"a new desk key {desk_signer.key_id} made with --new-desk-key ({new_desk_key}); an admin "
                    "certifies it at their next sign-in",
                    now=now,
                )
        clear_stale_copies(data_dir)
        settle_copies(store)
        return store
    except BaseException:
        conn.close()
        raise


def settle_copies(store: CaseStore) -> None:
    """Finish the copies a killed backup logged and undo the others (pending.py): at every open and backup."""
    if store.read_only:
        return

    def logged(entry: str, name: str) -> bool:
        row = store._conn.execute(
            "SELECT kind, detail FROM audit_log WHERE entry_hash = ? AND kind IN (?, ?, ?, ?)",
            [entry, EventKind.BACKUP.value, EventKind.MEMO.value, EventKind.AUDIT_VIEW.value, EventKind.EXPORT.value],
        ).fetchone()
        if row is None:
            return False
        # "backup to NAME", "memo of version 2 saved as NAME", "audit log exported: 9 entries to NAME", "register
        # of ... saved as NAME", then perhaps a note after a space or a ";"
        leads = {"backup": "backup to ", "memo": " saved as ", "audit_view": " entries to ", "export": " saved as "}
        said, lead = str(row[1]), leads[row[0]]
        at = said.find(lead + name)
        rest = said[at + len(lead + name) :] if at >= 0 else None
        return rest is not None and (rest == "" or rest[0] in " ;")

    placed = settle_pending_copies(store.data_dir, logged)
    if placed:
        update_marker(store.data_dir, last_backup=str(placed[-1].resolve()))


def _lost_log(data_dir: Path, new_log: bool, desk_known: bool, state: str) -> str | None:
    """What shows a log was kept here, when cases.db is `state`: refused (LogMissing) unless `new_log`.

    None for a folder that never held a log: a new log is simply started there.
    """
    evidence = evidence_of_a_log(data_dir, desk_known=desk_known)
    if evidence is not None and not new_log:
        refuse_missing_log(data_dir, evidence=evidence, state=state)
    return evidence


def _check_identity(store: CaseStore, *, writable: bool) -> None:
    """The log is the one this folder's marker names; a log without an identity gets one (and the marker it).

    Every log carries a random id in its meta table, and the marker beside it repeats it. A cases.db
    copied in from another desk has another id: it is refused, untouched, rather than taken for this
    desk's log (the chain would verify; it is just not this desk's history).
    """
    row = store._conn.execute("SELECT value FROM meta WHERE key = 'log_id'").fetchone()
    log_id = str(row[0]) if row else None
    if log_id is None and writable:
        log_id = uuid.uuid4().hex
        with store._write() as conn:
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('log_id', ?)", [log_id])
    marked = (read_marker(store.data_dir) or {}).get("log_id")
    if isinstance(marked, str) and marked and log_id is not None and marked != log_id:
        raise OtherLog(
            f"the case log {store.path} is not the log this folder kept ({MARKER} names log {marked[:8]}, "
            f"cases.db is log {log_id[:8]}): it may be another desk's, and was left untouched. Put this desk's "
            "log back (restore its latest backup), or take the other one over with `main.py restore FILE "
            "--other-desk`"
        )
    if writable and log_id is not None and marked != log_id:
        update_marker(store.data_dir, log_id=log_id)


def _read_only_store(data_dir: Path, db: Database, conn: sqlite3.Connection, desk_signer: Signer | None) -> CaseStore:
    """A log that cannot be written here: read, searched and verified; looks at it are not audited, nothing recorded."""
    path = data_dir / DB_NAME
    if schema.migrations.pending(db):
        raise StoreError(
            f"the case log {path} is read-only here and from an older version, so it cannot be upgraded; "
            "copy it to a folder desk users may write to"
        )
    store = CaseStore(data_dir, db, conn)
    store.desk_signer = desk_signer
    store.read_only = True
    store.notices.append(
        f"The case log {path} is read-only here: it can be read and verified, but nothing can be recorded, "
        "and looking at it is not audited"
    )
    return store


def _migrate(
    store: CaseStore, pending: list[str], *, upgrading: bool, now: dt.datetime, started_over: str | None = None
) -> None:
    """Apply the pending migrations, all or nothing; an existing log is copied aside first and the upgrade audited.

    Every migration, the search projection they imply and the upgrade's own audit entry are written
    in one transaction (sqlite-utils runs each migration in a savepoint inside it). A kill anywhere in
    it leaves the log exactly as it was before, and the next open simply upgrades it again.
    """
    if upgrading:
        from desktop.store.backup import backup_before_migration

        copy = backup_before_migration(store, pending, now=now)
        store.notices.append(f"Case log backed up to {copy} before upgrading")
    try:
        with store._write() as conn:
            _upgrade(store, conn)
            if not upgrading:
                conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('log_id', ?)", [uuid.uuid4().hex])
            if started_over is not None:
                signer = store.desk_signer
                if signer is not None:
                    register_key(conn, signer.key_id, signer.public, owner=default_desk(), kind="desk", at=now)
                detail = f"a new log started with --new-log in place of a missing one ({started_over})"
                append_event(conn, EventKind.NEW_LOG, Actor.system().label, detail, at=now, desk_signer=signer)
            if upgrading:
                signer = store.desk_signer
                if signer is not None:  # known before it signs, in the same transaction
                    register_key(conn, signer.key_id, signer.public, owner=default_desk(), kind="desk", at=now)
                detail = f"schema upgraded: {', '.join(pending)}"
                append_event(conn, EventKind.MIGRATED, Actor.system().label, detail, at=now, desk_signer=signer)
    except sqlite3.Error as exc:
        raise translate(exc, store.path) from None
    if upgrading:
        store.notices.append(f"Case log upgraded ({', '.join(pending)})")
    else:
        log_id = store._conn.execute("SELECT value FROM meta WHERE key = 'log_id'").fetchone()
        update_marker(store.data_dir, log_id=log_id[0] if log_id else None, created_at=iso_utc(now))


def _upgrade(store: CaseStore, conn: sqlite3.Connection) -> None:
    """The schema change itself, inside the caller's one transaction: every pending migration (each in a
    savepoint), the search projection they imply, and the version that wrote the log."""
    schema.migrations.apply(store.db)
    reindex_missing(conn, store._zones)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('app_version', ?)", [__version__])


def upgrade_copy(path: Path) -> tuple[str, ...]:
    """Bring a copy of a log written by an earlier version (a backup being restored) to this version's schema.

    The same migrations as an open applies, in the same one transaction; a kill leaves the copy as it
    was. Unlike an open it writes no audit entry and makes no backup first: the copy is a private one
    in the staging folder, and the restore's own entry, signed by whoever restores it, says it was
    upgraded (an entry signed by this desk's key could not be checked in a backup made on another PC).
    Returns the migrations applied (none for a log this version wrote). The caller has checked that the
    file is a case log (copies.check_log_header).
    """
    conn = connect(path, create=False)
    try:
        store = CaseStore(path.parent, Database(conn), conn)
        pending = tuple(m.name for m in schema.migrations.pending(store.db))
        if pending:
            use_wal(conn, path)  # as an open does; closing folds the journal back into the one file
            with store._write() as write:
                _upgrade(store, write)
            conn.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file again
        return pending
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    finally:
        conn.close()


def close_as_one_file(store: CaseStore) -> None:
    """Fold the write-ahead journal back into the log file, so the file alone is the whole log (a log built
    aside and then moved into place: a set-up's)."""
    try:
        store._conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise translate(exc, store.path) from None


def _repair_index(store: CaseStore) -> None:
    """Rebuild the search projection when it disagrees with the cases (say a kill mid-upgrade by an older build).

    The projection is derived, never evidence, so rebuilding it changes nothing the log vouches for.
    A log that cannot be written (a read-only copy) is left as it is; `verify` names what is wrong.
    """
    from desktop.store.index import index_disagrees, rebuild_in_batches

    try:
        reason = index_disagrees(store._conn)
        if reason is None:
            return
        count = rebuild_in_batches(store)  # in short transactions: other desks save meanwhile
    except StoreError as exc:
        store.notices.append(f"The search index disagrees with the log and could not be rebuilt ({exc})")
        return
    except sqlite3.Error:
        return  # verify reports it
    store.notices.append(f"Search index rebuilt from the log ({count:,} cases): {reason}")


__all__ = [
    "DB_NAME",
    "EVENT_AMENDED",
    "EVENT_ATTACHMENT",
    "EVENT_BACKUP",
    "EVENT_KINDS",
    "EVENT_MEMO",
    "EVENT_MIGRATED",
    "EVENT_RECORDED",
    "EVENT_RESTORE",
    "EVENT_VERIFY",
    "MAX_TEXT",
    "CaseStore",
    "_record_fields",
    "check_officer",
    "default_desk",
    "open_store",
]
