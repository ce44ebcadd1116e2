"""Register: the one API of `main.py register …`, as the desk is the one API of the desk's commands.

Who may do what is the database's: each command runs as the role the URL signs in with, and the
grants and row-level security of resources/register/migrations/0003_guards.sql refuse the rest
(the refusal is one line naming the role). The register's key, which signs cosignatures and the
journal, is opened with the register's passphrase only by the commands that sign.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.register import db, journal, keys, migrate, reading
from desktop.register.errors import ImportRefused, RegisterError, RegisterInput, RegisterRefused
from desktop.register.importer import ImportResult, import_bundle

if TYPE_CHECKING:
    from desktop.desk.reports import Period, Report
    from desktop.rules.pack import Pack
    from desktop.signing import Signer

Clock = Callable[[], dt.datetime]
DEFAULT_NAME = "county register"
ROLES = ("safedesk_admin", "safedesk_importer", "safedesk_solicitor", "safedesk_town", "safedesk_oversight")


@dataclass(frozen=True)
class InitResult:
    applied: tuple[str, ...]
    name: str
    key_fingerprint: str
    new_key: bool


@dataclass(frozen=True)
class EnrolResult:
    origin: str
    agency: str
    root_fingerprint: str
    journal_entry: int
    agency_role: str
    agency_role_made: bool


@dataclass(frozen=True)
class AcceptResult:
    origin: str
    branch: int
    forked_at: int
    shared_entries: int
    journal_entry: int
    imported: ImportResult


def _system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def agency_role(agency: str) -> str:
    """The role whose members see the desks of `agency` (row-level security): safedesk_agency_<agency>."""
    return f"safedesk_agency_{agency}"


def _key_id_of(fingerprint: str) -> str:
    digits = "".join(ch for ch in fingerprint if not ch.isspace() and ch not in "-:").lower()
    if len(digits) != 32 or any(ch not in "0123456789abcdef" for ch in digits):
        raise RegisterInput(
            f"the fingerprint {fingerprint!r} is not one: 8 groups of 4 hex digits, as `setup` printed it"
        )
    return digits


class Register:
    """The county register at one URL. Open with `Register(url)`; close (or use `with`)."""

    def __init__(self, url: str | None, *, clock: Clock = _system_clock) -> None:
        self.url = db.resolve_url(url)
        self.clock = clock
        self.conn = db.connect(self.url)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def where(self) -> str:
        return db.where(self.url)

    def who(self) -> str:
        row = self.conn.execute("SELECT session_user AS who").fetchone()
        return str(row["who"]) if row else "?"

    def _member(self, role: str) -> bool:
        row = self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s)"
            " AND pg_has_role(session_user, %s, 'MEMBER') AS m",
            (role, role),
        ).fetchone()
        return bool(row and row["m"])

    def require(self, roles: Sequence[str], words: str) -> None:
        """Refuse (one line) unless the signed-in role is a member of one of `roles`, or owns the register."""
        owner = self.conn.execute(
            "SELECT (SELECT nspowner FROM pg_namespace WHERE nspname = %s) = (SELECT oid FROM pg_roles WHERE rolname = "
            "session_user) OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) AS own",
            (db.SCHEMA,),
        ).fetchone()
        if (owner and owner["own"]) or any(self._member(r) for r in roles):
            return
        names = " or ".join(r.removeprefix("safedesk_") for r in roles)
        raise RegisterRefused(f"{self.who()} may not {words}: it needs the {names} role of the register")

    def name(self) -> str:
        with db.translated("reading its name"):
            row = self.conn.execute("SELECT value FROM settings WHERE name = 'name'").fetchone()
            return str(row["value"]) if row else DEFAULT_NAME

    def signer(self, passphrase: str) -> Signer:
        with db.translated("opening its key"):
            signer = keys.unlock(self.conn, passphrase)
            return signer

    # --- set-up -----------------------------------------------------------------------------------

    def pending(self) -> list[str]:
        """The migrations this build would apply (all of them on a database with no register yet)."""
        with db.translated("reading its schema"):
            return migrate.pending(self.conn)

    def init(self, *, passphrase: str | None, name: str | None = None) -> InitResult:
        """Apply the migrations (schema, roles, append-only triggers) and make the register's key, once."""
        with db.translated("setting up"), self.conn.transaction():  # the schema and the key, or nothing
            applied = migrate.apply(self.conn)
            chosen = name or DEFAULT_NAME
            new_key = keys.current_key(self.conn) is None
            if new_key:
                if not passphrase:
                    raise RegisterInput("a new register needs a passphrase for its key (SAFEDESK_REGISTER_PASSPHRASE)")
                self.conn.execute("INSERT INTO settings (name, value) VALUES ('name', %s)", (chosen,))
                signer = keys.create_key(self.conn, passphrase)
                detail = f"register {chosen} set up"
                journal.append(self.conn, signer, kind="init", origin=None, detail=detail, now=self.clock())
            fingerprint = keys.register_fingerprint(self.conn) or ""
        return InitResult(tuple(applied), self.name(), fingerprint, new_key)

    def enrol(self, origin: str, fingerprint: str, *, passphrase: str) -> EnrolResult:
        """Pin a desk (its origin) to its admin root (the fingerprint on its set-up paper), in a signed entry."""
        from desktop.store.delivery import agency_of, check_origin

        self.require(("safedesk_admin",), "enrol a desk")
        origin = check_origin(origin)
        root = _key_id_of(fingerprint)
        signer = self.signer(passphrase)
        agency = agency_of(origin)
        role = agency_role(agency)
        with db.translated(f"enrolling {origin}"), self.conn.transaction():
            held = self.conn.execute(
                "SELECT root_key_id, created_at FROM desks WHERE origin = %s", (origin,)
            ).fetchone()
            if held is not None:
                raise RegisterInput(
                    f"{origin} is enrolled already (on {held['created_at']:%Y-%m-%d}); it is enrolled once"
                )
            pretty = " ".join(root.upper()[i : i + 4] for i in range(0, 32, 4))
            seq = journal.append(
                self.conn,
                signer,
                kind="enrol",
                origin=origin,
                detail=f"{origin} enrolled with admin root {pretty}",
                now=self.clock(),
            )
            self.conn.execute(
                "INSERT INTO desks (origin, branch, agency, root_key_id, journal_seq) VALUES (%s, 1, %s, %s, %s)",
                (origin, agency, root, seq),
            )
            made = self._agency_role(role)
        return EnrolResult(origin, agency, pretty, seq, role, made)

    def _agency_role(self, role: str) -> bool:
        """Make the agency's role where missing (it needs CREATEROLE; else IT makes it, DEPLOYMENT.md)."""
        exists = self.conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if exists:
            return False
        allowed = self.conn.execute(
            "SELECT rolcreaterole OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        if not (allowed and allowed["ok"]):
            return False
        from psycopg import sql

        self.conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        self.conn.execute(sql.SQL("GRANT safedesk_town TO {}").format(sql.Identifier(role)))
        return True

    # --- import -----------------------------------------------------------------------------------

    def import_bundle(
        self, path: Path, *, passphrase: str, bundle_passphrase: str | None = None, progress: Any = None
    ) -> ImportResult:
        """Verify a bundle, merge what is new, cosign; ImportRefused (one line) and nothing imported otherwise."""
        self.require(("safedesk_importer", "safedesk_admin"), "import bundles")
        signer = self.signer(passphrase)
        name = self.name()
        with db.translated(f"importing {Path(path).name}"):
            return import_bundle(
                self.conn,
                Path(path),
                signer=signer,
                register=name,
                now=self.clock(),
                passphrase=bundle_passphrase,
                progress=progress,
            )

    def accept(self, origin: str, path: Path, *, passphrase: str, bundle_passphrase: str | None = None) -> AcceptResult:
        """Accept a restored desk's new branch: a signed register entry, the shared entries carried over, the
        bundle imported onto the new branch. The old branch stays as it was: both histories are kept.

        The bundle must reach back to the fork, and its first entry that differs from what the register
        holds must be a restore entry signed by an admin of that desk; anything else is a rewrite, and stays
        a fork.
        """
        from desktop.store.delivery import check_origin

        self.require(("safedesk_admin",), "accept a restored desk's branch")
        origin = check_origin(origin)
        signer = self.signer(passphrase)
        with db.translated(f"accepting {origin}'s new branch"), self.conn.transaction():
            desk = self.conn.execute("SELECT * FROM current_desks WHERE origin = %s", (origin,)).fetchone()
            if desk is None:
                raise RegisterInput(f"{origin} is not enrolled in this register")
            fork = self.conn.execute(
                "SELECT * FROM forks WHERE desk_id = %s ORDER BY fork_id DESC LIMIT 1", (desk["desk_id"],)
            ).fetchone()
            if fork is None:
                raise RegisterInput(f"{origin} has no fork to accept: import its bundle as usual")
            forked_at = _divergence(self.conn, int(desk["desk_id"]), Path(path), bundle_passphrase)
            self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"safedesk:{origin}",))
            seq = journal.append(
                self.conn,
                signer,
                kind="accept",
                origin=origin,
                detail=(
                    f"{origin}: branch {int(desk['branch']) + 1} accepted from entry {forked_at} "
                    f"(fork {fork['fork_id']}, a restore signed by the desk's admin); "
                    f"branch {desk['branch']} kept as it was"
                ),
                now=self.clock(),
            )
            new = self.conn.execute(
                "INSERT INTO desks (origin, branch, agency, root_key_id, forked_at, parent, journal_seq)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING *",
                (origin, int(desk["branch"]) + 1, desk["agency"], desk["root_key_id"], forked_at, desk["desk_id"], seq),
            ).fetchone()
            assert new is not None
            shared = _carry_over(self.conn, int(desk["desk_id"]), int(new["desk_id"]), forked_at, origin)
            imported = import_bundle(
                self.conn,
                Path(path),
                signer=signer,
                register=self.name(),
                now=self.clock(),
                passphrase=bundle_passphrase,
                desk=new,
            )
        return AcceptResult(origin, int(new["branch"]), forked_at, shared, seq, imported)

    # --- reading ----------------------------------------------------------------------------------

    def _read(self, doing: str, job: Callable[[], Any]) -> Any:
        with db.translated(doing), self.conn.transaction():
            return job()

    def status(self) -> list[dict[str, Any]]:
        return self._read("reading the desks' status", lambda: reading.status(self.conn))  # type: ignore[no-any-return]

    def case_log(self, **filters: Any) -> list[dict[str, Any]]:
        self.require(("safedesk_admin", "safedesk_solicitor", "safedesk_town", "safedesk_importer"), "read cases")
        return self._read("reading cases", lambda: reading.case_log(self.conn, **filters))  # type: ignore[no-any-return]

    def show(self, origin: str, case_number: str) -> dict[str, Any]:
        self.require(("safedesk_admin", "safedesk_solicitor", "safedesk_town", "safedesk_importer"), "read cases")
        found = self._read(f"reading case {case_number}", lambda: reading.show_case(self.conn, origin, case_number))
        if found is None:
            raise RegisterInput(f"the register holds no case {case_number} of {origin} (or this role may not see it)")
        return found  # type: ignore[no-any-return]

    def queue(self) -> list[dict[str, Any]]:
        self.require(("safedesk_admin", "safedesk_solicitor", "safedesk_town", "safedesk_importer"), "read cases")
        return self._read("reading the queue", lambda: reading.queue(self.conn))  # type: ignore[no-any-return]

    def report(
        self,
        period: Period,
        pack: Pack | None = None,
        *,
        origins: Sequence[str] | None = None,
        ice_count: int | None = None,
        policy: str | None = None,
    ) -> Report:
        """The desk's report of the period over the desks named (else every desk the role sees).

        Its definitions, time zone and words are the pack's in force on the period's last day, as a
        desk's own report takes them (desk.reports.pack_for).
        """
        chosen = pack or pack_for(period, policy)
        return self._read(  # type: ignore[no-any-return]
            "making the report", lambda: reading.report(self.conn, period, chosen, origins=origins, ice_count=ice_count)
        )

    def verify(self) -> reading.RegisterCheck:
        self.require(("safedesk_admin", "safedesk_importer", "safedesk_solicitor"), "verify the register")
        return self._read("verifying", lambda: reading.verify(self.conn))  # type: ignore[no-any-return]

    def origins(self) -> list[str]:
        return [str(r["origin"]) for r in self.status() if r["current"]]


def pack_for(period: Period, policy: str | None = None) -> Pack:
    """The pack in force on the period's last day, else the one in force now (as desk.reports.pack_for)."""
    from desktop.resources import policies_dir
    from desktop.rules import PackError
    from desktop.rules.catalog import choose_pack

    try:
        return choose_pack(dt.datetime.combine(period.end, dt.time(12), dt.UTC), policy, policies_dir())
    except PackError:
        return choose_pack(_system_clock().replace(minute=0, second=0, microsecond=0), policy, policies_dir())


def _divergence(conn: Any, desk_id: int, path: Path, passphrase: str | None) -> int:
    """The first entry of the bundle that differs from what the register holds; it must be a signed restore."""
    from desktop.desk.bundle_file import bundle_rows, read_header
    from desktop.register.importer import _hash_at, plain_bundle, private_folder

    with private_folder() as work:
        plain = plain_bundle(Path(path), work, passphrase)
        with open(plain, "rb") as handle:
            header = read_header(handle, path.name)
            for _number, kind, row in bundle_rows(handle, path.name):
                if kind != "entry":
                    continue
                seq = int(row["seq"])
                held = _hash_at(conn, desk_id, seq)
                if (
                    seq == header.from_seq
                    and header.from_seq > 1
                    and _hash_at(conn, desk_id, seq - 1) != row["prev_hash"]
                ):
                    raise ImportRefused(
                        f"{path.name} starts after the fork: write the desk's bundle with an earlier --from-seq"
                    )
                if held == row["entry_hash"]:
                    continue
                if row.get("kind") != "restore" or not row.get("signer"):
                    raise ImportRefused(
                        f"{path.name}: {header.origin}: entry {seq} differs from the register's and is not a signed "
                        f"restore ({row.get('kind')}): a rewritten log is not accepted as a branch; the fork stays"
                    )
                return seq
    raise RegisterError(f"{path.name} does not differ from what the register holds: there is no branch to accept")


def _carry_over(conn: Any, old: int, new: int, forked_at: int, origin: str) -> int:
    """Copy the entries before the fork (and their versions, keys and certificates) onto the new branch."""
    row = conn.execute(
        "INSERT INTO imports (desk_id, bundle_sha256, file_name, from_seq, to_seq, added_entries, added_versions, head,"
        " checkpoint) SELECT %s, '', %s, 1, %s, count(*), 0,"
        " coalesce((SELECT entry_hash FROM entries WHERE desk_id = %s AND seq = %s), ''), '{}'"
        " FROM entries WHERE desk_id = %s AND seq < %s RETURNING import_id, added_entries",
        (
            new,
            f"entries 1 to {forked_at - 1} of {origin}'s earlier branch",
            forked_at - 1,
            old,
            forked_at - 1,
            old,
            forked_at,
        ),
    ).fetchone()
    import_id = int(row["import_id"])
    conn.execute(
        "INSERT INTO entries SELECT %s, seq, at, kind, case_number, version, actor, detail, record_hash, prev_hash,"
        " entry_hash, signer, signature, extra, %s FROM entries WHERE desk_id = %s AND seq < %s ORDER BY seq",
        (new, import_id, old, forked_at),
    )
    conn.execute(
        "INSERT INTO case_versions SELECT %s, case_number, version, record_hash, previous_hash, intake_json,"
        " decision_json, policy_sha256, officer, desk, received_at, recorded_at, recorded_zone, status,"
        " amendment_reason, override_reason, override_officer, extra, received_day, %s FROM case_versions v"
        " WHERE desk_id = %s AND record_hash IN"
        " (SELECT record_hash FROM entries WHERE desk_id = %s AND seq < %s AND kind IN ('recorded', 'amended'))",
        (new, import_id, old, old, forked_at),
    )
    # Keys and certificates are not carried: the restored log's own come with its bundle (a certificate made
    # on the old branch after the backup is not the restored log's).
    return int(row["added_entries"])


__all__ = ["ImportRefused", "ImportResult", "Register", "RegisterError", "RegisterInput", "RegisterRefused"]
