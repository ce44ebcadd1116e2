"""Writing files the desk hands out (memos, exports): never half a file under the name, sealed when they may leave."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.atomic import atomic_file
from desktop.errors import Environment
from desktop.readfile import check_writable_target
from desktop.store.errors import StoreError, describe_os_error

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.encrypted import Sealer
    from desktop.store import CaseStore
    from desktop.store.pending import BeforeCommit

    # log(path, before_commit): write the copy's audit entry, passing before_commit on to log_event
    LogCopy = Callable[[Path, BeforeCommit], object]


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

    def final_path(self, target: Path, data_dir: Path) -> Path:
        """Where a copy written at `target` ends up: `target`, or `target.enc` when it is sealed."""
        from desktop.encrypted import SUFFIX

        target = Path(target)
        if not leaves(target, data_dir) or self.passphrase is None or target.name.endswith(SUFFIX):
            return target
        return target.with_name(target.name + SUFFIX)

    def write_logged(self, store: CaseStore, target: Path, data: bytes, *, kind: str, log: LogCopy) -> Path:
        """An entry, or no copy: write `data` under a temporary name beside `target`, read it back, have `log`
        write its audit entry, and only then rename it into place; returns the path written.

        `log(path, before_commit)` writes the entry, passing `before_commit` to the store's log_event so the
        copy is noted as logged in the same transaction (desktop/store/pending.py). A kill before the entry
        commits leaves a temporary file the next open clears; one after it, a copy the next open puts in
        place. A log that cannot be written (read-only here) is refused before any file is made.
        """
        import hashlib

        from desktop.store.connect import read_only_error
        from desktop.store.pending import PendingCopy

        data_dir = store.data_dir
        self.check(target, data_dir)
        final = self.final_path(target, data_dir)
        check_writable_target(final)
        if store.read_only:
            raise read_only_error(store.path)
        if not final.parent.is_dir():
            raise FileWriteError(f"{final}: the folder {final.parent} does not exist")
        try:
            job = PendingCopy.start(data_dir, final, replace=True)
        except OSError as exc:
            raise FileWriteError(f"{final} cannot be written: {describe_os_error(exc)}; nothing was written") from None
        digest = hashlib.sha256(data).hexdigest()
        with job:
            try:
                if final == Path(target):
                    with open(job.temp, "xb") as out:
                        out.write(data)
                        out.flush()
                        os.fsync(out.fileno())
                    written = hashlib.sha256(job.temp.read_bytes()).hexdigest()
                else:
                    written = self._seal(data, job.temp, kind=kind, name=Path(target).name)
            except OSError as exc:
                raise FileWriteError(f"{final} cannot be written: {describe_os_error(exc)}") from None
            if written != digest:
                raise FileWriteError(f"{final} does not read back as written; nothing was kept")
            log(final, lambda _conn, head: job.logged(head))
            try:
                job.finish()
            except OSError as exc:
                raise FileWriteError(
                    f"{final} is written, checked and logged, but could not be put under its name "
                    f"({describe_os_error(exc)}); the next start of the desk puts it there"
                ) from None
        return final

    def _seal(self, data: bytes, path: Path, *, kind: str, name: str) -> str:
        """Seal `data` into `path`, then read it back: the SHA-256 of the plain content it now holds."""
        from desktop.encrypted import EncryptedCopyError, Sealer

        if self._sealer is None:
            assert self.passphrase is not None
            self._sealer = Sealer(self.passphrase)
        try:
            self._sealer.seal_bytes(data, path, kind=kind, name=name)
            return self._sealer.plain_digest(path)
        except EncryptedCopyError as exc:
            raise FileWriteError(str(exc)) from None


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
    must not exist, and exists afterwards only if the whole copy checked out. What earlier runs killed
    mid-way left in that folder (decrypted, never authenticated) is cleared first.
    """
    from desktop.atomic import clear_stale_partials
    from desktop.encrypted import decrypt_file

    clear_stale_partials(Path(target).parent)
    header = decrypt_file(Path(source), Path(target), passphrase)
    return str(header.get("kind") or "copy")
