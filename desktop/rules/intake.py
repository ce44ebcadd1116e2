"""The intake: a validated, immutable description of one federal request (CONTRACT.md)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.errors import BadInput
from desktop.rules import vocab


class IntakeError(BadInput, ValueError):
    """An intake that does not follow the contract; names the field and what was expected."""

    def __init__(self, field_path: str, problem: str) -> None:
        super().__init__(f"{field_path}: {problem}")
        self.field_path = field_path
        self.problem = problem


@dataclass(frozen=True)
class Document:
    """One paper (or NCIC hit) that came with the request."""

    kind: str
    signer: str
    signer_name: str | None = None
    edition: str | None = None
    verified: bool = False
    cancels_prior: bool = False


@dataclass(frozen=True)
class Subject:
    """The person the request is about. Deliberately has no field for immigration status."""

    custody: str
    release_blockers: tuple[str, ...] = ()
    minor: bool = False
    booking_number: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Intake:
    """Everything the officer entered about one request; the only input of decide()."""

    received_at: dt.datetime
    channel: str
    requester: str
    actions: tuple[str, ...]
    subject: Subject
    documents: tuple[Document, ...] = ()
    info: tuple[str, ...] = ()
    requester_name: str | None = None
    purpose: str = "civil_immigration"
    benefit: str = "none"
    claims_mandatory: bool = False
    public_records_request: bool = False
    notes: str | None = None
    consent_confirmed: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the intake in contract form (the inverse of parse_intake)."""
        return {
            "received_at": self.received_at.isoformat(),
            "channel": self.channel,
            "requester": self.requester,
            "requester_name": self.requester_name,
            "documents": [
                {
                    "kind": d.kind,
                    "signer": d.signer,
                    "signer_name": d.signer_name,
                    "edition": d.edition,
                    "verified": d.verified,
                    "cancels_prior": d.cancels_prior,
                }
                for d in self.documents
            ],
            "actions": list(self.actions),
            "info": list(self.info),
            "subject": {
                "custody": self.subject.custody,
                "release_blockers": list(self.subject.release_blockers),
                "minor": self.subject.minor,
                "booking_number": self.subject.booking_number,
                "name": self.subject.name,
            },
            "purpose": self.purpose,
            "benefit": self.benefit,
            "consent_confirmed": self.consent_confirmed,
            "claims_mandatory": self.claims_mandatory,
            "public_records_request": self.public_records_request,
            "notes": self.notes,
        }


_TOP_FIELDS = {
    "received_at",
    "channel",
    "requester",
    "requester_name",
    "documents",
    "actions",
    "info",
    "subject",
    "purpose",
    "benefit",
    "consent_confirmed",
    "claims_mandatory",
    "public_records_request",
    "notes",
}
_DOCUMENT_FIELDS = {"kind", "signer", "signer_name", "edition", "verified", "cancels_prior"}
_SUBJECT_FIELDS = {"custody", "release_blockers", "minor", "booking_number", "name"}


def _describe(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_fields(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    for key in data:
        if key not in allowed:
            name = key if key.isidentifier() else json.dumps(key, ensure_ascii=True)
            path = f"{where}.{name}" if where else name
            raise IntakeError(path, f"unknown field; expected one of {', '.join(sorted(allowed))}")


def _object(data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise IntakeError(path, f"expected an object, got {_describe(value)}")
    return value


def _enum(data: Mapping[str, Any], key: str, path: str, allowed: Sequence[str], default: str | None = None) -> str:
    if key not in data or data[key] is None:
        if default is not None:
            return default
        raise IntakeError(path, f"missing; expected one of {', '.join(allowed)}")
    value = data[key]
    if not isinstance(value, str) or value not in allowed:
        raise IntakeError(path, f"unknown value {_describe(value)}; expected one of {', '.join(allowed)}")
    return value


def _enum_list(data: Mapping[str, Any], key: str, path: str, allowed: Sequence[str]) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise IntakeError(path, f"expected a list, got {_describe(value)}")
    seen: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in allowed:
            raise IntakeError(
                f"{path}[{index}]", f"unknown value {_describe(item)}; expected one of {', '.join(allowed)}"
            )
        if item in seen:
            raise IntakeError(f"{path}[{index}]", f"{item!r} is listed twice; list each value once")
        seen.append(item)
    return tuple(seen)


def _bool(data: Mapping[str, Any], key: str, path: str) -> bool:
    value = data.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise IntakeError(path, f"expected true or false, got {_describe(value)}")
    return value


# The longest free text each field takes, in characters: enough for any real paper, small enough that
# every memo prints within seconds. Notes hold about 60 pages of text; a name or title one line.
TEXT_LIMITS: dict[str, int] = {
    "notes": 250_000,
    "requester_name": 1_000,
    "signer_name": 500,
    "name": 300,
    "booking_number": 100,
    "edition": 100,
}
# The most papers one request takes: a real one has a handful. The memo of 200 prints in under a second
# (`bench.bench_memo`); one of 10,000 took 24 s to a minute.
MAX_DOCUMENTS = 200


def _text(data: Mapping[str, Any], key: str, path: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise IntakeError(path, f"expected a string, got {_describe(value)}")
    limit = TEXT_LIMITS.get(key)
    if limit is not None and len(value) > limit:
        raise IntakeError(path, f"{len(value):,} characters is longer than the limit of {limit:,} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise IntakeError(path, "contains a character that is not valid text (a lone UTF-16 surrogate)") from None
    return value


def _received_at(data: Mapping[str, Any]) -> dt.datetime:
    value = data.get("received_at")
    expected = "an ISO 8601 date and time with a UTC offset, e.g. 2026-01-13T22:18:00-05:00"
    if not isinstance(value, str):
        raise IntakeError("received_at", f"expected {expected}, got {_describe(value)}")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise IntakeError("received_at", f"{_describe(value)} does not parse; expected {expected}") from None
    if parsed.tzinfo is None:
        raise IntakeError("received_at", f"{_describe(value)} has no UTC offset; expected {expected}")
    # A day's margin at each end of Python's calendar (years 1 to 9999): the date in any time zone the desk
    # shows it in (the pack's, the PC's) must exist too, or converting it would overflow.
    try:
        in_range = _EARLIEST <= parsed.astimezone(dt.UTC) <= _LATEST
    except OverflowError:
        in_range = False
    if not in_range:
        raise IntakeError("received_at", f"{_describe(value)} is out of range; expected {expected}")
    return parsed


_EARLIEST = dt.datetime(1, 1, 3, tzinfo=dt.UTC)
_LATEST = dt.datetime(9999, 12, 29, tzinfo=dt.UTC)


def _document(data: object, path: str) -> Document:
    if not isinstance(data, Mapping):
        raise IntakeError(path, f"expected an object, got {_describe(data)}")
    _check_fields(data, _DOCUMENT_FIELDS, path)
    return Document(
        kind=_enum(data, "kind", f"{path}.kind", vocab.DOCUMENT_KINDS),
        signer=_enum(data, "signer", f"{path}.signer", vocab.SIGNERS, default="unknown"),
        signer_name=_text(data, "signer_name", f"{path}.signer_name"),
        edition=_text(data, "edition", f"{path}.edition"),
        verified=_bool(data, "verified", f"{path}.verified"),
        cancels_prior=_bool(data, "cancels_prior", f"{path}.cancels_prior"),
    )


def parse_intake(data: object) -> Intake:
    """Validate a decoded JSON intake and return it as an immutable Intake.

    Raises:
        IntakeError: naming the first field that breaks the contract and what was expected.
    """
    if not isinstance(data, Mapping):
        raise IntakeError("intake", f"expected a JSON object, got {_describe(data)}")
    _check_fields(data, _TOP_FIELDS, "")
    received_at = _received_at(data)
    channel = _enum(data, "channel", "channel", vocab.CHANNELS)
    requester = _enum(data, "requester", "requester", vocab.REQUESTERS)

    raw_documents = data.get("documents", [])
    if raw_documents is None:
        raw_documents = []
    if not isinstance(raw_documents, list):
        raise IntakeError("documents", f"expected a list (empty for a verbal request), got {_describe(raw_documents)}")
    if len(raw_documents) > MAX_DOCUMENTS:
        raise IntakeError(
            "documents", f"{len(raw_documents):,} papers is more than the limit of {MAX_DOCUMENTS} for one request"
        )
    documents = tuple(_document(item, f"documents[{i}]") for i, item in enumerate(raw_documents))

    if "actions" not in data:
        raise IntakeError("actions", f"missing; expected a list of at least one of {', '.join(vocab.ACTIONS)}")
    actions = _enum_list(data, "actions", "actions", vocab.ACTIONS)
    if not actions:
        raise IntakeError("actions", f"empty; expected at least one of {', '.join(vocab.ACTIONS)}")
    info = _enum_list(data, "info", "info", vocab.INFO_KINDS)
    if "share_info" in actions and not info:
        raise IntakeError(
            "info", f"required when actions has share_info; expected one or more of {', '.join(vocab.INFO_KINDS)}"
        )

    if "subject" not in data:
        raise IntakeError("subject", "missing; expected an object with at least custody")
    subject_data = _object(data, "subject", "subject")
    _check_fields(subject_data, _SUBJECT_FIELDS, "subject")
    subject = Subject(
        custody=_enum(subject_data, "custody", "subject.custody", vocab.CUSTODY),
        release_blockers=_enum_list(
            subject_data, "release_blockers", "subject.release_blockers", vocab.RELEASE_BLOCKERS
        ),
        minor=_bool(subject_data, "minor", "subject.minor"),
        booking_number=_text(subject_data, "booking_number", "subject.booking_number"),
        name=_text(subject_data, "name", "subject.name"),
    )

    return Intake(
        received_at=received_at,
        channel=channel,
        requester=requester,
        requester_name=_text(data, "requester_name", "requester_name"),
        documents=documents,
        actions=actions,
        info=info,
        subject=subject,
        purpose=_enum(data, "purpose", "purpose", vocab.PURPOSES, default="civil_immigration"),
        benefit=_enum(data, "benefit", "benefit", vocab.BENEFITS, default="none"),
        consent_confirmed=_bool(data, "consent_confirmed", "consent_confirmed"),
        claims_mandatory=_bool(data, "claims_mandatory", "claims_mandatory"),
        public_records_request=_bool(data, "public_records_request", "public_records_request"),
        notes=_text(data, "notes", "notes"),
    )


SCENARIO_FIELDS = frozenset({"id", "title", "intake", "expect", "invariants_only", "refused"})


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON objects may not name a field twice: the second would silently win."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            name = key if key.isidentifier() else json.dumps(key, ensure_ascii=True)
            raise ValueError(f"the field {name} is given twice")
        result[key] = value
    return result


MAX_DIGITS = 30  # no number in an intake has more digits; Python's own limit (4300) speaks of its internals


def _whole_number(text: str) -> int:
    """A JSON integer, refused past MAX_DIGITS digits in words an officer can act on."""
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise ValueError(f"a number of {digits} digits; no field of an intake takes more than {MAX_DIGITS}")
    return int(text)


def parse_intake_json(text: str | bytes) -> Intake:
    """Parse intake JSON text; bad JSON is reported as an IntakeError too.

    A scenario file (an object whose `intake` holds the intake, beside id, title and expect) is
    accepted as well, so the pack's own scenarios can be decided directly.
    """
    if isinstance(text, str):
        text = text.removeprefix("\ufeff")  # a byte-order mark, as Notepad writes (bytes: json finds it)
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_int=_whole_number)
    except json.JSONDecodeError as exc:
        raise IntakeError("intake", f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except UnicodeDecodeError:
        raise IntakeError("intake", "not UTF-8 text; expected a JSON object") from None
    except RecursionError:
        raise IntakeError("intake", "nested too deeply to be an intake; expected a JSON object") from None
    except ValueError as exc:  # e.g. a number with thousands of digits, or a key given twice
        raise IntakeError("intake", str(exc)) from None
    if isinstance(data, dict) and "intake" in data and set(data) <= SCENARIO_FIELDS:
        data = data["intake"]
    return parse_intake(data)
