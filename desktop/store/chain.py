"""The audit chain: every record, amendment and event is an entry sealing all the entries before it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from desktop.records import Actor, EventKind
from desktop.store.connect import StoreBase
from desktop.store.errors import CaseNotFound, InvalidInput, NotSignedIn
from desktop.store.fields import actor_text, iso_utc, one_line, utc_now
from desktop.store.hashing import GENESIS_HASH, entry_hash

if TYPE_CHECKING:
    from desktop.signing import Signer

EVENT_KINDS: Final = tuple(kind.value for kind in EventKind)
# What the program itself writes, signed by the desk's own key (no officer's password is at hand):
# upgrades at start, a failed sign-in, an account locked by failures. Nothing else may carry that key.
# What only looks at the log: on a read-only copy these go unaudited rather than refused.
LOOKS: Final = frozenset(
    {
        EventKind.VIEW,
        EventKind.SEARCH,
        EventKind.SIGN_IN,
        EventKind.SIGN_OUT,
        EventKind.PREVIEW,
        EventKind.AUDIT_VIEW,
        EventKind.VERIFY,
        EventKind.RECEIPT,
    }
)
PROGRAM_KINDS: Final = frozenset(
    {EventKind.MIGRATED, EventKind.NEW_LOG, EventKind.DESK_KEY, EventKind.SIGN_IN_FAILED, EventKind.LOCKED}
)
# The kinds a log held before accounts (schema m001 to m006): only these may be unsigned, and only up to
# the entry at which the first admin says signing began. The program's own entries may be unsigned too,
# where the program had no key (a test's store, a folder it could not keep a key in).
BEFORE_ACCOUNTS: Final = frozenset(
    {
        EventKind.RECORDED,
        EventKind.AMENDED,
        EventKind.MEMO,
        EventKind.BACKUP,
        EventKind.RESTORE,
        EventKind.VERIFY,
        EventKind.ATTACHMENT,
        EventKind.MIGRATED,
        EventKind.NEW_LOG,
    }
)
FLOOR_PREFIX: Final = "case_number_floor:"


def accounts_exist(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None


def check_standing(conn: sqlite3.Connection, signer: Signer, who: str) -> None:
    """Refuse an account key that no longer signs: replaced by a password reset, or its account disabled.

    A session opened before the change still holds the old key in memory; what it would sign, `verify`
    refuses (the key ended at the admin's entry), so it is refused here first, in words.
    """
    row = conn.execute("SELECT kind FROM signing_keys WHERE key_id = ?", [signer.key_id]).fetchone()
    if row is None or row[0] != "account":
        return  # an unknown key is verify's to name; the desk's own key is checked by the kind it signs
    account = conn.execute("SELECT username, disabled FROM accounts WHERE key_id = ?", [signer.key_id]).fetchone()
    if account is None:
        raise NotSignedIn(f"{who}'s signing key was replaced (a password reset): sign in again")
    if account[1]:
        raise NotSignedIn(f"the account {account[0]} is disabled: it signs nothing more")


def floors_state(conn: sqlite3.Connection) -> str:
    """The numbering floor a restore leaves (meta `case_number_floor:YEAR`), as the state its entry signs."""
    from desktop.store.hashing import canonical

    floors: dict[str, int] = {}
    for key, value in conn.execute("SELECT key, value FROM meta WHERE key LIKE ?", [FLOOR_PREFIX + "%"]):
        year = str(key)[len(FLOOR_PREFIX) :]
        floors[year] = int(value) if str(value).isdigit() else value
    return canonical({"floors": floors})


def signer_for(
    conn: sqlite3.Connection,
    kind: EventKind,
    actor: str | Actor,
    desk_signer: Signer | None,
    *,
    check_key: bool = True,
) -> Signer | None:
    """The key that signs an entry: the signed-in officer's, the desk's for the program's own entries.

    Once accounts exist, an entry nobody signed is refused: no one can write as someone else; nor can
    a key that a password reset replaced, or whose account was disabled (`check_key`; an account change
    checks it before it changes the account, since it may end the very key that signs it).
    """
    signer: Signer | None = actor.signer if isinstance(actor, Actor) else None
    if signer is not None:
        if check_key:
            check_standing(conn, signer, actor.label if isinstance(actor, Actor) else str(actor))
        return signer
    if kind in PROGRAM_KINDS and desk_signer is not None:
        return desk_signer
    if accounts_exist(conn):
        who = actor.label if isinstance(actor, Actor) else actor
        raise NotSignedIn(f"{who} is not signed in; every entry is signed by the officer who makes it")
    return None


def event_kind(kind: str) -> EventKind:
    """The kind named, or InvalidInput listing the kinds there are."""
    try:
        return EventKind(kind)
    except ValueError:
        raise InvalidInput(f"unknown event kind {kind!r}; expected one of {', '.join(EVENT_KINDS)}") from None


def append_event(
    conn: sqlite3.Connection,
    kind: EventKind,
    actor: str | Actor,
    detail: str,
    *,
    at: dt.datetime,
    case_number: str | None = None,
    version: int | None = None,
    record_hash_value: str | None = None,
    desk_signer: Signer | None = None,
    state: str | None = None,
    check_key: bool = True,
) -> str:
    """Add one entry after the newest, signed by whoever makes it, inside the caller's write
    transaction; returns its hash.

    `state` is the canonical JSON of what the entry sets (desktop/store/accounts.py): signed with it.
    A restore's entry signs the numbering floor it leaves, read here from the same transaction.
    """
    from desktop.signing import entry_message

    signer = signer_for(conn, EventKind(kind), actor, desk_signer, check_key=check_key)
    if EventKind(kind) == EventKind.RESTORE and state is None:
        state = floors_state(conn)
    label = actor.label if isinstance(actor, Actor) else actor
    last = conn.execute("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    entry: dict[str, object] = {
        "seq": seq,
        "at": iso_utc(at),
        "kind": EventKind(kind).value,  # the plain text, exactly as entries have always been written
        "case_number": case_number,
        "version": version,
        "actor": label,
        "detail": detail,
        "record_hash": record_hash_value,
        "signer": signer.key_id if signer is not None else None,
        "state": state,
    }
    digest = entry_hash(prev, entry)
    signature = signer.sign(entry_message(digest)).hex() if signer is not None else None
    conn.execute(
        "INSERT INTO audit_log (seq, at, kind, case_number, version, actor, detail, record_hash, prev_hash,"
        " entry_hash, signer, signature, state) VALUES (:seq, :at, :kind, :case_number, :version, :actor, :detail,"
        " :record_hash, :prev_hash, :entry_hash, :signer, :signature, :state)",
        {**entry, "prev_hash": prev, "entry_hash": digest, "signature": signature},
    )
    return digest


def entries_after(conn: sqlite3.Connection, seq: int) -> tuple[int, int]:
    """How many entries come after entry `seq`, and how many of them recorded or amended a case."""
    row = conn.execute(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE kind IN (?, ?)) FROM audit_log WHERE seq > ?",
        [EventKind.RECORDED.value, EventKind.AMENDED.value, seq],
    ).fetchone()
    return int(row[0]), int(row[1])


class ChainMixin(StoreBase):
    """Reading the chain's head and positions, and adding an event to it."""

    def chain_head(self) -> str:
        """The hash of the newest audit entry (the genesis hash for an empty log)."""
        row = self._conn.execute("SELECT entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        return str(row[0]) if row else GENESIS_HASH

    def chain_position(self, entry_hash_value: str) -> int | None:
        """The audit entry whose hash this is (0 for the empty log's genesis), or None when not in the chain."""
        if entry_hash_value == GENESIS_HASH:
            return 0
        row = self._conn.execute("SELECT seq FROM audit_log WHERE entry_hash = ?", [entry_hash_value]).fetchone()
        return int(row[0]) if row else None

    def entry_signer(self, seq: int) -> tuple[str, str | None] | None:
        """The kind of audit entry `seq` and the key that signed it (None when unsigned), or None when no such entry."""
        row = self._conn.execute("SELECT kind, signer FROM audit_log WHERE seq = ?", [seq]).fetchone()
        return (str(row[0]), row[1]) if row else None

    def entries_after(self, seq: int) -> tuple[int, int]:
        """How many entries come after entry `seq`, and how many of them recorded or amended a case."""
        return entries_after(self._conn, seq)

    def signed_restores(self) -> list[tuple[int, str]]:
        """Every signed restore entry, newest first: (entry, its time)."""
        return [
            (int(r[0]), str(r[1]))
            for r in self._conn.execute(
                "SELECT seq, at FROM audit_log WHERE kind = ? AND signer IS NOT NULL ORDER BY seq DESC",
                [EventKind.RESTORE.value],
            )
        ]

    def chain_position_of_record(self, record_hash_value: str) -> int | None:
        """The audit entry that recorded a version with this record hash, or None."""
        row = self._conn.execute("SELECT MIN(seq) FROM audit_log WHERE record_hash = ?", [record_hash_value]).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def log_event(
        self,
        case_number: str | None,
        kind: str,
        actor: str | Actor,
        detail: str,
        *,
        now: dt.datetime | None = None,
        before_commit: Callable[[sqlite3.Connection, str], object] | None = None,
        state: str | None = None,
    ) -> str:
        """Add an event (memo printed, exported, ...) to the audit chain; returns the new chain head.

        `state` is what the entry sets, signed with it (a receipt checked: desktop/desk/receipts.py).

        On a log opened read-only, a look (a view, a search, a sign-in, a verify run) cannot be written:
        it is let through unaudited, as the store's notices say; anything else is refused as read-only.
        `before_commit` is called with the transaction and the new entry's hash before it commits (a
        backup notes the entry beside its copy); if it raises, nothing is written.
        """
        checked_kind = event_kind(kind)
        if self.read_only and checked_kind in LOOKS:
            return self.chain_head()
        who = actor_text(actor, "who did it")
        detail = one_line(detail, "detail", required=False)
        with self._write() as conn:
            if (
                case_number is not None
                and not conn.execute("SELECT 1 FROM cases WHERE case_number = ?", [case_number]).fetchone()
            ):
                raise CaseNotFound(case_number)
            head = append_event(
                conn,
                checked_kind,
                actor if isinstance(actor, Actor) else who,
                detail,
                case_number=case_number,
                at=now or utc_now(),
                desk_signer=self.desk_signer,
                state=state,
            )
            if before_commit is not None:
                before_commit(conn, head)
            return head
