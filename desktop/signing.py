"""Keys, signatures and passwords: who made an audit entry, proven with a key only their password unlocks.

One home for the cryptography the store and the desk share (no SQL, no Qt here):
- a password is kept only as a memory-hard scrypt verifier; the same derivation yields the key that
  seals the account's Ed25519 private key (AES-256-GCM), so only that officer's sign-in unlocks it;
- every audit entry an account makes is signed over its entry hash, which seals the whole chain
  before it: rewriting any earlier entry breaks the signatures of every entry after it;
- an admin's key certifies each account's public key (and the desk's own key), so a key an insider
  made up is refused by `verify`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any, Final

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

# scrypt with N=2^15, r=8 uses 32 MiB and about 0.1-0.2 s here: cheap once per sign-in, dear per guess.
SCRYPT_N: Final = 2**15
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
SALT_BYTES: Final = 16
NONCE_BYTES: Final = 12
MIN_PASSWORD: Final = 10
MAX_PASSWORD: Final = 1024


class WrongPassword(ValueError):
    """The password does not open this account (or the sealed key was altered)."""


class PasswordRefused(ValueError):
    """A new password does not meet the rules; the message says which."""


def check_new_password(password: str, *, username: str = "") -> str:
    """A new password, as CJIS Security Policy 5.9.5 IA-5(1)(a) asks of a memorized secret: at least
    MIN_PASSWORD characters (the policy's floor is 8), and not one that is commonly used, expected or
    compromised: not on the list of 30,000 common passwords (resources/passwords), nor such a word with
    digits or signs around it ("password12"), nor a run of sequential or repeated characters, nor the
    user name or the desk's own name."""
    if len(password) < MIN_PASSWORD:
        raise PasswordRefused(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise PasswordRefused(f"the password must have at most {MAX_PASSWORD} characters")
    folded = password.casefold()
    if username and username.casefold() in folded:
        raise PasswordRefused("the password must not contain the user name")
    if len(set(password)) < 3:
        raise PasswordRefused("the password must not repeat one or two characters")
    if _sequential(folded):
        raise PasswordRefused("the password must not be a run of sequential characters, like 1234567890 or abcdefghij")
    if any(word in folded.replace(" ", "") for word in EXPECTED_WORDS):
        raise PasswordRefused("the password must not contain the desk's own name")
    core = folded.strip(_AROUND)
    common = common_passwords()
    if folded in common or (len(core) >= 4 and core in common):
        raise PasswordRefused(
            "the password is too common (it is on the list of common passwords, perhaps with digits or signs "
            "added): choose a phrase of several words no one would guess"
        )
    return password


EXPECTED_WORDS: Final = ("safedesk", "safecommunities", "communitiesdesk")
_AROUND: Final = "0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def _sequential(text: str) -> bool:
    """Every character one after the other, up or down (1234567890, abcdefghij, 9876543210)."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return len(steps) == 1 and steps <= {1, -1}


@functools.cache
def common_passwords() -> frozenset[str]:
    """The common passwords that no new password may be (resources/passwords/common.txt, read once)."""
    from desktop.resources import resource_path

    text = resource_path("passwords", "common.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class PasswordRecord:
    """What is kept of a password: scrypt's parameters, the salt, and a hash of the derived verifier."""

    salt: bytes
    n: int
    r: int
    p: int
    verifier: bytes  # sha256 of the first half of scrypt's output; the second half seals the private key

    def to_json(self) -> str:
        return json.dumps(
            {"salt": self.salt.hex(), "n": self.n, "r": self.r, "p": self.p, "verifier": self.verifier.hex()},
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> PasswordRecord:
        data = json.loads(text)
        return cls(
            bytes.fromhex(data["salt"]), int(data["n"]), int(data["r"]), int(data["p"]), bytes.fromhex(data["verifier"])
        )


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    out = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 2**20, dklen=64)
    return hashlib.sha256(out[:32]).digest(), out[32:]


def new_password(password: str) -> tuple[PasswordRecord, bytes]:
    """A fresh salt and verifier for `password`, and the key-encryption key it yields."""
    salt = os.urandom(SALT_BYTES)
    verifier, kek = _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return PasswordRecord(salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, verifier), kek


def open_password(record: PasswordRecord, password: str) -> bytes:
    """The key-encryption key when `password` is right; WrongPassword otherwise (in constant time)."""
    verifier, kek = _derive(password, record.salt, record.n, record.r, record.p)
    if not hmac.compare_digest(verifier, record.verifier):
        raise WrongPassword("wrong password")
    return kek


def seal(secret: bytes, kek: bytes, *, context: bytes) -> bytes:
    """`secret` encrypted and authenticated (AES-256-GCM) under `kek`; `context` binds it to its owner."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(kek).encrypt(nonce, secret, context)


def unseal(blob: bytes, kek: bytes, *, context: bytes) -> bytes:
    try:
        return AESGCM(kek).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context)
    except (InvalidTag, ValueError):
        raise WrongPassword("the sealed key does not open with this password (wrong password, or altered)") from None


def key_id(public: bytes) -> str:
    """A key's short name: the first 128 bits of the SHA-256 of its raw public key, in hex."""
    return hashlib.sha256(public).hexdigest()[:32]


def fingerprint(public: bytes) -> str:
    """A key's fingerprint as people compare it: 8 groups of 4 hex digits (the key id)."""
    return fingerprint_of(key_id(public))


def fingerprint_of(key_id_hex: str) -> str:
    """A key id (32 hex digits) written as people compare it: 8 groups of 4, upper case."""
    ident = key_id_hex.upper()
    return " ".join(ident[i : i + 4] for i in range(0, len(ident), 4))


def read_fingerprint(text: str) -> str | None:
    """A fingerprint as someone typed or copied it (spaces, dashes, any case) as 32 lower-case hex digits,
    or None when it is not one."""
    digits = "".join(ch for ch in text if not ch.isspace() and ch not in "-:").lower()
    if len(digits) != 32 or any(ch not in "0123456789abcdef" for ch in digits):
        return None
    return digits


class Signer:
    """An unlocked private key. It exists only in memory, after its owner's password opened it."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        self.public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_id = key_id(self.public)

    @classmethod
    def generate(cls) -> Signer:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_raw(cls, raw: bytes) -> Signer:
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    def raw(self) -> bytes:
        """The 32-byte private key, for sealing under a password (never stored like this)."""
        return self._private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    def sign(self, data: bytes) -> bytes:
        return self._private.sign(data)

    def __repr__(self) -> str:  # never show key material
        return f"Signer({self.key_id})"


def verify_signature(public: bytes, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def entry_message(entry_hash_hex: str) -> bytes:
    """What an audit entry's signature covers: its hash, which covers its content and every entry before it."""
    return b"safedesk-audit-entry:" + entry_hash_hex.encode("ascii", "replace")


def certificate_message(fields: dict[str, Any]) -> bytes:
    """What a key certificate's signature covers: the key's owner, id, public key, roles and date."""
    return b"safedesk-key-certificate:" + _json_bytes(fields)


def receipt_message(fields: dict[str, Any]) -> bytes:
    """What a receipt's signature covers: chain head, entry count, time, desk, and (since format 2) the log
    and its admin key."""
    return b"safedesk-receipt:" + _json_bytes(fields)


def _json_bytes(fields: dict[str, Any]) -> bytes:
    # Text read back from a damaged row may hold bytes that were never UTF-8: they are signed as stored.
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8", "surrogateescape")
