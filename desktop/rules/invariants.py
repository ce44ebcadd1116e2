"""The contract's eight invariants (CONTRACT.md), checked on every decision whatever the pack says."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from desktop.rules import vocab
from desktop.rules.facts import (
    Context,
    court_proceeding_purpose,
    eligible_for_release,
    is_honourable,
    is_judicial,
    live_papers,
    ordinance_engaged,
)
from desktop.rules.intake import Intake
from desktop.rules.pack import AMBIGUITY_ID, Pack

if TYPE_CHECKING:
    from desktop.rules.engine import Decision, Response

# The actions a cancellation settles: what a detainer (hold, notice, hand-over) or a warrant (arrest)
# asks for, and passing such a request on (LEGAL.md 3C version 2.2, item 2; invariant 7).
CANCELLABLE_ACTIONS = frozenset({"hold", "notify_release", "transfer_custody", "relay", "arrest"})
# Who may receive a benefit's records or information (LEGAL.md 3A version 2.2; invariant 6).
BENEFIT_RECORD_ACTIONS = frozenset({"produce_records", "share_info"})


def invariant_violations(intake: Intake, decision: Decision, pack: Pack) -> list[str]:
    """The contract's eight invariants (CONTRACT.md), checked on one decision; empty when all hold."""
    problems: list[str] = []
    ctx = Context(intake, pack.definitions)
    papers = live_papers(intake)
    any_judicial = any(is_judicial(d, pack.definitions) for d in papers)
    expected_pairs = [
        (action, info) for action in intake.actions for info in (intake.info if action == "share_info" else (None,))
    ]
    got_pairs = [(r.action, r.info) for r in decision.responses]
    if got_pairs != expected_pairs:
        problems.append(f"responses {got_pairs} do not follow the actions asked {expected_pairs}")
    for r in decision.responses:
        where = f"{r.action}{f' ({r.info})' if r.info else ''}: {r.code}"
        # 1. No hold on an administrative or verbal request beyond the state-law release time.
        #    NOT_COVERED answers a hold only where the ordinance is not engaged (LEGAL.md 3A), and then
        #    its instruction too must say that no one is kept on the request.
        if r.action == "hold" and eligible_for_release(ctx) and not any_judicial:
            if r.code not in vocab.NON_HOLDING_CODES and r.code != "NOT_COVERED":
                problems.append(f"{where} would hold a person eligible for release on an administrative request")
        if r.action == "hold" and r.code == "NOT_COVERED":
            if ordinance_engaged(ctx):
                problems.append(f"{where} answers a hold where the ordinance is engaged")
            elif not vocab.says_what_not_to_do(r.instruction):
                problems.append(f"{where} answers a hold without saying that no one is kept on the request")
        if r.code == "HOLD_OTHER_BASIS" and eligible_for_release(ctx):
            problems.append(f"{where} keeps custody although no release blocker is recorded")
        # 2. Honour only a verified judicial paper that does not cancel an earlier request, for a
        #    criminal or court proceeding.
        if r.code == "HONOR_JUDICIAL":
            honourable = [d for d in papers if is_honourable(d, pack.definitions)]
            warrants = [d for d in honourable if d.kind in pack.definitions.judicial_warrant_kinds]
            if not honourable:
                problems.append(f"{where} without a verified judicial document that does not cancel an earlier one")
            elif not warrants and not court_proceeding_purpose(ctx):
                problems.append(
                    f"{where} honours a court order for a purpose that is not a criminal or court proceeding"
                )
        # 3. Status-only answers only the status question.
        if r.code == "STATUS_ONLY" and (r.action != "share_info" or r.info != "immigration_status"):
            problems.append(f"{where} answers something other than immigration status")
        # 4. Every referral names its ambiguity.
        if r.code == "REFER_COUNSEL" and (r.refer is None or not AMBIGUITY_ID.match(r.refer)):
            problems.append(f"{where} refers to counsel without an AMB-n")
        # 5. Every response rests on a clause or authority and says what not to do when it declines.
        if not r.clauses and not r.authorities:
            problems.append(f"{where} cites no clause and no authority")
        if r.code in vocab.DECLINING_CODES and not vocab.says_what_not_to_do(r.instruction):
            problems.append(f"{where} declines without saying what not to do")
        # 6. A benefit's records and information go only to USCIS, or the person (or their lawyer) with consent.
        if r.code == "PROCESS_BENEFIT" and r.action in BENEFIT_RECORD_ACTIONS:
            if not (
                intake.requester == "uscis" or (intake.requester == "subject_or_attorney" and intake.consent_confirmed)
            ):
                problems.append(f"{where} gives a benefit's records to {intake.requester} (only USCIS, or the person)")
        # 7. A cancellation settles only what it cancels.
        if r.code == "LOG_ONLY" and r.action not in CANCELLABLE_ACTIONS:
            problems.append(f"{where} logs only an action that no cancellation settles")
    problems += _rests_on_cancelled_papers(intake, decision, pack)
    if decision.refer_to_counsel != any(r.refer for r in decision.responses):
        problems.append("refer_to_counsel does not match the responses")
    return problems


def _rests_on_cancelled_papers(intake: Intake, decision: Decision, pack: Pack) -> list[str]:
    """8. No response rests on a paper that cancels an earlier request, but D0's LOG_ONLY (CONTRACT).

    Each other response must come out the same, word for word and reason for reason, when the
    cancelling papers are taken away and only the test of whether the ordinance is engaged still
    sees them (LEGAL.md 3A, version 2.1).
    """
    if not any(d.cancels_prior for d in intake.documents):
        return []
    from desktop.rules.engine import respond

    without = dataclasses.replace(intake, documents=live_papers(intake))
    problems: list[str] = []
    for r in decision.responses:
        if r.code == "LOG_ONLY":
            continue
        again: Response = respond(without, pack, r.action, r.info, engaged_by=intake)
        if again != r:
            problems.append(
                f"{r.action}{f' ({r.info})' if r.info else ''}: {r.code} rests on a paper that cancels an earlier "
                f"request (rule {r.rule}; without the cancelling papers: rule {again.rule}, {again.code})"
            )
    return problems
