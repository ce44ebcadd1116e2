"""The register's journal: what the register itself decided (set up, a desk enrolled, a branch accepted).

Each entry is hash chained like a desk's audit log (the project's canonical hashing) and signed with
the register's key, so `register verify` can tell an entry was altered or removed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from desktop.register.db import Connection
from desktop.signing import Signer, verify_signature
from desktop.store.hashing import GENESIS_HASH, canonical, sha256_text

FIELDS: Final = ("seq", "at", "kind", "origin", "detail", "actor")


def journal_message(entry_hash: str) -> bytes:
    return b"safedesk-register-entry:" + entry_hash.encode("ascii")


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    return sha256_text(prev_hash + canonical({f: entry[f] for f in FIELDS}))


def append(conn: Connection, signer: Signer, *, kind: str, origin: str | None, detail: str, now: dt.datetime) -> int:
    """Add a signed entry to the journal, inside the caller's transaction; returns its number."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('safedesk:journal', 0))")  # numbered in turn
    last = conn.execute("SELECT seq, entry_hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (int(last["seq"]) + 1, str(last["entry_hash"])) if last else (1, GENESIS_HASH)
    actor = conn.execute("SELECT session_user AS who").fetchone()
    entry = {
        "seq": seq,
        "at": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "kind": kind,
        "origin": origin,
        "detail": detail,
        "actor": str(actor["who"]) if actor else "",
    }
    digest = entry_hash(prev, entry)
    conn.execute(
        "INSERT INTO journal (seq, at, kind, origin, detail, actor, prev_hash, entry_hash, key_id, signature)"
        " VALUES (%(seq)s, %(at)s, %(kind)s, %(origin)s, %(detail)s, %(actor)s, %(prev)s, %(hash)s, %(key)s, %(sig)s)",
        {
            **entry,
            "prev": prev,
            "hash": digest,
            "key": signer.key_id,
            "sig": signer.sign(journal_message(digest)).hex(),
        },
    )
    return seq


def check(conn: Connection, keys: dict[str, bytes]) -> tuple[int, list[str]]:
    """Every journal entry again: its place, its hash and the register's signature; (entries, problems)."""
    problems: list[str] = []
    prev, expected, count = GENESIS_HASH, 1, 0
    for row in conn.execute("SELECT * FROM journal ORDER BY seq"):
        count += 1
        seq = int(row["seq"])
        where = f"register journal entry {seq} ({row['kind']})"
        if seq != expected:
            problems.append(f"register journal entry {expected} is missing (next is {seq})")
        if row["prev_hash"] != prev or entry_hash(str(row["prev_hash"]), dict(row)) != row["entry_hash"]:
            problems.append(f"{where} was altered: its hash does not match its content and place")
        public = keys.get(str(row["key_id"]))
        try:
            signature = bytes.fromhex(str(row["signature"]))
        except ValueError:
            signature = b""
        if public is None or not verify_signature(public, signature, journal_message(str(row["entry_hash"]))):
            problems.append(f"{where} has a broken signature: it was not made with the register's key")
        prev, expected = str(row["entry_hash"]), seq + 1
    return count, problems
