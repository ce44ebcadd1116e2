"""Accounts, signing keys and their certificates, in the case log itself (SQL only; the flow is desktop/desk).

- `signing_keys` and `key_certificates` are append-only: a key, once known, is known for ever, so
  entries it signed years ago can still be checked; a new role or name is a new certificate.
- `accounts` is the current state of each account (roles, lockout, the sealed key, the password
  verifier). Every change to it is written with a signed audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from desktop.records import Account, Actor, AuditEntry, EventKind
from desktop.store.chain import append_event
from desktop.store.connect import StoreBase
from desktop.store.errors import AccountError
from desktop.store.fields import iso_utc, one_line, utc_now

if TYPE_CHECKING:
    from desktop.signing import Signer

ACCOUNT_COLUMNS = (
    "username",
    "name",
    "badge",
    "roles",
    "password",
    "sealed_key",
    "key_id",
    "disabled",
    "locked",
    "failures",
    "first_failure_at",
    "totp_sealed",
    "created_at",
    "changed_at",
)
MUTABLE = frozenset(ACCOUNT_COLUMNS) - {"username", "created_at"}


def _account(row: sqlite3.Row) -> Account:
    return Account(
        username=row["username"],
        name=row["name"],
        badge=row["badge"],
        roles=frozenset(r for r in str(row["roles"]).split(",") if r),
        password=row["password"],
        sealed_key=bytes(row["sealed_key"]),
        key_id=row["key_id"],
        disabled=bool(row["disabled"]),
        locked=bool(row["locked"]),
        failures=int(row["failures"]),
        first_failure_at=row["first_failure_at"],
        totp_sealed=bytes(row["totp_sealed"]) if row["totp_sealed"] is not None else None,
        created_at=row["created_at"],
        changed_at=row["changed_at"],
    )


def roles_text(roles: Sequence[str] | frozenset[str]) -> str:
    return ",".join(sorted(roles))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def register_key(
    conn: sqlite3.Connection, key_id: str, public: bytes, *, owner: str, kind: str, at: dt.datetime
) -> None:
    """A public key, known from now on (a key already known is left as it is)."""
    conn.execute(
        "INSERT OR IGNORE INTO signing_keys (key_id, owner, kind, public_key, created_at) VALUES (?, ?, ?, ?, ?)",
        [key_id, owner, kind, public.hex(), iso_utc(at)],
    )


class AccountsMixin(StoreBase):
    """Reading and changing accounts and keys; every change goes with its signed audit entry."""

    # --- reading --------------------------------------------------------------------------------

    def has_accounts(self) -> bool:
        return self._conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None

    def account(self, username: str) -> Account | None:
        row = self._conn.execute("SELECT * FROM accounts WHERE username = ?", [username]).fetchone()
        return _account(row) if row else None

    def accounts(self) -> list[Account]:
        return [_account(r) for r in self._conn.execute("SELECT * FROM accounts ORDER BY username")]

    def public_key(self, key_id: str) -> bytes | None:
        row = self._conn.execute("SELECT public_key FROM signing_keys WHERE key_id = ?", [key_id]).fetchone()
        return bytes.fromhex(row[0]) if row else None

    def keys(self) -> Iterator[sqlite3.Row]:
        return iter(self._conn.execute("SELECT * FROM signing_keys ORDER BY created_at, key_id"))

    def certificates(self) -> Iterator[sqlite3.Row]:
        return iter(self._conn.execute("SELECT * FROM key_certificates ORDER BY id"))

    def certified(self, key_id: str) -> bool:
        return self._conn.execute("SELECT 1 FROM key_certificates WHERE key_id = ?", [key_id]).fetchone() is not None

    def root_fingerprint(self) -> str | None:
        """The fingerprint of the first, self-certified admin key (None before set-up)."""
        from desktop.signing import fingerprint

        row = self._conn.execute(
            "SELECT k.public_key FROM key_certificates c JOIN signing_keys k ON k.key_id = c.key_id"
            " WHERE c.certified_by = c.key_id ORDER BY c.id LIMIT 1"
        ).fetchone()
        return fingerprint(bytes.fromhex(row[0])) if row else None

    def recorded_by(self, case_number: str) -> tuple[str, str | None]:
        """Who recorded a case: the label in its first entry and, when signed, the account that signed it."""
        row = self._conn.execute(
            "SELECT a.actor, k.owner, k.kind FROM audit_log a LEFT JOIN signing_keys k ON k.key_id = a.signer"
            " WHERE a.case_number = ? AND a.kind = ? ORDER BY a.seq LIMIT 1",
            [case_number, EventKind.RECORDED.value],
        ).fetchone()
        if row is None:
            raise AccountError(f"case {case_number} has no record entry")
        return str(row[0]), (str(row[1]) if row[1] is not None and row[2] == "account" else None)

    def version_author(self, case_number: str, version: int) -> tuple[str | None, str]:
        """Who made a version: (the account that signed its entry, or None where unsigned; the entry's label)."""
        row = self._conn.execute(
            "SELECT a.actor, k.owner, k.kind FROM audit_log a LEFT JOIN signing_keys k ON k.key_id = a.signer"
            " WHERE a.case_number = ? AND a.kind IN (?, ?) AND a.version = ? ORDER BY a.seq LIMIT 1",
            [case_number, EventKind.RECORDED.value, EventKind.AMENDED.value, version],
        ).fetchone()
        if row is None:
            raise AccountError(f"case {case_number} version {version} has no audit entry")
        return (str(row[1]) if row[1] is not None and row[2] == "account" else None), str(row[0])

    def record_signed(self, record_hash_value: str) -> bool:
        """Whether the entry that recorded this version was signed (made after the desk had accounts)."""
        row = self._conn.execute(
            "SELECT signer FROM audit_log WHERE record_hash = ? ORDER BY seq LIMIT 1", [record_hash_value]
        ).fetchone()
        return bool(row and row[0])

    def case_exists(self, case_number: str) -> bool:
        return self._conn.execute("SELECT 1 FROM cases WHERE case_number = ?", [case_number]).fetchone() is not None

    def meta_value(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else None

    def set_meta_value(self, key: str, value: str) -> None:
        """Bookkeeping that goes with an entry written beside it (the last second-factor step of a sign-in)."""
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])

    def set_meta(self, key: str, value: str, *, actor: Actor, detail: str, now: dt.datetime | None = None) -> None:
        """A desk setting (second factor, idle lock), changed with a signed audit entry saying so."""
        now = now or utc_now()
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])
            append_event(
                conn, EventKind.ACCOUNT, actor, one_line(detail, "detail"), at=now, desk_signer=self.desk_signer
            )

    def audit_entries(
        self,
        *,
        user: str | None = None,
        case_number: str | None = None,
        kind: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 1000,
    ) -> list[AuditEntry]:
        """Entries matching every filter given, newest first. `user` is an account's user name or a label's words.

        Dates are UTC days of the entry (the audit log is kept in UTC).
        """
        clauses, params = [], []
        if user:
            clauses.append(
                "(a.actor LIKE ? ESCAPE '\\' OR a.signer IN (SELECT key_id FROM signing_keys WHERE owner = ?))"
            )
            params += [f"%{_like(user)}%", user.strip().lower()]
        if case_number:
            clauses.append("a.case_number = ?")
            params.append(case_number.strip())
        if kind:
            clauses.append("a.kind = ?")
            params.append(kind)
        if since:
            clauses.append("a.at >= ?")
            params.append(since.isoformat())
        if until:
            clauses.append("a.at < ?")
            params.append((until + dt.timedelta(days=1)).isoformat())
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._conn.execute(
            f"SELECT a.seq, a.at, a.kind, a.case_number, a.actor, a.detail, a.signer FROM audit_log a{where}"
            " ORDER BY a.seq DESC LIMIT ?",
            [*params, max(0, limit)],
        )
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]

    # --- writing --------------------------------------------------------------------------------

    def ensure_desk_key(self, signer: Signer, *, owner: str, now: dt.datetime | None = None) -> None:
        """Make the desk's own key known to the log (once), so entries it signs can be checked."""
        if self.public_key(signer.key_id) is not None:
            return
        with self._write() as conn:
            register_key(conn, signer.key_id, signer.public, owner=owner, kind="desk", at=now or utc_now())

    def add_certificate(
        self,
        conn: sqlite3.Connection,
        *,
        key_id: str,
        label: str,
        roles: frozenset[str],
        certifier: Signer,
        at: dt.datetime,
    ) -> None:
        """An admin's signature over a key, its owner's label and roles (inside the caller's transaction)."""
        from desktop.signing import certificate_message

        fields = certificate_fields(
            key_id, label, roles_text(roles), certifier.key_id, iso_utc(at), self._public_hex(conn, key_id)
        )
        conn.execute(
            "INSERT INTO key_certificates (key_id, label, roles, certified_by, at, signature)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                key_id,
                label,
                roles_text(roles),
                certifier.key_id,
                iso_utc(at),
                certifier.sign(certificate_message(fields)).hex(),
            ],
        )

    @staticmethod
    def _public_hex(conn: sqlite3.Connection, key_id: str) -> str:
        row = conn.execute("SELECT public_key FROM signing_keys WHERE key_id = ?", [key_id]).fetchone()
        if row is None:
            raise AccountError(f"the key {key_id} is not known to this log")
        return str(row[0])

    def create_account(
        self,
        account: Account,
        public: bytes,
        *,
        by: Actor,
        certifier: Signer,
        detail: str,
        now: dt.datetime | None = None,
    ) -> None:
        """A new account, its key and the admin's certificate of it, with one audit entry by `by`."""
        now = now or utc_now()
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM accounts WHERE username = ?", [account.username]).fetchone():
                raise AccountError(f"there is already an account {account.username!r}")
            if conn.execute("SELECT 1 FROM accounts WHERE badge = ?", [account.badge]).fetchone():
                raise AccountError(f"badge {account.badge} already belongs to another account")
            register_key(conn, account.key_id, public, owner=account.username, kind="account", at=now)
            self.add_certificate(
                conn, key_id=account.key_id, label=account.label, roles=account.roles, certifier=certifier, at=now
            )
            values = account.row(now=iso_utc(now))
            conn.execute(
                f"INSERT INTO accounts ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                list(values.values()),
            )
            append_event(conn, EventKind.ACCOUNT, by, one_line(detail, "detail"), at=now, desk_signer=self.desk_signer)

    def update_account(
        self,
        username: str,
        changes: dict[str, Any],
        *,
        by: Actor | str,
        kind: EventKind,
        detail: str,
        certify: tuple[Signer, bytes | None] | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        """Change an account's row, with one audit entry (signed by `by`, or the desk for the program's own).

        `certify=(admin signer, new public key or None)` also registers a new key (a reset password) and
        certifies the account's (new) key with its label and roles as they are after the change.
        """
        unknown = set(changes) - MUTABLE
        if unknown:
            raise AccountError(f"cannot change {', '.join(sorted(unknown))} of an account")
        now = now or utc_now()
        with self._write() as conn:
            row = conn.execute("SELECT * FROM accounts WHERE username = ?", [username]).fetchone()
            if row is None:
                raise AccountError(f"there is no account {username!r}")
            if "roles" in changes and not isinstance(changes["roles"], str):
                changes["roles"] = roles_text(changes["roles"])
            changes["changed_at"] = iso_utc(now)
            if certify is not None and certify[1] is not None:  # a new key is known before the account uses it
                register_key(conn, str(changes["key_id"]), certify[1], owner=username, kind="account", at=now)
            assignments = ", ".join(f"{column} = ?" for column in changes)
            conn.execute(f"UPDATE accounts SET {assignments} WHERE username = ?", [*changes.values(), username])
            if certify is not None:
                certifier = certify[0]
                after = _account(conn.execute("SELECT * FROM accounts WHERE username = ?", [username]).fetchone())
                self.add_certificate(
                    conn, key_id=after.key_id, label=after.label, roles=after.roles, certifier=certifier, at=now
                )
            append_event(conn, kind, by, one_line(detail, "detail"), at=now, desk_signer=self.desk_signer)

    def certify_key(
        self, key_id: str, *, label: str, certifier: Signer, by: Actor, now: dt.datetime | None = None
    ) -> None:
        """An admin certifies a key (the desk's, when it was made before any admin could sign it)."""
        now = now or utc_now()
        with self._write() as conn:
            self.add_certificate(conn, key_id=key_id, label=label, roles=frozenset(), certifier=certifier, at=now)
            append_event(
                conn, EventKind.KEY, by, f"key {key_id} certified for {label}", at=now, desk_signer=self.desk_signer
            )


def certificate_fields(
    key_id: str, label: str, roles: str, certified_by: str, at: str, public_hex: str
) -> dict[str, Any]:
    """The fields a certificate's signature covers, in the one form `verify` recomputes."""
    return {
        "key_id": key_id,
        "public_key": public_hex,
        "label": label,
        "roles": roles,
        "certified_by": certified_by,
        "at": at,
    }
