"""The register's own key: made at `register init`, sealed under the register's passphrase, in the database.

It signs the register's cosignatures and its journal. It is sealed the way a desk account's key is
(desktop/signing.py: scrypt derives the key that seals it with AES-256-GCM), so the database holds
nothing that signs without the passphrase, which the register's admins keep.
"""

from __future__ import annotations

from typing import Final

from desktop.encrypted import EncryptedCopyError, check_passphrase
from desktop.register.db import Connection
from desktop.register.errors import RegisterError, RegisterInput
from desktop.signing import (
    PasswordRecord,
    Signer,
    WrongPassword,
    fingerprint,
    new_password,
    open_password,
    seal,
    unseal,
)

PASSPHRASE_ENV: Final = "SAFEDESK_REGISTER_PASSPHRASE"


def _context(key_id: str) -> bytes:
    return b"safedesk-register-key:" + key_id.encode("ascii")


def create_key(conn: Connection, passphrase: str) -> Signer:
    """A new register key, sealed under `passphrase` (the passphrase rules of a sealed copy apply)."""
    try:
        check_passphrase(passphrase)
    except EncryptedCopyError as exc:
        raise RegisterInput(f"the register's passphrase: {exc}") from None
    signer = Signer.generate()
    record, kek = new_password(passphrase)
    conn.execute(
        "INSERT INTO register_keys (key_id, public_key, password, sealed) VALUES (%s, %s, %s, %s)",
        (
            signer.key_id,
            signer.public.hex(),
            record.to_json(),
            seal(signer.raw(), kek, context=_context(signer.key_id)),
        ),
    )
    return signer


def current_key(conn: Connection) -> dict[str, str] | None:
    """The register key in use (the newest): its id and public key, or None before `init`."""
    row = conn.execute(
        "SELECT key_id, public_key FROM register_keys ORDER BY created_at DESC, key_id LIMIT 1"
    ).fetchone()
    return {"key_id": str(row["key_id"]), "public_key": str(row["public_key"])} if row else None


def register_fingerprint(conn: Connection) -> str | None:
    key = current_key(conn)
    return fingerprint(bytes.fromhex(key["public_key"])) if key else None


def unlock(conn: Connection, passphrase: str) -> Signer:
    """The register's key, opened with its passphrase; RegisterInput (one line) for a wrong one."""
    row = conn.execute(
        "SELECT key_id, password, sealed FROM register_keys ORDER BY created_at DESC, key_id LIMIT 1"
    ).fetchone()
    if row is None:
        raise RegisterError("the register has no key yet: run `main.py register init` first")
    try:
        kek = open_password(PasswordRecord.from_json(str(row["password"])), passphrase)
        signer = Signer.from_raw(unseal(bytes(row["sealed"]), kek, context=_context(str(row["key_id"]))))
    except WrongPassword:
        raise RegisterInput("the passphrase does not open the register's key; nothing was changed") from None
    if signer.key_id != row["key_id"]:
        raise RegisterError("the register's sealed key does not match its public key (the key row was altered)")
    return signer


def public_keys(conn: Connection) -> dict[str, bytes]:
    """Every key the register ever had, by id (its journal and old cosignatures are checked against them)."""
    return {
        str(r["key_id"]): bytes.fromhex(str(r["public_key"]))
        for r in conn.execute("SELECT key_id, public_key FROM register_keys")
    }
