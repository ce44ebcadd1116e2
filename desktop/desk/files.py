"""Writing files the desk hands out (memos, exports): never half a file under the name, sealed when they may leave."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.atomic import atomic_file
from desktop.errors import Environment
from desktop.readfile import check_writable_target
from desktop.store.errors import StoreError, describe_os_error

if TYPE_CHECKING:
    from desktop.encrypted import Sealer


class FileWriteError(StoreError, Environment):
    """A file could not be written; the message names it and says why. Nothing was left under its name."""


def safe_write(target: Path, data: bytes) -> Path:
    """Write `data` to `target` atomically: a temporary file beside it, flushed to disk, then renamed.

    A reader (a printer spooler, a PDF viewer) sees either the old file or the whole new one.
    """
    target = Path(target)
    check_writable_target(target)  # a device, a pipe or a folder is never replaced by a file
    folder = target.parent
    if not folder.is_dir():
        raise FileWriteError(f"{target}: the folder {folder} does not exist")
    try:
        with atomic_file(target) as out:
            out.write(data)
    except OSError as exc:
        raise FileWriteError(f"{target} cannot be written: {describe_os_error(exc)}") from None
    return target


@dataclass
class CopyPolicy:
    """How a copy that may leave the station is written (CJIS SC-28(1), MP-5): sealed, or plain on purpose.

    A file written inside the data folder never leaves the station and is written plain. Outside it, a
    copy is sealed with `passphrase` (AES-256-GCM, desktop/encrypted.py) and named `….enc`, unless
    `no_encrypt` says it stays in the station; then its audit entry says so. One policy seals every
    file of an export under one key derivation.
    """

    passphrase: str | None = None
    no_encrypt: bool = False
    _sealer: Sealer | None = field(default=None, repr=False)

    def check(self, target: Path, data_dir: Path) -> str:
        """Refuse (PassphraseNeeded) a copy outside the data folder with neither; returns the audit note to add."""
        from desktop.encrypted import PassphraseNeeded, check_passphrase

        check_writable_target(Path(target))
        if not leaves(target, data_dir):
            return ""
        if self.passphrase is not None:
            check_passphrase(self.passphrase)
            return " (encrypted, AES-256-GCM)"
        if self.no_encrypt:
            return "; not encrypted (--no-encrypt: a copy that stays inside the station)"
        raise PassphraseNeeded(
            f"{target} is outside the data folder, so the copy may leave the station: it is encrypted. "
            "Give a passphrase, or --no-encrypt only for a copy that stays inside the station"
        )

    def write(self, target: Path, data: bytes, data_dir: Path, *, kind: str) -> Path:
        """Write `data` at `target` as this policy says; returns the path written (`target`, or `target.enc`)."""
        from desktop.encrypted import SUFFIX, EncryptedCopyError, Sealer

        self.check(target, data_dir)
        target = Path(target)
        if not leaves(target, data_dir) or self.passphrase is None:
            return safe_write(target, data)
        if not target.parent.is_dir():
            raise FileWriteError(f"{target}: the folder {target.parent} does not exist")
        if self._sealer is None:
            self._sealer = Sealer(self.passphrase)
        sealed = target if target.name.endswith(SUFFIX) else target.with_name(target.name + SUFFIX)
        check_writable_target(sealed)
        try:
            self._sealer.seal_bytes(data, sealed, kind=kind, name=target.name)
        except EncryptedCopyError as exc:
            raise FileWriteError(str(exc)) from None
        return sealed


def leaves(target: Path, data_dir: Path) -> bool:
    """Whether a file written at `target` is outside the data folder, and so may leave the station."""
    try:
        Path(target).resolve().relative_to(Path(data_dir).resolve())
    except ValueError:
        return True
    return False


def open_copy(source: Path, target: Path, passphrase: str) -> str:
    """Open a sealed copy (a backup or an export) into the plain file `target`; returns what kind of copy it was.

    Needs no data folder and no account: whoever received the copy and its passphrase opens it. `target`
    must not exist, and exists afterwards only if the whole copy checked out.
    """
    from desktop.encrypted import decrypt_file

    header = decrypt_file(Path(source), Path(target), passphrase)
    return str(header.get("kind") or "copy")
