"""The case log's schema, built and changed only through sqlite-utils migrations."""

from __future__ import annotations

from typing import Final

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET: Final = "safedesk"
# PRAGMA application_id: marks a file as this app's case log ("SCD1"), so restore can refuse others.
APPLICATION_ID: Final = 0x53434431

# Tables whose rows, once written, never change (DESIGN.md: "Nothing is edited, only added").
APPEND_ONLY_TABLES: Final = (
    "cases",
    "case_versions",
    "audit_log",
    "policy_packs",
    "attachments",
    "signing_keys",
    "key_certificates",
)

migrations = Migrations(MIGRATION_SET)


def _trigger_sql(table: str, verb: str) -> str:
    """An append-only trigger as SQLite keeps it in sqlite_master (which drops IF NOT EXISTS)."""
    return (
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: record an amendment instead'); END"
    )


def _append_only(db: Database, table: str) -> None:
    for verb in ("UPDATE", "DELETE"):
        db.execute(_trigger_sql(table, verb).replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1))


def append_only_triggers() -> list[str]:
    """The names of the triggers that must exist for the log to be append-only."""
    return [f"{table}_no_{verb}" for table in APPEND_ONLY_TABLES for verb in ("update", "delete")]


def append_only_trigger_sql() -> dict[str, str]:
    """Each append-only trigger's name and the SQL it must have, so a same-named no-op is caught."""
    return {
        f"{table}_no_{verb.lower()}": _trigger_sql(table, verb)
        for table in APPEND_ONLY_TABLES
        for verb in ("UPDATE", "DELETE")
    }


def same_sql(a: str | None, b: str | None) -> bool:
    """Whether two statements are the same text, but for case and spacing."""
    if a is None or b is None:
        return a is b
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@migrations()
def m001_case_log(db: Database) -> None:
    """Cases, their versions, the packs they were decided under, and the hash-chained audit log."""
    # Marks the file as a case log in the same transaction that builds it, so no crash can leave
    # tables that a later start would take for another program's database.
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("""CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""")
    db.execute(
        """CREATE TABLE policy_packs (
            sha256 TEXT PRIMARY KEY,
            pack_id TEXT NOT NULL,
            version TEXT NOT NULL,
            content BLOB NOT NULL,
            added_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE cases (
            case_number TEXT PRIMARY KEY,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (year, seq)
        )"""
    )
    db.execute(
        """CREATE TABLE case_versions (
            id INTEGER PRIMARY KEY,
            case_number TEXT NOT NULL REFERENCES cases(case_number),
            version INTEGER NOT NULL,
            intake_json TEXT NOT NULL,
            decision_json TEXT NOT NULL,
            policy_sha256 TEXT NOT NULL REFERENCES policy_packs(sha256),
            officer TEXT NOT NULL,
            desk TEXT NOT NULL,
            received_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            recorded_zone TEXT NOT NULL,
            status TEXT NOT NULL,
            amendment_reason TEXT,
            override_reason TEXT,
            override_officer TEXT,
            previous_hash TEXT,
            record_hash TEXT NOT NULL UNIQUE,
            UNIQUE (case_number, version)
        )"""
    )
    db.execute(
        """CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            case_number TEXT,
            version INTEGER,
            actor TEXT NOT NULL,
            detail TEXT NOT NULL,
            record_hash TEXT,
            prev_hash TEXT NOT NULL,
            entry_hash TEXT NOT NULL UNIQUE
        )"""
    )
    db.execute("CREATE INDEX audit_log_case ON audit_log (case_number, seq)")
    for table in ("cases", "case_versions", "audit_log", "policy_packs"):
        _append_only(db, table)


@migrations()
def m002_search_index(db: Database) -> None:
    """A search projection of each case's current version, with full-text search and facets.

    Unlike the log itself this projection is updated on amendment; it holds nothing that is not
    derived from case_versions, so it can always be rebuilt from them.
    """
    db.execute(
        """CREATE TABLE case_index (
            id INTEGER PRIMARY KEY,
            case_number TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            received_utc TEXT NOT NULL,
            received_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            requester TEXT NOT NULL,
            status TEXT NOT NULL,
            referred INTEGER NOT NULL,
            codes TEXT NOT NULL,
            document_kinds TEXT NOT NULL,
            booking_number TEXT NOT NULL,
            subject_name TEXT NOT NULL,
            requester_name TEXT NOT NULL,
            signer_names TEXT NOT NULL,
            officer TEXT NOT NULL,
            notes TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX case_index_received ON case_index (received_utc)")
    # One row per searchable value of a case ("code:NO_HOLD", "doc:I-247A", "requester:ice_ero", ...),
    # so a filter walks an index newest-first instead of scanning every case.
    db.execute(
        """CREATE TABLE case_facets (
            facet TEXT NOT NULL,
            case_id INTEGER NOT NULL,
            PRIMARY KEY (facet, case_id)
        ) WITHOUT ROWID"""
    )
    db.table("case_index").enable_fts(
        ["case_number", "booking_number", "subject_name", "requester_name", "signer_names", "notes"],
        fts_version="FTS5",
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )
    # Cases recorded before this migration are indexed from their versions by the store on open.


@migrations()
def m003_attachments(db: Database) -> None:
    """Scans of the paper received, kept with their checksums."""
    db.execute(
        """CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            case_number TEXT NOT NULL REFERENCES cases(case_number),
            filename TEXT NOT NULL,
            content_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            content BLOB NOT NULL,
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX attachments_case ON attachments (case_number)")
    _append_only(db, "attachments")


@migrations()
def m004_received_day(db: Database) -> None:
    """The day the request was received, as the desk gave it (its own offset), for date filters."""
    db.execute("ALTER TABLE case_index ADD COLUMN received_day TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE case_index SET received_day = substr(received_at, 1, 10)")
    db.execute("CREATE INDEX case_index_received_day ON case_index (received_day)")


@migrations()
def m005_facets_by_case(db: Database) -> None:
    """Find a case's facet rows by case, so replacing them on amendment does not scan every facet."""
    db.execute("CREATE INDEX IF NOT EXISTS case_facets_case ON case_facets (case_id)")


@migrations()
def m006_received_day_in_pack_zone(db: Database) -> None:
    """The day a request was received, in the time zone its pack names (the day as typed, for a pack naming none).

    Only the search projection changes, and only the rows whose day differs: the log is not touched.
    """
    from desktop.store.index import recompute_received_days

    recompute_received_days(db.conn)


@migrations()
def m007_accounts_and_signatures(db: Database) -> None:
    """People: accounts with roles, their signing keys and the admin's certificates; a signature on each entry.

    Entries written before this migration stay as they were (unsigned, their officer as typed); the
    entry hash covers a signer only where one is named, so their hashes do not change.
    """
    db.execute("ALTER TABLE audit_log ADD COLUMN signer TEXT")
    db.execute("ALTER TABLE audit_log ADD COLUMN signature TEXT")
    db.execute(
        """CREATE TABLE signing_keys (
            key_id TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('account', 'desk')),
            public_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE key_certificates (
            id INTEGER PRIMARY KEY,
            key_id TEXT NOT NULL REFERENCES signing_keys(key_id),
            label TEXT NOT NULL,
            roles TEXT NOT NULL,
            certified_by TEXT NOT NULL REFERENCES signing_keys(key_id),
            at TEXT NOT NULL,
            signature TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX key_certificates_key ON key_certificates (key_id, id)")
    # Accounts change (roles, lockout, a new password): the table is the current state; every change
    # is also a signed audit entry, and roles are certified, so `verify` can check the two agree.
    db.execute(
        """CREATE TABLE accounts (
            username TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            badge TEXT NOT NULL,
            roles TEXT NOT NULL,
            password TEXT NOT NULL,
            sealed_key BLOB NOT NULL,
            key_id TEXT NOT NULL REFERENCES signing_keys(key_id),
            disabled INTEGER NOT NULL DEFAULT 0,
            locked INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0,
            first_failure_at TEXT,
            totp_sealed BLOB,
            created_at TEXT NOT NULL,
            changed_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE UNIQUE INDEX accounts_badge ON accounts (badge)")
    for table in ("signing_keys", "key_certificates"):
        _append_only(db, table)


@migrations()
def m008_versions_by_status(db: Database) -> None:
    """Find the versions of a status (the referred ones, for the review queue) without reading every version.

    The review queue reads the log itself, not the search projection, so that no lost derived row can
    hide a case waiting for counsel.
    """
    db.execute("CREATE INDEX IF NOT EXISTS case_versions_status ON case_versions (status)")


@migrations()
def m009_signed_state(db: Database) -> None:
    """What an entry sets, signed with it; certificates that say whose key of what kind, made with which entry.

    - `audit_log.state`: the canonical JSON of what an entry sets (an account's standing, a desk setting,
      the numbering floor a restore leaves, a receipt checked). The entry hash covers it where it is
      present, so entries written before stay as they were. `verify` derives each account's standing,
      the settings and the floor from these signed entries and compares the rows with them.
    - `key_certificates.owner`, `.kind`: the account (or desk) a key belongs to and what it may sign,
      covered by the certificate's signature; `.entry`: the audit entry made with the certificate, so
      it cannot be moved or backdated; `.signing_from`, `.signing_from_head`: on the first admin's own
      certificate, the entry number and chain head after which every entry must be signed.

    Columns already there (a log taken back to an earlier schema by a test) are left as they are.
    """
    columns = {row[1] for row in db.execute("PRAGMA table_info(audit_log)").fetchall()}
    if "state" not in columns:
        db.execute("ALTER TABLE audit_log ADD COLUMN state TEXT")
    columns = {row[1] for row in db.execute("PRAGMA table_info(key_certificates)").fetchall()}
    for column, kind in (
        ("owner", "TEXT"),
        ("kind", "TEXT"),
        ("entry", "INTEGER"),
        ("signing_from", "INTEGER"),
        ("signing_from_head", "TEXT"),
    ):
        if column not in columns:
            db.execute(f"ALTER TABLE key_certificates ADD COLUMN {column} {kind}")
    # The few entries that set something, found without reading every entry (a sign-in reads the newest).
    db.execute("CREATE INDEX IF NOT EXISTS audit_log_states ON audit_log (seq) WHERE state IS NOT NULL")


@migrations()
def m010_review_queue_in_case_order(db: Database) -> None:
    """The referred versions in case-number order, with their version numbers: the review queue's pages and
    counts read this index alone, not the versions' (wide) rows, so its first page at a million cases reads
    about 50 entries. It replaces m008's index on the status only, which it begins with.
    """
    db.execute("CREATE INDEX IF NOT EXISTS case_versions_queue ON case_versions (status, case_number, version)")
    db.execute("DROP INDEX IF EXISTS case_versions_status")


def known_migrations() -> list[str]:
    """The names of every migration this build knows, in order."""
    return [m.name for m in migrations._migrations]
