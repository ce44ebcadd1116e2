"""The register's schema: numbered plain-SQL files, applied in order in one transaction, recorded in schema_migrations.

The same discipline as the desk's sqlite-utils migrations: each file runs once, all pending ones and
their records commit together or not at all, and a file changed after it was applied (its SHA-256
differs) or a database written by a newer version is refused, nothing changed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from desktop.register.db import SCHEMA, Connection
from desktop.register.errors import RegisterError
from desktop.resources import resource_path

_NAME: Final = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def migrations(folder: Path | None = None) -> list[Migration]:
    """Every migration this build ships, in order (resources/register/migrations/NNNN_name.sql)."""
    folder = folder or resource_path("register", "migrations")
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if match is None:
            raise RegisterError(f"{path.name}: a register migration is named NNNN_name.sql")
        found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    numbers = [m.version for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RegisterError(f"the register's migrations are not numbered 1 to {len(found)} without gaps: {numbers}")
    return found


def apply(conn: Connection) -> list[str]:
    """Bring the register's schema up to this build's, in one transaction; returns the migrations applied."""
    shipped = migrations()
    with conn.transaction():
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        conn.execute(f"SET LOCAL search_path = {SCHEMA}")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
            " sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),"
            " applied_by text NOT NULL DEFAULT session_user)"
        )
        conn.execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")  # two inits at once: one waits
        applied = {
            int(r["version"]): str(r["sha256"]) for r in conn.execute("SELECT version, sha256 FROM schema_migrations")
        }
        known = {m.version: m for m in shipped}
        newer = sorted(set(applied) - set(known))
        if newer:
            raise RegisterError(
                f"the register was set up by a newer version (migration {newer[0]:04d}); install that version"
            )
        for version, sha in applied.items():
            if known[version].sha256 != sha:
                raise RegisterError(
                    f"migration {version:04d}_{known[version].name} differs from the one applied to this register"
                )
        done = []
        for migration in shipped:
            if migration.version in applied:
                continue
            conn.execute(migration.sql.encode("utf-8"))
            conn.execute(
                "INSERT INTO schema_migrations (version, name, sha256) VALUES (%s, %s, %s)",
                (migration.version, migration.name, migration.sha256),
            )
            done.append(f"{migration.version:04d}_{migration.name}")
        return done


def pending(conn: Connection) -> list[str]:
    """The migrations this build ships that the register has not applied (all of them before `init`)."""
    row = conn.execute("SELECT to_regclass('safedesk.schema_migrations') AS t").fetchone()
    if row is None or row["t"] is None:
        return [f"{m.version:04d}_{m.name}" for m in migrations()]
    applied = {int(r["version"]) for r in conn.execute("SELECT version FROM safedesk.schema_migrations")}
    return [f"{m.version:04d}_{m.name}" for m in migrations() if m.version not in applied]
