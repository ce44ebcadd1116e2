"""The contract's five invariants (CONTRACT.md), checked on every decision whatever the pack says."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.rules import vocab
from desktop.rules.facts import (
    Context,
    court_proceeding_purpose,
    eligible_for_release,
    is_honourable,
    is_judicial,
    ordinance_engaged,
)
from desktop.rules.intake import Intake
from desktop.rules.pack import AMBIGUITY_ID, Pack

if TYPE_CHECKING:
    from desktop.rules.engine import Decision


def invariant_violations(intake: Intake, decision: Decision, pack: Pack) -> list[str]:
    """The contract's five invariants (CONTRACT.md), checked on one decision; empty when all hold."""
    problems: list[str] = []
    ctx = Context(intake, pack.definitions)
    any_judicial = any(is_judicial(d, pack.definitions) for d in intake.documents)
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
        # 2. Honour only a verified judicial paper, for a criminal or court proceeding.
        if r.code == "HONOR_JUDICIAL":
            honourable = [d for d in intake.documents if is_honourable(d, pack.definitions)]
            warrants = [d for d in honourable if d.kind in pack.definitions.judicial_warrant_kinds]
            if not honourable:
                problems.append(f"{where} without a verified judicial document")
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
    if decision.refer_to_counsel != any(r.refer for r in decision.responses):
        problems.append("refer_to_counsel does not match the responses")
    return problems
