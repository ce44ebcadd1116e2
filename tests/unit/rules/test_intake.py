"""Tests for desktop.rules.intake: the contract's intake is parsed strictly and errors name the field."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from desktop.rules.intake import MAX_DOCUMENTS, IntakeError, parse_intake, parse_intake_json

BASE: dict[str, Any] = {
    "received_at": "2026-01-13T22:18:00-05:00",
    "channel": "fax",
    "requester": "ice_ero",
    "documents": [{"kind": "I-247A", "signer": "dhs_officer", "edition": "03/17"}],
    "actions": ["hold", "share_info"],
    "info": ["address"],
    "subject": {"custody": "in_city_custody", "release_blockers": [], "booking_number": "26-1", "name": "DOE, J"},
}


def changed(path: str, value: Any) -> dict[str, Any]:
    """BASE with one field set (or removed when value is ...), addressed like `subject.custody`."""
    data = copy.deepcopy(BASE)
    target: Any = data
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is ...:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return data


def test_a_full_intake_parses_with_defaults() -> None:
    intake = parse_intake(BASE)
    assert intake.purpose == "civil_immigration"
    assert intake.benefit == "none"
    assert intake.documents[0].verified is False
    assert intake.subject.minor is False
    assert intake.consent_confirmed is False
    assert intake.received_at.utcoffset() is not None


def test_version_2_adds_the_consulate_and_consent() -> None:
    intake = parse_intake(changed("requester", "consulate") | {"consent_confirmed": True})
    assert intake.requester == "consulate" and intake.consent_confirmed is True
    assert intake.to_dict()["consent_confirmed"] is True
    # an intake recorded before version 2 has no consent_confirmed: it reads as false
    assert parse_intake(BASE).to_dict()["consent_confirmed"] is False


def test_every_value_has_a_label_and_version_2_labels_are_as_legal_md_says() -> None:
    from desktop.rules import labels, vocab

    for values, names in (
        (vocab.REQUESTERS, labels.REQUESTER),
        (vocab.REQUESTERS, labels.REQUESTER_HELP),
        (vocab.SIGNERS, labels.SIGNER),
        (vocab.SIGNERS, labels.SIGNER_HELP),
        (vocab.ACTIONS, labels.ACTION),
    ):
        assert set(values) == set(names)
    assert labels.SIGNER["clerk_magistrate"] == "Clerk-magistrate or assistant clerk-magistrate (a Massachusetts court)"
    assert labels.SIGNER["court_clerk"] == "Deputy or court clerk (subpoenas; a federal warrant on an indictment)"
    assert labels.REQUESTER["other_dhs"] == "Another DHS component that enforces immigration law"
    for agency in ("Secret Service", "TSA", "FEMA"):
        assert agency in labels.REQUESTER_HELP["other_dhs"] and agency in labels.REQUESTER_HELP["other_federal"]
    assert "Other federal agency" in labels.REQUESTER_HELP["other_dhs"]
    assert "State Identification Section" in labels.ACTION["mandatory_process"]
    assert "consular notification" in labels.ACTION["mandatory_process"]
    assert (
        labels.REQUESTER["consulate"] and labels.FIELD["consent_confirmed"] and labels.FIELD_HELP["consent_confirmed"]
    )


def test_to_dict_round_trips() -> None:
    intake = parse_intake(BASE)
    assert parse_intake(intake.to_dict()) == intake


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (changed("channel", "pigeon"), "channel", "unknown value 'pigeon'"),
        (changed("requester", 7), "requester", "unknown value 7"),
        (changed("documents.0.kind", "I-999"), "documents[0].kind", "expected one of"),
        (changed("documents.0.verified", "yes"), "documents[0].verified", "expected true or false"),
        (changed("documents.0.colour", "red"), "documents[0].colour", "unknown field"),
        (changed("documents", "I-247A"), "documents", "expected a list"),
        (changed("actions", []), "actions", "empty"),
        (changed("actions", ...), "actions", "missing"),
        (changed("actions", ["hold", "hold"]), "actions[1]", "listed twice"),
        (changed("actions", ["hold", "dance"]), "actions[1]", "unknown value 'dance'"),
        (changed("info", ...), "info", "required when actions has share_info"),
        (changed("info", ["shoe_size"]), "info[0]", "unknown value"),
        (changed("subject", ...), "subject", "missing"),
        (changed("subject.custody", "jail"), "subject.custody", "unknown value"),
        (changed("subject.release_blockers", "bail_not_posted"), "subject.release_blockers", "expected a list"),
        (changed("subject.minor", 1), "subject.minor", "expected true or false"),
        (changed("subject.status", "x"), "subject.status", "unknown field"),
        (changed("received_at", "yesterday"), "received_at", "does not parse"),
        (changed("received_at", "2026-01-13T22:18:00"), "received_at", "no UTC offset"),
        (changed("received_at", 20260113), "received_at", "expected an ISO 8601"),
        (changed("purpose", "curiosity"), "purpose", "unknown value"),
        (changed("benefit", "green_card"), "benefit", "unknown value"),
        (changed("notes", 12), "notes", "expected a string"),
        (changed("citizenship", "x"), "citizenship", "unknown field"),
        (changed("consent_confirmed", "yes"), "consent_confirmed", "expected true or false"),
        ([1, 2], "intake", "expected a JSON object"),
    ],
)
def test_bad_intakes_name_the_field(data: Any, field: str, words: str) -> None:
    with pytest.raises(IntakeError) as caught:
        parse_intake(data)
    assert caught.value.field_path == field
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_no_field_can_carry_immigration_status() -> None:
    # Clause B(1): the intake has no place for status, citizenship, nationality or place of birth.
    for forbidden in ("immigration_status", "citizenship", "nationality", "place_of_birth"):
        with pytest.raises(IntakeError, match="unknown field"):
            parse_intake(changed(forbidden, "anything"))
        with pytest.raises(IntakeError, match="unknown field"):
            parse_intake(changed(f"subject.{forbidden}", "anything"))


def test_not_json_is_an_intake_error() -> None:
    with pytest.raises(IntakeError, match="not valid JSON"):
        parse_intake_json("{not json")
    with pytest.raises(IntakeError, match="not UTF-8"):
        parse_intake_json(b'{"a": "\x80"}')


def test_a_scenario_file_is_accepted_as_an_intake() -> None:
    wrapped = json.dumps({"id": "S1", "title": "t", "intake": BASE, "expect": []})
    assert parse_intake_json(wrapped) == parse_intake(BASE)


def test_long_notes_are_kept_whole() -> None:
    notes = "Booked 19:05. " * 15_000  # about 210 KB
    intake = parse_intake(changed("notes", notes))
    assert intake.notes == notes
    assert len(notes.encode()) > 200_000


def test_empty_documents_mean_a_verbal_request() -> None:
    assert parse_intake(changed("documents", [])).documents == ()
    assert parse_intake(changed("documents", ...)).documents == ()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000, "nested too deeply"),
        ('{"received_at": ' + "9" * 5000 + "}", "intake:"),
        ('{"actions": ["hold"], "actions": ["relay"]}', "the field actions is given twice"),
    ],
)
def test_hostile_json_is_an_intake_error(text: str, words: str) -> None:
    with pytest.raises(IntakeError, match=words):
        parse_intake_json(text)


def test_text_must_be_valid_and_dates_in_range() -> None:
    with pytest.raises(IntakeError, match="lone UTF-16 surrogate"):
        parse_intake(changed("notes", "\ud800"))
    with pytest.raises(IntakeError) as caught:
        parse_intake(changed("received_at", "9999-12-31T23:00:00-05:00"))
    assert caught.value.field_path == "received_at" and "out of range" in str(caught.value)


def test_papers_are_capped_where_a_memo_still_prints_in_a_moment() -> None:
    paper = {"kind": "I-247A", "signer": "dhs_officer"}
    assert len(parse_intake(changed("documents", [paper] * MAX_DOCUMENTS)).documents) == MAX_DOCUMENTS
    with pytest.raises(IntakeError) as caught:
        parse_intake(changed("documents", [paper] * 10_000))
    assert caught.value.field_path == "documents"
    assert str(caught.value) == "documents: 10,000 papers is more than the limit of 200 for one request"
