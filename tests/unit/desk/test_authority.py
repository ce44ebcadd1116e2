"""The rules beyond roles, held by the desk: the two-person rule by every route, the checks before
recording, parallel guesses at a password, a replayed second-factor code, and common passwords."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from pathlib import Path

import pyotp
import pytest

import desktop.signing
from desktop.desk import Desk, Unconfirmed
from desktop.desk.accounts import LOCKOUT_FAILURES, SignInError
from desktop.desk.cases import RELAY_QUESTION, TwoPersonRule, answer_relay
from desktop.desk.sessions import SessionRefused
from desktop.errors import BadInput
from desktop.records import EventKind, Override, Status
from desktop.signing import PasswordRefused, check_new_password
from desktop.store.errors import AccountError, InvalidInput
from tests.conftest import Clock
from tests.unit.cli_run import S01
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING, Staff, staffed_desk

# A verified judge's order with a civil-immigration purpose: referred to counsel (AMB-3).
REFERRED = {**S01, "documents": [{"kind": "state_court_order", "signer": "state_judge", "verified": True}]}


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)


@pytest.fixture
def staff(tmp_path: Path):
    staffed = staffed_desk(tmp_path / "data")
    yield staffed
    staffed.desk.close()


def _second_supervisor(staff: Staff):
    """Another account with the supervisor role, who recorded nothing."""
    staff.desk.people.add_user(
        staff.admin,
        username="sgt.lee",
        name="SGT. M. LEE",
        badge="88",
        roles=frozenset({"supervisor", "officer"}),
        password="second-supervisor-pass-88",
    )
    return staff.desk.people.sign_in("sgt.lee", "second-supervisor-pass-88")


def _referred_by(staff: Staff, session, intake=REFERRED, override: Override | None = None) -> str:
    saved = staff.desk.cases.record(session, staff.desk.decide(intake), override=override, confirmed=SAME_BOOKING)
    assert saved.status == Status.REFERRED
    return saved.case_number


# --- the two-person rule, every route ------------------------------------------------------------------


def test_route_1_the_recorder_resolves_their_own_referral(staff) -> None:
    case = _referred_by(staff, staff.supervisor)  # a supervisor who is also an officer recorded it
    with pytest.raises(TwoPersonRule, match="did not record it"):
        staff.desk.cases.resolve(staff.supervisor, case, outcome="declined")


def test_route_2_an_officer_resolves(staff) -> None:
    case = _referred_by(staff, staff.officer)
    with pytest.raises(AccountError, match="supervisor role"):
        staff.desk.cases.resolve(staff.other_officer, case, outcome="declined")


def test_route_3_the_recorder_amends_to_decided(staff) -> None:
    case = _referred_by(staff, staff.supervisor)
    with pytest.raises(TwoPersonRule):
        staff.desk.cases.amend(staff.supervisor, case, staff.desk.decide(REFERRED), reason="x", status=Status.DECIDED)


def test_route_4_the_recorder_amends_to_resolved(staff) -> None:
    case = _referred_by(staff, staff.supervisor)
    with pytest.raises(TwoPersonRule):
        staff.desk.cases.amend(staff.supervisor, case, staff.desk.decide(REFERRED), reason="x", status=Status.RESOLVED)


def test_route_5_the_recorder_amends_the_referral_away(staff) -> None:
    case = _referred_by(staff, staff.officer)
    no_longer_refers = staff.desk.decide(S01)  # the court order "was never there": nothing refers now
    assert not no_longer_refers.decision.refer_to_counsel
    with pytest.raises(TwoPersonRule, match="may not take case"):
        staff.desk.cases.amend(staff.officer, case, no_longer_refers, reason="typo")


def test_route_6_the_recorder_amends_the_override_away(staff) -> None:
    override = Override("The paper looked like a court order", staff.officer.label)
    case = _referred_by(staff, staff.supervisor, S01, override=override)
    with pytest.raises(TwoPersonRule):
        staff.desk.cases.amend(staff.supervisor, case, staff.desk.decide(S01), reason="I was wrong")


def test_route_7_another_officer_amends_the_referral_away(staff) -> None:
    case = _referred_by(staff, staff.officer)
    with pytest.raises(TwoPersonRule, match="may not take case"):
        staff.desk.cases.amend(staff.other_officer, case, staff.desk.decide(S01), reason="looked again")


def test_route_8_whoever_put_the_case_in_review_takes_it_out(staff) -> None:
    other = _second_supervisor(staff)
    saved = staff.desk.cases.record(staff.officer, staff.desk.decide(S01), confirmed=SAME_BOOKING)
    # a supervisor amends a decided case into review, then tries to close it again
    staff.desk.cases.amend(other, saved.case_number, staff.desk.decide(REFERRED), reason="the order was found")
    with pytest.raises(TwoPersonRule):
        staff.desk.cases.resolve(other, saved.case_number, outcome="declined")


def test_route_9_a_case_never_referred_is_not_resolved(staff) -> None:
    saved = staff.desk.cases.record(staff.officer, staff.desk.decide(S01), confirmed=SAME_BOOKING)
    with pytest.raises(InvalidInput, match="not waiting for review"):
        staff.desk.cases.resolve(staff.supervisor, saved.case_number, outcome="declined")
    with pytest.raises(InvalidInput, match="not waiting for review"):
        staff.desk.cases.amend(
            staff.supervisor, saved.case_number, staff.desk.decide(S01), reason="x", status=Status.RESOLVED
        )


def test_route_10_a_second_role_gives_no_second_person(staff) -> None:
    # The admin gives the recording officer the supervisor role mid-shift: still the same person.
    case = _referred_by(staff, staff.officer)
    staff.desk.people.change_user(staff.admin, "ofc.smith", roles=frozenset({"officer", "supervisor"}))
    promoted = staff.desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])
    with pytest.raises(TwoPersonRule, match="did not record it"):
        staff.desk.cases.resolve(promoted, case, outcome="declined")


def test_route_11_a_stale_check_cannot_be_raced(staff) -> None:
    # A supervisor's amendment is checked on the version it read: if the case gained a version meanwhile
    # (the recorder amended it back into review, say), the amendment is refused, not written.
    case = _referred_by(staff, staff.officer)
    current = staff.desk._store.get(case).current
    staff.desk.cases.amend(staff.officer, case, staff.desk.decide(REFERRED), reason="note added")
    decided = staff.desk.decide(S01)
    with pytest.raises(InvalidInput, match="gained version 2"):
        staff.desk._store.amend(
            case,
            decided.intake,
            decided.decision,
            decided.pack,
            officer=staff.supervisor.actor,
            reason="stale",
            expected_version=current.version,
        )


def test_the_second_person_closes_it(staff) -> None:
    case = _referred_by(staff, staff.officer)
    resolved = staff.desk.cases.resolve(staff.supervisor, case, outcome="Solicitor: declined")
    assert resolved.status == Status.RESOLVED and resolved.officer == "SGT. K. JONES #77"
    assert staff.desk.log.verify(staff.admin).ok


# --- the checks before recording -------------------------------------------------------------------


def test_each_check_is_the_desks_and_is_confirmed_by_name(staff) -> None:
    desk, officer = staff.desk, staff.officer
    first = desk.cases.record(officer, desk.decide(S01))
    with pytest.raises(Unconfirmed, match="already has an open case: " + first.case_number) as caught:
        desk.cases.record(officer, desk.decide(S01))
    assert [c.id for c in caught.value.checks] == ["open-case"]
    future = {
        **S01,
        "received_at": (staff.clock() + dt.timedelta(hours=3)).isoformat(),
        "subject": {"custody": "in_city_custody", "release_blockers": [], "booking_number": "26-999999"},
    }
    with pytest.raises(Unconfirmed, match="later than now on the desk's clock"):
        desk.cases.record(officer, desk.decide(future))
    blank = {**S01, "documents": [], "subject": {"custody": "in_city_custody", "release_blockers": []}}
    with pytest.raises(Unconfirmed, match="neither a name nor a booking number"):
        desk.cases.record(officer, desk.decide(blank))
    relay = {
        **S01,
        "requester": "state_or_local",
        "purpose": "criminal_unrelated",
        "documents": [],
        "subject": {**S01["subject"], "booking_number": "26-777777"},
    }
    before = (len(desk._store.audit_entries(limit=10_000)), desk._store.total_cases())
    with pytest.raises(Unconfirmed, match="Did they mention ICE") as caught:
        desk.cases.record(officer, desk.decide(relay))
    assert RELAY_QUESTION in str(caught.value)
    assert (len(desk._store.audit_entries(limit=10_000)), desk._store.total_cases()) == before  # refused: nothing
    assert desk.cases.record(officer, desk.decide(relay), confirmed=("relay",)).intake.requester == "state_or_local"
    assert desk.cases.record(officer, desk.decide(blank), confirmed=("blank",)).case_number
    assert desk.cases.record(officer, desk.decide(future), confirmed=("future",)).case_number


def test_the_relay_answer_is_the_desks_rewrite(staff) -> None:
    relay = staff.desk.read_intake({**S01, "requester": "state_or_local", "purpose": "criminal_unrelated"})
    assert answer_relay(relay, "yes").requester == "state_or_local_relay"
    assert answer_relay(relay, "unsure").purpose == "mixed_or_unknown"
    assert answer_relay(relay, "no") == relay
    court = dataclasses.replace(relay, requester="court")  # a court passes nothing on for DHS: its purpose is mixed
    assert answer_relay(court, "yes").purpose == "mixed_or_unknown" and answer_relay(court, "yes").requester == "court"
    with pytest.raises(BadInput, match="one of no, yes, unsure"):
        answer_relay(relay, "maybe")


# --- parallel guesses -----------------------------------------------------------------------------


def test_twenty_parallel_wrong_passwords_lock_after_exactly_five(staff) -> None:
    desk = staff.desk
    outcomes: list[str] = []
    start = threading.Barrier(20)

    def guess(n: int) -> None:
        start.wait()
        try:
            desk.people.sign_in("ofc.chen", f"wrong-guess-number-{n}")
            outcomes.append("in")
        except SignInError as exc:
            outcomes.append("locked" if "is locked after" in str(exc) else "wrong")
        finally:
            desk.close_thread()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("wrong") == LOCKOUT_FAILURES  # five passwords were tried, no more
    assert outcomes.count("locked") == 20 - LOCKOUT_FAILURES and "in" not in outcomes
    with pytest.raises(SignInError, match="locked"):
        desk.people.sign_in("ofc.chen", PASSWORDS["ofc.chen"])  # the sixth, the right one, is refused too
    failed = [
        e.detail
        for e in desk.log.entries(staff.admin, kind=EventKind.SIGN_IN_FAILED, audit=False)
        if "ofc.chen" in e.detail
    ]
    assert len(failed) == 21 and sum("wrong password" in d for d in failed) == LOCKOUT_FAILURES
    assert desk.log.verify(staff.admin).ok


# --- the second factor ----------------------------------------------------------------------------------


def test_a_second_factor_code_is_accepted_once_and_only_for_now_or_the_step_before(staff) -> None:
    desk, clock = staff.desk, staff.clock
    secret, _uri = desk.people.enrol_second_factor(staff.officer, PASSWORDS["ofc.smith"])
    totp = pyotp.TOTP(secret)
    code = totp.at(clock())
    assert desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"], code=code).username == "ofc.smith"
    with pytest.raises(SignInError, match="already used"):  # the same code again, seconds later
        desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"], code=code)
    clock.advance(seconds=30)
    with pytest.raises(SignInError):  # last step's code, but it was used: still refused
        desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"], code=code)
    with pytest.raises(SignInError):  # next step's code is not accepted early
        desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"], code=totp.at(clock() + dt.timedelta(seconds=30)))
    assert desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"], code=totp.at(clock())).username == "ofc.smith"


def test_a_required_second_factor_sends_an_unenrolled_account_to_enrolment_first(staff) -> None:
    desk = staff.desk
    desk.people.set_second_factor_scope(staff.admin, "everyone")
    session = desk.people.sign_in("ofc.chen", PASSWORDS["ofc.chen"])
    assert desk.people.must_enrol(session)
    with pytest.raises(SessionRefused, match="must enrol a second factor"):
        desk.cases.count(session)
    assert not desk.allowed(session, "cases.search")
    desk.people.enrol_second_factor(session, PASSWORDS["ofc.chen"])
    assert not desk.people.must_enrol(session) and desk.cases.count(session) >= 0


# --- passwords --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("1234567890", "too common"),
        ("password12", "too common"),
        ("Summer2026!", "too common"),
        ("abcdefghijk", "sequential"),
        ("zyxwvutsrq", "sequential"),
        ("ofc.smith-2026!", "user name"),
        ("safedesk-at-2am", "desk's own name"),
        ("short", "at least 10"),
        ("aaaaaaaaaaaa", "repeat"),
    ],
)
def test_common_and_expected_passwords_are_refused(password: str, words: str) -> None:
    with pytest.raises(PasswordRefused, match=words):
        check_new_password(password, username="ofc.smith")


def test_a_phrase_no_one_would_guess_is_accepted(staff) -> None:
    assert check_new_password("tulip ledger harbor ninety", username="ofc.smith")
    with pytest.raises(AccountError, match="too common"):
        staff.desk.people.change_password(staff.officer, PASSWORDS["ofc.smith"], "password12")
    with pytest.raises(AccountError, match="too common"):
        staff.desk.people.add_user(
            staff.admin, username="x.y", name="X", badge="5", roles=frozenset({"officer"}), password="1234567890"
        )


def test_the_new_desk_and_its_clock(tmp_path: Path) -> None:
    # The clock is required: a desk without one is a mistake caught at once, not a wall clock used quietly.
    with pytest.raises(TypeError, match="clock"):
        Desk(tmp_path / "data")  # type: ignore[call-arg]
    desk = Desk(tmp_path / "data", clock=Clock(dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC)))
    assert dataclasses.is_dataclass(desk.sessions) is False and desk.people.needs_setup()
    desk.close()
