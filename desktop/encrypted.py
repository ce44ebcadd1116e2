"""Encrypted copies: backups and exports that leave the station (CJIS SC-28(1), MP-5).

A copy is one file: a short header that says how it was sealed, then the content encrypted with
AES-256-GCM (the `cryptography` package) under a key derived from the operator's passphrase with
scrypt. The header is authenticated with the content, so a flipped byte anywhere is refused, and a
check value derived beside the key tells a wrong passphrase apart from a damaged file.

    SCDENC01 | header length (4 bytes, big-endian) | header (JSON) | ciphertext | GCM tag (16 bytes)

The content is streamed a megabyte at a time, so a large log is never held in memory, and a
decrypted file is only handed over once its tag has been checked: a file that fails is deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import secrets
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Final

from desktop.atomic import atomic_file
from desktop.errors import BadInput

MAGIC: Final = b"SCDENC01"
SUFFIX: Final = ".enc"
CIPHER: Final = "AES-256-GCM"
TAG_BYTES: Final = 16
NONCE_BYTES: Final = 12
CHUNK: Final = 1024 * 1024
MAX_HEADER: Final = 4096
# scrypt at 2**17 (128 MiB, about half a second here): a copy is sealed rarely and attacked offline.
SCRYPT_N: Final = 2**17
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
# What a header may ask of the reader: never less than the floor, never more memory than a desk PC has.
SCRYPT_N_RANGE: Final = (2**12, 2**17)
MIN_PASSPHRASE: Final = 10


class EncryptedCopyError(BadInput, ValueError):
    """An encrypted copy cannot be written or read; the message names the file and says why in one line."""


class WrongPassphrase(EncryptedCopyError):
    """The passphrase does not open this copy (the file itself may be fine)."""


class PassphraseNeeded(EncryptedCopyError):
    """A copy that may leave the station was asked for without a passphrase (and without --no-encrypt)."""


def check_passphrase(passphrase: str) -> str:
    """The passphrase, if it meets the rules for sealing a copy; else a ValueError that says which rule.

    CJIS 5.8 §5.10.1.2.1's passphrase rules: at least 10 characters, with an upper-case and a
    lower-case letter, a digit and a sign.
    """
    if not isinstance(passphrase, str) or not passphrase.strip():
        raise EncryptedCopyError("the passphrase is empty")
    problems = []
    if len(passphrase) < MIN_PASSPHRASE:
        problems.append(f"at least {MIN_PASSPHRASE} characters (it has {len(passphrase)})")
    if not any(c.isupper() for c in passphrase):
        problems.append("an upper-case letter")
    if not any(c.islower() for c in passphrase):
        problems.append("a lower-case letter")
    if not any(c.isdigit() for c in passphrase):
        problems.append("a digit")
    if not any(c in string.punctuation or (not c.isalnum() and not c.isspace()) for c in passphrase):
        problems.append("a sign such as ! or #")
    if problems:
        raise EncryptedCopyError(f"the passphrase needs {', '.join(problems)}")
    return passphrase


def is_encrypted(path: Path) -> bool:
    """Whether the file starts like an encrypted copy (False for any that cannot be read, or is not a file).

    A pipe or a device is never opened: reading one would wait for ever.
    """
    try:
        if not Path(path).is_file():
            return False
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _header_sum(fields: dict[str, Any]) -> str:
    """A plain SHA-256 of the header's other fields. It keeps no secret and proves nothing (the GCM tag does):
    it tells a header damaged after sealing (one flipped byte in the salt or the check value) apart from a
    wrong passphrase, which both fail the check value alike. Copies sealed before it have none."""
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode("utf-8")).hexdigest()


def _keys(passphrase: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    """The AES key and the passphrase check value, both from one scrypt derivation."""
    derived = hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=64)
    return derived[:32], hashlib.sha256(b"safedesk copy check" + derived[32:]).digest()


def _chunks(handle: BinaryIO, remaining: int | None = None) -> Iterator[bytes]:
    while remaining is None or remaining > 0:
        block = handle.read(CHUNK if remaining is None else min(CHUNK, remaining))
        if not block:
            return
        if remaining is not None:
            remaining -= len(block)
        yield block


def _describe(exc: OSError) -> str:
    return exc.strerror or str(exc)


class Sealer:
    """Seals any number of copies under one passphrase, deriving the key once (an export of many memos).

    Every copy gets its own random 96-bit nonce under the one key, so no nonce repeats in practice
    (NIST SP 800-38D allows 2**32 random nonces per key); the salt, and so the key, is the same for all.
    """

    def __init__(self, passphrase: str) -> None:
        check_passphrase(passphrase)
        self._salt = secrets.token_bytes(16)
        self._n = SCRYPT_N
        self._key, self._check = _keys(passphrase, self._salt, self._n, SCRYPT_R, SCRYPT_P)

    def _preamble(self, nonce: bytes, kind: str, name: str) -> bytes:
        fields: dict[str, Any] = {
            "format": 1,
            "cipher": CIPHER,
            "kdf": {"name": "scrypt", "n": self._n, "r": SCRYPT_R, "p": SCRYPT_P, "salt": self._salt.hex()},
            "nonce": nonce.hex(),
            "check": self._check.hex(),
            "kind": kind,
            "name": name,
        }
        header = json.dumps({**fields, "sum": _header_sum(fields)}, sort_keys=True).encode("utf-8")
        return MAGIC + len(header).to_bytes(4, "big") + header

    def seal(self, source: BinaryIO, target: Path, *, kind: str, name: str) -> str:
        """Seal what `source` holds into `target` (written beside itself, flushed, then renamed into place).

        Returns the SHA-256 of the plain content, so the caller can check the sealed copy against it.
        """
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        nonce = secrets.token_bytes(NONCE_BYTES)
        preamble = self._preamble(nonce, kind, name)
        encryptor = Cipher(algorithms.AES(self._key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(preamble)
        plain = hashlib.sha256()
        target = Path(target)
        try:
            with atomic_file(target) as out:
                out.write(preamble)
                for block in _chunks(source):
                    plain.update(block)
                    out.write(encryptor.update(block))
                out.write(encryptor.finalize())
                out.write(encryptor.tag)
        except OSError as exc:
            raise EncryptedCopyError(f"{target} cannot be written: {_describe(exc)}") from None
        return plain.hexdigest()

    def seal_bytes(self, data: bytes, target: Path, *, kind: str, name: str) -> str:
        return self.seal(io.BytesIO(data), target, kind=kind, name=name)

    def plain_digest(self, target: Path) -> str:
        """Read back a copy this sealer made (with its own key) and return the SHA-256 of its plain content."""
        return plain_digest(target, keys=(self._key, self._check))


def encrypt_file(source: Path, target: Path, passphrase: str, *, kind: str) -> str:
    """Seal the file `source` into `target`; returns the SHA-256 of its plain content."""
    sealer = Sealer(passphrase)
    try:
        with open(source, "rb") as inp:
            return sealer.seal(inp, target, kind=kind, name=Path(source).name)
    except OSError as exc:
        raise EncryptedCopyError(f"{source} cannot be read: {_describe(exc)}") from None


def read_header(path: Path) -> tuple[dict[str, Any], bytes, int]:
    """The copy's header, the authenticated preamble, and the size of its ciphertext."""
    path = Path(path)
    if not path.is_file():
        raise EncryptedCopyError(f"{path} is not a file (a folder, a pipe or a device cannot be opened as a copy)")
    try:
        with open(path, "rb") as handle:
            start = handle.read(len(MAGIC) + 4)
            size = os.fstat(handle.fileno()).st_size
            if len(start) < len(MAGIC) + 4 or start[: len(MAGIC)] != MAGIC:
                raise EncryptedCopyError(f"{path.name} is not an encrypted copy made by Safe Communities Desk")
            length = int.from_bytes(start[len(MAGIC) :], "big")
            if not 0 < length <= MAX_HEADER:
                raise EncryptedCopyError(f"{path.name} is damaged: its header is unreadable")
            raw = handle.read(length)
    except OSError as exc:
        raise EncryptedCopyError(f"{path} cannot be read: {_describe(exc)}") from None
    try:
        header = json.loads(raw.decode("utf-8"))
        others = {k: v for k, v in header.items() if k != "sum"} if isinstance(header, dict) else {}
        if isinstance(header, dict) and "sum" in header and header["sum"] != _header_sum(others):
            raise EncryptedCopyError(
                f"{path.name} is damaged: its header was changed after it was sealed (a flipped byte), so the "
                "passphrase was not tried; use another copy"
            )
        kdf = header["kdf"]
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        nonce = bytes.fromhex(header["nonce"])
        _salt, _check = bytes.fromhex(kdf["salt"]), bytes.fromhex(header["check"])  # both must be hex
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, OverflowError, RecursionError):
        raise EncryptedCopyError(f"{path.name} is damaged: its header is unreadable") from None
    if header.get("cipher") != CIPHER or kdf.get("name") != "scrypt" or header.get("format") != 1:
        raise EncryptedCopyError(f"{path.name} was sealed in a way this version cannot read ({header.get('cipher')})")
    if not (SCRYPT_N_RANGE[0] <= n <= SCRYPT_N_RANGE[1] and n & (n - 1) == 0 and r == SCRYPT_R and p == SCRYPT_P):
        raise EncryptedCopyError(f"{path.name} is damaged: its key settings are out of range")
    if len(nonce) != NONCE_BYTES:
        raise EncryptedCopyError(f"{path.name} is damaged: its header is unreadable")
    body = size - len(start) - length - TAG_BYTES
    if body < 0:
        raise EncryptedCopyError(f"{path.name} is damaged: it is cut short")
    return header, start + raw, body


def _open_stream(
    source: Path, passphrase: str, keys: tuple[bytes, bytes] | None = None
) -> tuple[dict[str, Any], Any, int, int, bytes]:
    """The header, a decryptor keyed for this copy, where its ciphertext starts, its size, and the tag.

    `keys` (the key and check value a Sealer derived) spares a second scrypt run on a copy it just made.
    """
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    header, preamble, body = read_header(source)
    kdf = header["kdf"]
    if keys is None and (not isinstance(passphrase, str) or not passphrase):
        raise WrongPassphrase(f"{source.name} is encrypted: give its passphrase")
    if keys is None:
        keys = _keys(passphrase, bytes.fromhex(kdf["salt"]), int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
    key, check = keys
    if not hmac.compare_digest(check, bytes.fromhex(header["check"])):
        raise WrongPassphrase(f"the passphrase does not open {source.name}; nothing was changed")
    try:
        with open(source, "rb") as inp:
            inp.seek(len(preamble) + body)
            tag = inp.read(TAG_BYTES)
    except OSError as exc:
        raise EncryptedCopyError(f"{source} cannot be read: {_describe(exc)}") from None
    decryptor = Cipher(algorithms.AES(key), modes.GCM(bytes.fromhex(header["nonce"]), tag)).decryptor()
    decryptor.authenticate_additional_data(preamble)
    return header, decryptor, len(preamble), body, tag


def _altered(source: Path) -> EncryptedCopyError:
    return EncryptedCopyError(
        f"{source.name} was altered or damaged after it was sealed (its authentication tag does not match); "
        "nothing was changed"
    )


def _plain_blocks(source: Path, decryptor: Any, start: int, body: int) -> Iterator[bytes]:
    """The plain content, block by block; the last block comes only once the tag has checked out.

    Raises InvalidTag at the end when the copy was altered, and OSError when it cannot be read.
    """
    with open(source, "rb") as inp:
        inp.seek(start)
        for block in _chunks(inp, body):
            yield decryptor.update(block)
    yield decryptor.finalize()


def plain_digest(source: Path, passphrase: str = "", *, keys: tuple[bytes, bytes] | None = None) -> str:
    """The SHA-256 of a sealed copy's plain content, read through without writing it anywhere (a check)."""
    from cryptography.exceptions import InvalidTag

    source = Path(source)
    _header, decryptor, start, body, _tag = _open_stream(source, passphrase, keys)
    digest = hashlib.sha256()
    try:
        for block in _plain_blocks(source, decryptor, start, body):
            digest.update(block)
    except InvalidTag:
        raise _altered(source) from None
    except OSError as exc:
        raise EncryptedCopyError(f"{source} cannot be read: {_describe(exc)}") from None
    return digest.hexdigest()


def decrypt_file(source: Path, target: Path, passphrase: str) -> dict[str, Any]:
    """Open a sealed copy into `target`; returns its header. `target` exists only if the whole copy checked out.

    Raises:
        WrongPassphrase: the passphrase does not open it.
        EncryptedCopyError: the file is not a copy, is damaged or altered (a single flipped byte), or
            `target` cannot be written.
    """
    from cryptography.exceptions import InvalidTag

    source, target = Path(source), Path(target)
    header, decryptor, start, body, _tag = _open_stream(source, passphrase)
    if target.exists():
        raise EncryptedCopyError(f"{target} already exists; nothing was changed")
    try:
        # Written to a private temporary file beside the target and renamed only once the tag checks out:
        # a kill mid-way, or an altered copy, leaves nothing under the target's name.
        with atomic_file(target) as out:
            for block in _plain_blocks(source, decryptor, start, body):
                out.write(block)
    except InvalidTag:
        raise _altered(source) from None
    except OSError as exc:
        raise EncryptedCopyError(f"{source.name} could not be opened into {target}: {_describe(exc)}") from None
    return header
