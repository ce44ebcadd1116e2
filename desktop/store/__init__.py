"""The case log: SQLite through sqlite-utils, append-only versions, a hash-chained audit log, search, backup."""

from desktop.store.backup import BackupResult, backup_to, check_log_file, restore_from
from desktop.store.errors import CaseNotFound, InvalidInput, LogDamaged, LogLocked, NewerLog, StoreError
from desktop.store.store import (
    DB_NAME,
    CaseQuery,
    CaseStore,
    CaseSummary,
    VerifyReport,
    check_officer,
    open_store,
)

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
    "StoreError",
    "VerifyReport",
    "backup_to",
    "check_log_file",
    "check_officer",
    "open_store",
    "restore_from",
]
