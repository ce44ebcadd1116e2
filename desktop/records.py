"""Recorded cases as plain values: what the store returns and what the memo and the window show."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from desktop.errors import BadInput

if TYPE_CHECKING:
    from desktop.rules import Decision, Intake


class Status(StrEnum):
    """Where a case stands. The values are stored in the log and must never change."""

    DECIDED = "decided"
    REFERRED = "referred"  # waiting for counsel or a supervisor
    RESOLVED = "resolved"


class EventKind(StrEnum):
    """The kinds of audit entry. The values are stored in the log and must never change."""

    RECORDED = "recorded"
    AMENDED = "amended"
    MEMO = "memo"
    BACKUP = "backup"
    RESTORE = "restore"
    VERIFY = "verify"
    ATTACHMENT = "attachment"
    MIGRATED = "migrated"
    NEW_LOG = "new_log"  # a new log started, with --new-log, where the folder shows one was lost
    DESK_KEY = "desk_key"  # a new desk key made, with --new-desk-key, where keys/desk.key was lost or damaged
    # People and access (CJIS 5.4): who signed in, who saw what.
    ACCOUNT = "account"  # an account created, changed, disabled, unlocked, its password reset
    KEY = "key"  # a signing key certified by an admin
    SIGN_IN = "sign_in"
    SIGN_OUT = "sign_out"
    SIGN_IN_FAILED = "sign_in_failed"
    LOCKED = "locked"  # the session locked (idle, or by hand), or an account locked by failed sign-ins
    UNLOCKED = "unlocked"
    VIEW = "view"  # a case opened
    SEARCH = "search"  # the case log searched (the terms)
    PREVIEW = "preview"  # a memo previewed
    PRINT = "print"  # a memo printed (printer, copies)
    EXPORT = "export"  # memos or a register exported
    AUDIT_VIEW = "audit_view"  # the audit log viewed or exported
    RECEIPT = "receipt"  # a signed receipt of the chain head written
    REPORT = "report"  # an oversight report made
    # The county register (desktop/desk/bundles.py): the log's name there, what was handed over, what came back.
    ORIGIN = "origin"  # the log's origin named (agency/desk), once
    BUNDLE = "bundle"  # a bundle of entries written for the register
    WITNESS = "witness"  # a register's cosignature of this log's head recorded
    NOTICE = "notice"  # a notice to the person served (case version, language, pack text, who, when)


STATUS_DECIDED = Status.DECIDED
STATUS_REFERRED = Status.REFERRED
STATUS_RESOLVED = Status.RESOLVED
STATUSES = tuple(s.value for s in Status)

NO_BADGE = "-"  # the badge written for the system itself and for a computer account with no badge
MAX_ACTOR_TEXT = 200


def printable(text: str) -> str:
    """Text as it may be printed on one line: every character that is not printable shown as an escape (\\n, \\x1b).

    A file name or a detail kept before names were cleaned must never forge a line of output or move
    the cursor; the command line, the window and the store's messages all show text through this.
    """
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class ActorError(BadInput, ValueError):
    """An actor's name or badge is missing or malformed; the message says which."""


ROLES = ("officer", "supervisor", "admin")


@dataclass(frozen=True)
class Actor:
    """Who does something: a named person with a badge, the account's roles, and once signed in, a signer.

    Every audit entry names its actor in one format, `label` ("J. SMITH #1234"), whichever door
    (window or command line) the action came through. An actor from a sign-in carries the
    account's user name and an unlocked signing key (desktop.signing.Signer), so every entry it
    makes is signed; the key is never compared, printed or copied with the value.
    """

    name: str
    badge: str
    roles: frozenset[str] = frozenset()
    username: str | None = None
    signer: Any = field(default=None, compare=False, repr=False)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def __post_init__(self) -> None:
        name = " ".join(self.name.split())
        badge = self.badge.strip()
        if not name:
            raise ActorError("the officer's name is required")
        if not badge or any(c.isspace() for c in badge) or "#" in badge:
            raise ActorError(f"the badge {self.badge!r} should be one word, like 1234")
        if "#" in name:
            raise ActorError(f"the name {self.name!r} should not contain '#'")
        if len(name) + len(badge) > MAX_ACTOR_TEXT:
            raise ActorError(f"the officer's name and badge are longer than {MAX_ACTOR_TEXT} characters")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "badge", badge)

    @property
    def label(self) -> str:
        """The one form an actor takes in the audit log and on paper."""
        return f"{self.name} #{self.badge}"

    def __str__(self) -> str:
        return self.label

    @classmethod
    def parse(cls, text: str) -> Actor:
        """'NAME #BADGE' as typed at sign-in or given to --officer."""
        name, sep, badge = " ".join(text.split()).rpartition("#")
        if not sep or not name.strip() or not badge.strip():
            raise ActorError(f"officer {text.strip()!r} should be a name and a badge number, like 'J. SMITH #1234'")
        try:
            return cls(name.strip(), badge.strip())
        except ActorError as exc:
            raise ActorError(f"officer {text.strip()!r}: {exc}") from None

    @classmethod
    def system(cls) -> Actor:
        """The program itself (schema upgrades at start)."""
        return cls("SYSTEM", NO_BADGE)

    @classmethod
    def computer_user(cls) -> Actor:
        """The signed-in computer account, for a command run without --officer (verify, backup, memo)."""
        import getpass

        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown user"
        return cls(user, NO_BADGE)


@dataclass(frozen=True)
class Override:
    """The officer disagreed with the decision; a supervisor must review. The decision itself is unchanged."""

    reason: str
    officer: str


@dataclass(frozen=True)
class CaseVersion:
    """One version of a case. Version 1 is the original record; later versions are amendments."""

    case_number: str  # e.g. "2026-000123": year and a gapless sequence
    version: int
    intake: Intake  # the contract's JSON only at the edges (the log's columns, --json, the scenario files)
    decision: Decision
    officer: str  # name and badge, as given
    desk: str  # machine name
    received_at: str  # ISO 8601 with the offset given at intake
    recorded_at: str  # ISO 8601, UTC
    recorded_zone: str  # the desk's time zone at recording, e.g. "EST (-05:00)"
    status: Status
    record_hash: str  # sha256 over the canonical record (see desktop.store)
    amendment_reason: str | None = None  # set on versions > 1
    override: Override | None = None

    @property
    def is_amendment(self) -> bool:
        return self.version > 1

    @property
    def subject_name(self) -> str:
        return self.intake.subject.name or ""

    @property
    def booking_number(self) -> str:
        return self.intake.subject.booking_number or ""

    def to_dict(self) -> dict[str, Any]:
        """The version in the form `show --json` prints: intake and decision in the contract's JSON form."""
        return {
            "case_number": self.case_number,
            "version": self.version,
            "intake": self.intake.to_dict(),
            "decision": self.decision.to_dict(),
            "officer": self.officer,
            "desk": self.desk,
            "received_at": self.received_at,
            "recorded_at": self.recorded_at,
            "recorded_zone": self.recorded_zone,
            "status": self.status.value,
            "record_hash": self.record_hash,
            "amendment_reason": self.amendment_reason,
            "override": {"reason": self.override.reason, "officer": self.override.officer} if self.override else None,
        }


@dataclass(frozen=True)
class CaseEvent:
    """Something that happened to a case: recorded, amended, memo printed, and so on."""

    seq: int  # position in the audit chain
    kind: str
    actor: str
    at: str  # ISO 8601, UTC
    detail: str
    entry_hash: str


@dataclass(frozen=True)
class Attachment:
    """A scan of the paper received, stored with its checksum."""

    id: int
    case_number: str
    filename: str
    content_type: str
    size: int
    sha256: str
    added_at: str
    added_by: str


@dataclass(frozen=True)
class CaseRecord:
    """A case with all its versions (oldest first), events and attachments."""

    case_number: str
    versions: tuple[CaseVersion, ...]
    events: tuple[CaseEvent, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    @property
    def current(self) -> CaseVersion:
        return self.versions[-1]

    @property
    def amended(self) -> bool:
        return len(self.versions) > 1


@dataclass(frozen=True)
class Account:
    """An account on the desk: who it is, its roles and state; the password and key only in sealed form.

    `password` is the scrypt verifier's record (desktop.signing.PasswordRecord as JSON), never the
    password; `sealed_key` is the account's private key encrypted under a key only its password yields.
    """

    username: str
    name: str
    badge: str
    roles: frozenset[str]
    password: str = field(repr=False)
    sealed_key: bytes = field(repr=False)
    key_id: str
    disabled: bool = False
    locked: bool = False
    failures: int = 0
    first_failure_at: str | None = None
    totp_sealed: bytes | None = field(default=None, repr=False)
    created_at: str = ""
    changed_at: str = ""

    @property
    def label(self) -> str:
        return Actor(self.name, self.badge).label

    @property
    def second_factor(self) -> bool:
        return self.totp_sealed is not None

    def row(self, *, now: str) -> dict[str, Any]:
        """The columns of a new account row."""
        return {
            "username": self.username,
            "name": self.name,
            "badge": self.badge,
            "roles": ",".join(sorted(self.roles)),
            "password": self.password,
            "sealed_key": self.sealed_key,
            "key_id": self.key_id,
            "disabled": int(self.disabled),
            "locked": int(self.locked),
            "failures": self.failures,
            "first_failure_at": self.first_failure_at,
            "totp_sealed": self.totp_sealed,
            "created_at": now,
            "changed_at": now,
        }


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the audit chain, as the audit view shows it."""

    seq: int
    at: str  # ISO 8601, UTC
    kind: str
    case_number: str | None
    actor: str
    detail: str
    signer: str | None  # the id of the key that signed it; None for an entry from before accounts
