"""The admin key's fingerprint pinned outside the data folder, where desk users cannot write it.

Everything in the data folder can be rewritten by anyone who can use the desk, keys and all: a log
re-created under a new first admin verifies as well as the real one. What it cannot fake is the first
admin's fingerprint written down at set-up. So the machine keeps it where only administrators write:

- Windows: `HKLM\\SOFTWARE\\SafeCommunitiesDesk`, value `AdminFingerprint` (a
  string), written by setup.exe (`/ADMINFINGERPRINT=…`) and the MSI (`ADMINFINGERPRINT=…`), or once by
  `main.py setup … --pin` run as an administrator;
- elsewhere: the file /etc/safe-communities-desk/admin-fingerprint, owned by root, written once by
  `setup … --pin` run as root, or by IT.

Pinning is asked for, never done by a set-up on its own: a set-up run by a test or a trial as an
administrator must not pin a key on the machine.

`verify` and the window's start compare the log's first admin key with it, and say so loudly when
they differ; `verify --expect-fingerprint FP` compares with the paper itself. The pin is this PC's desk
log's: a log opened from another folder (the self-test's, a copy) is compared with its paper only.
Tests point the pin at a file of their own with SAFEDESK_PINNED_FINGERPRINT_FILE; the installed
program ignores that variable.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from desktop.signing import fingerprint_of, read_fingerprint

PIN_FILE: Final = Path("/etc/safe-communities-desk/admin-fingerprint")
PIN_ENV: Final = "SAFEDESK_PINNED_FINGERPRINT_FILE"  # tests only: the frozen program ignores it
REGISTRY_KEY: Final = r"SOFTWARE\SafeCommunitiesDesk"  # the installers write it (DEPLOYMENT.md section 6)
REGISTRY_VALUE: Final = "AdminFingerprint"
REGISTRY_NAME: Final = rf"HKLM\{REGISTRY_KEY}\{REGISTRY_VALUE}"


@dataclass(frozen=True)
class Pin:
    """What the machine-wide setting holds: the fingerprint (32 hex digits), where it is kept, and any
    reason it cannot be trusted (unreadable, not a fingerprint, writable by desk users)."""

    fingerprint: str | None
    where: str
    problem: str | None = None


def _pin_file() -> Path | None:
    """The pin file to read, or None on Windows (the registry); the test override only when not installed."""
    override = os.environ.get(PIN_ENV)
    if override and not getattr(sys, "frozen", False):
        return Path(override)
    return None if sys.platform == "win32" else PIN_FILE


def read_pin() -> Pin:
    """The fingerprint pinned on this machine (Pin.fingerprint None where none is)."""
    path = _pin_file()
    if path is None:
        return _read_registry()
    from desktop.readfile import FileRefused, read_regular

    if not path.exists() and not path.is_symlink():
        return Pin(None, str(path))
    try:
        text = read_regular(path, 4096, what="a pinned fingerprint").decode("utf-8", errors="replace")
    except FileRefused as exc:
        return Pin(None, str(path), f"the pinned fingerprint cannot be read: {exc}")
    found = read_fingerprint(text.strip())
    if found is None:
        return Pin(None, str(path), f"{path} does not hold a fingerprint (32 hex digits)")
    return Pin(found, str(path), None if os.environ.get(PIN_ENV) else _writable_by_others(path))


def _writable_by_others(path: Path) -> str | None:
    """Why a pin file outside Windows proves nothing: someone other than root may write it or its folder."""
    if not hasattr(os, "getuid"):
        return None
    for place in (path, path.parent):
        try:
            status = place.stat()
        except OSError:
            return None
        if status.st_uid != 0 or status.st_mode & 0o022:
            return f"{place} may be written by others than root, so the fingerprint pinned there proves nothing"
    return None


def _winreg() -> Any:  # pragma: no cover - Windows only
    """Windows' registry module (imported by name: it exists only there)."""
    import importlib

    return importlib.import_module("winreg")


def _read_registry() -> Pin:  # pragma: no cover - Windows only
    winreg = _winreg()

    access = winreg.KEY_READ | getattr(winreg, "KEY_WOW64_64KEY", 0)
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, REGISTRY_KEY, 0, access) as key:
            value, _kind = winreg.QueryValueEx(key, REGISTRY_VALUE)
    except FileNotFoundError:
        return Pin(None, REGISTRY_NAME)
    except OSError as exc:
        return Pin(None, REGISTRY_NAME, f"{REGISTRY_NAME} cannot be read ({exc})")
    found = read_fingerprint(str(value))
    if found is None:
        return Pin(None, REGISTRY_NAME, f"{REGISTRY_NAME} does not hold a fingerprint (32 hex digits)")
    return Pin(found, REGISTRY_NAME)


def record_pin(fingerprint: str) -> str:
    """Pin the first admin's fingerprint where desk users cannot write, once; returns what was done, in words.

    Only where nothing is pinned yet, and only where this process may write it (an administrator's or
    root's); otherwise it says that IT pins it (DEPLOYMENT.md).
    """
    digits = read_fingerprint(fingerprint)
    if digits is None:
        return "not pinned: that is not a fingerprint"
    existing = read_pin()
    if existing.fingerprint is not None:
        same = "the same" if existing.fingerprint == digits else "ANOTHER"
        return f"not pinned again: {existing.where} already holds {same} fingerprint"
    path = _pin_file()
    try:
        if path is None:
            _write_registry(fingerprint_of(digits))  # pragma: no cover - Windows only
            return f"pinned in {REGISTRY_NAME}"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="ascii") as handle:  # never over one written meanwhile
            handle.write(fingerprint_of(digits) + "\n")
        return f"pinned in {path}"
    except OSError:
        where = REGISTRY_NAME if path is None else str(path)
        return f"not pinned: only an administrator may write {where}; IT pins it at install (DEPLOYMENT.md)"


def _write_registry(value: str) -> None:  # pragma: no cover - Windows only
    winreg = _winreg()

    access = winreg.KEY_WRITE | getattr(winreg, "KEY_WOW64_64KEY", 0)
    with winreg.CreateKeyEx(winreg.HKEY_LOCAL_MACHINE, REGISTRY_KEY, 0, access) as key:
        winreg.SetValueEx(key, REGISTRY_VALUE, 0, winreg.REG_SZ, value)


@dataclass(frozen=True)
class RootCheck:
    """The log's first admin key against the fingerprint pinned on this machine and the one on the paper.

    `problems` are failures (the log is not the one set up here, or not the one on the paper); `notes`
    say what was compared, or that nothing is pinned and the paper must be compared by eye.
    """

    log: str | None  # the log's first admin key fingerprint, as people read it
    pinned: str | None
    where: str
    expected: str | None
    problems: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def differs(self) -> bool:
        """Whether the log's admin key is not the pinned one: the window shows it across the screen."""
        return self.pinned is not None and self.log != self.pinned


def is_the_desks_folder(folder: Path) -> bool:
    """Whether `folder` is this PC's desk folder (SAFEDESK_DATA_DIR, else the shared one): the log the pin is for.

    A log opened elsewhere (the self-test's, a copy on a USB stick, another desk's log being looked at)
    is not the one set up here; its admin key is compared with the paper it came with instead.
    """
    from desktop.paths import resolve_data_dir

    def same(path: Path) -> str:
        return os.path.normcase(str(path.expanduser().resolve()))

    return same(Path(folder)) == same(resolve_data_dir(None))


def check_root(
    log_fingerprint: str | None,
    *,
    expected: str | None = None,
    has_entries: bool = True,
    folder: Path | None = None,
) -> RootCheck:
    """Compare the log's first admin key with the pinned fingerprint and with `expected` (from the paper).

    The pin is this PC's desk log's: it is compared when `folder` is this PC's desk folder (or not given).
    A log with no admin key yet (before set-up) is a failure only where it holds entries while a
    fingerprint is pinned: a log stripped of its accounts, or another one put in its place.
    """
    pin = read_pin()
    log_digits = read_fingerprint(log_fingerprint) if log_fingerprint else None
    shown_log = fingerprint_of(log_digits) if log_digits else None
    problems: list[str] = []
    notes: list[str] = []
    if folder is not None and pin.fingerprint is not None and not is_the_desks_folder(folder):
        from desktop.paths import resolve_data_dir

        notes.append(
            f"the admin key pinned on this PC is its desk log's ({resolve_data_dir(None)}); this log is in {folder}, "
            "so compare its admin key with the paper of the desk it came from (--expect-fingerprint)"
        )
        pin = Pin(None, pin.where, "")
    pinned = fingerprint_of(pin.fingerprint) if pin.fingerprint else None
    if pin.problem:
        problems.append(pin.problem)
    if pinned is not None:
        if shown_log is None:
            if has_entries:
                problems.append(
                    f"THIS LOG HAS NO ADMIN KEY, BUT {pinned} IS PINNED ON THIS PC ({pin.where}): it is not the log "
                    "set up here (its accounts were stripped, or another log was put in its place). Do not use it; "
                    "call IT"
                )
            else:
                notes.append(f"the admin key pinned on this PC is {pinned}: set up or restore the log it belongs to")
        elif shown_log != pinned:
            problems.append(
                f"THE ADMIN KEY OF THIS LOG ({shown_log}) IS NOT THE ONE PINNED ON THIS PC ({pinned}, in "
                f"{pin.where}): the log was replaced or re-created. Do not use it; call IT"
            )
        else:
            notes.append(f"the admin key is the one pinned on this PC ({pin.where})")
    elif pin.problem is None:
        notes.append(
            f"no admin key is pinned on this PC ({pin.where}): compare {shown_log or 'the admin key'} with the "
            "paper from set-up by eye, or pin it (DEPLOYMENT.md section 6a)"
        )
    if expected is not None:
        wanted = read_fingerprint(expected)
        if wanted is None:
            problems.append(f"--expect-fingerprint {expected!r} is not a fingerprint (32 hex digits)")
        elif wanted != log_digits:
            problems.append(
                f"the admin key of this log ({shown_log or 'none'}) is not the one expected "
                f"({fingerprint_of(wanted)}): the log was replaced or re-created"
            )
        else:
            notes.append("the admin key is the one expected (--expect-fingerprint)")
    return RootCheck(shown_log, pinned, pin.where, expected, tuple(problems), tuple(notes))
