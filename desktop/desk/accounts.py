"""People at a shared desk PC: set-up, sign-in with lockout, sessions, roles, and what admins may change.

CJIS Security Policy (docs/REPORTS-AND-CJIS.md, section 2) is the floor: every user uniquely
identified (5.6); an account locked after 5 failed attempts until an administrator releases it,
the session locked after at most 30 minutes idle (5.5); every sign-in, failure, lock and change
audited (5.4). Every entry an account makes is signed with its own key (desktop/signing.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from desktop.records import ROLES, Account, Actor, EventKind
from desktop.signing import (
    PasswordRecord,
    PasswordRefused,
    Signer,
    WrongPassword,
    check_new_password,
    new_password,
    open_password,
    seal,
    unseal,
)
from desktop.store.errors import AccountError, DeskKeyProblem, NotSignedIn

if TYPE_CHECKING:
    from desktop.store import CaseStore

LOCKOUT_FAILURES: Final = 5
LOCKOUT_WINDOW: Final = dt.timedelta(minutes=15)
IDLE_DEFAULT: Final = dt.timedelta(minutes=15)
IDLE_MAX: Final = dt.timedelta(minutes=30)
DESK_KEY_FILE: Final = Path("keys") / "desk.key"
USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
SECOND_FACTOR_SCOPES: Final = ("none", "admins", "everyone")
_UNKNOWN: Final = "UNKNOWN USER #-"


class SignInError(AccountError):
    """A sign-in was refused; the message says why in words the officer can act on."""


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise AccountError(
            f"user name {username!r} should be 2 to 32 letters, digits, '.', '_' or '-', starting with a letter"
        )
    return name


def check_roles(roles: frozenset[str] | set[str] | tuple[str, ...]) -> frozenset[str]:
    chosen = frozenset(roles)
    unknown = sorted(chosen - set(ROLES))
    if unknown or not chosen:
        raise AccountError(
            f"roles must be one or more of {', '.join(ROLES)}" + (f" (not {', '.join(unknown)})" if unknown else "")
        )
    return chosen


def _password_checked(password: str, username: str) -> str:
    try:
        return check_new_password(password, username=username)
    except PasswordRefused as exc:
        raise AccountError(str(exc)) from None


MAX_DESK_KEY_FILE: Final = 4096  # 64 hex digits and a line end; anything longer is not a key


def read_desk_key(data_dir: Path) -> Signer | None:
    """The desk's own key kept beside the log, or None where there is none (it signs only the program's own
    entries). DeskKeyProblem when the file is damaged: it never leaves this PC, so no backup holds it."""
    from desktop.readfile import FileRefused, read_regular

    path = Path(data_dir) / DESK_KEY_FILE
    if not path.exists() and not path.is_symlink():
        return None
    try:
        raw = read_regular(path, MAX_DESK_KEY_FILE, what="the desk key")
        return Signer.from_raw(bytes.fromhex(raw.decode("ascii").strip()))
    except (FileRefused, ValueError) as exc:
        why = str(exc) if isinstance(exc, FileRefused) else "it does not hold a key of 64 hex digits"
        raise DeskKeyProblem(
            f"the desk key {path} is damaged ({why}). It never leaves this PC, so no backup holds it: ask IT to start "
            "the desk once with --new-desk-key, which sets the damaged file aside and records a new desk key in the "
            "log. Nothing was changed"
        ) from None


def make_desk_key(data_dir: Path) -> Signer:
    """A new desk key, written whole beside the log (desktop/atomic.py) before anything is signed with it."""
    from desktop.atomic import atomic_file

    signer = Signer.generate()
    path = Path(data_dir) / DESK_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as out:
        out.write((signer.raw().hex() + "\n").encode("ascii"))
    return signer


def station_key(data_dir: Path, known: frozenset[str], *, new_desk_key: bool = False) -> tuple[Signer, str | None]:
    """The desk key this folder's log is opened with, and, for a key made with --new-desk-key, what it replaced.

    `known` are the desk keys the log already holds. A log that knows none (a new log, one from before desk
    keys) gets the key kept here, or a new one. A log that knows one is never given another without a word:
    a missing, damaged or foreign keys/desk.key is refused (DeskKeyProblem) unless `new_desk_key` says to make
    a new one (the old file set aside in keys/), which the log then records in a signed entry.
    """
    path = Path(data_dir) / DESK_KEY_FILE
    try:
        kept = read_desk_key(data_dir)
        problem = None
    except DeskKeyProblem as exc:
        kept, problem = None, str(exc)
    if kept is not None and (not known or kept.key_id in known):
        return kept, None
    if kept is None and problem is None and not known:
        return make_desk_key(data_dir), None
    theirs = ", ".join(sorted(known))
    if problem is None:
        problem = (
            f"the desk key {path} is missing, but this log was signed with this desk's key {theirs}"
            if kept is None
            else f"the desk key {path} (key {kept.key_id}) is not this log's desk key ({theirs}): the key file, or "
            "cases.db, was replaced by another desk's"
        )
    if not new_desk_key:
        if kept is None and "damaged" in problem:
            raise DeskKeyProblem(problem)
        raise DeskKeyProblem(
            f"{problem}. A desk key is never replaced without a word: put the right one back, or, if it is truly "
            "lost, ask IT to start the desk once with --new-desk-key (recorded in the log). Nothing was changed"
        )
    if path.exists() or path.is_symlink():
        from desktop.atomic import reserve_name

        aside = reserve_name(path.parent, "desk-set-aside", ".key")
        os.replace(path, aside)
    signer = make_desk_key(data_dir)
    was = "damaged" if "damaged" in problem else "missing" if kept is None else f"another log's ({kept.key_id})"
    return signer, f"keys/desk.key was {was}; this log's desk key was {theirs or 'none'}"


def _actor(account: Account, signer: Signer) -> Actor:
    return Actor(account.name, account.badge, roles=account.roles, username=account.username, signer=signer)


def _seal_key(signer: Signer, kek: bytes, username: str) -> bytes:
    return seal(signer.raw(), kek, context=b"safedesk-key:" + username.encode())


def _unseal_key(account: Account, kek: bytes) -> Signer:
    return Signer.from_raw(unseal(account.sealed_key, kek, context=b"safedesk-key:" + account.username.encode()))


def check_new_fields(username: str, password: str) -> str:
    """Refuse a user name or a password the rules refuse (AccountError), before anything is made; the name."""
    name = check_username(username)
    _password_checked(password, name)
    return name


def new_account(username: str, name: str, badge: str, roles: frozenset[str], password: str) -> tuple[Account, Signer]:
    """An account with a fresh key sealed under its password (not yet stored)."""
    username = check_username(username)
    person = Actor(name, badge)  # checks the name and badge
    signer = Signer.generate()
    record, kek = new_password(_password_checked(password, username))
    account = Account(
        username=username,
        name=person.name,
        badge=person.badge,
        roles=check_roles(roles),
        password=record.to_json(),
        sealed_key=_seal_key(signer, kek, username),
        key_id=signer.key_id,
    )
    return account, signer


def setup_first_admin(
    store: CaseStore, *, username: str, name: str, badge: str, password: str, desk_label: str, now: dt.datetime
) -> Actor:
    """The first start: the first admin account, whose key certifies itself, the desk's key and all later ones.

    There is no default password: the person setting up the desk chooses it here.
    """
    if store.has_accounts():
        raise AccountError("this log already has accounts; an admin adds the others")
    account, signer = new_account(username, name, badge, frozenset({"admin"}), password)
    admin = _actor(account, signer)
    store.create_account(
        account,
        signer.public,
        by=admin,
        certifier=signer,
        detail=f"first admin account {account.username} set up",
        now=now,
    )
    if store.desk_signer is not None and not store.certified(store.desk_signer.key_id):
        store.certify_key(store.desk_signer.key_id, label=desk_label, certifier=signer, by=admin, now=now)
    return admin


def _failure(store: CaseStore, account: Account | None, username: str, reason: str, now: dt.datetime) -> None:
    """Count a failed sign-in; the fifth within 15 minutes locks the account until an admin unlocks it.

    A log that is read-only here cannot count it: the refusal says so (sign_in), rather than the failure
    to write hiding that the password was wrong.
    """
    if store.read_only:
        return
    if account is None:
        shown = repr(username) if len(username) <= 64 else f"{username[:64]!r}... ({len(username):,} characters)"
        store.log_event(None, EventKind.SIGN_IN_FAILED, _UNKNOWN, f"sign-in refused for {shown}: {reason}", now=now)
        return
    first = dt.datetime.fromisoformat(account.first_failure_at) if account.first_failure_at else None
    failures = account.failures + 1
    if first is None or now - first > LOCKOUT_WINDOW:
        first, failures = now, 1
    changes: dict[str, object] = {"failures": failures, "first_failure_at": first.isoformat()}
    detail = f"sign-in refused for {account.username}: {reason} (failure {failures} of {LOCKOUT_FAILURES})"
    if failures >= LOCKOUT_FAILURES and not account.locked:
        changes["locked"] = 1
        detail += "; account locked until an admin unlocks it"
    store.update_account(
        account.username, changes, by=account.label, kind=EventKind.SIGN_IN_FAILED, detail=detail, now=now
    )


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: who, and whether they must enrol a second factor before anything else."""

    actor: Actor
    must_enrol: bool = False


def sign_in(
    store: CaseStore,
    username: str,
    password: str,
    *,
    code: str | None,
    second_factor: str,
    desk_label: str,
    now: dt.datetime,
) -> SignedIn:
    """Open an account with its password (and its second factor where required); every outcome is audited.

    The whole attempt runs under the log's write lock (store.exclusive): the failure count is read and
    written in one transaction, so parallel guesses count one by one and the fifth locks the account.
    A refusal is raised only after the transaction has committed its audit entry.
    """
    name = username.strip().lower()
    with store.exclusive():
        outcome = _attempt(store, name, password, code, second_factor, desk_label, now)
    if isinstance(outcome, SignInError):
        if store.read_only:  # the refusal is the news; that it could not be counted follows it
            raise SignInError(f"{outcome}; the log is read-only here, so this failed attempt could not be recorded")
        raise outcome
    return outcome


def standing_edited(store: CaseStore, account: Account) -> str | None:
    """What of an account's row differs from the standing its signed entries set (someone edited the row
    outside the desk: re-enabled, unlocked, cleared the second factor, swapped the key), or None."""
    from desktop.store.accounts import STANDING, standing_of_row

    signed = store.signed_standing(account.username)
    if signed is None:
        return None  # an account from before standings were signed: an admin's sign-in signs it
    row = standing_of_row(
        {
            "key_id": account.key_id,
            "name": account.name,
            "badge": account.badge,
            "roles": ",".join(sorted(account.roles)),
            "disabled": account.disabled,
            "locked": account.locked,
            "totp_sealed": account.totp_sealed,
        }
    )
    changed = [name for name in STANDING if row[name] != signed[name]]
    return ", ".join(changed) if changed else None


def _attempt(
    store: CaseStore, name: str, password: str, code: str | None, second_factor: str, desk_label: str, now: dt.datetime
) -> SignedIn | SignInError:
    account = store.account(name)
    if account is None:
        _failure(store, None, name, "no such account", now)
        return SignInError("user name or password is wrong")
    edited = standing_edited(store, account)
    if edited is not None:
        _failure(store, account, name, f"its record was changed outside the desk ({edited})", now)
        return SignInError(
            f"the account {name} was changed outside the desk ({edited} differ from the entries that set them); "
            "ask IT to run verify"
        )
    if account.disabled:
        _failure(store, account, name, "account disabled", now)
        return SignInError(f"the account {name} is disabled; ask an admin")
    if account.locked:
        _failure(store, account, name, "account locked", now)
        return SignInError(
            f"the account {name} is locked after {LOCKOUT_FAILURES} failed sign-ins; an admin must unlock it"
        )
    try:
        kek = open_password(PasswordRecord.from_json(account.password), password)
        signer = _unseal_key(account, kek)
    except WrongPassword:
        _failure(store, account, name, "wrong password", now)
        after = store.account(name)
        if after is not None and after.locked:
            return SignInError(
                f"wrong password; the account {name} is now locked after {LOCKOUT_FAILURES} failed sign-ins "
                "and an admin must unlock it"
            )
        return SignInError("user name or password is wrong")
    if signer.key_id != account.key_id:
        return SignInError(f"the key of account {name} does not match the log; ask IT to run verify")
    needs_code = (
        account.second_factor or second_factor == "everyone" or (second_factor == "admins" and "admin" in account.roles)
    )
    step = None
    if needs_code and account.second_factor:
        assert account.totp_sealed is not None
        secret = unseal(account.totp_sealed, kek, context=b"safedesk-totp:" + name.encode()).decode("ascii")
        step = _accepted_step(store, name, secret, code, now)
        if step is None:
            _failure(store, account, name, "wrong, reused or missing second-factor code", now)
            return SignInError("the code from the authenticator app is wrong, already used, or missing")
    actor = _actor(account, signer)
    changes: dict[str, object] = {}
    if account.failures:
        changes = {"failures": 0, "first_failure_at": None}
    must_enrol = needs_code and not account.second_factor
    detail = f"{name} signed in" + ("; must enrol the second factor the desk requires" if must_enrol else "")
    if changes:
        store.update_account(name, changes, by=actor, kind=EventKind.SIGN_IN, detail=detail, now=now)
    else:
        store.log_event(None, EventKind.SIGN_IN, actor, detail, now=now)
    if step is not None:
        store.set_meta_value(_step_key(name), str(step))
    if "admin" in actor.roles:
        _sign_what_is_unsigned(store, actor, desk_label, now)
    return SignedIn(actor, must_enrol)


def _sign_what_is_unsigned(store: CaseStore, admin: Actor, desk_label: str, now: dt.datetime) -> None:
    """At an admin's sign-in, sign what no signed entry vouches for yet: the desk's own key (made before any
    admin could certify it) and, in a log set up before standings were signed, where signing began (the
    first admin only), each account's standing and each setting, as found."""
    assert admin.signer is not None
    if store.desk_signer is not None and not store.certified(store.desk_signer.key_id):
        store.certify_key(store.desk_signer.key_id, label=desk_label, certifier=admin.signer, by=admin, now=now)
    # Only in a log set up before: its first admin's certificate and its accounts' are early ones (checked). In
    # a log set up since, an account without a signed standing or a setting without a signed entry was put
    # there behind the desk's back: `verify` names it, and no admin's sign-in may sign it as found.
    early = store.early_keys()
    if store.root_key_id() not in early:
        return
    if not store.root_start_signed() and store.root_key_id() == admin.signer.key_id:
        store.sign_root_start(admin, now=now)
    for username in store.unsigned_standings():
        account = store.account(username)
        if account is not None and account.key_id in early:
            store.sign_standing(username, by=admin, now=now)
    for setting in store.unsigned_settings():
        store.sign_setting(setting, by=admin, now=now)


def _step_key(username: str) -> str:
    return f"totp_last_step:{username}"


def _accepted_step(store: CaseStore, username: str, secret: str, code: str | None, now: dt.datetime) -> int | None:
    """The time step (RFC 6238) the code is for: this step or the one before, and later than any accepted
    before for this account, so a code seen over a shoulder cannot be used again (RFC 6238 section 5.2)."""
    import hmac

    import pyotp

    if not code:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    given = code.strip()
    step = next((s for s in (current, current - 1) if hmac.compare_digest(totp.generate_otp(s), given)), None)
    last = store.meta_value(_step_key(username))
    if step is None or (last is not None and last.isdigit() and step <= int(last)):
        return None
    return step


def check_password(store: CaseStore, actor: Actor, password: str, now: dt.datetime) -> None:
    """Unlocking a locked session needs the same officer's password (a wrong one counts as a failure)."""
    assert actor.username is not None
    account = store.account(actor.username)
    if account is None or account.disabled or account.locked:
        raise SignInError("this account can no longer sign in; another officer signs in instead")
    try:
        open_password(PasswordRecord.from_json(account.password), password)
    except WrongPassword:
        _failure(store, account, account.username, "wrong password at the lock screen", now)
        raise SignInError("wrong password") from None


def require(actor: Actor, *roles: str, store: CaseStore) -> None:
    """Refuse an action to an actor without one of `roles` (in a log with accounts)."""
    if actor.signer is None:
        if not store.has_accounts():
            return  # a log from before accounts, used by a tool or a test: nothing to check against
        raise NotSignedIn(f"{actor.label} is not signed in; sign in first")
    if not any(actor.has_role(r) for r in roles):
        raise AccountError(f"{actor.label} may not do this: it needs the {' or '.join(roles)} role")


def _target(store: CaseStore, username: str) -> Account:
    account = store.account(check_username(username))
    if account is None:
        raise AccountError(f"there is no account {username!r}")
    return account


def add_user(
    store: CaseStore,
    admin: Actor,
    *,
    username: str,
    name: str,
    badge: str,
    roles: frozenset[str],
    password: str,
    now: dt.datetime,
) -> Account:
    require(admin, "admin", store=store)
    assert admin.signer is not None
    account, signer = new_account(username, name, badge, roles, password)
    store.create_account(
        account,
        signer.public,
        by=admin,
        certifier=admin.signer,
        detail=f"account {account.username} ({account.label}) created with roles {', '.join(sorted(account.roles))}",
        now=now,
    )
    return account


def change_account(
    store: CaseStore,
    admin: Actor,
    username: str,
    *,
    roles: frozenset[str] | None = None,
    disabled: bool | None = None,
    unlock: bool = False,
    new_password_text: str | None = None,
    now: dt.datetime,
) -> Account:
    """An admin changes roles, disables or enables, unlocks, or resets a password (a new key, certified)."""
    require(admin, "admin", store=store)
    assert admin.signer is not None
    account = _target(store, username)
    changes: dict[str, object] = {}
    words: list[str] = []
    certify: tuple[Signer, bytes | None] | None = None
    if roles is not None:
        changes["roles"] = check_roles(roles)
        words.append(f"roles set to {', '.join(sorted(roles))}")
        certify = (admin.signer, None)
    if disabled is not None:
        if disabled and account.username == admin.username:
            raise AccountError("an admin cannot disable their own account")
        changes["disabled"] = int(disabled)
        words.append("disabled" if disabled else "enabled")
    if unlock:
        changes.update({"locked": 0, "failures": 0, "first_failure_at": None})
        words.append("unlocked")
    if new_password_text is not None:
        # The old key is sealed under a password no one will type again: a new key, certified now.
        signer = Signer.generate()
        record, kek = new_password(_password_checked(new_password_text, account.username))
        changes.update(
            {
                "password": record.to_json(),
                "sealed_key": _seal_key(signer, kek, account.username),
                "key_id": signer.key_id,
            }
        )
        changes.update({"totp_sealed": None, "locked": 0, "failures": 0, "first_failure_at": None})
        words.append("password reset (a new signing key; the second factor must be enrolled again)")
        certify = (admin.signer, signer.public)
    if not changes:
        raise AccountError("nothing to change")
    store.update_account(
        account.username,
        changes,
        by=admin,
        kind=EventKind.ACCOUNT,
        detail=f"account {account.username}: {'; '.join(words)}",
        certify=certify,
        now=now,
    )
    after = store.account(account.username)
    assert after is not None
    return after


def change_own_password(store: CaseStore, actor: Actor, old: str, new: str, now: dt.datetime) -> None:
    """The officer's own new password: the same key, sealed again (so their signatures stay theirs)."""
    assert actor.username is not None and actor.signer is not None
    account = _target(store, actor.username)
    try:
        kek = open_password(PasswordRecord.from_json(account.password), old)
    except WrongPassword:
        raise SignInError("the current password is wrong") from None
    record, new_kek = new_password(_password_checked(new, account.username))
    changes: dict[str, object] = {
        "password": record.to_json(),
        "sealed_key": _seal_key(actor.signer, new_kek, account.username),
    }
    if account.totp_sealed is not None:
        context = b"safedesk-totp:" + account.username.encode()
        changes["totp_sealed"] = seal(unseal(account.totp_sealed, kek, context=context), new_kek, context=context)
    store.update_account(
        account.username,
        changes,
        by=actor,
        kind=EventKind.ACCOUNT,
        detail=f"account {account.username}: own password changed",
        now=now,
    )


def new_second_factor(username: str) -> tuple[str, str]:
    """A new TOTP secret (RFC 6238) and its otpauth:// URI, for the officer's authenticator app to take from a QR
    code; nothing is stored until `enrol_second_factor` is given a code the app made from it."""
    import pyotp

    secret = pyotp.random_base32()
    return secret, pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="Safe Communities Desk")


def enrol_second_factor(
    store: CaseStore,
    actor: Actor,
    password: str,
    now: dt.datetime,
    *,
    secret: str | None = None,
    code: str | None = None,
) -> tuple[str, str]:
    """Store a TOTP secret for the officer's account, sealed like the key; returns it and its URI.

    With `secret` (from `new_second_factor`), `code` must be one the authenticator app made from it, this time
    step or the one before: an app that took the QR code wrongly is found now, not at the next sign-in, which
    it would lock out. Without, a new secret is stored at once (an admin's scripted set-up).
    """
    import hmac

    import pyotp

    assert actor.username is not None
    account = _target(store, actor.username)
    try:
        kek = open_password(PasswordRecord.from_json(account.password), password)
    except WrongPassword:
        raise SignInError("wrong password") from None
    if secret is not None:
        try:
            totp = pyotp.TOTP(secret)
            current = totp.timecode(now)
            made = [totp.generate_otp(s) for s in (current, current - 1)]
        except (ValueError, TypeError):
            raise SignInError(
                "the second factor's secret is not one this desk made: start the enrolment again"
            ) from None
        given = (code or "").strip()
        if not any(hmac.compare_digest(m, given) for m in made):
            raise SignInError(
                "the code is not the one the authenticator app shows for this secret now: check the app took the QR "
                "code (or the key typed by hand) and that its clock is right, then type the code it shows"
            )
    else:
        secret, _uri = new_second_factor(account.username)
    sealed = seal(secret.encode("ascii"), kek, context=b"safedesk-totp:" + account.username.encode())
    store.update_account(
        account.username,
        {"totp_sealed": sealed},
        by=actor,
        kind=EventKind.ACCOUNT,
        detail=f"account {account.username}: second factor enrolled",
        now=now,
    )
    uri = pyotp.TOTP(secret).provisioning_uri(name=account.username, issuer_name="Safe Communities Desk")
    return secret, uri


def replace_roles(actor: Actor, account: Account) -> Actor:
    """The actor with the account's current roles (after an admin changed them mid-shift)."""
    return dataclasses.replace(actor, roles=account.roles)
