"""What the register shows: each desk's state, the case log, a case, the queue, the report, and `verify`.

Reads of case data (the log, a case, the queue) are written to `reads` in the same transaction as the
read itself, so nothing is shown that was not audited; row-level security decides what a town's role
sees, and the database refuses a role without the grant (oversight reads the figures only).
The report is the desk's own report code (desktop/desk/reports) over `report_facts`, which hands over
the same few facts the desk's report reads (desktop/store/reports.py), with no case number or name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from desktop.register.checks import ENTRY_COLUMNS, VERSION_COLUMNS, ChainCheck, join_row
from desktop.register.db import Connection
from desktop.store.hashing import GENESIS_HASH, canonical
from desktop.store.index import zone_of_pack

if TYPE_CHECKING:
    from desktop.desk.reports import Period, Report
    from desktop.rules.pack import Pack


def audit_read(conn: Connection, what: str, origin: str | None = None, case_number: str | None = None) -> None:
    conn.execute("INSERT INTO reads (what, origin, case_number) VALUES (%s, %s, %s)", (what, origin, case_number))


def status(conn: Connection) -> list[dict[str, Any]]:
    """Each desk and branch the role may see: entries held, head, last import, newest witnessed head, forks."""
    return list(conn.execute("SELECT * FROM desk_status()"))


def case_log(
    conn: Connection,
    *,
    search: str | None = None,
    origin: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    referred: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Cases as they stand now (current versions), newest first; the read is audited."""
    params = {
        "origin": origin,
        "since": since,
        "until": until,
        "search": f"%{search}%" if search else None,
        "referred": referred,
        "limit": max(1, min(limit, 10_000)),
        "offset": max(0, offset),
    }
    rows = list(
        conn.execute(
            """
            WITH cur AS (
                SELECT DISTINCT ON (v.desk_id, v.case_number) d.origin, v.*
                  FROM case_versions v JOIN current_desks d USING (desk_id)
                 WHERE (%(origin)s::text IS NULL OR d.origin = %(origin)s::text)
                 ORDER BY v.desk_id, v.case_number, v.version DESC)
            SELECT origin, case_number, version, received_day, received_at, status,
                   intake_json::jsonb ->> 'requester' AS requester,
                   intake_json::jsonb -> 'subject' ->> 'name' AS subject_name,
                   intake_json::jsonb -> 'subject' ->> 'booking_number' AS booking_number,
                   (SELECT string_agg(DISTINCT r ->> 'code', ' ')
                      FROM jsonb_array_elements(decision_json::jsonb -> 'responses') r) AS codes
              FROM cur
             WHERE (%(since)s::date IS NULL OR received_day >= %(since)s::date)
               AND (%(until)s::date IS NULL OR received_day <= %(until)s::date)
               AND (NOT %(referred)s OR status = 'referred')
               AND (%(search)s::text IS NULL OR case_number ILIKE %(search)s::text
                    OR intake_json ILIKE %(search)s::text)
             ORDER BY received_day DESC, origin, case_number DESC
             LIMIT %(limit)s OFFSET %(offset)s
            """,
            params,
        )
    )
    filters = ", ".join(
        f"{k} {v}" for k, v in (("search", search), ("origin", origin), ("since", since), ("until", until)) if v
    )
    audit_read(
        conn, f"case log ({filters or 'no filter'}{', referred' if referred else ''}): {len(rows)} case(s)", origin
    )
    return rows


def show_case(conn: Connection, origin: str, case_number: str) -> dict[str, Any] | None:
    """A case of a desk with all its versions and its entries (None when the register has none); audited."""
    desk = conn.execute("SELECT desk_id, branch FROM current_desks WHERE origin = %s", (origin,)).fetchone()
    if desk is None:
        return None
    versions = [
        {**join_row(v, VERSION_COLUMNS), "received_day": v["received_day"].isoformat()}
        for v in conn.execute(
            "SELECT * FROM case_versions WHERE desk_id = %s AND case_number = %s ORDER BY version",
            (desk["desk_id"], case_number),
        )
    ]
    if not versions:
        return None
    entries = [
        join_row(e, ENTRY_COLUMNS)
        for e in conn.execute(
            "SELECT * FROM entries WHERE desk_id = %s AND case_number = %s ORDER BY seq", (desk["desk_id"], case_number)
        )
    ]
    audit_read(conn, f"case {case_number} of {origin} shown ({len(versions)} version(s))", origin, case_number)
    for version in versions:
        version["intake"] = json.loads(version.pop("intake_json"))
        version["decision"] = json.loads(version.pop("decision_json"))
    return {
        "origin": origin,
        "case_number": case_number,
        "branch": desk["branch"],
        "versions": versions,
        "entries": entries,
    }


def queue(conn: Connection) -> list[dict[str, Any]]:
    """Referrals waiting for counsel or a supervisor, every desk the role sees, oldest first; audited."""
    rows = list(
        conn.execute(
            """
            SELECT d.origin, v.case_number, v.version, v.received_day, v.recorded_at,
                   v.intake_json::jsonb ->> 'requester' AS requester,
                   (SELECT string_agg(DISTINCT r ->> 'refer', ' ')
                      FROM jsonb_array_elements(v.decision_json::jsonb -> 'responses') r) AS open_questions
              FROM case_versions v JOIN current_desks d USING (desk_id)
             WHERE v.status = 'referred'
               AND v.version = (SELECT max(w.version) FROM case_versions w
                                 WHERE w.desk_id = v.desk_id AND w.case_number = v.case_number)
             ORDER BY v.recorded_at, d.origin, v.case_number
            """
        )
    )
    audit_read(conn, f"review queue: {len(rows)} referral(s) waiting")
    return rows


# --- the report ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterAnchor:
    """What a register report was made from: each desk's newest case entry, and one hash over them all."""

    position: int
    entry_hash: str
    desks: tuple[tuple[str, int, str], ...]


def report_anchor(conn: Connection, origins: Sequence[str] | None) -> RegisterAnchor:
    """One desk: its newest entry that recorded a case (as the desk's own report names it). Several: the sum
    of their positions and the hash of the canonical list of (origin, entry, hash)."""
    rows = [
        (str(r["origin"]), int(r["seq"]), str(r["entry_hash"]))
        for r in conn.execute("SELECT * FROM report_anchors(%s)", (list(origins) if origins else None,))
    ]
    if len(rows) == 1:
        return RegisterAnchor(rows[0][1], rows[0][2], tuple(rows))
    if not rows:
        return RegisterAnchor(0, GENESIS_HASH, ())
    digest = hashlib.sha256(canonical([list(r) for r in rows]).encode("utf-8")).hexdigest()
    return RegisterAnchor(sum(r[1] for r in rows), digest, tuple(rows))


def report(
    conn: Connection,
    period: Period,
    pack: Pack,
    *,
    origins: Sequence[str] | None = None,
    ice_count: int | None = None,
) -> Report:
    """The desk's report, from the register's rows: the desks named (else every desk the role sees)."""
    from desktop.desk.reports import build_report
    from desktop.desk.reports.figures import report_terms
    from desktop.desk.reports.tally import tally
    from desktop.store.reports import ChainAnchor, report_cases

    anchor = report_anchor(conn, origins)
    rows = conn.execute(
        "SELECT * FROM report_facts(%s, %s, %s)", (period.start, period.end, list(origins) if origins else None)
    )
    facts = ({**row, "officer": "", "override_officer": None} for row in rows)
    terms = report_terms(pack)
    built = build_report(
        tally(report_cases(facts, key="case_key"), terms.detainer_kinds, terms.authorities).counts(),
        ChainAnchor(anchor.position, anchor.entry_hash),
        period,
        pack,
        ice_count=ice_count,
    )
    if origins and len(origins) == 1:
        return built
    desks = [d[0] for d in anchor.desks]
    return replace(built, department=f"{len(desks)} desks of the county register: {', '.join(desks)}")


# --- register verify ---------------------------------------------------------------------------------


@dataclass
class RegisterCheck:
    """What `register verify` found: every chain, version, cosignature and journal entry again."""

    desks: int = 0
    entries: int = 0
    versions: int = 0
    signatures: int = 0
    cosignatures: int = 0
    journal: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(conn: Connection) -> RegisterCheck:
    """Check every desk's chain again from the database alone, with the same code an import uses."""
    from desktop.desk.bundle_file import BundleError, check_cosignature, cosignature_fields
    from desktop.register import journal
    from desktop.register.keys import public_keys
    from desktop.store.delivery import key_book

    found = RegisterCheck()
    keys = public_keys(conn)
    found.journal, problems = journal.check(conn, keys)
    found.problems.extend(problems)
    packs: dict[str, Any] = {}
    named = conn.execute("SELECT value FROM settings WHERE name = 'name'").fetchone()
    name = str(named["value"]) if named else ""  # the name every cosignature was made under (set once, at init)

    def zone_of(sha: str) -> Any:
        if sha not in packs:
            row = conn.execute("SELECT content FROM packs WHERE sha256 = %s", (sha,)).fetchone()
            packs[sha] = zone_of_pack(bytes(row["content"])) if row else None
        return packs[sha]

    for desk in list(conn.execute("SELECT * FROM desks ORDER BY origin, branch")):
        found.desks += 1
        desk_id, origin = int(desk["desk_id"]), f"{desk['origin']} (branch {desk['branch']})"
        book_problems: list[str] = []
        book = key_book(
            [
                json.loads(r["row_json"])
                for r in conn.execute("SELECT row_json FROM keys WHERE desk_id = %s", (desk_id,))
            ],
            [
                json.loads(r["row_json"])
                for r in conn.execute("SELECT row_json FROM certificates WHERE desk_id = %s", (desk_id,))
            ],
            book_problems,
        )
        check = ChainCheck(origin, book, str(desk["root_key_id"]), zone_of=zone_of)
        with conn.cursor(name=f"verify_entries_{desk_id}") as cursor:
            cursor.itersize = 10_000
            cursor.execute("SELECT * FROM entries WHERE desk_id = %s ORDER BY seq", (desk_id,))
            for row in cursor:
                check.entry(join_row(row, ENTRY_COLUMNS))
        day_wrong = []
        with conn.cursor(name=f"verify_versions_{desk_id}") as cursor:
            cursor.itersize = 10_000
            cursor.execute("SELECT * FROM case_versions WHERE desk_id = %s ORDER BY case_number, version", (desk_id,))
            for row in cursor:
                seen = check.version(join_row(row, VERSION_COLUMNS))
                if seen is not None and seen.received_day != row["received_day"]:
                    day_wrong.append(f"{origin}: case {seen.case_number} version {seen.version}'s day was changed")
        found.entries += check.entries
        found.versions += check.versions
        found.signatures += len(check._signatures)
        found.problems.extend(check.finish(book_problems))
        found.problems.extend(day_wrong)
        head = {
            int(r["seq"]): str(r["entry_hash"])
            for r in conn.execute(
                "SELECT e.seq, e.entry_hash FROM entries e JOIN cosignatures c"
                " ON c.desk_id = e.desk_id AND c.size = e.seq WHERE e.desk_id = %s",
                (desk_id,),
            )
        }
        for cos in conn.execute("SELECT * FROM cosignatures WHERE desk_id = %s ORDER BY cosignature_id", (desk_id,)):
            found.cosignatures += 1
            public = keys.get(str(cos["register_key_id"]))
            data = {
                **cosignature_fields(
                    str(desk["origin"]),
                    int(cos["size"]),
                    str(cos["head"]),
                    str(cos["at"]),
                    name,
                    str(cos["register_key_id"]),
                ),
                "register_public_key": public.hex() if public else "",
                "signature": str(cos["signature"]),
            }
            if head.get(int(cos["size"])) != cos["head"]:
                found.problems.append(f"{origin}: the register cosigned entry {cos['size']}, which it no longer holds")
            try:
                check_cosignature(data, f"cosignature {cos['cosignature_id']}")
            except BundleError as exc:
                found.problems.append(f"{origin}: {exc}")
    return found
