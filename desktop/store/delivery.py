"""What the county register is given and gives back, as the log keeps it: the origin, a bundle's rows, witnesses.

A desk never talks to the register; it hands over a bundle (desktop/desk/bundles.py) and later records
the register's cosignature of it. This module is the SQLite side of that:

- the log's **origin** (`northampton-pd/booking-1`) is a signed audit entry, named once;
- a **delivery** is one read transaction over what a bundle carries: the entries from a given one on,
  the case versions those entries record, the packs those versions cite, and every key and certificate
  (the register checks each signature back to the admin root it enrolled). Accounts, passwords,
  sealed keys and scans are never part of it;
- a **witness** is a signed entry holding the register's cosignature of a head of this log, and the
  newest one is also noted in the folder's marker, beside the log, so a log cut back past it is
  noticed even when the cut took the witness entry with it.

`key_book` reads a desk's key and certificate rows (from a bundle, or from the register's copy of them)
with the log's own certificate checks (desktop/store/signatures.py), so the register trusts exactly
what `verify` trusts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from desktop.records import Actor, EventKind
from desktop.store.chain import append_event
from desktop.store.connect import translate
from desktop.store.errors import InvalidInput
from desktop.store.hashing import GENESIS_HASH, canonical

if TYPE_CHECKING:
    from desktop.store.signatures import KeyBook
    from desktop.store.store import CaseStore

ORIGIN_PREFIX: Final = "origin: "
WITNESS_PREFIX: Final = "register cosignature: "
MARKER_KEY: Final = "witnessed"  # the folder marker's note of the newest witnessed head
# agency/desk: lower-case letters, digits and dashes, as `northampton-pd/booking-1`.
ORIGIN_PATTERN: Final = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?/[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
CASE_KINDS: Final = (EventKind.RECORDED.value, EventKind.AMENDED.value)


def check_origin(name: str) -> str:
    """An origin as `agency/desk` (lower-case letters, digits, dashes); InvalidInput saying what is wrong."""
    text = name.strip() if isinstance(name, str) else ""
    if not ORIGIN_PATTERN.match(text):
        raise InvalidInput(
            f"the origin {name!r} should be AGENCY/DESK in lower-case letters, digits and dashes, "
            "such as northampton-pd/booking-1"
        )
    return text


def agency_of(origin: str) -> str:
    """The agency part of an origin (`northampton-pd` of `northampton-pd/booking-1`)."""
    return origin.partition("/")[0]


def origin_of(store: CaseStore) -> str | None:
    """This log's origin, from its signed origin entry (None for a log that has not been given one)."""
    row = store._conn.execute(
        "SELECT detail FROM audit_log WHERE kind = ? ORDER BY seq DESC LIMIT 1", [EventKind.ORIGIN.value]
    ).fetchone()
    if row is None or not str(row[0]).startswith(ORIGIN_PREFIX):
        return None
    return str(row[0])[len(ORIGIN_PREFIX) :]


def name_origin(store: CaseStore, origin: str, *, actor: Actor, now: dt.datetime) -> str:
    """Give the log its origin, once, in a signed entry; refused (InvalidInput) when it has one."""
    origin = check_origin(origin)
    with store._write() as conn:
        current = origin_of(store)
        if current is not None:
            raise InvalidInput(
                f"this log's origin is {current} already: an origin is named once, and the register knows the "
                "desk by it"
            )
        return append_event(
            conn, EventKind.ORIGIN, actor, ORIGIN_PREFIX + origin, at=now, desk_signer=store.desk_signer
        )


def last_entry(store: CaseStore) -> tuple[int, str]:
    """The newest entry's number and hash ((0, genesis) for an empty log)."""
    row = store._conn.execute("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)


def hash_at(store: CaseStore, seq: int) -> str | None:
    """The hash of entry `seq` (the genesis hash for 0), or None when the log has no such entry."""
    if seq == 0:
        return GENESIS_HASH
    row = store._conn.execute("SELECT entry_hash FROM audit_log WHERE seq = ?", [seq]).fetchone()
    return str(row[0]) if row else None


@dataclass
class Delivery:
    """One consistent read of what a bundle carries. Its iterators stream: read them inside the `with`."""

    conn: sqlite3.Connection
    from_seq: int
    to_seq: int
    head: str

    def keys(self) -> Iterator[dict[str, Any]]:
        for row in self.conn.execute("SELECT * FROM signing_keys ORDER BY created_at, key_id"):
            yield dict(row)

    def certificates(self) -> Iterator[dict[str, Any]]:
        for row in self.conn.execute("SELECT * FROM key_certificates ORDER BY id"):
            yield dict(row)

    def _recorded(self) -> str:
        return (
            "SELECT record_hash FROM audit_log WHERE seq BETWEEN ? AND ? AND kind IN (?, ?) AND record_hash IS NOT NULL"
        )

    def packs(self) -> Iterator[dict[str, Any]]:
        """The packs the carried versions were decided under (the text once, by hash)."""
        sql = (
            "SELECT * FROM policy_packs WHERE sha256 IN (SELECT policy_sha256 FROM case_versions"
            f" WHERE record_hash IN ({self._recorded()})) ORDER BY sha256"
        )
        for row in self.conn.execute(sql, [self.from_seq, self.to_seq, *CASE_KINDS]):
            yield dict(row)

    def versions(self) -> Iterator[dict[str, Any]]:
        """The case versions recorded by the carried entries, in case and version order."""
        sql = f"SELECT * FROM case_versions WHERE record_hash IN ({self._recorded()}) ORDER BY case_number, version"
        for row in self.conn.execute(sql, [self.from_seq, self.to_seq, *CASE_KINDS]):
            yield dict(row)

    def entries(self) -> Iterator[dict[str, Any]]:
        for row in self.conn.execute(
            "SELECT * FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq", [self.from_seq, self.to_seq]
        ):
            yield dict(row)


@contextmanager
def delivery(store: CaseStore, from_seq: int) -> Iterator[Delivery]:
    """What a bundle from entry `from_seq` on carries, read in one read transaction (a snapshot)."""
    conn = store._conn
    try:
        conn.execute("BEGIN")
        to_seq, head = last_entry(store)
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise translate(exc, store.path) from None
    if not 1 <= from_seq <= to_seq:
        conn.execute("ROLLBACK")
        raise InvalidInput(f"the log has entries 1 to {to_seq}; a bundle cannot start at entry {from_seq}")
    try:
        yield Delivery(conn, from_seq, to_seq, head)
    except sqlite3.Error as exc:
        raise translate(exc, store.path) from None
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


@dataclass(frozen=True)
class WitnessEntry:
    """A register's cosignature as the log recorded it: the entry that holds it, and the cosignature."""

    seq: int
    cosignature: dict[str, Any]

    @property
    def size(self) -> int:
        return int(self.cosignature["size"])

    @property
    def head(self) -> str:
        return str(self.cosignature["head"])


def witness_entries(store: CaseStore) -> list[WitnessEntry]:
    """Every cosignature the log recorded, oldest first (an entry whose text is not one is left out)."""
    found = []
    for seq, detail in store._conn.execute(
        "SELECT seq, detail FROM audit_log WHERE kind = ? ORDER BY seq", [EventKind.WITNESS.value]
    ):
        text = str(detail)
        if not text.startswith(WITNESS_PREFIX):
            continue
        try:
            cosignature = json.loads(text[len(WITNESS_PREFIX) :])
        except ValueError:
            continue
        if isinstance(cosignature, dict) and isinstance(cosignature.get("size"), int):
            found.append(WitnessEntry(int(seq), cosignature))
    return found


def record_witness(store: CaseStore, cosignature: Mapping[str, Any], *, actor: Actor, now: dt.datetime) -> int:
    """Record a register's cosignature as a signed entry, and note it in the folder's marker; returns the entry."""
    from desktop.store.marker import update_marker

    detail = WITNESS_PREFIX + canonical(dict(cosignature))
    with store._write() as conn:
        append_event(conn, EventKind.WITNESS, actor, detail, at=now, desk_signer=store.desk_signer)
        seq = int(conn.execute("SELECT MAX(seq) FROM audit_log").fetchone()[0])
    update_marker(
        store.data_dir,
        **{MARKER_KEY: {"size": int(cosignature["size"]), "head": str(cosignature["head"]), "entry": seq}},
    )
    return seq


def marker_witness(store: CaseStore) -> dict[str, Any] | None:
    """The newest witnessed head the folder's marker notes ({size, head, entry}), if it notes one."""
    from desktop.store.marker import read_marker

    noted = (read_marker(store.data_dir) or {}).get(MARKER_KEY)
    if isinstance(noted, dict) and isinstance(noted.get("size"), int) and isinstance(noted.get("head"), str):
        return noted
    return None


def key_book(
    keys: Iterable[Mapping[str, Any]], certificates: Iterable[Mapping[str, Any]], problems: list[str]
) -> KeyBook:
    """The keys and certificates of a desk's log, checked by the log's own rules (signatures.read_keys).

    The rows come from elsewhere (a bundle, the register's copy of a desk's rows): they are laid in a
    private in-memory table of the same shape, so the very checks `verify` makes are made on them.
    """
    from desktop.store.signatures import read_keys

    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    try:
        for table, rows in (("signing_keys", list(keys)), ("key_certificates", list(certificates))):
            columns = sorted({column for row in rows for column in row} | _ORDERED_BY[table])
            conn.execute(f"CREATE TABLE {table} ({', '.join(_quoted(c) for c in columns)})")
            marks = ", ".join("?" for _ in columns)
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(_quoted(c) for c in columns)}) VALUES ({marks})",
                [[row.get(c) for c in columns] for row in rows],
            )
        return read_keys(conn, problems)
    finally:
        conn.close()


# The columns read_keys names, so a desk whose rows the register does not hold yet reads as no keys at all.
_ORDERED_BY: Final = {
    "signing_keys": {"key_id", "kind", "owner", "public_key", "created_at"},
    "key_certificates": {"id"},
}


def _quoted(column: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", column):
        raise InvalidInput(f"a key row names a column {column!r} no log has")
    return f'"{column}"'
