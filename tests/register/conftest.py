"""The register's tests run against a real PostgreSQL, started once for the session (tests/register/postgres.py).

Each test gets a database of its own, set up by `register init`, and copies of three desks built once:
two of the Northampton police department and the county sheriff's jail, each with synthetic cases
recorded through the desk (desktop/demo.py), signed in, as officers record them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import desktop.encrypted
import desktop.signing
from desktop.demo import DEMO_PASSWORD, fill_demo_log
from desktop.desk import Desk, Session
from tests.conftest import Clock
from tests.register.postgres import Postgres

PASSPHRASE = "Register-Key-2026!"
NOW = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
DESKS = {  # origin: (cases, seed)
    "northampton-pd/booking-1": (14, 7),
    "northampton-pd/booking-2": (9, 11),
    "hampshire-sheriff/jail-1": (11, 13),
}
LOGINS = {  # test log-in users and the register role each is granted
    "t_admin": "safedesk_admin",
    "t_importer": "safedesk_importer",
    "t_solicitor": "safedesk_solicitor",
    "t_oversight": "safedesk_oversight",
    "t_town": "safedesk_town",
}


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)
    monkeypatch.setattr(desktop.encrypted, "SCRYPT_N", 2**12)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    if sys.platform == "win32":
        pytest.skip("the register's tests start Debian's PostgreSQL (initdb, pg_ctl as the postgres user) on Linux")
    server = Postgres().start()
    try:
        yield server
    finally:
        server.stop()


_numbers = itertools.count(1)


@dataclass
class Db:
    server: Postgres
    name: str

    def url(self, user: str = "postgres") -> str:
        return self.server.url(self.name, user)

    def sql(self, statement: str, params: object = None, *, user: str = "postgres") -> list[dict[str, object]]:
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(self.url(user), autocommit=True, row_factory=dict_row) as conn:
            cursor = conn.execute(statement, params)  # type: ignore[arg-type]
            return list(cursor.fetchall()) if cursor.description else []

    def count(self, table: str) -> int:
        return int(self.sql(f"SELECT count(*) AS n FROM safedesk.{table}")[0]["n"])  # type: ignore[arg-type]

    def counts(self) -> dict[str, int]:
        tables = ("desks", "imports", "entries", "case_versions", "keys", "certificates", "packs", "cosignatures")
        return {t: self.count(t) for t in tables}


@pytest.fixture
def register_db(postgres: Postgres) -> Iterator[Db]:
    """A new database with the register set up in it (as the cluster's superuser), and the test log-ins."""
    from desktop.register import Register

    db = Db(postgres, f"register_{next(_numbers)}")
    _create(postgres, db.name)
    with Register(db.url(), clock=lambda: NOW) as register:
        register.init(passphrase=PASSPHRASE, name="hampshire-county")
    for login, role in LOGINS.items():
        db.sql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login}') THEN "
            f"CREATE ROLE {login} LOGIN; END IF; END $$; GRANT {role} TO {login}"
        )
    yield db


def _create(server: Postgres, name: str) -> None:
    import psycopg

    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def desk_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three desks with cases, built once; tests work on copies."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(desktop.signing, "SCRYPT_N", 2**12)
        folders = {}
        for origin, (count, seed) in DESKS.items():
            folder = tmp_path_factory.mktemp("desk") / "data"
            with Desk(folder, clock=Clock(NOW - dt.timedelta(days=1))) as desk:
                fill_demo_log(desk, count=count, seed=seed)
                admin = desk.people.sign_in("demo.admin", DEMO_PASSWORD)
                desk.bundles.name_origin(admin, origin)
            folders[origin] = folder
        return folders


@dataclass
class DeskCopy:
    origin: str
    folder: Path
    desk: Desk
    clock: Clock

    def session(self, username: str = "demo.sgt") -> Session:
        return self.desk.people.sign_in(username, DEMO_PASSWORD)

    def fingerprint(self) -> str:
        found = self.desk.people.admin_fingerprint()
        assert found
        return found

    def bundle(self, target: Path, **options: object) -> Path:
        options.setdefault("no_encrypt", True)
        return self.desk.bundles.write(self.session(), target, **options).path  # type: ignore[arg-type]


@pytest.fixture
def desks(desk_templates: dict[str, Path], tmp_path: Path) -> Iterator[dict[str, DeskCopy]]:
    opened = {}
    for origin, template in desk_templates.items():
        folder = tmp_path / origin.replace("/", "_")
        shutil.copytree(template, folder)
        clock = Clock(NOW)
        opened[origin] = DeskCopy(origin, folder, Desk(folder, clock=clock), clock)
    yield opened
    for desk in opened.values():
        desk.desk.close()
