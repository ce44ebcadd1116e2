"""Checking who signed what: every key's certificates back to the one admin key the desk was set up with,
then every audit entry's signature.

What this proves: an entry signed by an account was made by someone who had that account's password
(only it unseals the key), and nothing in it or before it changed since. An entry signed by the desk's
own key proves only that the program on a desk that held that key file wrote it; so the desk key may
sign only the program's own entries (upgrades, failed sign-ins, an account locked by failures), and an
entry of any other kind carrying it is refused. What no check inside one file can prove is that the
file was not replaced whole, keys and all: the admin key's fingerprint, written down at install and
printed on every memo, and the signed receipts kept elsewhere are the outside witnesses.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from desktop.signing import certificate_message, entry_message, fingerprint, verify_signature
from desktop.store.accounts import certificate_fields
from desktop.store.chain import PROGRAM_KINDS

# Signature checks cost about a quarter of a millisecond each; past this many, spread them over the cores.
PARALLEL_FROM = 20_000
CHUNK = 5_000


@dataclass
class KeyBook:
    """Every key the log knows, which of them are validly certified, and under what labels."""

    public: dict[str, bytes] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)
    labels: dict[str, set[str]] = field(default_factory=dict)  # certified labels per key
    latest: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (label, roles) of its newest cert
    root: str | None = None

    def certified(self, key_id: str) -> bool:
        return key_id in self.labels

    @property
    def root_fingerprint(self) -> str | None:
        return fingerprint(self.public[self.root]) if self.root else None


def read_keys(conn: sqlite3.Connection, problems: list[str]) -> KeyBook:
    """Load every key and check every certificate: signed by an admin key that is itself certified."""
    book = KeyBook()
    for row in conn.execute("SELECT key_id, kind, public_key FROM signing_keys ORDER BY created_at, key_id"):
        book.public[row[0]] = bytes.fromhex(row[2])
        book.kind[row[0]] = row[1]
    admins: set[str] = set()
    roots: list[str] = []
    for cert in conn.execute("SELECT * FROM key_certificates ORDER BY id"):
        key_id, certifier = cert["key_id"], cert["certified_by"]
        where = f"the certificate of key {key_id} ({cert['label']})"
        public = book.public.get(key_id)
        certifier_public = book.public.get(certifier)
        if public is None or certifier_public is None:
            problems.append(f"{where} names a key that is not in the log")
            continue
        fields = certificate_fields(key_id, cert["label"], cert["roles"], certifier, cert["at"], public.hex())
        if not verify_signature(certifier_public, bytes.fromhex(cert["signature"]), certificate_message(fields)):
            problems.append(f"{where} has a broken signature: it was altered or not made by key {certifier}")
            continue
        roles = set(str(cert["roles"]).split(","))
        if certifier == key_id:
            if "admin" not in roles:
                problems.append(f"{where} certifies itself without being an admin key")
                continue
            roots.append(key_id)
            if len(roots) > 1:
                problems.append(
                    f"{where} is a second self-certified admin key: only the first admin, made at set-up, certifies "
                    "itself (someone made up a new root of trust)"
                )
                continue
        elif certifier not in admins:
            problems.append(f"{where} is signed by key {certifier}, which is not a certified admin key")
            continue
        if "admin" in roles:
            admins.add(key_id)
        book.labels.setdefault(key_id, set()).add(cert["label"])
        book.latest[key_id] = (cert["label"], cert["roles"])
    book.root = roots[0] if roots else None
    return book


def check_accounts(conn: sqlite3.Connection, book: KeyBook, problems: list[str]) -> None:
    """Each account's name, badge and roles are those its key's newest certificate says."""
    for row in conn.execute("SELECT username, name, badge, roles, key_id FROM accounts ORDER BY username"):
        latest = book.latest.get(row["key_id"])
        label = f"{row['name']} #{row['badge']}"
        if latest is None:
            problems.append(f"account {row['username']} has no certified key")
        elif latest != (label, row["roles"]):
            problems.append(
                f"account {row['username']} says {label} with roles {row['roles'] or 'none'}, but its certificate "
                f"says {latest[0]} with roles {latest[1] or 'none'} (the accounts table was edited)"
            )


@dataclass
class SignatureCheck:
    """One signed entry to check, as plain values a worker process can take."""

    seq: int
    public: bytes
    signature: bytes
    entry_hash: str


def check_entry(
    entry: dict[str, object], book: KeyBook, signed_before: bool, problems: list[str]
) -> SignatureCheck | None:
    """The rules an entry's signer must meet; returns the signature check still to do, if any."""
    seq = entry["seq"]
    signer = entry.get("signer")
    where = f"audit entry {seq} ({entry['kind']}, by {entry['actor']})"
    if not signer:
        if signed_before:
            problems.append(f"{where} is not signed, though entries before it are (a signature was stripped)")
        return None
    key_id = str(signer)
    public = book.public.get(key_id)
    if public is None:
        problems.append(f"{where} is signed by key {key_id}, which is not in the log")
        return None
    if not book.certified(key_id):
        problems.append(f"{where} is signed by key {key_id}, which no admin certified")
    if book.kind.get(key_id) == "desk":
        if entry["kind"] not in PROGRAM_KINDS:
            problems.append(f"{where} carries the desk's own key, which may sign only the program's own entries")
    elif entry["actor"] not in book.labels.get(key_id, set()):
        problems.append(f"{where} names someone other than the owner of the key that signed it")
    signature = entry.get("signature")
    if not signature:
        problems.append(f"{where} names a signer but has no signature")
        return None
    try:
        raw = bytes.fromhex(str(signature))
    except ValueError:
        problems.append(f"{where} has a signature that is not hex")
        return None
    return SignatureCheck(int(str(seq)), public, raw, str(entry["entry_hash"]))


def _bad(checks: Sequence[tuple[int, bytes, bytes, str]]) -> list[int]:
    """The entries whose signature does not verify (each key loaded once: a log has few keys, many entries)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    keys: dict[bytes, Ed25519PublicKey | None] = {}
    bad = []
    for seq, public, signature, digest in checks:
        if public not in keys:
            try:
                keys[public] = Ed25519PublicKey.from_public_bytes(public)
            except ValueError:
                keys[public] = None
        key = keys[public]
        try:
            if key is None:
                raise InvalidSignature
            key.verify(signature, entry_message(digest))
        except InvalidSignature:
            bad.append(seq)
    return bad


def verify_signatures(checks: Iterable[SignatureCheck], problems: list[str]) -> int:
    """Check every signature (over the cores when there are many); returns how many were checked."""
    plain = [(c.seq, c.public, c.signature, c.entry_hash) for c in checks]
    if len(plain) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        chunks = [plain[i : i + CHUNK] for i in range(0, len(plain), CHUNK)]
        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            bad = [seq for found in pool.map(_bad, chunks) for seq in found]
    else:
        bad = _bad(plain)
    for seq in sorted(bad):
        problems.append(
            f"audit entry {seq} has a broken signature: it, or an entry before it, was changed by someone "
            "who does not hold the signer's password"
        )
    return len(plain)
