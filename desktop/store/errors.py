"""The store's errors: each says what is wrong in words an officer or city IT can act on."""

from __future__ import annotations

import errno

from desktop.errors import BadInput, DeskError, Environment, Refused


class StoreError(DeskError):
    """The case log could not do what was asked; nothing was half written."""


class InvalidInput(StoreError, BadInput):
    """A value given to the store is missing or malformed (officer, reason, file)."""


class CaseNotFound(StoreError, BadInput):
    """No case with that number is in the log."""

    def __init__(self, case_number: str) -> None:
        super().__init__(f"case {case_number!r} is not in the log")
        self.case_number = case_number


class LogLocked(StoreError, Environment):
    """Another process holds the log for longer than the busy timeout."""


class NotSignedIn(StoreError, Refused):
    """An entry would be written by someone who has not signed in (once the log has accounts)."""


class AccountError(StoreError, Refused):
    """An account cannot be used or changed as asked (unknown, disabled, locked, wrong role); says which."""


class DiskError(StoreError, Environment):
    """The disk or its permissions said no: full, read-only, unreadable, out of memory; nothing was saved."""


class LogDamaged(StoreError, Environment):
    """The file is damaged, or is not this app's case log."""


class LogMissing(StoreError, Environment):
    """The folder shows a log was kept here, but cases.db is missing or empty; no new log was started."""


class OtherLog(StoreError, Environment):
    """cases.db is not the log this folder kept (another desk's, copied in); it was left untouched."""


class DeskKeyProblem(StoreError, Environment):
    """keys/desk.key is damaged, missing or another log's; it is never replaced without --new-desk-key."""


class NotSetUp(StoreError, BadInput):
    """The data folder holds no log yet (the first start): nothing was written; run setup first."""


class NewerLog(StoreError, Environment):
    """The log was written by a newer version of the app; it is refused and left untouched."""


class OlderLog(StoreError, BadInput):
    """The file is a log an earlier version wrote: only a copy of it is upgraded (restore), never the file."""


def describe_os_error(exc: OSError) -> str:
    """A short reason for a file-system error (full disk, no permission, ...)."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (the folder is read-only for this user)"
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    return exc.strerror or str(exc)
