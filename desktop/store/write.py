"""The write path: record a case, amend it, attach scans; each in one transaction with its audit entries."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.records import STATUSES, Actor, Attachment, CaseVersion, EventKind, Override, Status
from desktop.rules import Decision, Intake, Pack
from desktop.store.attachments import Scan, read_scan
from desktop.store.chain import append_event
from desktop.store.connect import StoreBase
from desktop.store.errors import CaseNotFound, InvalidInput, StoreError, describe_os_error
from desktop.store.fields import (
    actor_text,
    check_officer,
    check_override,
    default_desk,
    iso_utc,
    one_line,
    utc_now,
    zone_label,
)
from desktop.store.hashing import canonical, record_hash
from desktop.store.index import write_index
from desktop.store.rows import attachment_detail


def case_year(pack: Pack, now: dt.datetime) -> int:
    """The year that numbers a case: the jurisdiction's year at `now` (the desk's own, for a pack naming no zone)."""
    return pack.local_date(now).year if pack.zone is not None else now.astimezone().year


def check_status(status: str | None) -> Status | None:
    if status is None:
        return None
    try:
        return Status(status)
    except ValueError:
        raise InvalidInput(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}") from None


def read_scans(files: Sequence[Path]) -> list[Scan]:
    """Read and check every scan before a transaction starts (InvalidInput naming the file that fails)."""
    return [read_scan(Path(file)) for file in files]


@dataclass(frozen=True)
class _NewCase:
    intake: Intake
    decision: Decision
    officer: str
    override: Override | None
    scans: Sequence[Scan] = ()
    by: str | Actor = ""  # who records it, with their signing key once signed in


def status_for(decision: Decision, override: Override | None, status: str | None = None) -> Status:
    """A new version's status: as given, else referred when its decision refers or an officer disagreed,
    else decided. The desk asks this too, before an amendment, to apply the two-person rule."""
    if status is not None:
        return Status(status)
    return Status.REFERRED if decision.refer_to_counsel or override else Status.DECIDED


class WriteMixin(StoreBase):
    """Recording: every change is new rows, written with its audit entries in one transaction."""

    def _save_pack(self, conn: sqlite3.Connection, pack: Pack, now: dt.datetime) -> None:
        self._zones.remember(pack.sha256, pack.zone)
        if conn.execute("SELECT 1 FROM policy_packs WHERE sha256 = ?", [pack.sha256]).fetchone():
            return
        try:
            content = pack.path.read_bytes()
        except OSError as exc:
            raise StoreError(f"the policy pack {pack.path} cannot be read: {describe_os_error(exc)}") from None
        if hashlib.sha256(content).hexdigest() != pack.sha256:
            raise StoreError(f"the policy pack {pack.path} changed on disk after it was loaded; decide again")
        conn.execute(
            "INSERT INTO policy_packs (sha256, pack_id, version, content, added_at) VALUES (?, ?, ?, ?, ?)",
            [pack.sha256, pack.id, pack.version, content, iso_utc(now)],
        )

    def _next_case_number(self, conn: sqlite3.Connection, year: int) -> tuple[str, int]:
        """The next number of the year: after every case in the log, every case the audit chain has
        ever recorded (so a deleted case's number is never handed out again), and any floor left by
        a restore (so numbers printed from the replaced log are not reused)."""
        highest = int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM cases WHERE year = ?", [year]).fetchone()[0])
        chained = conn.execute(
            "SELECT case_number FROM audit_log WHERE case_number >= ? AND case_number < ? AND kind = ?"
            " ORDER BY case_number DESC LIMIT 1",
            [f"{year}-", f"{year}-~", EventKind.RECORDED.value],
        ).fetchone()
        if chained:
            highest = max(highest, int(str(chained[0]).split("-")[1]))
        floor = conn.execute("SELECT value FROM meta WHERE key = ?", [f"case_number_floor:{year}"]).fetchone()
        if floor:
            highest = max(highest, int(floor[0]))
        seq = highest + 1
        return f"{year}-{seq:06d}", seq

    def _write_version(
        self,
        conn: sqlite3.Connection,
        *,
        case_number: str,
        version: int,
        intake: Intake,
        decision: Decision,
        officer: str,
        desk: str,
        now: dt.datetime,
        status: Status,
        amendment_reason: str | None,
        override: Override | None,
        previous_hash: str | None,
    ) -> CaseVersion:
        record: dict[str, Any] = {
            "case_number": case_number,
            "version": version,
            "intake": intake.to_dict(),
            "decision": decision.to_dict(),
            "policy_sha256": decision.policy_sha256,
            "officer": officer,
            "desk": desk,
            "received_at": intake.received_at.isoformat(),
            "recorded_at": iso_utc(now),
            "recorded_zone": zone_label(now),
            "status": Status(status).value,
            "amendment_reason": amendment_reason,
            "override": {"reason": override.reason, "officer": override.officer} if override else None,
            "previous_hash": previous_hash,
        }
        digest = record_hash(record)
        conn.execute(
            "INSERT INTO case_versions (case_number, version, intake_json, decision_json, policy_sha256, officer,"
            " desk, received_at, recorded_at, recorded_zone, status, amendment_reason, override_reason,"
            " override_officer, previous_hash, record_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                case_number,
                version,
                canonical(record["intake"]),
                canonical(record["decision"]),
                decision.policy_sha256,
                officer,
                desk,
                record["received_at"],
                record["recorded_at"],
                record["recorded_zone"],
                record["status"],
                amendment_reason,
                override.reason if override else None,
                override.officer if override else None,
                previous_hash,
                digest,
            ],
        )
        saved = CaseVersion(
            case_number=case_number,
            version=version,
            intake=intake,
            decision=decision,
            officer=officer,
            desk=desk,
            received_at=record["received_at"],
            recorded_at=record["recorded_at"],
            recorded_zone=record["recorded_zone"],
            status=Status(status),
            record_hash=digest,
            amendment_reason=amendment_reason,
            override=override,
        )
        write_index(conn, saved, self._zones)
        return saved

    def _attach(
        self, conn: sqlite3.Connection, case_number: str, scan: Scan, actor: str | Actor, now: dt.datetime
    ) -> Attachment:
        """The attachment row and its own audit entry, inside the caller's transaction."""
        label = actor.label if isinstance(actor, Actor) else actor
        cursor = conn.execute(
            "INSERT INTO attachments (case_number, filename, content_type, size, sha256, content, added_at,"
            " added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                case_number,
                scan.filename,
                scan.content_type,
                len(scan.content),
                scan.sha256,
                scan.content,
                iso_utc(now),
                label,
            ],
        )
        append_event(
            conn,
            EventKind.ATTACHMENT,
            actor,
            attachment_detail(scan.filename, scan.content_type, scan.sha256),
            case_number=case_number,
            at=now,
            desk_signer=self.desk_signer,
        )
        return Attachment(
            int(cursor.lastrowid or 0),
            case_number,
            scan.filename,
            scan.content_type,
            len(scan.content),
            scan.sha256,
            iso_utc(now),
            label,
        )

    def record(
        self,
        intake: Intake,
        decision: Decision,
        pack: Pack,
        *,
        officer: str | Actor,
        desk: str | None = None,
        override: Override | None = None,
        scans: Sequence[Path] = (),
        now: dt.datetime | None = None,
    ) -> CaseVersion:
        """Record a new case: its number, the intake and decision, its scans and every audit entry, in one
        transaction. Each scan is read and checked first, so one that fails leaves nothing written.

        Raises:
            InvalidInput: the officer, override, a scan or the pack does not fit (naming the file).
            StoreError: the log cannot be written (locked, full disk, read-only, damaged).
        """
        self._check_pack(pack, decision)
        case = _NewCase(
            intake, decision, check_officer(officer), check_override(override), read_scans(scans), by=officer
        )
        return self._record_cases([case], pack, desk=desk, now=now)[0]

    def record_many(
        self,
        cases: Sequence[tuple[Intake, Decision, str | Actor, Override | None]],
        pack: Pack,
        *,
        desk: str | None = None,
        now: dt.datetime | None = None,
    ) -> list[CaseVersion]:
        """Record several cases (intake, decision, officer, override) in one transaction: all or none.

        Used for imports and synthetic logs; each case gets its own number, record and audit entry
        exactly as `record` would give it.
        """
        checked = []
        for intake, decision, officer, override in cases:
            self._check_pack(pack, decision)
            checked.append(_NewCase(intake, decision, check_officer(officer), check_override(override), by=officer))
        return self._record_cases(checked, pack, desk=desk, now=now)

    @staticmethod
    def _check_pack(pack: Pack, decision: Decision) -> None:
        if pack.sha256 != decision.policy_sha256:
            raise InvalidInput("the decision was not made under the pack given")

    def _record_cases(
        self, cases: Sequence[_NewCase], pack: Pack, *, desk: str | None, now: dt.datetime | None
    ) -> list[CaseVersion]:
        now = now or utc_now()
        desk = one_line(desk or default_desk(), "desk name")
        year = case_year(pack, now)
        saved: list[CaseVersion] = []
        with self._write() as conn:
            self._save_pack(conn, pack, now)
            for case in cases:
                case_number, seq = self._next_case_number(conn, year)
                conn.execute(
                    "INSERT INTO cases (case_number, year, seq, created_at) VALUES (?, ?, ?, ?)",
                    [case_number, year, seq, iso_utc(now)],
                )
                decision = case.decision
                version = self._write_version(
                    conn,
                    case_number=case_number,
                    version=1,
                    intake=case.intake,
                    decision=decision,
                    officer=case.officer,
                    desk=desk,
                    now=now,
                    status=Status.REFERRED if decision.refer_to_counsel or case.override else Status.DECIDED,
                    amendment_reason=None,
                    override=case.override,
                    previous_hash=None,
                )
                detail = "codes " + " ".join(r.code for r in decision.responses)
                if case.override:
                    detail += "; officer disagreed, supervisor review required"
                append_event(
                    conn,
                    EventKind.RECORDED,
                    case.by or case.officer,
                    detail,
                    case_number=case_number,
                    version=1,
                    record_hash_value=version.record_hash,
                    at=now,
                    desk_signer=self.desk_signer,
                )
                for scan in case.scans:
                    self._attach(conn, case_number, scan, case.by or case.officer, now)
                saved.append(version)
        return saved

    def amend(
        self,
        case_number: str,
        intake: Intake,
        decision: Decision,
        pack: Pack,
        *,
        officer: str | Actor,
        reason: str,
        status: str | None = None,
        override: Override | None = None,
        desk: str | None = None,
        scans: Sequence[Path] = (),
        now: dt.datetime | None = None,
        expected_version: int | None = None,
    ) -> CaseVersion:
        """Record a new version of a case, with its scans, in one transaction; the versions before it stay
        exactly as they were.

        `status` defaults to referred when the new decision refers or is overridden, else decided
        (`status_for`); pass `resolved` when a supervisor or counsel closes a referral. With
        `expected_version`, the amendment is refused when the case gained a version since the caller
        read it (the caller's checks were made on that version: the two-person rule, say).
        """
        who = check_officer(officer)
        reason = one_line(reason, "the reason for the amendment")
        override = check_override(override)
        checked_status = status_for(decision, override, check_status(status))
        self._check_pack(pack, decision)
        files = read_scans(scans)
        now = now or utc_now()
        desk = one_line(desk or default_desk(), "desk name")
        with self._write() as conn:
            last = conn.execute(
                "SELECT version, record_hash FROM case_versions WHERE case_number = ? ORDER BY version DESC LIMIT 1",
                [case_number],
            ).fetchone()
            if last is None:
                raise CaseNotFound(case_number)
            if expected_version is not None and int(last[0]) != expected_version:
                raise InvalidInput(
                    f"case {case_number} gained version {last[0]} while this one was being made from version "
                    f"{expected_version}; open the case again"
                )
            self._save_pack(conn, pack, now)
            version = int(last[0]) + 1
            saved = self._write_version(
                conn,
                case_number=case_number,
                version=version,
                intake=intake,
                decision=decision,
                officer=who,
                desk=desk,
                now=now,
                status=checked_status,
                amendment_reason=reason,
                override=override,
                previous_hash=str(last[1]),
            )
            append_event(
                conn,
                EventKind.AMENDED,
                officer,
                f"version {version}: {reason}",
                case_number=case_number,
                version=version,
                record_hash_value=saved.record_hash,
                at=now,
                desk_signer=self.desk_signer,
            )
            for scan in files:
                self._attach(conn, case_number, scan, officer, now)
        return saved

    def add_attachment(
        self, case_number: str, file: Path, *, actor: str | Actor, now: dt.datetime | None = None
    ) -> Attachment:
        """Attach a scan (PDF, PNG, JPEG or TIFF, at most 25 MB), checked by its content, to a case."""
        actor_text(actor, "who attached it")
        scan = read_scan(Path(file))
        now = now or utc_now()
        with self._write() as conn:
            if not conn.execute("SELECT 1 FROM cases WHERE case_number = ?", [case_number]).fetchone():
                raise CaseNotFound(case_number)
            return self._attach(conn, case_number, scan, actor, now)
