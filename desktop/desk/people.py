"""The desk's people: set-up, sign-in and out, session lock, accounts, the audit of access, and receipts.

A mixin of `Desk` (desktop/desk/desk.py), so both doors reach it the same way; the rules for each
step are in desktop/desk/accounts.py and desktop/desk/receipts.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.records import Account, Actor, AuditEntry, EventKind
from desktop.store.errors import AccountError

if TYPE_CHECKING:
    from desktop.desk.receipts import ReceiptCheck
    from desktop.desk.results import MemoCheck
    from desktop.store import CaseQuery, CaseStore

SECOND_FACTOR_KEY = "second_factor_required"

IDLE_KEY = "idle_lock_minutes"


class PeopleMixin:
    """Who is at the desk. Needs `store`, `clock` and `data_dir` from the Desk it is mixed into."""

    data_dir: Path
    clock: Callable[[], dt.datetime]

    @property
    def store(self) -> CaseStore:  # provided by Desk
        raise NotImplementedError

    def _desk_label(self) -> str:
        from desktop.store.fields import default_desk

        return f"desk {default_desk()}"

    # --- set-up and sign-in ---------------------------------------------------------------------

    def needs_setup(self) -> bool:
        """True until the first admin account exists (the first start)."""
        return not self.store.has_accounts()

    def setup(self, *, username: str, name: str, badge: str, password: str) -> Actor:
        """Create the first admin account (its password chosen now: there is no default) and sign it in."""
        from desktop.desk import accounts as acc

        return acc.setup_first_admin(
            self.store,
            username=username,
            name=name,
            badge=badge,
            password=password,
            desk_label=self._desk_label(),
            now=self.clock(),
        )

    def second_factor_scope(self) -> str:
        """Who must give a second factor at sign-in: none, admins or everyone (an admin's setting)."""
        from desktop.desk import accounts as acc

        value = self.store.meta_value(SECOND_FACTOR_KEY)
        return value if value in acc.SECOND_FACTOR_SCOPES else "none"

    def set_second_factor_scope(self, scope: str, *, actor: Actor) -> None:
        from desktop.desk import accounts as acc

        if scope not in acc.SECOND_FACTOR_SCOPES:
            raise AccountError(f"second factor scope must be one of {', '.join(acc.SECOND_FACTOR_SCOPES)}")
        acc.require(actor, "admin", store=self.store)
        self.store.set_meta(
            SECOND_FACTOR_KEY, scope, actor=actor, detail=f"second factor required for: {scope}", now=self.clock()
        )

    def sign_in(self, username: str, password: str, *, code: str | None = None) -> Actor:
        """Open an account; five wrong passwords within 15 minutes lock it until an admin unlocks it."""
        from desktop.desk import accounts as acc

        return acc.sign_in(
            self.store,
            username,
            password,
            code=code,
            second_factor=self.second_factor_scope(),
            desk_label=self._desk_label(),
            now=self.clock(),
        )

    def second_factor_needed(self, username: str) -> bool:
        """Whether this account will be asked for an authenticator code (so a door knows to ask for one)."""
        account = self.store.account(username.strip().lower())
        return account is not None and account.second_factor

    def sign_out(self, actor: Actor) -> None:
        self.store.log_event(
            None, EventKind.SIGN_OUT, actor, f"{actor.username or actor.label} signed out", now=self.clock()
        )

    def lock_session(self, actor: Actor, *, reason: str) -> None:
        """The window hid everything behind the lock screen (idle, or by hand)."""
        self.store.log_event(None, EventKind.LOCKED, actor, f"session locked: {reason}", now=self.clock())

    def unlock_session(self, actor: Actor, password: str) -> None:
        """The same officer's password opens the locked session again (a wrong one counts as a failure)."""
        from desktop.desk import accounts as acc

        acc.check_password(self.store, actor, password, self.clock())
        self.store.log_event(None, EventKind.UNLOCKED, actor, "session unlocked", now=self.clock())

    def idle_limit(self) -> dt.timedelta:
        """How long the window waits idle before it locks: 15 minutes unless an admin set less (at most 30)."""
        from desktop.desk import accounts as acc

        value = self.store.meta_value(IDLE_KEY)
        try:
            minutes = int(value) if value else int(acc.IDLE_DEFAULT.total_seconds() // 60)
        except ValueError:
            minutes = int(acc.IDLE_DEFAULT.total_seconds() // 60)
        return min(dt.timedelta(minutes=max(1, minutes)), acc.IDLE_MAX)

    def set_idle_limit(self, minutes: int, *, actor: Actor) -> None:
        from desktop.desk import accounts as acc

        acc.require(actor, "admin", store=self.store)
        if not 1 <= minutes <= int(acc.IDLE_MAX.total_seconds() // 60):
            raise AccountError(f"the idle lock must be between 1 and {int(acc.IDLE_MAX.total_seconds() // 60)} minutes")
        self.store.set_meta(
            IDLE_KEY, str(minutes), actor=actor, detail=f"idle lock set to {minutes} minutes", now=self.clock()
        )

    # --- accounts -------------------------------------------------------------------------------

    def accounts(self, *, actor: Actor) -> list[Account]:
        from desktop.desk import accounts as acc

        acc.require(actor, "admin", "supervisor", store=self.store)
        return self.store.accounts()

    def add_user(
        self, *, actor: Actor, username: str, name: str, badge: str, roles: frozenset[str], password: str
    ) -> Account:
        from desktop.desk import accounts as acc

        return acc.add_user(
            self.store,
            actor,
            username=username,
            name=name,
            badge=badge,
            roles=roles,
            password=password,
            now=self.clock(),
        )

    def change_user(
        self,
        username: str,
        *,
        actor: Actor,
        roles: frozenset[str] | None = None,
        disabled: bool | None = None,
        unlock: bool = False,
        new_password: str | None = None,
    ) -> Account:
        from desktop.desk import accounts as acc

        return acc.change_account(
            self.store,
            actor,
            username,
            roles=roles,
            disabled=disabled,
            unlock=unlock,
            new_password_text=new_password,
            now=self.clock(),
        )

    def change_password(self, actor: Actor, old: str, new: str) -> None:
        from desktop.desk import accounts as acc

        acc.change_own_password(self.store, actor, old, new, self.clock())

    def enrol_second_factor(self, actor: Actor, password: str) -> tuple[str, str]:
        """The secret and otpauth:// URI for the officer's authenticator app (shown once, as a QR code)."""
        from desktop.desk import accounts as acc

        return acc.enrol_second_factor(self.store, actor, password, self.clock())

    def admin_fingerprint(self) -> str | None:
        """The fingerprint of the admin key set up first: the root every signature goes back to."""
        return self.store.root_fingerprint()

    # --- the audit of access --------------------------------------------------------------------

    def log_search(self, query: CaseQuery, *, actor: Actor) -> None:
        """A search of the case log, with its terms and filters (CJIS 5.4)."""
        words = query.describe() or "all cases"
        self.store.log_event(None, EventKind.SEARCH, actor, f"searched: {words}", now=self.clock())

    def audit_entries(
        self,
        *,
        actor: Actor,
        user: str | None = None,
        case_number: str | None = None,
        kind: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 1000,
        audit: bool = True,
    ) -> list[AuditEntry]:
        """Audit entries matching the filters, newest first; viewing them is itself an audit entry."""
        from desktop.desk import accounts as acc

        acc.require(actor, "admin", "supervisor", store=self.store)
        entries = self.store.audit_entries(
            user=user, case_number=case_number, kind=kind, since=since, until=until, limit=limit
        )
        if audit:
            filters = ", ".join(
                f"{k} {v}"
                for k, v in (("user", user), ("case", case_number), ("kind", kind), ("since", since), ("until", until))
                if v
            )
            self.store.log_event(
                None, EventKind.AUDIT_VIEW, actor, f"audit log viewed ({filters or 'no filter'})", now=self.clock()
            )
        return entries

    def export_audit_csv(
        self,
        target: Path,
        entries: list[AuditEntry],
        *,
        actor: Actor,
        passphrase: str | None = None,
        no_encrypt: bool = False,
    ) -> Path:
        """Write entries as CSV (safely; sealed outside the data folder, desk/files.py), and audit the export."""
        import csv
        import io

        from desktop.desk import accounts as acc
        from desktop.desk.files import CopyPolicy

        acc.require(actor, "admin", "supervisor", store=self.store)
        copy = CopyPolicy(passphrase, no_encrypt)
        note = copy.check(Path(target), self.data_dir)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["seq", "at", "kind", "case", "actor", "detail", "signed"])
        for e in entries:
            writer.writerow([e.seq, e.at, e.kind, e.case_number or "", e.actor, e.detail, "yes" if e.signer else "no"])
        path = copy.write(Path(target), out.getvalue().encode("utf-8"), self.data_dir, kind="audit")
        self.store.log_event(
            None,
            EventKind.AUDIT_VIEW,
            actor,
            f"audit log exported: {len(entries)} entries to {path.name}{note}",
            now=self.clock(),
        )
        return path

    def audit_memo_check(self, check: MemoCheck, *, actor: Actor) -> None:
        """A memo checked against the log leaves a trace too: which case, and what was found."""
        verdict = "matches" if check.matches else "does not match"
        case = check.case_number if self.store.case_exists(check.case_number) else None
        detail = f"memo of case {check.case_number} version {check.version} checked: {verdict}"
        self.store.log_event(case, EventKind.VIEW, actor, detail, now=self.clock())

    # --- receipts -------------------------------------------------------------------------------

    def write_receipt(self, target: Path, *, actor: Actor) -> Path:
        """A small signed file (chain head, entry count, time, desk) for IT or counsel to keep elsewhere."""
        from desktop.desk.receipts import write_receipt

        return write_receipt(self.store, Path(target), actor=actor, desk=self._desk_label(), now=self.clock())

    def verify_receipt(self, receipt: Path) -> ReceiptCheck:
        """Does the log still hold the chain head a receipt was signed over? (Deleted newest entries fail.)"""
        from desktop.desk.receipts import verify_receipt

        return verify_receipt(self.store, Path(receipt))
