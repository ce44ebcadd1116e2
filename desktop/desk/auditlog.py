"""desk.log: the audit log itself: verify it, read and export its entries, write and check receipts.

The log is hash chained and every entry is signed (desktop/store/verify.py). `verify` recomputes all
of it; a receipt kept away from the desk PC is an outside witness of the head it names.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.desk.changes import Change
from desktop.desk.manager import Manager, action
from desktop.desk.results import LogCheck
from desktop.records import AuditEntry, EventKind

if TYPE_CHECKING:
    from desktop.desk.desk import Progress
    from desktop.desk.receipts import ReceiptCheck
    from desktop.desk.sessions import Session
    from desktop.store.pending import BeforeCommit

log = logging.getLogger(__name__)


class AuditLog(Manager):
    """The audit chain: verification, the audit view, receipts."""

    @action("log.verify")
    def head(self, session: Session) -> str:
        """The chain head now: the hash of the newest entry, which every memo prints."""
        return self._store.chain_head()

    @action("log.verify")
    def verify(
        self,
        session: Session,
        *,
        rebuild_index: bool = False,
        expect_fingerprint: str | None = None,
        full: bool = False,
        progress: Progress | None = None,
    ) -> LogCheck:
        """Recompute the whole audit chain and every record, then SQLite's integrity_check; compare the first
        admin's key with the one pinned on this PC and with `expect_fingerprint` (from the paper of set-up),
        and check the receipts kept outside the data folder (desk/trust.py, desk/receipts.py).

        Signatures are the slow part (one Ed25519 check per entry). Those up to a checkpoint that an outside
        witness holds (a receipt kept away from this PC, a register's cosignature) were checked by the full
        verify that made it and are not checked again unless `full` (store/verify.py Checkpoint says why that
        is safe); a successful verify by a person leaves a new checkpoint. `progress` hears (done, total).

        Slow on a large log: the window runs it on a background thread. A damaged file is a failed
        check (problems), not an error. `rebuild_index` first rebuilds the search index (supervisors
        and admins).
        """
        from desktop.desk.bundles import witness_check
        from desktop.desk.receipts import witness
        from desktop.desk.trust import check_root
        from desktop.store import LogDamaged

        try:
            store = self._store
            rebuilt = self.rebuild_index(session) if rebuild_index else None
            root = check_root(
                store.root_fingerprint(),
                expected=expect_fingerprint,
                has_entries=store.chain_position(store.chain_head()) != 0,
                folder=self._desk.data_dir,
            )
            witnessed = None if full else self._witnessed()
            # A log that is not the one set up here gets no "verified" entry, whatever its own checks say.
            report = store.verify(
                actor=session.actor if root.ok else None, now=self._now(), witnessed=witnessed, progress=progress
            )
            integrity = store.integrity_ok()
            cosigned = witness_check(store)  # the newest head the county register cosigned (desk/bundles.py)
        except LogDamaged as exc:
            log.warning("verify: %s", exc)
            return LogCheck(0, 0, None, (str(exc),))
        after = (report.entries_after_witness, report.versions_after_witness)
        seen = witness(store, report.witness, after, self._now())
        problems = (
            root.problems
            + tuple(report.problems)
            + seen.problems
            + cosigned.problems
            + (() if integrity else ("SQLite integrity_check failed",))
        )
        if problems:
            log.warning("verify found %d problem(s); first: %s", len(problems), problems[0])
        else:
            self._desk.changes.emit(Change(EventKind.VERIFY, None))
        return LogCheck(
            report.entries_checked,
            report.records_checked,
            report.chain_head,
            problems,
            rebuilt,
            report.signatures_checked,
            report.admin_fingerprint,
            notes=root.notes + tuple(report.notes) + seen.notes,
            warnings=tuple(report.warnings),
            witnessed=cosigned.words(),
            checkpoint_through=report.checkpoint_through,
        )

    def _witnessed(self) -> int | None:
        """The newest entry an outside witness holds: a receipt kept outside the data folder that still checks, or
        a register's cosignature the log still holds (None when neither does, or either finds a problem)."""
        from desktop.desk.bundles import witness_check
        from desktop.desk.receipts import outside_witnessed

        cosigned = witness_check(self._store)
        held = [n for n in (outside_witnessed(self._store), None if cosigned.problems else cosigned.witnessed) if n]
        return max(held) if held else None

    @action("log.rebuild_index")
    def rebuild_index(self, session: Session) -> int:
        """Rebuild the search index from the log (it is derived from the cases); returns the cases indexed."""
        return self._store.rebuild_index()

    @action("log.audit")
    def entries(
        self,
        session: Session,
        *,
        user: str | None = None,
        case_number: str | None = None,
        kind: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 1000,
        audit: bool = True,
    ) -> list[AuditEntry]:
        """Audit entries matching the filters, newest first; viewing them is itself an audit entry."""
        found = self._store.audit_entries(
            user=user, case_number=case_number, kind=kind, since=since, until=until, limit=limit
        )
        if audit:
            filters = ", ".join(
                f"{k} {v}"
                for k, v in (("user", user), ("case", case_number), ("kind", kind), ("since", since), ("until", until))
                if v
            )
            self._store.log_event(
                None,
                EventKind.AUDIT_VIEW,
                session.actor,
                f"audit log viewed ({filters or 'no filter'})",
                now=self._now(),
            )
        return found

    @action("log.audit")
    def export_csv(
        self,
        session: Session,
        target: Path,
        entries: list[AuditEntry],
        *,
        passphrase: str | None = None,
        no_encrypt: bool = False,
    ) -> Path:
        """Write entries as CSV (safely; sealed outside the data folder, desk/files.py), and audit the export."""
        import csv
        import io

        from desktop.desk.files import CopyPolicy

        data_dir = self._desk.data_dir
        copy = CopyPolicy(passphrase, no_encrypt)
        note = copy.check(Path(target), data_dir)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["seq", "at", "kind", "case", "actor", "detail", "signed"])
        for e in entries:
            writer.writerow([e.seq, e.at, e.kind, e.case_number or "", e.actor, e.detail, "yes" if e.signer else "no"])

        def write_entry(path: Path, before_commit: BeforeCommit) -> None:
            self._store.log_event(
                None,
                EventKind.AUDIT_VIEW,
                session.actor,
                f"audit log exported: {len(entries)} entries to {path.name}{note}",
                now=self._now(),
                before_commit=before_commit,
            )

        # An entry, or no copy: the file is put under its name only once its entry is written.
        return copy.write_logged(
            self._store, Path(target), out.getvalue().encode("utf-8"), kind="audit", log=write_entry
        )

    @action("log.receipt")
    def write_receipt(self, session: Session, target: Path) -> Path:
        """A small signed file (chain head, entry count, time, desk, the log and its admin key) for IT or counsel
        to keep elsewhere; signed by the session's own key (the desk's key signs no receipt)."""
        from desktop.desk.receipts import write_receipt
        from desktop.store.fields import default_desk

        return write_receipt(
            self._store, Path(target), actor=session.actor, desk=f"desk {default_desk()}", now=self._now()
        )

    @action("log.verify_receipt")
    def verify_receipt(self, session: Session, receipt: Path) -> ReceiptCheck:
        """Does the log still hold the chain head a receipt was signed over? (Deleted newest entries fail.)

        A receipt that checks out is recorded in the log, so `verify` can say how old the newest one is.
        """
        from desktop.desk.receipts import verify_receipt

        return verify_receipt(self._store, Path(receipt), actor=session.actor, now=self._now())
