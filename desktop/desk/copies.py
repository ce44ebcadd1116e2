"""desk.copies: backups of the log, a restore from one, and opening a sealed copy for whoever received it.

A copy written outside the data folder may leave the station, so it is sealed (AES-256-GCM under a
passphrase, desktop/encrypted.py) unless `--no-encrypt` says it stays inside, and that is audited.
A restore is staged and verified first, then swapped in all at once (desktop/store/restore.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop.desk.changes import Change
from desktop.desk.manager import Manager, action, open_action
from desktop.records import EventKind
from desktop.store.errors import AccountError, StoreError

if TYPE_CHECKING:
    from desktop.desk.desk import Desk
    from desktop.desk.sessions import Session
    from desktop.store import BackupResult
    from desktop.store import RestoreResult as RestoreResult  # named again for the doors (cli restore)
    from desktop.store.restore import StagedRestore


class Copies(Manager):
    """Copies of the log: backup, restore, and opening a sealed copy."""

    @open_action("copies.leaves_station")
    def leaves_station(self, target: Path) -> bool:
        """Whether a file written at `target` is outside the data folder, and so may leave the station."""
        from desktop.desk.files import leaves

        return leaves(Path(target), self._desk.data_dir)

    @action("copies.backup")
    def backup(
        self, session: Session, target: Path, *, passphrase: str | None = None, no_encrypt: bool = False
    ) -> BackupResult:
        """A consistent copy of the log at `target` (a new file), checked after it is written.

        A copy outside the data folder is sealed with `passphrase` (AES-256-GCM, desktop/encrypted.py)
        and named `….enc` (CJIS SC-28(1), MP-5); `no_encrypt` writes it plain, for a copy that stays in
        the station, and its audit entry says so. Neither given for such a copy: refused, nothing written.
        A receipt of the chain head is written beside it, for whoever keeps the copy.
        """
        from desktop.desk.files import CopyPolicy
        from desktop.encrypted import SUFFIX
        from desktop.store import backup_to

        target = Path(target)
        if target.is_dir():
            raise StoreError(f"{target} is a folder; give the backup a file name in it")
        note = CopyPolicy(passphrase, no_encrypt).check(target, self._desk.data_dir)  # refuses a plain copy leaving
        if passphrase is not None:
            note = ""  # the sealed backup's entry says it was encrypted
            if not target.name.endswith(SUFFIX):
                target = target.with_name(target.name + SUFFIX)
        result = backup_to(self._store, target, actor=session.actor, now=self._now(), passphrase=passphrase, note=note)
        self._desk.log.write_receipt(session, result.path.with_name(result.path.name + ".receipt.json"))
        self._desk.changes.emit(Change(EventKind.BACKUP, None))
        return result

    @open_action("copies.stage_restore")
    def stage_restore(self, source: Path, *, passphrase: str | None = None) -> StagedRestore:
        """Open a backup (decrypting a sealed one) into the data folder and verify it; the live log is untouched.

        Then sign in where `restore_signer` says, and `restore` it, or `discard()` it.
        """
        from desktop.store.restore import stage_restore

        return stage_restore(self._desk.data_dir, Path(source), passphrase=passphrase)

    @open_action("copies.log_is_missing")
    def log_is_missing(self) -> bool:
        """Whether there is no usable log file here (missing or empty): a restore then signs in against the backup."""
        from desktop.store import DB_NAME

        path = self._desk.data_dir / DB_NAME
        return not path.exists() or path.stat().st_size == 0

    @open_action("copies.stage_restore")
    def is_desk_change(self, staged: StagedRestore) -> bool:
        """Whether restoring `staged` would replace this desk's log with another desk's (its chain is not ours)."""
        from desktop.store.restore import is_this_logs_history

        return not is_this_logs_history(staged)

    @open_action("copies.stage_restore")
    def restore_signer(self, staged: StagedRestore, *, desk_change: bool | None = None) -> Desk:
        """The desk whose accounts sign the restore: this one, or the staged backup's own.

        The restore's entry is written into the restored log, so it must be signed by a key that log
        knows. For a backup of this log that is this desk's admin. When the log is gone, or the backup
        is another desk's log (a desk change, confirmed with `other_desk`), it is an admin of the backup;
        a desk change over a live log needs this desk's admin as well (`authorised_by`).
        """
        from desktop.desk.desk import Desk

        change = self.is_desk_change(staged) if desk_change is None else desk_change  # the caller's, if it looked
        if self.log_is_missing() or change:
            return Desk(staged.folder, policy=self._desk.policy, clock=self._desk.clock, station=False)
        return self._desk

    def restore(
        self,
        session: Session,
        source: Path | StagedRestore,
        *,
        signer: Desk | None = None,
        passphrase: str | None = None,
        other_desk: bool = False,
        authorised_by: Session | None = None,
    ) -> RestoreResult:
        """Replace the log with a verified backup, all at once; only with the log closed everywhere.

        `session` is an admin's, signed in on `signer` (what `restore_signer` returned; this desk by
        default). `source` is a backup file, or one already staged. A backup that is not an earlier
        state of this log (another desk's) is refused unless `other_desk` confirms the desk change, and,
        while this desk's log is there, `authorised_by` (one of this desk's admins) agrees to it in
        that log; the restore's audit entry says so.
        """
        from desktop.store.restore import StagedRestore, restore_staged

        (signer or self._desk).sessions.admit(session, "copies.restore")
        if authorised_by is not None:
            self._desk.sessions.admit(authorised_by, "copies.restore")
            if not authorised_by.has_role("admin"):
                raise AccountError(f"{authorised_by.label} may not agree to a desk change: it needs the admin role")
        self._desk.close_thread()
        staged = source if isinstance(source, StagedRestore) else self.stage_restore(source, passphrase=passphrase)
        try:
            result = restore_staged(
                staged,
                actor=session.actor,
                now=self._now(),
                other_desk=other_desk,
                desk_signer=self._desk.desk_key(),
                authorised_by=authorised_by.actor if authorised_by is not None else None,
            )
        finally:
            staged.discard()
        self._desk.changes.emit(Change(EventKind.RESTORE, None))
        return result

    restore.desk_action = "copies.restore"  # type: ignore[attr-defined]  # admitted by the desk that signs it

    @staticmethod
    @open_action("copies.open_copy")
    def open_copy(source: Path, target: Path, passphrase: str) -> str:
        """Open a sealed backup or export into a plain file (no data folder, no account: the recipient's side).

        Returns what the copy holds ("backup", "memo", "audit", "register").
        """
        from desktop.desk.files import open_copy

        return open_copy(Path(source), Path(target), passphrase)
