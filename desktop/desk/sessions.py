"""A signed-in session: the only key to the desk's case data and log.

`people.sign_in` hands out a `Session`; every desk operation that touches case data or the log
takes it first and the desk admits it (`Sessions.admit`): issued by this desk, not ended, not
locked, and allowed the action by the policy table (desk/policy.py). A session that is locked
(idle, or by hand) is refused everything until the same person's password opens it again; another
person signing in at the lock gets a session of their own and never the locked one's.

Nothing outside the desk can make a session that the desk accepts: it is admitted by identity, not
by its fields, so a door cannot build one from a name and roles.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.desk import policy
from desktop.records import Actor
from desktop.store.errors import NotSignedIn

if TYPE_CHECKING:
    from desktop.signing import Signer


@dataclass(frozen=True, eq=False)
class Session:
    """Who is signed in, with which roles, since when. Compared by identity: each sign-in is a new one."""

    actor: Actor
    since: dt.datetime
    token: str = field(default_factory=lambda: secrets.token_hex(16), repr=False)

    @property
    def label(self) -> str:
        return self.actor.label

    @property
    def name(self) -> str:
        return self.actor.name

    @property
    def badge(self) -> str:
        return self.actor.badge

    @property
    def roles(self) -> frozenset[str]:
        return self.actor.roles

    @property
    def username(self) -> str | None:
        return self.actor.username

    @property
    def signer(self) -> Signer | None:
        signer: Signer | None = self.actor.signer
        return signer

    def has_role(self, role: str) -> bool:
        return self.actor.has_role(role)

    def __str__(self) -> str:
        return self.actor.label


ENROLMENT_ACTIONS = frozenset({"people.own_account", "people.session"})  # all an unenrolled session may do


class SessionRefused(NotSignedIn):
    """The session is not one the desk can act for: ended, locked, or never issued here."""


class Sessions:
    """The sessions this desk issued and their state (thread-safe: background jobs admit too)."""

    def __init__(self) -> None:
        self._live: dict[str, Session] = {}
        self._locked: set[str] = set()
        self._unenrolled: set[str] = set()  # signed in where a second factor is required but not yet enrolled
        self._guard = threading.Lock()

    def start(self, actor: Actor, since: dt.datetime, *, must_enrol: bool = False) -> Session:
        session = Session(actor, since)
        with self._guard:
            self._live[session.token] = session
            if must_enrol:
                self._unenrolled.add(session.token)
        return session

    def must_enrol(self, session: Session) -> bool:
        with self._guard:
            return session.token in self._unenrolled

    def enrolled(self, session: Session) -> None:
        with self._guard:
            self._unenrolled.discard(session.token)

    def end(self, session: Session) -> None:
        with self._guard:
            self._live.pop(session.token, None)
            self._locked.discard(session.token)
            self._unenrolled.discard(session.token)

    def end_all(self) -> None:
        with self._guard:
            self._live.clear()
            self._locked.clear()
            self._unenrolled.clear()

    def lock(self, session: Session) -> None:
        with self._guard:
            if self._live.get(session.token) is session:
                self._locked.add(session.token)

    def unlock(self, session: Session) -> None:
        with self._guard:
            self._locked.discard(session.token)

    def is_locked(self, session: Session) -> bool:
        with self._guard:
            return session.token in self._locked

    def is_live(self, session: object) -> bool:
        with self._guard:
            return isinstance(session, Session) and self._live.get(session.token) is session

    def check(self, session: object, *, locked_ok: bool = False) -> Session:
        """The session, if the desk issued it and it has not ended (nor is locked, unless `locked_ok`)."""
        if not isinstance(session, Session):
            raise SessionRefused("no one is signed in: sign in first")
        with self._guard:
            live = self._live.get(session.token) is session
            locked = session.token in self._locked
        if not live:
            raise SessionRefused(f"the session of {session.label} has ended: sign in again")
        if locked and not locked_ok:
            raise SessionRefused(
                f"the session of {session.label} is locked: {session.label} unlocks it with their password"
            )
        return session

    def admit(self, session: object, action: str, *, locked_ok: bool = False) -> Session:
        """The session, checked as `check` does and allowed `action` by the policy table; else Refused."""
        checked = self.check(session, locked_ok=locked_ok)
        if action not in ENROLMENT_ACTIONS and self.must_enrol(checked):
            raise SessionRefused(
                f"{checked.label} must enrol a second factor (an authenticator app) first: this desk requires one "
                "(at the window's sign-in, or `main.py user second-factor`)"
            )
        policy.require(checked, action)
        return checked
