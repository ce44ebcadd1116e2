"""What an insider with the desk's data folder and the source does to a log before a bundle leaves it.

Each edit goes through a raw SQLite connection, the append-only triggers dropped first, and recomputes
what the code computes (entry hashes with the project's own hashing), as a careful adversary would.
What they cannot redo is a signature made with someone else's key.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from desktop.records import Actor, EventKind
from desktop.signing import Signer, certificate_message
from desktop.store.accounts import certificate_fields
from desktop.store.chain import append_event
from desktop.store.hashing import entry_hash


def raw(folder: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / "cases.db", isolation_level=None)
    conn.row_factory = sqlite3.Row
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_%'"
    ).fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    return conn


def rechain(conn: sqlite3.Connection, start: int) -> None:
    """Recompute every entry hash from `start` on (the signatures stay as they were: they cannot be redone)."""
    rows = [dict(r) for r in conn.execute("SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq", [start])]
    prev_row = conn.execute("SELECT entry_hash FROM audit_log WHERE seq = ?", [start - 1]).fetchone()
    prev = prev_row[0] if prev_row else "0" * 64
    for row in rows:
        row["prev_hash"] = prev
        prev = entry_hash(prev, row)
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?, entry_hash = ? WHERE seq = ?", [row["prev_hash"], prev, row["seq"]]
        )


def last_seq(folder: Path) -> int:
    conn = sqlite3.connect(f"file:{folder / 'cases.db'}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT MAX(seq) FROM audit_log").fetchone()[0])
    finally:
        conn.close()


def tamper_entry(folder: Path, seq: int) -> None:
    """Change what an entry says and recompute the chain from it."""
    conn = raw(folder)
    conn.execute("UPDATE audit_log SET detail = detail || ' (edited)' WHERE seq = ?", [seq])
    rechain(conn, seq)
    conn.close()


def strip_signature(folder: Path, seq: int) -> None:
    """Drop an entry's signer and signature, and recompute its hash (and the chain after it)."""
    conn = raw(folder)
    conn.execute("UPDATE audit_log SET signer = NULL, signature = NULL WHERE seq = ?", [seq])
    rechain(conn, seq)
    conn.close()


def sign_with_own_key(folder: Path, now: dt.datetime) -> int:
    """A key of the insider's own, certified by itself as an officer's, signing a new entry; returns it."""
    conn = raw(folder)
    signer = Signer.generate()
    at = now.isoformat()
    conn.execute(
        "INSERT INTO signing_keys (key_id, owner, kind, public_key, created_at) VALUES (?, 'mallory', 'account', ?, ?)",
        [signer.key_id, signer.public.hex(), at],
    )
    label, roles = "M. ALLORY #666", "officer,supervisor"
    fields = certificate_fields(signer.key_id, label, roles, signer.key_id, at, signer.public.hex())
    conn.execute(
        "INSERT INTO key_certificates (key_id, label, roles, certified_by, at, signature) VALUES (?, ?, ?, ?, ?, ?)",
        [signer.key_id, label, roles, signer.key_id, at, signer.sign(certificate_message(fields)).hex()],
    )
    actor = Actor("M. ALLORY", "666", frozenset({"officer"}), "mallory", signer)
    # The program refuses a key no account holds (check_standing); the insider writes past that refusal.
    append_event(conn, EventKind.VIEW, actor, "case viewed", at=now, check_key=False)
    seq = int(conn.execute("SELECT MAX(seq) FROM audit_log").fetchone()[0])
    conn.close()
    return seq


def cut_after(folder: Path, seq: int) -> None:
    """Delete every entry after `seq` (what is left is still a valid chain)."""
    conn = raw(folder)
    conn.execute("DELETE FROM audit_log WHERE seq > ?", [seq])
    conn.close()
