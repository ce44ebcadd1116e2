"""Connecting to the register's PostgreSQL, and what its errors mean, in one line.

Errors are told apart by SQLSTATE class (psycopg's exception classes), never by message text:
a role without the grant is refused, a missing schema asks for `register init`, a server that
cannot be reached says where it looked (never the password).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

import psycopg
from psycopg import errors as pg_errors
from psycopg.rows import dict_row

from desktop.register.errors import RegisterError, RegisterInput, RegisterRefused

URL_ENV: Final = "SAFEDESK_REGISTER_URL"
SCHEMA: Final = "safedesk"
CONNECT_TIMEOUT_S: Final = 10

Connection = psycopg.Connection[dict[str, Any]]


def _line(text: str) -> str:
    return " ".join(text.split())


def resolve_url(url: str | None) -> str:
    """The register's URL: as given, else $SAFEDESK_REGISTER_URL; RegisterInput when there is neither."""
    chosen = url or os.environ.get(URL_ENV, "")
    if not chosen.strip():
        raise RegisterInput(f"say which register: --db postgresql://USER@HOST/DB, or set {URL_ENV}")
    return chosen.strip()


def where(url: str) -> str:
    """The register's address as it may be printed: user, host, port and database, never a password."""
    try:
        parts = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the register (its URL cannot be read)"
    host = str(parts.get("host") or "localhost")
    port = f":{parts['port']}" if parts.get("port") else ""
    user = f"{parts['user']}@" if parts.get("user") else ""
    return f"{user}{host}{port}/{parts.get('dbname') or ''}"


def connect(url: str) -> Connection:
    """A connection to the register (search path on its schema); RegisterError, one line, when there is none."""
    try:
        psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        raise RegisterInput("the register's URL is not one PostgreSQL reads (postgresql://USER@HOST:PORT/DB)") from None
    try:
        conn: Connection = psycopg.connect(
            url,
            autocommit=True,  # each statement alone, or a `with conn.transaction()` block, commits
            row_factory=dict_row,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="safedesk-register",
            options=f"-c search_path={SCHEMA}",
        )
    except psycopg.Error as exc:
        first = _line(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        raise RegisterError(f"the register at {where(url)} cannot be reached: {first}") from None
    return conn


def translate(exc: psycopg.Error, *, doing: str = "") -> Exception:
    """A PostgreSQL error as one of the desk's kinds, in one line naming what was being done."""
    message = _line((exc.diag.message_primary if exc.diag else None) or str(exc) or type(exc).__name__)
    what = f" while {doing}" if doing else ""
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return RegisterRefused(f"the register refused{what}: {message}")
    if isinstance(exc, pg_errors.UndefinedTable | pg_errors.InvalidSchemaName | pg_errors.UndefinedFunction):
        return RegisterError(f"the register has no tables yet ({message}): run `main.py register init` first")
    if isinstance(exc, pg_errors.UniqueViolation):
        return RegisterInput(f"the register holds that already{what}: {message}")
    return RegisterError(f"the register failed{what}: {message}")


@contextmanager
def translated(doing: str = "") -> Iterator[None]:
    """Run a block with PostgreSQL's errors turned into the desk's kinds."""
    try:
        yield
    except psycopg.Error as exc:
        raise translate(exc, doing=doing) from None
