"""The case log: SQLite through sqlite-utils, append-only versions, a hash-chained audit log, search, backup.

sqlite-utils takes a while to import, so the names that need it load on first use: importing
`desktop.store.errors` or `desktop.store.query` (as the window does at start) costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.lazy import lazy_attributes
from desktop.store.errors import CaseNotFound, InvalidInput, LogDamaged, LogLocked, NewerLog, StoreError
from desktop.store.query import CaseQuery, CaseSummary, VerifyReport

if TYPE_CHECKING:
    from desktop.store.backup import BackupResult, backup_to
    from desktop.store.copies import check_log_file
    from desktop.store.restore import RestoreResult, restore_from
    from desktop.store.store import DB_NAME, CaseStore, check_officer, open_store

_LAZY = {
    "BackupResult": "desktop.store.backup",
    "backup_to": "desktop.store.backup",
    "check_log_file": "desktop.store.copies",
    "restore_from": "desktop.store.restore",
    "RestoreResult": "desktop.store.restore",
    "DB_NAME": "desktop.store.store",
    "CaseStore": "desktop.store.store",
    "check_officer": "desktop.store.store",
    "open_store": "desktop.store.store",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


__all__ = [
    "DB_NAME",
    "BackupResult",
    "CaseNotFound",
    "CaseQuery",
    "CaseStore",
    "CaseSummary",
    "InvalidInput",
    "LogDamaged",
    "LogLocked",
    "NewerLog",
    "RestoreResult",
    "StoreError",
    "VerifyReport",
    "backup_to",
    "check_log_file",
    "check_officer",
    "open_store",
    "restore_from",
]
