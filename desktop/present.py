"""A case in words, once: labelled rows and sections that every door and the memo only lay out.

The review page of the wizard, the case view, the memo, the command line's `show` and the verify
summaries all say the same things about an intake, a decision or a check. Each used to word them
itself, and they drifted (the memo said "Claims mandatory" where the window said "Says it is
mandatory"; the window's verify dialog lost the signature count). Here each thing is worded once, from the typed values
(desktop.rules.Intake and Decision, desktop.records.CaseVersion); the window turns the rows into
HTML, the memo into tables, the command line into lines of text. As Anki's browser asks the
collection for a row's cells and only draws them (`browser_row_for_id`).

No Qt, no SQL, no PDF here: plain strings, so every door and the memo can use them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.rules import labels

if TYPE_CHECKING:
    from desktop.desk.results import LogCheck
    from desktop.records import CaseVersion
    from desktop.rules import Decision, Intake, Pack
    from desktop.rules.engine import Response
    from desktop.rules.intake import Document
    from desktop.rules.pack import Clause


@dataclass(frozen=True)
class Row:
    """One labelled value, as a reader sees it: "Custody" / "In City custody"."""

    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """A titled group of rows, in the order the wizard asks them."""

    title: str
    rows: tuple[Row, ...]


def yes_no(value: object) -> str:
    return "yes" if value else "no"


def label_of(words: dict[str, str], value: str | None, missing: str = "-") -> str:
    """A vocabulary value in the pack's words (labels.py); an unknown value is shown as stored."""
    if not value:
        return missing
    return words.get(value, value)


# --- the intake -------------------------------------------------------------------------------------


def paper_words(document: Document) -> str:
    """One paper in one line: kind, signer, the signer's name, edition, verified, whether it cancels."""
    bits = [label_of(labels.DOCUMENT_KIND, document.kind), label_of(labels.SIGNER, document.signer, "")]
    if document.signer_name:
        bits.append(document.signer_name)
    if document.edition:
        bits.append(f"edition {document.edition}")
    bits.append("verified" if document.verified else "not verified")
    if document.cancels_prior:
        bits.append("cancels an earlier request")
    return ", ".join(b for b in bits if b)


def requester_words(intake: Intake) -> str:
    words = label_of(labels.REQUESTER, intake.requester)
    return f"{words}: {intake.requester_name}" if intake.requester_name else words


def request_sections(intake: Intake) -> tuple[Section, ...]:
    """The request as entered, in the memo's words and order: the request, the documents, the person, what
    was asked, and the officer's notes (a section only when there are notes)."""
    from desktop.dates import received

    request = [
        Row("Received", received(intake.received_at.isoformat())),
        Row("Channel", label_of(labels.CHANNEL, intake.channel)),
        Row("Requester", requester_words(intake)),
    ]
    if intake.requester == "subject_or_attorney":
        request.append(Row("Consent confirmed", yes_no(intake.consent_confirmed)))
    papers = [Row(f"Paper {n}", paper_words(d)) for n, d in enumerate(intake.documents, 1)]
    if not papers:
        papers = [Row("Papers", "none (a verbal or informal request)")]
    subject = intake.subject
    blockers = "; ".join(label_of(labels.RELEASE_BLOCKER, b) for b in subject.release_blockers)
    person = [
        Row("Booking number", subject.booking_number or "not given"),
        Row("Name", subject.name or "not given"),
        Row("Custody", label_of(labels.CUSTODY, subject.custody)),
        Row("Minor (under 18)", yes_no(subject.minor)),
        Row("Release blockers", blockers or "none: eligible for release"),
    ]
    asked = [Row("Actions", "; ".join(label_of(labels.ACTION, a) for a in intake.actions) or "none")]
    if intake.info:
        asked.append(Row("Information", "; ".join(label_of(labels.INFO, i) for i in intake.info)))
    asked += [
        Row("Purpose", label_of(labels.PURPOSE, intake.purpose)),
        Row("Benefit", label_of(labels.BENEFIT, intake.benefit)),
        Row("Claims mandatory", yes_no(intake.claims_mandatory)),
        Row("Public-records request", yes_no(intake.public_records_request)),
    ]
    sections = [
        Section("The request", tuple(request)),
        Section("Documents received", tuple(papers)),
        Section("The person", tuple(person)),
        Section("What was asked", tuple(asked)),
    ]
    if intake.notes:
        sections.append(Section("Officer's notes", (Row("Notes", intake.notes),)))
    return tuple(sections)


def request_rows(intake: Intake) -> list[Row]:
    """Every row of the request, in order (the sections run together)."""
    return [row for section in request_sections(intake) for row in section.rows]


# --- the decision -----------------------------------------------------------------------------------


def asked(response: Response) -> str:
    """What was asked, in words: "Hold", or "Share information: Address"."""
    text = label_of(labels.ACTION, response.action)
    if response.info:
        text += f": {label_of(labels.INFO, response.info)}"
    return text


def response_title(response: Response, pack: Pack) -> str:
    """A response's short title: the rule's own words for these facts, else its code's title in the pack."""
    if response.title:
        return response.title
    code = pack.codes.get(response.code)
    return code.title if code is not None else response.code


def say(response: Response, pack: Pack) -> str:
    """The words the officer may say to the requester: the response's own (a decision carries them from pack
    2.2 on), else, for a response recorded before, its pack's line ("" where the pack gives none)."""
    if response.say is not None:
        return response.say
    return pack.say_for(response.to_dict())


@dataclass(frozen=True)
class ResponseView:
    """One response in words: what to do and say first, then the reasons the details show."""

    asked: str
    title: str
    instruction: str
    say: str
    code: str
    rule: str
    variant: str | None
    refer: str | None
    because: tuple[str, ...]
    clauses: tuple[Clause | str, ...]  # the pack's clause where it has it, else the id as recorded
    authorities: tuple[str, ...]

    @property
    def rule_words(self) -> str:
        """ "code NO_HOLD, rule D11, wording x, open question AMB-2": how the response was reached."""
        words = f"code {self.code}, rule {self.rule}"
        if self.variant:
            words += f", wording {self.variant}"
        if self.refer:
            words += f", open question {self.refer}"
        return words


def response_views(decision: Decision, pack: Pack) -> list[ResponseView]:
    return [
        ResponseView(
            asked=asked(r),
            title=response_title(r, pack),
            instruction=r.instruction,
            say=say(r, pack),
            code=r.code,
            rule=r.rule,
            variant=r.variant,
            refer=r.refer,
            because=r.because,
            clauses=tuple(pack.clauses.get(c, c) for c in r.clauses),
            authorities=r.authorities,
        )
        for r in decision.responses
    ]


@dataclass(frozen=True)
class OpenQuestion:
    id: str  # AMB-n
    issue: str
    meanwhile: str


@dataclass(frozen=True)
class Referral:
    """Who a referred decision goes to and how to reach them, and the open questions it waits on."""

    counsel: str
    contact: str
    questions: tuple[OpenQuestion, ...]
    phone: str = ""  # counsel's phone, or the pack's placeholder for it
    after_hours: str = ""  # how to reach counsel at night, or the pack's placeholder

    def calls(self) -> list[Row]:
        """Who to call, in the rows both the window and the memo print (only those the pack gives)."""
        rows = [Row("Phone", self.phone), Row("After hours", self.after_hours)]
        return [row for row in rows if row.value]


def referral(decision: Decision, pack: Pack) -> Referral | None:
    """The referral box, or None when nothing is referred."""
    ids = list(dict.fromkeys(r.refer for r in decision.responses if r.refer))  # in the order first referred
    if not ids:
        return None
    questions = []
    for amb in ids:
        found = pack.ambiguities.get(amb)
        questions.append(OpenQuestion(amb, found.issue if found else "", found.meanwhile if found else ""))
    department = pack.department
    return Referral(
        department.counsel_title,
        department.referral_contact,
        tuple(questions),
        phone=department.counsel_phone,
        after_hours=department.after_hours,
    )


# --- a recorded version -----------------------------------------------------------------------------


STATUS_WORDS = {"referred": "referred for review", "resolved": "resolved", "decided": "decided"}
RESOLVED_PREFIX = "Resolved:"  # how the desk words a resolution's reason (desk/cases.py resolve)
ACT_ON_OUTCOME = "Act on the outcome above; the responses below are the rules' decision on the same facts."


@dataclass(frozen=True)
class Resolution:
    """A resolved referral: what was decided, the version that resolved it and the one that referred it."""

    outcome: str
    resolved: CaseVersion
    referred: CaseVersion | None

    @property
    def two_people(self) -> bool:
        """Whether the case was referred and resolved by different people (the two-person rule, in words)."""
        return self.referred is not None and self.referred.officer != self.resolved.officer


def resolution(versions: Sequence[CaseVersion], version: CaseVersion) -> Resolution | None:
    """The resolution `version` records, or None when it is not a resolved version (the memo and the case view)."""
    if version.status != "resolved":
        return None
    reason = version.amendment_reason or ""
    outcome = reason[len(RESOLVED_PREFIX) :].strip() if reason.startswith(RESOLVED_PREFIX) else reason
    referred = next((v for v in versions if v.status == "referred"), None)
    return Resolution(outcome, version, referred)


def version_rows(version: CaseVersion, pack: Pack) -> list[Row]:
    """Everything a version says: who and why, the request, then each response (the versions tab compares these)."""
    rows = [
        Row("Status", version.status.value),
        Row("Recorded by", version.officer),
        Row("Reason for this version", version.amendment_reason or "-"),
    ]
    if version.override:
        rows.append(Row("Officer disagreed", f"{version.override.officer}: {version.override.reason}"))
    rows += request_rows(version.intake)
    rows += [Row(f"Response: {v.asked}", f"{v.title}. {v.instruction}") for v in response_views(version.decision, pack)]
    return rows


# --- checks -------------------------------------------------------------------------------------------


def log_check_rows(check: LogCheck) -> list[Row]:
    """What `verify` found, in the rows both the window's dialog and the command line print."""
    rows = [
        Row("Result", "OK: nothing was altered" if check.ok else "FAILED: the log was altered or damaged"),
        Row("Audit entries checked", f"{check.entries_checked:,}"),
        Row("Records checked", f"{check.records_checked:,}"),
        Row("Signatures checked", f"{check.signatures_checked:,}"),
        Row("Chain head", check.chain_head or "-"),
    ]
    if check.admin_fingerprint:
        rows.append(Row("Admin key fingerprint", f"{check.admin_fingerprint} (compare it with IT's written copy)"))
    if check.witnessed:
        rows.append(Row("Outside witness", check.witnessed))
    if check.index_rebuilt is not None:
        rows.append(Row("Search index rebuilt", f"{check.index_rebuilt:,} case(s)"))
    rows += [Row("Problem" if n == 1 else f"Problem {n}", p) for n, p in enumerate(check.problems, 1)]
    rows += [Row("Warning" if n == 1 else f"Warning {n}", w) for n, w in enumerate(check.warnings, 1)]
    rows += [Row("Note" if n == 1 else f"Note {n}", note) for n, note in enumerate(check.notes, 1)]
    return rows


def as_text(rows: Sequence[Row], *, indent: str = "") -> str:
    """Rows as aligned lines of plain text, for the command line."""
    width = max((len(r.label) for r in rows), default=0)
    return "".join(f"{indent}{r.label + ':':<{width + 1}} {r.value}\n" for r in rows)
