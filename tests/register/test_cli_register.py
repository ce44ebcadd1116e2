"""`main.py origin|bundle|witness` and `main.py register …`: --json, one-line errors, the desk's exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.demo import DEMO_PASSWORD
from tests.register import attacks
from tests.register.conftest import PASSPHRASE, Db, DeskCopy, _create
from tests.unit.cli_run import invoke

ENV = {
    "SAFEDESK_PASSWORD": DEMO_PASSWORD,
    "SAFEDESK_REGISTER_PASSPHRASE": PASSPHRASE,
    "SAFEDESK_NEW_PASSWORD": "first-root-pass-0001",
}


def desk_cli(desk: DeskCopy, user: str, *args: str):  # type: ignore[no-untyped-def]
    desk.desk.close()
    return invoke(ENV, "--data-dir", str(desk.folder), "--user", user, *args)


def register_cli(url: str, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return invoke({**ENV, "SAFEDESK_REGISTER_URL": url, **(env or {})}, "register", *args)


def test_setup_with_an_origin_and_an_older_log_named_once(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    bad = invoke(
        ENV,
        "--data-dir",
        data,
        "setup",
        "--admin",
        "chief",
        "--name",
        "A. ADMIN",
        "--badge",
        "1",
        "--origin",
        "Northampton PD",
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "AGENCY/DESK" in bad.stderr
    assert not (tmp_path / "data" / "cases.db").exists() or "set up" not in bad.stdout
    done = invoke(
        ENV, "--data-dir", data, "--json", "setup", "--admin", "chief", "--name", "A. ADMIN", "--badge", "1",
        "--origin", "northampton-pd/front-desk",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["origin"] == "northampton-pd/front-desk"
    env = {**ENV, "SAFEDESK_PASSWORD": ENV["SAFEDESK_NEW_PASSWORD"]}
    again = invoke(env, "--data-dir", data, "--user", "chief", "origin", "northampton-pd/other")
    assert again.returncode == 2 and "origin is northampton-pd/front-desk already" in again.stderr
    entries = invoke(env, "--data-dir", data, "--user", "chief", "--json", "audit", "--kind", "origin")
    assert [e["detail"] for e in json.loads(entries.stdout)["entries"]] == ["origin: northampton-pd/front-desk"]


def test_the_register_from_the_command_line(postgres, desks: dict[str, DeskCopy], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = Db(postgres, "register_cli")
    _create(postgres, db.name)
    url = db.url()
    started = register_cli(url, "init", "--name", "hampshire-county", "--json")
    assert started.returncode == 0, started.stderr
    made = json.loads(started.stdout)
    assert (
        made["migrations_applied"] == ["0001_register", "0002_views", "0003_guards"]
        and made["register_key_fingerprint"]
    )
    assert json.loads(register_cli(url, "init", "--json").stdout)["migrations_applied"] == []
    from tests.register.conftest import LOGINS

    for login, role in LOGINS.items():
        db.sql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login}') THEN "
            f"CREATE ROLE {login} LOGIN; END IF; END $$; GRANT {role} TO {login}"
        )

    jail = desks["hampshire-sheriff/jail-1"]
    fingerprint = jail.fingerprint()
    enrolled = register_cli(db.url("t_admin"), "enrol", "--origin", jail.origin, "--fingerprint", fingerprint, "--json")
    assert enrolled.returncode == 0, enrolled.stderr
    assert json.loads(enrolled.stdout)["admin_root_fingerprint"] == fingerprint
    twice = register_cli(db.url("t_admin"), "enrol", "--origin", jail.origin, "--fingerprint", fingerprint)
    assert twice.returncode == 2 and "enrolled already" in twice.stderr and twice.stderr.count("\n") == 1
    not_admin = register_cli(db.url("t_importer"), "enrol", "--origin", "x/y", "--fingerprint", fingerprint)
    assert not_admin.returncode == 2 and "t_importer may not enrol a desk" in not_admin.stderr

    bundle = tmp_path / "jail.bundle"
    written = desk_cli(jail, "demo.sgt", "--json", "bundle", "-o", str(bundle), "--no-encrypt")
    assert written.returncode == 0, written.stderr
    assert json.loads(written.stdout)["from_seq"] == 1
    imported = register_cli(db.url("t_importer"), "import", str(bundle), "--json")
    assert imported.returncode == 0, imported.stderr
    result = json.loads(imported.stdout)["imported"][0]
    assert result["added_entries"] == result["to_seq"] > 0 and Path(result["cosignature"]).exists()
    again = register_cli(db.url("t_importer"), "import", str(bundle))
    assert again.returncode == 0 and "nothing new" in again.stdout and "(0 added)" in again.stdout

    witnessed = desk_cli(jail, "demo.martin", "--json", "witness", result["cosignature"])
    assert witnessed.returncode == 0, witnessed.stderr
    assert json.loads(witnessed.stdout)["witnessed"] == result["to_seq"]
    verified = desk_cli(jail, "demo.martin", "--json", "verify")
    assert verified.returncode == 0, verified.stdout
    assert f"entry {result['to_seq']}" in json.loads(verified.stdout)["witnessed"]
    kept = desk_cli(jail, "demo.martin", "verify", "--cosignature", result["cosignature"])
    assert kept.returncode == 0 and kept.stdout.startswith("OK: the log still holds entry")

    status = json.loads(register_cli(db.url("t_oversight"), "status", "--json").stdout)
    assert status["desks"][0]["origin"] == jail.origin and status["desks"][0]["witnessed"] == result["to_seq"]
    assert register_cli(url, "verify").stdout.startswith("OK: 1 desk histories")
    cases = json.loads(register_cli(db.url("t_solicitor"), "log", "--json", "--limit", "3").stdout)["cases"]
    assert len(cases) == 3 and all(c["origin"] == jail.origin for c in cases)
    shown = register_cli(db.url("t_solicitor"), "show", jail.origin, cases[0]["case_number"], "--json")
    assert json.loads(shown.stdout)["versions"][0]["case_number"] == cases[0]["case_number"]
    assert register_cli(db.url("t_solicitor"), "queue", "--json").returncode == 0
    refused = register_cli(db.url("t_oversight"), "log")
    assert (
        refused.returncode == 2
        and refused.stderr
        == "error: t_oversight may not read cases: it needs the admin or solicitor or town or importer role of the "
        "register\n"
    )
    report = tmp_path / "2026.csv"
    made_report = register_cli(db.url("t_oversight"), "report", "--year", "2026", "-o", str(report), "--per-desk")
    assert made_report.returncode == 0, made_report.stderr
    assert report.read_bytes() == (tmp_path / "2026.hampshire-sheriff_jail-1.csv").read_bytes()
    assert b"requests_by_month" in report.read_bytes()

    attacks.tamper_entry(jail.folder, 5)
    tampered = tmp_path / "tampered.bundle"
    assert desk_cli(jail, "demo.sgt", "bundle", "-o", str(tampered), "--no-encrypt", "--from-seq", "1").returncode == 0
    failed = register_cli(db.url("t_importer"), "import", str(tampered))
    assert failed.returncode == 2 and failed.stderr.count("\n") == 1
    assert "hampshire-sheriff/jail-1: audit entry 5 has a broken signature" in failed.stderr
    both = register_cli(db.url("t_importer"), "import", str(bundle), str(tampered))
    assert both.returncode == 1 and "REFUSED: tampered.bundle refused" in both.stdout


def test_register_errors_are_one_line(postgres, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    nowhere = register_cli("postgresql://nobody@/none?host=/nonexistent&port=1", "status")
    assert nowhere.returncode == 2 and nowhere.stderr.count("\n") == 1 and "cannot be reached" in nowhere.stderr
    assert "nobody@" in nowhere.stderr
    no_url = invoke(ENV, "register", "status")
    assert no_url.returncode == 2 and "SAFEDESK_REGISTER_URL" in no_url.stderr
    db = Db(postgres, "register_empty")
    _create(postgres, db.name)
    empty = register_cli(db.url(), "status")
    assert empty.returncode == 2 and "run `main.py register init` first" in empty.stderr
    weak = register_cli(db.url(), "init", env={"SAFEDESK_REGISTER_PASSPHRASE": "short"})
    assert weak.returncode == 2 and "the register's passphrase" in weak.stderr
    assert db.sql("SELECT to_regclass('safedesk.schema_migrations') AS t")[0]["t"] is None  # one transaction
    missing = register_cli(db.url(), "import", str(tmp_path / "none.bundle"))
    assert missing.returncode == 2 and "no such bundle" in missing.stderr


@pytest.mark.parametrize("garbage", [b"", b"not json\n", b'{"t": "bundle"}\n', b"\xff\xfe\n"])
def test_a_file_that_is_not_a_bundle_is_refused_in_one_line(register_db: Db, tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / "x.bundle"
    path.write_bytes(garbage)
    done = register_cli(register_db.url(), "import", str(path))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "x.bundle" in done.stderr, done.stderr
