"""desk.cases: record, amend, resolve, attach, open and find cases, with every rule about them.

The checks before recording (a time in the future, an open case for the same booking number, an
intake that identifies nothing, the relay question) and the two-person rule live here, once: the
window asks them and shows them, the command line refuses with one line unless `--confirm` names
the check, and both record exactly the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from desktop.desk.changes import Change
from desktop.desk.manager import Manager, action
from desktop.desk.policy import SUPERVISOR, TWO_PERSON
from desktop.errors import BadInput
from desktop.records import CaseRecord, CaseVersion, EventKind, Override, Status
from desktop.store.errors import AccountError, InvalidInput

if TYPE_CHECKING:
    from desktop.desk.results import Decided
    from desktop.desk.sessions import Session
    from desktop.rules import Intake, Pack
    from desktop.store import CaseQuery, CaseSummary

log = logging.getLogger(__name__)

FUTURE_SKEW: Final = dt.timedelta(minutes=5)  # a desk clock and a fax header may disagree by this much
RELAY_REQUESTERS: Final = frozenset({"state_or_local", "other_federal", "court"})
RELAY_QUESTION: Final = "Did they mention ICE, DHS or a detainer, or say the answer will be passed on?"
RELAY_ANSWERS: Final = ("no", "yes", "unsure")
CHECK_IDS: Final = ("future", "blank", "open-case", "relay")  # every Check.id, in the order `checks` finds them


MAX_SEARCH_TEXT: Final = 200  # what a person types to find a case; the audit entry records all of it


def check_search(query: CaseQuery | None) -> None:
    """Refuse (InvalidInput) search words longer than MAX_SEARCH_TEXT, saying so with both numbers."""
    length = len(query.text.strip()) if query is not None else 0
    if length > MAX_SEARCH_TEXT:
        raise InvalidInput(f"the search is {length:,} characters long; a search may be at most {MAX_SEARCH_TEXT}")


@dataclass(frozen=True)
class Check:
    """Something to confirm before an intake is recorded: `id` is what `--confirm` names."""

    id: str  # one of CHECK_IDS
    message: str  # one line: what is odd and what to do


class Unconfirmed(BadInput):
    """An intake has checks nobody confirmed; nothing was recorded. `checks` says which."""

    def __init__(self, checks: Sequence[Check]) -> None:
        first = checks[0]
        also = f" (and {len(checks) - 1} more: {', '.join(c.id for c in checks[1:])})" if len(checks) > 1 else ""
        super().__init__(f"{first.message}; to record it anyway, confirm '{first.id}'{also}")
        self.checks = tuple(checks)


class TwoPersonRule(AccountError):
    """A case would leave review by someone the two-person rule excludes."""


def answer_relay(intake: Intake, answer: str) -> Intake:
    """The intake after the relay question (LEGAL.md 3C v2, item 9): "yes" from a state or local agency
    makes it a state or local agency passing on a DHS request; "yes" from anyone else (a federal agency,
    a court), or "unsure", makes the purpose mixed or unknown; "no" keeps it as it is."""
    if answer not in RELAY_ANSWERS:
        raise BadInput(f"the answer to the relay question is one of {', '.join(RELAY_ANSWERS)}, not {answer!r}")
    if answer == "yes" and intake.requester == "state_or_local":
        return dataclasses.replace(intake, requester="state_or_local_relay")
    if answer in ("yes", "unsure"):
        return dataclasses.replace(intake, purpose="mixed_or_unknown")
    return intake


def relay_question_applies(intake: Intake) -> bool:
    return intake.requester in RELAY_REQUESTERS and intake.purpose == "criminal_unrelated"


def _is_blank(intake: Intake) -> bool:
    """Neither a name nor a booking number: the case could hardly be found again (issue 13's check)."""
    return not intake.subject.name and not intake.subject.booking_number


class Cases(Manager):
    """The cases of the log."""

    # --- before recording ---------------------------------------------------------------------

    @action("cases.check_before_recording")
    def checks(self, session: Session, intake: Intake, *, amending: str | None = None) -> list[Check]:
        """What to confirm before `intake` is recorded (or, with `amending`, recorded as a new version)."""
        found: list[Check] = []
        now = self._now()
        if intake.received_at - now > FUTURE_SKEW:
            local = self._desk.local_time(intake.received_at)
            found.append(
                Check("future", f"the request is dated {local:%Y-%m-%d %H:%M}, later than now on the desk's clock")
            )
        if _is_blank(intake):
            found.append(
                Check("blank", "the case has neither a name nor a booking number, so it will be hard to find later")
            )
        booking = intake.subject.booking_number
        if amending is None and booking:
            open_cases = [c.case_number for c in self._for_booking(booking) if c.status != Status.RESOLVED]
            if open_cases:
                found.append(
                    Check("open-case", f"booking number {booking} already has an open case: {', '.join(open_cases)}")
                )
        if relay_question_applies(intake):
            found.append(Check("relay", f"ask the requester: {RELAY_QUESTION} (confirm 'relay' if they said no)"))
        return found

    def _confirm(self, session: Session, intake: Intake, confirmed: Collection[str], amending: str | None) -> None:
        if self._store.read_only:  # nothing can be recorded: say so before asking anyone to confirm anything
            from desktop.store.connect import read_only_error

            raise read_only_error(self._store.path)
        missing = [c for c in self.checks(session, intake, amending=amending) if c.id not in confirmed]
        if missing:
            raise Unconfirmed(missing)

    # --- recording ----------------------------------------------------------------------------

    @action("cases.record")
    def record(
        self,
        session: Session,
        decided: Decided,
        *,
        override: Override | None = None,
        scans: Sequence[Path] = (),
        confirmed: Collection[str] = (),
    ) -> CaseVersion:
        """Record a new case: the case, its scans and all their audit entries in one transaction.

        Every check before recording (`checks`) must be in `confirmed`, else Unconfirmed and nothing is
        written. A scan that cannot be read leaves no case, no audit entry and no case number used.
        """
        self._store.require_writable()  # said before any question: nothing can be recorded here at all
        self._confirm(session, decided.intake, confirmed, None)
        saved = self._store.record(
            decided.intake,
            decided.decision,
            decided.pack,
            officer=session.actor,
            override=override,
            scans=tuple(scans),
            now=self._now(),
        )
        log.info("recorded case %s", saved.case_number)
        self._desk.changes.emit(Change(EventKind.RECORDED, saved.case_number))
        return saved

    @action("cases.amend")
    def amend(
        self,
        session: Session,
        case_number: str,
        decided: Decided,
        *,
        reason: str,
        status: Status | None = None,
        override: Override | None = None,
        scans: Sequence[Path] = (),
        confirmed: Collection[str] = (),
    ) -> CaseVersion:
        """Record a new version of a case (its scans in the same transaction); the old versions stay.

        A version that takes the case out of review (referred or overridden before, anything else
        after) needs a supervisor who did not record the case (TWO_PERSON).
        """
        from desktop.store.write import status_for

        self._store.require_writable()
        self._confirm(session, decided.intake, confirmed, case_number)
        current = self._store.get(case_number).current
        after = status_for(decided.decision, override, status)
        if status == Status.RESOLVED and current.status != Status.REFERRED:
            raise InvalidInput(f"case {current.case_number} is not waiting for review; there is nothing to resolve")
        if current.status == Status.REFERRED and after != Status.REFERRED:
            self._check_second_person(session, current)
        saved = self._store.amend(
            current.case_number,
            decided.intake,
            decided.decision,
            decided.pack,
            officer=session.actor,
            reason=reason,
            status=after,
            override=override,
            scans=tuple(scans),
            now=self._now(),
            expected_version=current.version,
        )
        log.info("amended case %s to version %s", saved.case_number, saved.version)
        self._desk.changes.emit(Change(EventKind.AMENDED, saved.case_number))
        return saved

    @action("cases.resolve")
    def resolve(self, session: Session, case_number: str, *, outcome: str) -> CaseVersion:
        """Close a referral: a new version with the same intake, decided again, marked resolved.

        The intake is decided by the pack in force on its original `received_at` (LEGAL.md 3C v2, item 8).
        Only a referred (or overridden) case is resolved, by a supervisor who did not record it.
        """
        outcome = " ".join(outcome.split())
        if not outcome:
            raise InvalidInput("the outcome is required: what was decided, and by whom")
        record = self._store.get(case_number)
        decided = self._desk.decide(record.current.intake)
        return self.amend(
            session,
            record.case_number,
            decided,
            reason=f"Resolved: {outcome}",
            status=Status.RESOLVED,
            confirmed=("future", "blank", "relay"),  # the case is recorded already: these were asked then
        )

    def _check_second_person(self, session: Session, current: CaseVersion) -> None:
        """Two people: whoever recorded the case, or made the version that put it in review, never takes it out."""
        if not session.has_role(SUPERVISOR):
            raise TwoPersonRule(f"{session.label} may not take case {current.case_number} out of review: {TWO_PERSON}")
        if self._took_part(session, current):
            raise TwoPersonRule(
                f"{session.label} recorded case {current.case_number}: its outcome needs a supervisor who did not "
                "record it"
            )

    def _took_part(self, session: Session, current: CaseVersion) -> bool:
        label, username = self._store.recorded_by(current.case_number)
        people = {(username, label), self._store.version_author(current.case_number, current.version)}
        return any(
            (u is not None and u == session.username) or (u is None and lab == session.label) for u, lab in people
        )

    @action("cases.review_queue")
    def may_resolve(self, session: Session, case_number: str) -> bool:
        """Whether this session may record the case's outcome (the window offers Record outcome only then)."""
        current = self._store.get(case_number).current
        referred = current.status == Status.REFERRED
        return referred and session.has_role(SUPERVISOR) and not self._took_part(session, current)

    @action("cases.review_queue")
    def waiting_on(self, session: Session, case_number: str) -> str:
        """Who a referred case waits for, in words for the review queue."""
        label, _username = self._store.recorded_by(case_number)
        return f"recorded by {label}; waits for a supervisor other than {label}"

    @action("cases.attach")
    def attach(self, session: Session, case_number: str, file: Path) -> None:
        """Attach one scan to a recorded case (checked by its content), with its own audit entry."""
        self._store.add_attachment(case_number, Path(file), actor=session.actor, now=self._now())
        self._desk.changes.emit(Change(EventKind.ATTACHMENT, case_number))

    @staticmethod
    def check_scan(file: Path) -> None:
        """Check a scan before it is attached (exists, readable, a PDF or image by its content, not too big).

        Raises InvalidInput naming the file and the problem. Recording checks every scan again. Reads
        only the file given, never the log, so it needs no session.
        """
        from desktop.store.attachments import read_scan

        read_scan(Path(file))

    # --- reading ------------------------------------------------------------------------------

    @action("cases.open")
    def open(self, session: Session, case_number: str, *, audit: bool = True) -> CaseRecord:
        """The one read path for a case: every version, event and attachment; the view is audited (CJIS 5.4).

        `audit=False` only for a window that reloads a case it already shows (its view was audited).
        """
        record = self._store.get(case_number)
        if audit:
            self._store.log_event(record.case_number, EventKind.VIEW, session.actor, "case viewed", now=self._now())
            record = self._store.get(case_number)
        return record

    @action("cases.open")
    def pack_of(self, session: Session, version: CaseVersion) -> Pack:
        """The exact pack a version was decided under, as kept in the log."""
        return self._store.pack_for(version)

    @action("cases.attachment")
    def attachment_content(self, session: Session, attachment_id: int) -> bytes:
        return self._store.attachment_content(attachment_id)

    @action("cases.search")
    def search(
        self,
        session: Session,
        query: CaseQuery | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
        newest_first: bool = True,
        audit: bool = False,
    ) -> list[CaseSummary]:
        """One page of matching cases, most recently recorded first (or oldest first).

        `audit` records the search's terms (CJIS 5.4): a door sets it when a person searched, not when a
        view pages on through results already audited. A search longer than MAX_SEARCH_TEXT is refused in
        those words (its audit entry could not hold it).
        """
        check_search(query)
        if audit:
            self.audit_search(session, query)
        return self._store.search(query, limit=limit, offset=offset, newest_first=newest_first)

    @action("cases.search")
    def audit_search(self, session: Session, query: CaseQuery | None) -> None:
        """A search of the case log, with its terms and filters (CJIS 5.4)."""
        check_search(query)
        words = query.describe() if query is not None else ""
        self._store.log_event(
            None, EventKind.SEARCH, session.actor, f"searched: {words or 'all cases'}", now=self._now()
        )

    @action("cases.search")
    def count(self, session: Session, query: CaseQuery | None = None) -> int:
        return self._store.count(query)

    @action("cases.review_queue")
    def review_queue(
        self,
        session: Session,
        query: CaseQuery | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
        newest_first: bool = True,
    ) -> list[CaseSummary]:
        """One page of the cases referred and not yet resolved, read from their versions (store/queue.py)."""
        return self._store.review_queue(query, limit=limit, offset=offset, newest_first=newest_first)

    @action("cases.review_queue")
    def review_count(self, session: Session, query: CaseQuery | None = None) -> int:
        """How many cases wait for review, counted from the log itself (never the search index)."""
        return self._store.review_count(query)

    @action("cases.for_booking")
    def for_booking(self, session: Session, booking_number: str, *, limit: int = 200) -> list[CaseSummary]:
        """Every case the log holds for this booking number (exact match, ignoring case and spaces), newest first."""
        return self._for_booking(booking_number, limit=limit)

    def _for_booking(self, booking_number: str, *, limit: int = 200) -> list[CaseSummary]:
        from desktop.store import CaseQuery

        wanted = " ".join(booking_number.split()).casefold()
        if not wanted:
            return []
        found = self._store.search(CaseQuery(text=booking_number), limit=limit)
        return [c for c in found if " ".join(c.booking_number.split()).casefold() == wanted]

    @action("cases.for_booking")
    def open_for_booking(self, session: Session, booking_number: str) -> list[CaseSummary]:
        """The cases for this booking number not yet closed (decided or awaiting review), newest first."""
        return [c for c in self._for_booking(booking_number) if c.status != Status.RESOLVED]

    @action("cases.open")
    def open_questions(self, session: Session, case_number: str) -> list[tuple[str, str]]:
        """The questions a referred case waits on: (AMB id, the issue in the pack it was decided under)."""
        version = self._store.get(case_number).current
        pack = self._store.pack_for(version)
        ids = dict.fromkeys(r.refer for r in version.decision.responses if r.refer)
        return [(amb, pack.ambiguities[amb].issue if amb in pack.ambiguities else "") for amb in ids]
