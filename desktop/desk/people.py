"""desk.people: set-up, sign-in and out, the session lock, accounts and the desk's sign-in settings.

Signing in is how a session starts (desk/sessions.py); every other step takes the session. The
rules for each step are in desktop/desk/accounts.py; who may run it is the policy table's.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from desktop.desk.manager import Manager, action, open_action
from desktop.records import Account, EventKind
from desktop.store.errors import AccountError

if TYPE_CHECKING:
    from desktop.desk.results import SecondFactor
    from desktop.desk.sessions import Session
    from desktop.desk.trust import RootCheck

SECOND_FACTOR_KEY = "second_factor_required"
IDLE_KEY = "idle_lock_minutes"


class People(Manager):
    """Who is at the desk."""

    def _desk_label(self) -> str:
        from desktop.store.fields import default_desk

        return f"desk {default_desk()}"

    # --- set-up and sign-in ---------------------------------------------------------------------

    @open_action("people.needs_setup")
    def needs_setup(self) -> bool:
        """True until the first admin account exists (the first start); asking writes nothing."""
        return self._desk.is_fresh() or not self._store.has_accounts()

    @open_action("people.setup")
    def setup(self, *, username: str, name: str, badge: str, password: str) -> Session:
        """Create the first admin account (its password chosen now: there is no default) and sign it in.

        In a folder before its set-up the new log is built aside and put in place at once (desk/first_start.py):
        a set-up killed at any moment leaves a folder where it simply runs again.
        """
        from desktop.desk import accounts as acc

        fields = {"username": username, "name": name, "badge": badge, "password": password}
        if self._desk.is_fresh():
            from desktop.desk.first_start import set_up

            actor = set_up(self._desk.data_dir, **fields, desk_label=self._desk_label(), now=self._now())
            self._desk.open()
        else:
            actor = acc.setup_first_admin(self._store, **fields, desk_label=self._desk_label(), now=self._now())
        return self._desk.sessions.start(actor, self._now())

    @open_action("people.second_factor_scope")
    def second_factor_scope(self) -> str:
        """Who must give a second factor at sign-in: none, admins or everyone (an admin's setting)."""
        from desktop.desk import accounts as acc

        value = self._store.meta_value(SECOND_FACTOR_KEY)
        return value if value in acc.SECOND_FACTOR_SCOPES else "none"

    @action("people.settings")
    def set_second_factor_scope(self, session: Session, scope: str) -> None:
        from desktop.desk import accounts as acc

        if scope not in acc.SECOND_FACTOR_SCOPES:
            raise AccountError(f"second factor scope must be one of {', '.join(acc.SECOND_FACTOR_SCOPES)}")
        self._store.set_meta(
            SECOND_FACTOR_KEY,
            scope,
            actor=session.actor,
            detail=f"second factor required for: {scope}",
            now=self._now(),
        )

    @open_action("people.sign_in")
    def sign_in(self, username: str, password: str, *, code: str | None = None) -> Session:
        """Open an account; five wrong passwords within 15 minutes lock it until an admin unlocks it."""
        from desktop.desk import accounts as acc

        signed = acc.sign_in(
            self._store,
            username,
            password,
            code=code,
            second_factor=self.second_factor_scope(),
            desk_label=self._desk_label(),
            now=self._now(),
        )
        return self._desk.sessions.start(signed.actor, self._now(), must_enrol=signed.must_enrol)

    @action("people.session", locked_ok=True)
    def must_enrol(self, session: Session) -> bool:
        """Whether the session must enrol a second factor before anything else (the desk requires one)."""
        return self._desk.sessions.must_enrol(session)

    @open_action("people.second_factor_needed")
    def second_factor_needed(self, username: str) -> bool:
        """Whether this account will be asked for an authenticator code (so a door knows to ask for one)."""
        account = self._store.account(username.strip().lower())
        return account is not None and account.second_factor

    @action("people.session", locked_ok=True)
    def sign_out(self, session: Session) -> None:
        """End the session (audited), locked or not; nothing more is done with it. A session whose key has ended
        (its account disabled, its password reset meanwhile) cannot sign its sign-out: it ends all the same,
        and the refusal says why."""
        try:
            self._store.log_event(
                None,
                EventKind.SIGN_OUT,
                session.actor,
                f"{session.username or session.label} signed out",
                now=self._now(),
            )
        finally:
            self._desk.sessions.end(session)

    @action("people.session")
    def lock(self, session: Session, *, reason: str) -> None:
        """Lock the session (idle, or by hand): the desk refuses it everything until `unlock`.

        Locked first, then audited: a lock whose entry cannot be written (a full disk) still locks.
        """
        self._desk.sessions.lock(session)
        self._store.log_event(None, EventKind.LOCKED, session.actor, f"session locked: {reason}", now=self._now())

    @action("people.session", locked_ok=True)
    def unlock(self, session: Session, password: str) -> None:
        """The same person's password opens the locked session again (a wrong one counts as a failure)."""
        from desktop.desk import accounts as acc

        acc.check_password(self._store, session.actor, password, self._now())
        self._desk.sessions.unlock(session)
        self._store.log_event(None, EventKind.UNLOCKED, session.actor, "session unlocked", now=self._now())

    @action("people.session", locked_ok=True)
    def is_locked(self, session: Session) -> bool:
        return self._desk.sessions.is_locked(session)

    @open_action("people.idle_limit")
    def idle_limit(self) -> dt.timedelta:
        """How long the window waits idle before it locks: 15 minutes unless an admin set less (at most 30)."""
        from desktop.desk import accounts as acc

        value = self._store.meta_value(IDLE_KEY)
        try:
            minutes = int(value) if value else int(acc.IDLE_DEFAULT.total_seconds() // 60)
        except ValueError:
            minutes = int(acc.IDLE_DEFAULT.total_seconds() // 60)
        return min(dt.timedelta(minutes=max(1, minutes)), acc.IDLE_MAX)

    @action("people.settings")
    def set_idle_limit(self, session: Session, minutes: int) -> None:
        from desktop.desk import accounts as acc

        most = int(acc.IDLE_MAX.total_seconds() // 60)
        if not 1 <= minutes <= most:
            raise AccountError(f"the idle lock must be between 1 and {most} minutes")
        self._store.set_meta(
            IDLE_KEY, str(minutes), actor=session.actor, detail=f"idle lock set to {minutes} minutes", now=self._now()
        )

    # --- accounts -------------------------------------------------------------------------------

    @action("people.list")
    def accounts(self, session: Session) -> list[Account]:
        return self._store.accounts()

    @action("people.manage")
    def add_user(
        self, session: Session, *, username: str, name: str, badge: str, roles: frozenset[str], password: str
    ) -> Account:
        from desktop.desk import accounts as acc

        return acc.add_user(
            self._store,
            session.actor,
            username=username,
            name=name,
            badge=badge,
            roles=roles,
            password=password,
            now=self._now(),
        )

    @action("people.manage")
    def change_user(
        self,
        session: Session,
        username: str,
        *,
        roles: frozenset[str] | None = None,
        disabled: bool | None = None,
        unlock: bool = False,
        new_password: str | None = None,
    ) -> Account:
        from desktop.desk import accounts as acc

        return acc.change_account(
            self._store,
            session.actor,
            username,
            roles=roles,
            disabled=disabled,
            unlock=unlock,
            new_password_text=new_password,
            now=self._now(),
        )

    @action("people.own_account")
    def change_password(self, session: Session, old: str, new: str) -> None:
        from desktop.desk import accounts as acc

        acc.change_own_password(self._store, session.actor, old, new, self._now())

    @action("people.own_account")
    def new_second_factor(self, session: Session) -> SecondFactor:
        """A new secret and its otpauth:// URI for the officer's authenticator app (shown once, as a QR code);
        nothing is stored until `enrol_second_factor` is given it with a code the app made from it."""
        from desktop.desk import accounts as acc
        from desktop.desk.results import SecondFactor
        from desktop.memo.page import qr_modules

        assert session.actor.username is not None
        secret, uri = acc.new_second_factor(session.actor.username)
        return SecondFactor(secret, uri, tuple(tuple(row) for row in qr_modules(uri)))

    @action("people.own_account")
    def enrol_second_factor(
        self, session: Session, password: str, *, secret: str | None = None, code: str | None = None
    ) -> tuple[str, str]:
        """Enrol the second factor: `secret` (from `new_second_factor`) confirmed by a `code` the app made from it,
        as both doors do; without them, a new secret stored at once. Returns the secret and its URI."""
        from desktop.desk import accounts as acc

        enrolled = acc.enrol_second_factor(self._store, session.actor, password, self._now(), secret=secret, code=code)
        self._desk.sessions.enrolled(session)
        return enrolled

    @open_action("people.admin_fingerprint")
    def admin_fingerprint(self) -> str | None:
        """The fingerprint of the admin key set up first: the root every signature goes back to."""
        return self._store.root_fingerprint()

    @open_action("people.root_check")
    def root_check(self, *, expected: str | None = None) -> RootCheck:
        """The log's first admin key against the fingerprint pinned on this PC (and `expected`, from the paper).

        The window calls this at every start, before anyone signs in, and says so across the screen when
        `differs` (desk/trust.py): the log was replaced or re-created under another admin key.
        """
        from desktop.desk.trust import check_root

        has_entries = self._store.chain_position(self._store.chain_head()) != 0
        return check_root(
            self._store.root_fingerprint(), expected=expected, has_entries=has_entries, folder=self._desk.data_dir
        )

    @action("people.manage")
    def pin_root(self, session: Session) -> str:
        """Pin this log's first admin key on this PC, once, where desk users cannot write (an administrator's
        or root's run: `setup --pin`); returns what was done, in words."""
        from desktop.desk.trust import record_pin

        fingerprint = self._store.root_fingerprint()
        return record_pin(fingerprint) if fingerprint else "not pinned: this log has no admin key yet"
