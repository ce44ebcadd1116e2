"""Checking who signed what: every key's certificates back to the one admin key the desk was set up with,
every audit entry's signature, and what the signed entries set, replayed in the order they were made.

What this proves: an entry signed by an account was made by someone who had that account's password
(only it unseals the key), while that key was the account's and the account was enabled, and nothing
in it or before it changed since. The first admin's own certificate says from which entry on every
entry is signed, so stripping every signature and recomputing every hash is caught. Each account's
standing (its key, label, roles, disabled, locked, second factor), the desk's sign-in settings and
the numbering floor a restore leaves are worked out from the signed entries that set them (an admin's
for all of it; the desk key may only lock an account, an officer only enrol their own second factor)
and compared with the rows the desk reads.

An entry signed by the desk's own key proves only that the program on a desk that held that key file
wrote it; so the desk key may sign only the program's own entries (upgrades, failed sign-ins), and an
entry of any other kind carrying it is refused. Its kind is what its certificate says, never the row.

What no check inside one file can prove is that the file was not replaced whole, keys and all: the
admin key's fingerprint pinned at install (desktop/desk/trust.py) and the signed receipts kept away
from the PC (desktop/desk/receipts.py) are the outside witnesses.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Final

from desktop.signing import certificate_message, entry_message, fingerprint, verify_signature
from desktop.store.accounts import SETTINGS, STANDING, Certificate, standing_of_row
from desktop.store.chain import BEFORE_ACCOUNTS, FLOOR_PREFIX, PROGRAM_KINDS

# Signature checks cost about a quarter of a millisecond each; past this many, spread them over the cores.
PARALLEL_FROM = 20_000
CHUNK = 5_000
SAME_MOMENT: Final = dt.timedelta(seconds=1)  # a certificate and its entry are written at one instant


def parse_time(text: object) -> dt.datetime | None:
    """A stored ISO 8601 time as an aware moment, or None when it is not one."""
    if not isinstance(text, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


@dataclass(frozen=True)
class StoredCertificate:
    """A certificate row whose signature checked out, with where it sits in the table."""

    row_id: int
    cert: Certificate

    @property
    def key_id(self) -> str:
        return self.cert.key_id

    @property
    def where(self) -> str:
        return f"the certificate of key {self.cert.key_id} ({self.cert.label})"

    @property
    def self_signed(self) -> bool:
        return self.cert.certified_by == self.cert.key_id

    @property
    def roles(self) -> set[str]:
        return {r for r in self.cert.roles.split(",") if r}

    @property
    def certified_kind(self) -> str:
        """What the certificate lets the key sign: its kind, or for an early one, desk when it gives no roles."""
        if self.cert.kind is not None:
            return self.cert.kind
        return "account" if self.roles else "desk"


@dataclass
class KeyBook:
    """Every key the log knows, their certificates, and which of them are certified so far in the replay."""

    public: dict[str, bytes] = field(default_factory=dict)
    table_kind: dict[str, str] = field(default_factory=dict)
    table_owner: dict[str, str] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)  # what the newest valid certificate says
    owner: dict[str, str] = field(default_factory=dict)  # the owner a certificate names (since owners are named)
    labels: dict[str, set[str]] = field(default_factory=dict)  # certified labels per key, so far
    latest: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (label, roles) of its newest cert
    admins: set[str] = field(default_factory=set)  # keys whose newest certificate, so far, gives the admin role
    pending: dict[int, list[StoredCertificate]] = field(default_factory=dict)  # certificates by their entry
    root: str | None = None
    signing_from: tuple[int, str] | None = None  # (entry, its hash): every entry after it is signed
    early: set[str] = field(default_factory=set)  # keys certified before certificates named their entry

    def certified(self, key_id: str) -> bool:
        return key_id in self.labels

    @property
    def root_fingerprint(self) -> str | None:
        return fingerprint(self.public[self.root]) if self.root and self.root in self.public else None

    def apply(self, stored: StoredCertificate) -> None:
        cert = stored.cert
        self.labels.setdefault(cert.key_id, set()).add(cert.label)
        self.latest[cert.key_id] = (cert.label, cert.roles)
        if "admin" in stored.roles:
            self.admins.add(cert.key_id)
        else:
            self.admins.discard(cert.key_id)


def _stored_certificates(conn: sqlite3.Connection, book: KeyBook, problems: list[str]) -> list[StoredCertificate]:
    """Every certificate whose signature is its certifier's over what it says (the broken ones named)."""
    valid = []
    for row in conn.execute("SELECT * FROM key_certificates ORDER BY id"):
        data = dict(row)
        try:
            cert = Certificate.from_row(data)
        except (KeyError, TypeError) as exc:
            problems.append(f"certificate {data.get('id')} cannot be read ({exc})")
            continue
        stored = StoredCertificate(int(data["id"]), cert)
        public = book.public.get(cert.key_id)
        certifier = book.public.get(cert.certified_by)
        if public is None or certifier is None:
            problems.append(f"{stored.where} names a key that is not in the log")
            continue
        try:
            signature = bytes.fromhex(str(data["signature"]))
        except ValueError:
            problems.append(f"{stored.where} has a signature that is not hex")
            continue
        if not verify_signature(certifier, signature, certificate_message(cert.fields(public.hex()))):
            problems.append(
                f"{stored.where} has a broken signature: it was altered or not made by key {cert.certified_by}"
            )
            continue
        if cert.owner is not None and (type(cert.entry) is not int or cert.kind not in ("account", "desk")):
            problems.append(f"{stored.where} names no entry or kind it was made with")
            continue
        valid.append(stored)
    return valid


def read_keys(conn: sqlite3.Connection, problems: list[str]) -> KeyBook:
    """Load every key and check every certificate's signature; early certificates (made before certificates
    named their entry) are applied at once, later ones when the replay reaches the entry made with them."""
    book = KeyBook()
    for row in conn.execute("SELECT key_id, kind, owner, public_key FROM signing_keys ORDER BY created_at, key_id"):
        try:
            book.public[str(row[0])] = bytes.fromhex(str(row[3]))
        except ValueError:
            problems.append(f"the public key of key {row[0]} is not hex (signing_keys was edited)")
            continue
        book.table_kind[str(row[0])] = str(row[1])
        book.table_owner[str(row[0])] = str(row[2])
    certificates = _stored_certificates(conn, book, problems)
    first_self = next((s for s in certificates if s.self_signed), None)
    for stored in _trusted(certificates, first_self):  # the newest trusted certificate says a key's kind and owner
        book.kind[stored.key_id] = stored.certified_kind
        if stored.cert.owner is not None:
            book.owner[stored.key_id] = stored.cert.owner
    if first_self is not None:
        book.root = first_self.key_id
        start = next(
            (s for s in certificates if s.self_signed and s.key_id == book.root and s.cert.signing_from is not None),
            None,
        )
        if start is not None and isinstance(start.cert.signing_from, int):
            book.signing_from = (start.cert.signing_from, str(start.cert.signing_from_head))
    for stored in certificates:
        if stored.cert.entry is not None:
            book.pending.setdefault(int(stored.cert.entry), []).append(stored)
        elif _may_certify(book, stored, problems):  # an early certificate, in the order they were made
            book.apply(stored)
            book.early.add(stored.key_id)
    return book


def _trusted(certificates: list[StoredCertificate], first_self: StoredCertificate | None) -> list[StoredCertificate]:
    """The certificates that go back to the first admin's, through certificates giving the admin role (in any
    order: the replay checks who could certify when); a key someone certified with a key of their own making
    gets no kind or owner from it."""
    if first_self is None:
        return []
    admins = {first_self.key_id}
    grown = True
    while grown:
        grown = False
        for stored in certificates:
            if stored.cert.certified_by in admins and "admin" in stored.roles and stored.key_id not in admins:
                admins.add(stored.key_id)
                grown = True
    return [s for s in certificates if s.cert.certified_by in admins]


def key_standing(conn: sqlite3.Connection, key_id: str) -> tuple[str, str] | None:
    """A key's certified kind (account or desk) and owner, as its valid certificates say; None when none
    certifies it. A kind flipped in signing_keys changes nothing here."""
    book = read_keys(conn, [])
    kind = book.kind.get(key_id)
    if kind is None:
        return None
    return kind, book.owner.get(key_id) or book.table_owner.get(key_id, "")


def _may_certify(book: KeyBook, stored: StoredCertificate, problems: list[str], extra: str = "") -> bool:
    """Whether the certifier could make this certificate: the first admin's own, an admin's own again (new
    roles), or one by a key certified as an admin's."""
    cert = stored.cert
    if stored.self_signed:
        if cert.key_id == book.root and not book.labels.get(cert.key_id):
            if "admin" not in stored.roles:
                problems.append(f"{stored.where} certifies itself without being an admin key")
                return False
            return True
        if cert.key_id in book.admins:
            return True  # an admin certifying their own key again (their roles changed): the same root
        problems.append(
            f"{stored.where} is a second self-certified admin key: only the first admin, made at set-up, certifies "
            "itself (someone made up a new root of trust)"
        )
        return False
    if cert.certified_by not in book.admins:
        problems.append(
            f"{stored.where} is signed by key {cert.certified_by}, which is not a certified admin key{extra}"
        )
        return False
    return True


def check_accounts(conn: sqlite3.Connection, book: KeyBook, problems: list[str]) -> None:
    """Each account's name, badge and roles are those its key's newest certificate says."""
    for row in conn.execute("SELECT username, name, badge, roles, key_id FROM accounts ORDER BY username"):
        latest = book.latest.get(row["key_id"])
        label = f"{row['name']} #{row['badge']}"
        if latest is None:
            problems.append(f"account {row['username']} has no certified key")
        elif latest != (label, row["roles"]):
            problems.append(
                f"account {row['username']} says {label} with roles {row['roles'] or 'none'}, but its certificate "
                f"says {latest[0]} with roles {latest[1] or 'none'} (the accounts table was edited)"
            )


@dataclass
class SignatureCheck:
    """One signed entry to check, as plain values a worker process can take."""

    seq: int
    public: bytes
    signature: bytes
    entry_hash: str


@dataclass(frozen=True)
class Witness:
    """The newest receipt that was checked against this log (its check is a signed entry)."""

    entries: int  # the entry the receipt names
    at: str  # when the receipt was made
    checked_entry: int  # the entry that recorded the check
    checked_at: str
    signed_by: str  # who signed the receipt
    chain_head: str = ""  # the head the receipt names
    checked_by: str = ""  # who recorded the check (the word of that account, signed)


@dataclass
class Ledger:
    """The replay of the signed entries: which keys may sign at each point, and what the entries set."""

    book: KeyBook
    problems: list[str]
    signed_before: bool = False
    standing: dict[str, dict[str, Any]] = field(default_factory=dict)  # account -> standing its entries set
    set_at: dict[str, int] = field(default_factory=dict)  # account -> the entry that last set it
    key_owner: dict[str, str] = field(default_factory=dict)  # key -> the account whose standing named it
    ended: dict[str, tuple[int, str]] = field(default_factory=dict)  # key -> (entry, account) that replaced it
    settings: dict[str, tuple[str, int]] = field(default_factory=dict)  # setting -> (value, entry)
    floors: tuple[dict[str, Any], int] | None = None  # the numbering floor the newest restore signed
    restores_unsigned: int = 0  # restores from before restores signed their floor
    witness: Witness | None = None

    def owner_of(self, key: str) -> str | None:
        return self.book.owner.get(key) or self.key_owner.get(key)

    def may_sign(self, key: str) -> str | None:
        """Why the key may not sign now (it was replaced, or its account is disabled), or None."""
        ended = self.ended.get(key)
        if ended is not None:
            return f"which a password reset replaced at entry {ended[0]}: a replaced key signs nothing after"
        owner = self.owner_of(key)
        if owner is None:
            return None
        standing = self.standing.get(owner)
        if standing is not None and standing.get("disabled"):
            return f"while the account {owner} was disabled (entry {self.set_at[owner]}): its key signs nothing then"
        return None

    def is_admin(self, key: str) -> bool:
        return key in self.book.admins and self.may_sign(key) is None

    # --- one entry ------------------------------------------------------------------------------

    def entry(self, entry: dict[str, Any]) -> SignatureCheck | None:
        """The rules an entry and its signer must meet, in the replay; returns the signature check to do."""
        seq = entry["seq"]
        for stored in self.book.pending.pop(seq, ()):
            self._certificate_made(stored, entry)
        start = self.book.signing_from
        if start is not None and seq == start[0] and entry["entry_hash"] != start[1]:
            self.problems.append(
                f"audit entry {seq} is not the entry the first admin signed as the point where signing began (its "
                "hash differs): the log up to it was rewritten"
            )
        signer = entry.get("signer")
        if not signer:
            self._unsigned(entry, start)
            return None
        self.signed_before = True
        key = str(signer)
        public = self.book.public.get(key)
        if public is None:
            self.problems.append(f"{_where(entry)} is signed by key {key}, which is not in the log")
            return None
        kind = self.book.kind.get(key)
        if kind is None:
            self.problems.append(f"{_where(entry)} is signed by key {key}, which no admin certified")
        if kind == "desk" or (kind is None and self.book.table_kind.get(key) == "desk"):
            if entry["kind"] not in PROGRAM_KINDS:
                self.problems.append(
                    f"{_where(entry)} carries the desk's own key, which may sign only the program's own entries"
                )
        elif kind is not None:
            labels = self.book.labels.get(key)
            if labels is None:
                self.problems.append(f"{_where(entry)} is signed by key {key} before any admin certified it")
            elif entry["actor"] not in labels:
                self.problems.append(f"{_where(entry)} names someone other than the owner of the key that signed it")
            refused = self.may_sign(key)
            if refused is not None:
                owner = self.owner_of(key) or "an account"
                self.problems.append(f"{_where(entry)} is signed by {owner}'s key {key}, {refused}")
        if entry.get("state") is not None:
            self._state(entry, key, kind)
        signature = entry.get("signature")
        if not signature:
            self.problems.append(f"{_where(entry)} names a signer but has no signature")
            return None
        try:
            raw = bytes.fromhex(str(signature))
        except ValueError:
            self.problems.append(f"{_where(entry)} has a signature that is not hex")
            return None
        return SignatureCheck(int(seq), public, raw, str(entry["entry_hash"]))

    def _unsigned(self, entry: dict[str, Any], start: tuple[int, str] | None) -> None:
        seq = entry["seq"]
        if start is not None and seq > start[0]:
            self.problems.append(
                f"{_where(entry)} is not signed, though the first admin's certificate says every entry after entry "
                f"{start[0]} is (a signature was stripped)"
            )
        elif self.signed_before:
            self.problems.append(
                f"{_where(entry)} is not signed, though entries before it are (a signature was stripped)"
            )
        elif entry["kind"] not in BEFORE_ACCOUNTS:
            self.problems.append(
                f"{_where(entry)} is not signed, but entries of that kind exist only since accounts (a signature was "
                "stripped)"
            )
        elif entry["kind"] == "restore":
            # A log from before accounts: its restore's floor is as good as anything in it.
            state = _state_of(entry)
            if isinstance(state, dict) and isinstance(state.get("floors"), dict):
                self.floors = (state["floors"], int(seq))
            else:
                self.restores_unsigned += 1

    def _certificate_made(self, stored: StoredCertificate, entry: dict[str, Any]) -> None:
        """A certificate made with this entry: signed by its certifier, at the same moment, by one who may."""
        seq = entry["seq"]
        cert = stored.cert
        if entry.get("signer") != cert.certified_by:
            self.problems.append(
                f"{stored.where} names entry {seq} as the one made with it, but its certifier {cert.certified_by} "
                "did not sign that entry (it was moved)"
            )
            return
        made, written = parse_time(cert.at), parse_time(entry["at"])
        if made is None or written is None or abs(made - written) > SAME_MOMENT:
            self.problems.append(
                f"{stored.where} is dated {cert.at}, but entry {seq}, made with it, is dated {entry['at']} "
                "(the certificate was backdated)"
            )
        certifier_refused = None if stored.self_signed else self.may_sign(cert.certified_by)
        if certifier_refused is not None:
            self.problems.append(f"{stored.where} is signed by key {cert.certified_by}, {certifier_refused}")
            return
        if _may_certify(self.book, stored, self.problems, extra=f" at entry {seq}"):
            self.book.apply(stored)

    # --- what an entry sets -----------------------------------------------------------------------

    def _state(self, entry: dict[str, Any], key: str, kind: str | None) -> None:
        state = _state_of(entry)
        seq = int(entry["seq"])
        if not isinstance(state, dict):
            self.problems.append(f"{_where(entry)} carries a state that is not a JSON object")
        elif "account" in state:
            self._standing(entry, state, key, kind)
        elif "setting" in state:
            if not self.is_admin(key):
                self.problems.append(
                    f"{_where(entry)} changes the desk setting {state['setting']}, which only an admin may"
                )
            else:
                self.settings[str(state["setting"])] = (str(state.get("value")), seq)
        elif "floors" in state:
            if not isinstance(state["floors"], dict):
                self.problems.append(f"{_where(entry)} carries a numbering floor that is not one")
            elif not self.is_admin(key):
                self.problems.append(f"{_where(entry)} sets the numbering floor, which only an admin's restore may")
            else:
                self.floors = (state["floors"], seq)
        elif "receipt" in state:
            receipt = state["receipt"]
            if kind == "account" and isinstance(receipt, dict) and isinstance(receipt.get("entries"), int):
                newest = self.witness
                if newest is None or receipt["entries"] >= newest.entries:
                    self.witness = Witness(
                        receipt["entries"],
                        str(receipt.get("at")),
                        seq,
                        str(entry["at"]),
                        str(receipt.get("signed_by")),
                        str(receipt.get("chain_head")),
                        str(entry["actor"]),
                    )
        elif "checkpoint" in state:
            # A full verify's record of what it checked: `verify` trusts it only where an outside witness holds
            # it (store/verify.py Checkpoint), and only a person's key may sign one.
            if kind != "account" or entry["kind"] != "verify":
                self.problems.append(f"{_where(entry)} records a verify checkpoint, which only a person's verify may")
        else:
            self.problems.append(f"{_where(entry)} carries a state this version of the program does not know")

    def _standing(self, entry: dict[str, Any], state: dict[str, Any], key: str, kind: str | None) -> None:
        username = str(state["account"])
        new = {k: state.get(k) for k in STANDING}
        if not (
            isinstance(new["key"], str)
            and isinstance(new["label"], str)
            and isinstance(new["roles"], str)
            and all(isinstance(new[k], bool) for k in ("disabled", "locked", "second_factor"))
        ):
            self.problems.append(f"{_where(entry)} carries a standing of account {username} that cannot be read")
            return
        previous = self.standing.get(username)
        if self.is_admin(key):
            allowed = True
        elif previous is None:
            allowed = False
        elif kind == "desk":  # the program locks an account after failed sign-ins; nothing else
            allowed = new == {**previous, "locked": True}
        else:  # an officer enrols their own second factor; nothing else
            allowed = previous["key"] == key and new == {**previous, "second_factor": True}
        if not allowed:
            changed = sorted(k for k in STANDING if previous is None or previous[k] != new[k])
            self.problems.append(
                f"{_where(entry)} sets {', '.join(changed) or 'the standing'} of account {username}, which only an "
                "admin may"
            )
            return
        certified_owner = self.book.owner.get(new["key"])
        if certified_owner is not None and certified_owner != username:
            self.problems.append(
                f"{_where(entry)} gives account {username} the key {new['key']}, which its certificate says is "
                f"{certified_owner}'s"
            )
            return
        if previous is not None and previous["key"] != new["key"]:
            self.ended[previous["key"]] = (int(entry["seq"]), username)
        self.standing[username] = new
        self.set_at[username] = int(entry["seq"])
        self.key_owner[new["key"]] = username

    # --- after the last entry ---------------------------------------------------------------------

    def finish(self, conn: sqlite3.Connection, last_entry: int) -> list[str]:
        """What the rows say against what the signed entries set; returns notes (true, but not failures)."""
        notes: list[str] = []
        self.finish_chain(last_entry)
        notes += self._check_standings(conn)
        notes += self._check_settings(conn)
        notes += self._check_floors(conn)
        return notes

    def finish_chain(self, last_entry: int) -> None:
        """What the chain alone must show after its last entry: every certificate's entry reached, the signing
        start within it, and each key's kept kind and owner those its certificates say. (The county register,
        which holds the chain and the keys but no accounts or settings, stops here.)"""
        for entry, certificates in sorted(self.book.pending.items()):
            for stored in certificates:
                self.problems.append(f"{stored.where} names entry {entry} as made with it, which is not in the log")
        start = self.book.signing_from
        if start is not None and start[0] > last_entry:
            self.problems.append(
                f"the first admin signed that signing began after entry {start[0]}, but the log ends at entry "
                f"{last_entry}: entries were deleted"
            )
        self._check_keys()

    def _check_keys(self) -> None:
        for key, certified in sorted(self.book.kind.items()):
            table = self.book.table_kind.get(key)
            if table is not None and table != certified:
                self.problems.append(
                    f"key {key} is kept as a key of kind {table}, but its certificate says {certified} (signing_keys "
                    "was edited)"
                )
            owner = self.owner_of(key) if certified == "account" else self.book.owner.get(key)
            kept = self.book.table_owner.get(key)
            if owner is not None and kept is not None and kept != owner:
                self.problems.append(
                    f"key {key} is kept as {kept}'s, but its certificate and signed entries say it is {owner}'s "
                    "(signing_keys was edited: `audit --for` goes by it)"
                )

    def _check_standings(self, conn: sqlite3.Connection) -> list[str]:
        notes: list[str] = []
        kept = set()
        for row in conn.execute("SELECT * FROM accounts ORDER BY username"):
            username = str(row["username"])
            kept.add(username)
            signed = self.standing.get(username)
            if signed is None:
                if str(row["key_id"]) in self.book.early:
                    notes.append(
                        f"account {username} was made before account standings were signed: an admin's next sign-in "
                        "signs it as it is"
                    )
                else:
                    self.problems.append(f"account {username} has no signed entry that made it (the row was added)")
                continue
            actual = standing_of_row(row)
            for name in STANDING:
                if actual[name] != signed[name]:
                    self.problems.append(
                        f"account {username}: its row says {name} {_shown(actual[name])}, but the signed entries that "
                        f"set it (entry {self.set_at[username]}) say {_shown(signed[name])} (the accounts table was "
                        "edited)"
                    )
        for username in sorted(set(self.standing) - kept):
            self.problems.append(f"account {username}, made by a signed entry, is missing from the accounts table")
        return notes

    def _check_settings(self, conn: sqlite3.Connection) -> list[str]:
        notes = []
        legacy = self.book.root is not None and self.book.root in self.book.early
        kept = {
            str(k): str(v)
            for k, v in conn.execute(
                f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' for _ in SETTINGS)})", SETTINGS
            )
        }
        for name in SETTINGS:
            signed = self.settings.get(name)
            value = kept.get(name)
            if signed is None and value is not None:
                if legacy:
                    notes.append(f"the desk setting {name} ({value}) was set before settings were signed")
                else:
                    self.problems.append(f"the desk setting {name} is {value}, but no admin's signed entry set it")
            elif signed is not None and value != signed[0]:
                self.problems.append(
                    f"the desk setting {name} is {_shown(value)}, but the admin's signed entry {signed[1]} set it to "
                    f"{signed[0]} (the setting was edited)"
                )
        return notes

    def _check_floors(self, conn: sqlite3.Connection) -> list[str]:
        kept = {
            str(k)[len(FLOOR_PREFIX) :]: int(v) if str(v).isdigit() else v
            for k, v in conn.execute("SELECT key, value FROM meta WHERE key LIKE ?", [FLOOR_PREFIX + "%"])
        }
        if self.floors is None:
            if kept and self.restores_unsigned:
                return [
                    f"the numbering floor ({_floor_words(kept)}) was left by a restore made before restores signed it"
                ]
            if kept:
                self.problems.append(f"the numbering floor ({_floor_words(kept)}) was set by no restore's signed entry")
            return []
        signed, seq = self.floors
        if kept != signed:
            self.problems.append(
                f"the numbering floor is {_floor_words(kept) or 'none'}, but the restore's signed entry {seq} set "
                f"{_floor_words(signed) or 'none'} (lowered, a number on paper could be given out again)"
            )
        return []


def _floor_words(floors: dict[str, Any]) -> str:
    return ", ".join(f"{year}: {value}" for year, value in sorted(floors.items()))


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "none" if value in (None, "") else str(value)


def _state_of(entry: dict[str, Any]) -> object:
    try:
        return json.loads(entry["state"]) if entry.get("state") is not None else None
    except (TypeError, ValueError):
        return None


def _where(entry: dict[str, Any]) -> str:
    return f"audit entry {entry['seq']} ({entry['kind']}, by {entry['actor']})"


def _bad(checks: Sequence[tuple[int, bytes, bytes, str]]) -> list[int]:
    """The entries whose signature does not verify (each key loaded once: a log has few keys, many entries)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    keys: dict[bytes, Ed25519PublicKey | None] = {}
    bad = []
    for seq, public, signature, digest in checks:
        if public not in keys:
            try:
                keys[public] = Ed25519PublicKey.from_public_bytes(public)
            except ValueError:
                keys[public] = None
        key = keys[public]
        try:
            if key is None:
                raise InvalidSignature
            key.verify(signature, entry_message(digest))
        except InvalidSignature:
            bad.append(seq)
    return bad


class SignatureJob:
    """Every signature check, under way: over the cores in worker processes when there are many, so the rest of
    `verify` (every record, the search index) runs in this process meanwhile; `finish` collects the result."""

    def __init__(self, checks: Iterable[SignatureCheck]) -> None:
        self._plain = [(c.seq, c.public, c.signature, c.entry_hash) for c in checks]
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[list[int]]] = []
        if len(self._plain) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            self._pool = ProcessPoolExecutor(max_workers=os.cpu_count())
            chunks = [self._plain[i : i + CHUNK] for i in range(0, len(self._plain), CHUNK)]
            self._futures = [self._pool.submit(_bad, chunk) for chunk in chunks]

    def finish(self, problems: list[str], step: Callable[[int], None] | None = None) -> int:
        """Wait for the checks and name every broken signature; returns how many were checked. `step` hears how
        many more were checked, chunk by chunk."""
        bad: list[int] = []
        try:
            if self._pool is None:
                bad = _bad(self._plain)
                if step is not None:
                    step(len(self._plain))
            for index, future in enumerate(self._futures):
                bad.extend(future.result())
                if step is not None:
                    step(min(CHUNK, len(self._plain) - index * CHUNK))
        finally:
            self.cancel()
        for seq in sorted(bad):
            problems.append(
                f"audit entry {seq} has a broken signature: it, or an entry before it, was changed by someone "
                "who does not hold the signer's password"
            )
        return len(self._plain)

    def cancel(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
