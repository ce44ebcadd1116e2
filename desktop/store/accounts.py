"""Accounts, signing keys and their certificates, in the case log itself (SQL only; the flow is desktop/desk).

- `signing_keys` and `key_certificates` are append-only: a key, once known, is known for ever, so
  entries it signed years ago can still be checked; a new role or name is a new certificate.
- `accounts` is the current state of each account (roles, lockout, the sealed key, the password
  verifier). Every change to it is written with a signed audit entry in the same transaction, and
  what the change sets (the account's standing: its key, label, roles, disabled, locked, whether it
  has a second factor) is signed with that entry (`state`), so `verify` can derive each account's
  standing from the signed entries and refuse a row edited behind the desk's back.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.records import Account, Actor, AuditEntry, EventKind
from desktop.store.chain import append_event, check_standing
from desktop.store.connect import StoreBase
from desktop.store.errors import AccountError
from desktop.store.fields import iso_utc, one_line, utc_now
from desktop.store.hashing import GENESIS_HASH, canonical
from desktop.store.query import row_count

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
# An account's standing, as its signed entries set it (the rest of the row is bookkeeping: the password
# verifier, the sealed key, the failure count).
STANDING = ("key", "label", "roles", "disabled", "locked", "second_factor")
# The desk's sign-in settings (desktop/desk/people.py), each set by an admin's signed entry.
SETTINGS = ("second_factor_required", "idle_lock_minutes")


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


def standing_of_row(row: sqlite3.Row | dict[str, Any]) -> dict[str, Any]:
    """An account row's standing, in the form its signed entries carry."""
    return {
        "key": row["key_id"],
        "label": f"{row['name']} #{row['badge']}",
        "roles": roles_text([r for r in str(row["roles"]).split(",") if r]),
        "disabled": bool(row["disabled"]),
        "locked": bool(row["locked"]),
        "second_factor": row["totp_sealed"] is not None,
    }


def standing_state(username: str, standing: dict[str, Any]) -> str:
    """The state an account entry signs: the account and its whole standing after the change."""
    return canonical({"account": username, **{k: standing[k] for k in STANDING}})


def signed_standing(conn: sqlite3.Connection, username: str) -> dict[str, Any] | None:
    """The account's standing as its newest signed entry set it, or None where no entry ever did (an account
    made before signed standings, until an admin signs in and signs it)."""
    import json

    pattern = f'%"account":"{_like(username)}"%'
    for (text,) in conn.execute(
        "SELECT state FROM audit_log WHERE state IS NOT NULL AND state LIKE ? ESCAPE '\\' ORDER BY seq DESC",
        [pattern],
    ):
        try:
            state = json.loads(text)
        except (TypeError, ValueError):
            continue
        if isinstance(state, dict) and state.get("account") == username:
            return {k: state.get(k) for k in STANDING}
    return None


def _changed_standing(before: dict[str, Any], changes: dict[str, Any], row: sqlite3.Row) -> dict[str, Any]:
    """The standing after `changes` (the account's row columns), starting from the signed one."""
    after = dict(before)
    if "key_id" in changes:
        after["key"] = changes["key_id"]
    if "roles" in changes:
        after["roles"] = changes["roles"]
    if "disabled" in changes:
        after["disabled"] = bool(changes["disabled"])
    if "locked" in changes:
        after["locked"] = bool(changes["locked"])
    if "totp_sealed" in changes:
        after["second_factor"] = changes["totp_sealed"] is not None
    if "name" in changes or "badge" in changes:
        after["label"] = f"{changes.get('name', row['name'])} #{changes.get('badge', row['badge'])}"
    return after


def _next_entry(conn: sqlite3.Connection) -> tuple[int, str]:
    """The number the next audit entry takes, and the chain head it follows."""
    last = conn.execute("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS_HASH)


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
                conn,
                EventKind.ACCOUNT,
                actor,
                one_line(detail, "detail"),
                at=now,
                desk_signer=self.desk_signer,
                state=canonical({"setting": key, "value": value}),
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
            [*params, row_count(limit)],
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
        signing_from: tuple[int, str] | None = None,
        kind: str | None = None,
    ) -> None:
        """An admin's signature over a key: its owner (account, or desk) and kind, the owner's label and roles,
        and the audit entry made with it, the next one (inside the caller's transaction, which writes it).

        `signing_from` (the first admin's own certificate only): the entry number and chain head after
        which every entry must be signed.
        """
        from desktop.signing import certificate_message

        key = conn.execute("SELECT owner, kind, public_key FROM signing_keys WHERE key_id = ?", [key_id]).fetchone()
        if key is None:
            raise AccountError(f"the key {key_id} is not known to this log")
        entry, _head = _next_entry(conn)
        cert = Certificate(
            key_id,
            label,
            roles_text(roles),
            certifier.key_id,
            iso_utc(at),
            owner=str(key[0]),
            kind=kind or str(key[1]),
            entry=entry,
            signing_from=signing_from[0] if signing_from else None,
            signing_from_head=signing_from[1] if signing_from else None,
        )
        conn.execute(
            "INSERT INTO key_certificates (key_id, label, roles, certified_by, at, signature, owner, kind, entry,"
            " signing_from, signing_from_head) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                cert.key_id,
                cert.label,
                cert.roles,
                cert.certified_by,
                cert.at,
                certifier.sign(certificate_message(cert.fields(str(key[2])))).hex(),
                cert.owner,
                cert.kind,
                cert.entry,
                cert.signing_from,
                cert.signing_from_head,
            ],
        )

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
            root = certifier.key_id == account.key_id  # the first admin, set up: where signing begins
            self.add_certificate(
                conn,
                key_id=account.key_id,
                label=account.label,
                roles=account.roles,
                certifier=certifier,
                at=now,
                signing_from=_last_entry(conn) if root else None,
            )
            values = account.row(now=iso_utc(now))
            conn.execute(
                f"INSERT INTO accounts ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                list(values.values()),
            )
            append_event(
                conn,
                EventKind.ACCOUNT,
                by,
                one_line(detail, "detail"),
                at=now,
                desk_signer=self.desk_signer,
                state=standing_state(account.username, standing_of_row(values)),
            )

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

        The entry signs the account's standing after the change (`state`), worked out from the standing
        its newest signed entry set plus this change, so a row edited outside the desk is never signed
        into the log by the next change (the desk key's failed sign-in, say).
        """
        unknown = set(changes) - MUTABLE
        if unknown:
            raise AccountError(f"cannot change {', '.join(sorted(unknown))} of an account")
        now = now or utc_now()
        with self._write() as conn:
            row = conn.execute("SELECT * FROM accounts WHERE username = ?", [username]).fetchone()
            if row is None:
                raise AccountError(f"there is no account {username!r}")
            if isinstance(by, Actor) and by.signer is not None:
                check_standing(conn, by.signer, by.label)  # before the change, which may end this very key
            if "roles" in changes and not isinstance(changes["roles"], str):
                changes["roles"] = roles_text(changes["roles"])
            signed = signed_standing(conn, username)
            before = signed if signed is not None else standing_of_row(row)
            after = _changed_standing(before, changes, row)
            # An account from before signed standings gets its first one from an admin (desk/accounts.py
            # signs them at an admin's sign-in), not from the desk's key or the officer's own.
            first_by_admin = signed is not None or (isinstance(by, Actor) and by.has_role("admin"))
            state = standing_state(username, after) if after != before and first_by_admin else None
            changes["changed_at"] = iso_utc(now)
            if certify is not None and certify[1] is not None:  # a new key is known before the account uses it
                register_key(conn, str(changes["key_id"]), certify[1], owner=username, kind="account", at=now)
            assignments = ", ".join(f"{column} = ?" for column in changes)
            conn.execute(f"UPDATE accounts SET {assignments} WHERE username = ?", [*changes.values(), username])
            if certify is not None:  # what the signed standing says, never what an edited row might
                self.add_certificate(
                    conn,
                    key_id=str(after["key"]),
                    label=str(after["label"]),
                    roles=frozenset(r for r in str(after["roles"]).split(",") if r),
                    certifier=certify[0],
                    at=now,
                )
            append_event(
                conn,
                kind,
                by,
                one_line(detail, "detail"),
                at=now,
                desk_signer=self.desk_signer,
                state=state,
                check_key=False,
            )

    def certify_key(
        self, key_id: str, *, label: str, certifier: Signer, by: Actor, now: dt.datetime | None = None
    ) -> None:
        """An admin certifies the desk's own key (made before any admin could sign it): a key of kind desk,
        whatever its row says, so it may sign only the program's own entries."""
        now = now or utc_now()
        with self._write() as conn:
            self.add_certificate(
                conn, key_id=key_id, label=label, roles=frozenset(), certifier=certifier, at=now, kind="desk"
            )
            append_event(
                conn, EventKind.KEY, by, f"key {key_id} certified for {label}", at=now, desk_signer=self.desk_signer
            )

    # --- a log from before signed standings, signed once by an admin ---------------------------

    def root_start_signed(self) -> bool:
        """Whether the first admin's own certificate says where signing began (every log set up since it does)."""
        return (
            self._conn.execute(
                "SELECT 1 FROM key_certificates WHERE certified_by = key_id AND signing_from IS NOT NULL LIMIT 1"
            ).fetchone()
            is not None
        )

    def key_standing(self, key_id: str) -> tuple[str, str] | None:
        """A key's kind (account or desk) and owner as its valid certificates say, never its row; None when
        no valid certificate names it."""
        from desktop.store.signatures import key_standing

        return key_standing(self._conn, key_id)

    def early_keys(self) -> set[str]:
        """The keys validly certified before certificates named their entry (a log set up before)."""
        from desktop.store.signatures import read_keys

        return read_keys(self._conn, []).early

    def root_key_id(self) -> str | None:
        row = self._conn.execute(
            "SELECT key_id FROM key_certificates WHERE certified_by = key_id ORDER BY id LIMIT 1"
        ).fetchone()
        return str(row[0]) if row else None

    def sign_root_start(self, root: Actor, *, now: dt.datetime | None = None) -> None:
        """The first admin certifies their own key again, saying where signing began in a log set up before
        certificates said so: every entry after the one before the first signed entry."""
        assert root.signer is not None and root.username is not None
        now = now or utc_now()
        with self._write() as conn:
            first = conn.execute(
                "SELECT seq, prev_hash FROM audit_log WHERE signer IS NOT NULL ORDER BY seq LIMIT 1"
            ).fetchone()
            start = (int(first[0]) - 1, str(first[1])) if first else _last_entry(conn)
            signed = signed_standing(conn, root.username)
            row = conn.execute("SELECT * FROM accounts WHERE username = ?", [root.username]).fetchone()
            standing = signed if signed is not None else standing_of_row(row)
            self.add_certificate(
                conn,
                key_id=root.signer.key_id,
                label=str(standing["label"]),
                roles=frozenset(r for r in str(standing["roles"]).split(",") if r),
                certifier=root.signer,
                at=now,
                signing_from=start,
            )
            detail = f"the first admin's key certified again: every entry after entry {start[0]} is signed"
            append_event(conn, EventKind.KEY, root, detail, at=now, desk_signer=self.desk_signer)

    # --- a restored log from before accounts, given this desk's accounts --------------------------

    def take_accounts(self, conn: sqlite3.Connection, carried: CarriedAccounts, *, root: Actor, at: dt.datetime) -> int:
        """Put this desk's accounts into a restored log from before accounts (inside the restore's transaction).

        The rows and keys go in as they are; then the first admin (`root`, holding the root key) certifies
        their own key again, saying that every entry after this log's last one is signed, exactly as set-up
        says it for a new or upgraded log, and certifies each account's key (with the label and roles its
        standing says) and the desk keys the live log certified. The certificates are made with the next
        entry, which the caller writes signed by `root`: the restore's own, where signing begins. Returns the
        last entry before it. (`sign_taken_accounts` then signs each standing and setting after it.)
        """
        assert root.signer is not None and root.signer.key_id == carried.root
        for table, rows in (("signing_keys", carried.keys), ("accounts", carried.accounts)):
            for row in rows:
                conn.execute(
                    f"INSERT OR IGNORE INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                    list(row.values()),
                )
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", sorted(carried.settings.items()))
        start = _last_entry(conn)
        ordered = sorted(carried.standings.values(), key=lambda s: (s["key"] != carried.root, str(s["key"])))
        for standing in ordered:  # the first admin's own first: the others rest on it
            self.add_certificate(
                conn,
                key_id=str(standing["key"]),
                label=str(standing["label"]),
                roles=frozenset(r for r in str(standing["roles"]).split(",") if r),
                certifier=root.signer,
                at=at,
                signing_from=start if standing["key"] == carried.root else None,
            )
        for key, label in sorted(carried.desk_keys.items()):
            if conn.execute("SELECT 1 FROM signing_keys WHERE key_id = ?", [key]).fetchone():
                self.add_certificate(
                    conn, key_id=key, label=label, roles=frozenset(), certifier=root.signer, at=at, kind="desk"
                )
        return start[0]

    def sign_taken_accounts(
        self, conn: sqlite3.Connection, carried: CarriedAccounts, *, by: Actor, at: dt.datetime
    ) -> None:
        """After the restore's entry: each carried account's standing and each setting, signed as they stood."""
        for username, standing in sorted(carried.standings.items()):
            append_event(
                conn,
                EventKind.ACCOUNT,
                by,
                f"account {username} carried over with the restore: its standing signed as it stood",
                at=at,
                desk_signer=self.desk_signer,
                state=standing_state(username, standing),
            )
        for name, value in sorted(carried.settings.items()):
            append_event(
                conn,
                EventKind.ACCOUNT,
                by,
                f"desk setting {name} ({value}) carried over with the restore",
                at=at,
                desk_signer=self.desk_signer,
                state=canonical({"setting": name, "value": value}),
            )

    def signed_standing(self, username: str) -> dict[str, Any] | None:
        """The account's standing as its newest signed entry set it (None for one made before standings
        were signed)."""
        return signed_standing(self._conn, username)

    def unsigned_standings(self) -> list[str]:
        """The accounts whose standing no signed entry has set yet (made before signed standings)."""
        names = [str(r[0]) for r in self._conn.execute("SELECT username FROM accounts ORDER BY username")]
        return [name for name in names if signed_standing(self._conn, name) is None]

    def unsigned_settings(self) -> list[str]:
        """The desk settings kept with no signed entry that set them (set before settings were signed)."""
        found = []
        for name in SETTINGS:
            if self.meta_value(name) is None:
                continue
            pattern = f'%"setting":"{name}"%'
            if not self._conn.execute(
                "SELECT 1 FROM audit_log WHERE state IS NOT NULL AND state LIKE ? LIMIT 1", [pattern]
            ).fetchone():
                found.append(name)
        return found

    def sign_setting(self, name: str, *, by: Actor, now: dt.datetime | None = None) -> None:
        """An admin signs a desk setting as it is found (one set before settings were signed)."""
        value = self.meta_value(name)
        if value is not None:
            self.set_meta(name, value, actor=by, detail=f"desk setting {name} ({value}) signed as found", now=now)

    def sign_standing(self, username: str, *, by: Actor, now: dt.datetime | None = None) -> None:
        """An admin signs an account's standing as it is found (an account from before signed standings)."""
        now = now or utc_now()
        with self._write() as conn:
            row = conn.execute("SELECT * FROM accounts WHERE username = ?", [username]).fetchone()
            if row is None or signed_standing(conn, username) is not None:
                return
            append_event(
                conn,
                EventKind.ACCOUNT,
                by,
                f"account {username}: its standing signed as found (made before standings were signed)",
                at=now,
                desk_signer=self.desk_signer,
                state=standing_state(username, standing_of_row(row)),
            )


@dataclass(frozen=True)
class CarriedAccounts:
    """This desk's accounts as its live log holds them, read to go into a restored log from before accounts.

    Restored alone, such a backup would be a log nobody can sign in to (and any first `setup` would make
    itself its admin, a new root). What comes with it: each account's row (everyone keeps their password),
    its standing as its newest signed entry set it, its key, the desk's sign-in settings, the desk keys the
    log certified, and which key is the first admin's: the root the desk was set up with, pinned outside the
    data folder, whose own certificate in the restored log says where signing began in it.
    """

    root: str | None  # the first admin's key (None: the live log has no valid root certificate)
    root_holder: str  # who holds it, in words, for a refusal
    accounts: tuple[dict[str, Any], ...]
    keys: tuple[dict[str, Any], ...]
    standings: dict[str, dict[str, Any]]
    settings: dict[str, str]
    desk_keys: dict[str, str]  # a desk key the live log certified -> the label its certificate gives


def carried_accounts(conn: sqlite3.Connection) -> CarriedAccounts:
    """Read what a restored log from before accounts takes from this log (the caller holds it locked)."""
    from desktop.store.signatures import read_keys

    factory = conn.row_factory
    conn.row_factory = sqlite3.Row
    try:
        book = read_keys(conn, [])
        accounts = tuple(dict(r) for r in conn.execute("SELECT * FROM accounts ORDER BY username"))
        standings = {}
        for row in accounts:
            signed = signed_standing(conn, str(row["username"]))
            standings[str(row["username"])] = signed if signed is not None else standing_of_row(row)
        desk_keys = {}
        for key, kind in sorted(book.kind.items()):
            label = conn.execute(
                "SELECT label FROM key_certificates WHERE key_id = ? ORDER BY id DESC LIMIT 1", [key]
            ).fetchone()
            if kind == "desk" and label is not None:
                desk_keys[key] = str(label[0])
        wanted = {str(r["key_id"]) for r in accounts} | {str(s["key"]) for s in standings.values()} | set(desk_keys)
        keys = tuple(
            dict(r)
            for r in conn.execute("SELECT * FROM signing_keys ORDER BY created_at, key_id")
            if str(r["key_id"]) in wanted
        )
        settings = {
            str(k): str(v)
            for k, v in conn.execute(
                f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' for _ in SETTINGS)})", SETTINGS
            )
        }
    finally:
        conn.row_factory = factory
    holder = next((f"{s['label']} ({name})" for name, s in standings.items() if s["key"] == book.root), None)
    return CarriedAccounts(book.root, holder or "the first admin", accounts, keys, standings, settings, desk_keys)


def _last_entry(conn: sqlite3.Connection) -> tuple[int, str]:
    """The newest entry's number and hash (0 and the genesis hash for an empty log)."""
    entry, head = _next_entry(conn)
    return entry - 1, head


@dataclass(frozen=True)
class Certificate:
    """One key certificate as kept, and the fields its signature covers.

    A certificate from before signed standings (`owner` None) covers the key, its public key, the
    owner's label and roles, the certifier and the date; since then it also covers the key's owner
    and kind (account or desk) and the audit entry made with it; the first admin's own certificate
    also covers where signing began (`signing_from`: the entry number, and its hash).
    """

    key_id: str
    label: str
    roles: str
    certified_by: str
    at: str
    owner: str | None = None
    kind: str | None = None
    entry: int | None = None
    signing_from: int | None = None
    signing_from_head: str | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row | dict[str, Any]) -> Certificate:
        """A certificate as its row keeps it (an early row has no owner, kind or entry columns)."""
        data = dict(row)
        return cls(
            str(data["key_id"]),
            str(data["label"]),
            str(data["roles"]),
            str(data["certified_by"]),
            str(data["at"]),
            owner=data.get("owner"),
            kind=data.get("kind"),
            entry=data.get("entry"),
            signing_from=data.get("signing_from"),
            signing_from_head=data.get("signing_from_head"),
        )

    def fields(self, public_hex: str) -> dict[str, Any]:
        """What the signature covers, in the one form the writer signs and `verify` recomputes."""
        fields: dict[str, Any] = {
            "key_id": self.key_id,
            "public_key": public_hex,
            "label": self.label,
            "roles": self.roles,
            "certified_by": self.certified_by,
            "at": self.at,
        }
        if self.owner is not None:
            fields.update(owner=self.owner, kind=self.kind, entry=self.entry)
        if self.signing_from is not None:
            fields.update(signing_from=self.signing_from, signing_from_head=self.signing_from_head)
        return fields


def certificate_fields(
    key_id: str, label: str, roles: str, certified_by: str, at: str, public_hex: str
) -> dict[str, Any]:
    """The fields an early certificate's signature covers (one without owner, kind or entry)."""
    return Certificate(key_id, label, roles, certified_by, at).fields(public_hex)
