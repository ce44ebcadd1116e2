"""Rows of the log read back as values, and the audit entry's words for an attachment."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from desktop.records import Attachment, CaseVersion, Override, Status
from desktop.store.query import CaseSummary


def attachment_detail(filename: str, content_type: str, sha256: str) -> str:
    """The audit entry's words for an attachment; verify matches each attachment to exactly this."""
    return f"{filename} ({content_type}) sha256 {sha256}"


def record_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed fields of a stored version, read back from its columns."""
    override = None
    if row["override_reason"] is not None:
        override = {"reason": row["override_reason"], "officer": row["override_officer"]}
    return {
        "case_number": row["case_number"],
        "version": row["version"],
        "intake": json.loads(row["intake_json"]),
        "decision": json.loads(row["decision_json"]),
        "policy_sha256": row["policy_sha256"],
        "officer": row["officer"],
        "desk": row["desk"],
        "received_at": row["received_at"],
        "recorded_at": row["recorded_at"],
        "recorded_zone": row["recorded_zone"],
        "status": row["status"],
        "amendment_reason": row["amendment_reason"],
        "override": override,
        "previous_hash": row["previous_hash"],
    }


def version_from_row(row: Mapping[str, Any], fields: Mapping[str, Any] | None = None) -> CaseVersion:
    """A stored version as a typed value. Raises ValueError (IntakeError), KeyError or TypeError for one
    whose stored JSON is no longer an intake or a decision; verify reports that as a version it cannot read.

    `fields`: its record_fields, when the caller has read them already (verify hashes them too)."""
    from desktop.rules import Decision, parse_intake

    fields = record_fields(row) if fields is None else fields
    override = Override(**fields["override"]) if fields["override"] else None
    return CaseVersion(
        case_number=row["case_number"],
        version=row["version"],
        intake=parse_intake(fields["intake"]),
        decision=Decision.from_dict(fields["decision"]),
        officer=row["officer"],
        desk=row["desk"],
        received_at=row["received_at"],
        recorded_at=row["recorded_at"],
        recorded_zone=row["recorded_zone"],
        status=Status(row["status"]),
        record_hash=row["record_hash"],
        amendment_reason=row["amendment_reason"],
        override=override,
    )


def attachment_from_row(row: Mapping[str, Any]) -> Attachment:
    return Attachment(
        row["id"],
        row["case_number"],
        row["filename"],
        row["content_type"],
        row["size"],
        row["sha256"],
        row["added_at"],
        row["added_by"],
    )


def summary_from_row(row: Mapping[str, Any]) -> CaseSummary:
    return CaseSummary(
        case_number=row["case_number"],
        version=row["version"],
        received_at=row["received_at"],
        recorded_at=row["recorded_at"],
        requester=row["requester"],
        requester_name=row["requester_name"],
        subject_name=row["subject_name"],
        booking_number=row["booking_number"],
        codes=tuple(row["codes"].split()),
        document_kinds=tuple(row["document_kinds"].split()),
        referred=bool(row["referred"]),
        status=row["status"],
        officer=row["officer"],
    )
