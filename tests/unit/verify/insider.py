"""What an insider can do with write access to the data folder and the program's source, and no one else's
password: open cases.db with a raw connection, drop the append-only triggers, change rows, and recompute
every hash with the program's own functions (re-signing only with keys they hold)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.signing import Signer, entry_message
from desktop.store.hashing import GENESIS_HASH, entry_hash


@contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """cases.db with its triggers set aside (and put back, as they were, after)."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for trigger in triggers:
        conn.execute(f'DROP TRIGGER "{trigger["name"]}"')
    try:
        yield conn
        for trigger in triggers:
            conn.execute(trigger["sql"])
        conn.commit()
    finally:
        conn.close()


def rechain(conn: sqlite3.Connection, signers: dict[str, Signer] | None = None) -> None:
    """Recompute every entry's hash from the first (as `verify` does), re-signing the entries of the keys held."""
    signers = signers or {}
    prev = GENESIS_HASH
    for entry in [dict(r) for r in conn.execute("SELECT * FROM audit_log ORDER BY seq")]:
        digest = entry_hash(prev, entry)
        signature = entry["signature"]
        if entry["signer"] in signers:
            signature = signers[entry["signer"]].sign(entry_message(digest)).hex()
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?, entry_hash = ?, signature = ? WHERE seq = ?",
            [prev, digest, signature, entry["seq"]],
        )
        prev = digest


def strip_signatures(conn: sqlite3.Connection) -> None:
    """Every entry made to look as if it came from before accounts: no signer, no signature, hashes recomputed."""
    conn.execute("UPDATE audit_log SET signer = NULL, signature = NULL")
    rechain(conn)
