"""decide(): the first-match evaluation of a policy pack against an intake (CONTRACT.md)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.rules.conditions import Condition
from desktop.rules.facts import Context, FactValue
from desktop.rules.intake import Intake
from desktop.rules.invariants import invariant_violations
from desktop.rules.pack import NotInForceError, Pack, PackError, Rule, Variant
from desktop.rules.registry import FACTS


@dataclass(frozen=True)
class Response:
    """The City's answer to one requested action (or one kind of information)."""

    action: str
    info: str | None
    code: str
    rule: str
    instruction: str
    clauses: tuple[str, ...]
    authorities: tuple[str, ...]
    refer: str | None
    because: tuple[str, ...]
    title: str = ""  # the response's short title: the rule's or variant's own, else the code's in the pack
    variant: str | None = None  # the id of the rule's instruction variant that gave the words, if any
    # The words the officer says to the requester (pack 2.2: part of the decision, CONTRACT); None only for
    # a response recorded before decisions carried them (its pack's line is shown then: desktop/present.py).
    say: str | None = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "action": self.action,
            "info": self.info,
            "code": self.code,
            "title": self.title,
            "rule": self.rule,
            "variant": self.variant,
            "instruction": self.instruction,
            "say": self.say,
            "clauses": list(self.clauses),
            "authorities": list(self.authorities),
            "refer": self.refer,
            "because": list(self.because),
        }
        if self.say is None:
            del data["say"]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Response:
        """A response as kept in the log (the inverse of to_dict; older records lack title, variant and say)."""
        return cls(
            action=str(data["action"]),
            info=None if data.get("info") is None else str(data["info"]),
            code=str(data["code"]),
            rule=str(data["rule"]),
            instruction=str(data["instruction"]),
            clauses=tuple(str(c) for c in data.get("clauses") or ()),
            authorities=tuple(str(a) for a in data.get("authorities") or ()),
            refer=None if data.get("refer") is None else str(data["refer"]),
            because=tuple(str(b) for b in data.get("because") or ()),
            title=str(data.get("title") or ""),
            variant=None if data.get("variant") is None else str(data["variant"]),
            say=str(data["say"]) if "say" in data else None,
        )


@dataclass(frozen=True)
class Decision:
    """Every response to one intake, with the pack it was decided under."""

    policy_id: str
    policy_version: str
    policy_sha256: str
    responses: tuple[Response, ...]
    warnings: tuple[str, ...]

    @property
    def refer_to_counsel(self) -> bool:
        return any(r.refer is not None for r in self.responses)

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": {"id": self.policy_id, "version": self.policy_version, "sha256": self.policy_sha256},
            "responses": [r.to_dict() for r in self.responses],
            "refer_to_counsel": self.refer_to_counsel,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        """A decision as kept in the log, read back as a value (the inverse of to_dict).

        Raises KeyError, TypeError or ValueError for a dict that is not a decision; the store reports
        that as a version it cannot read.
        """
        policy = data["policy"]
        return cls(
            policy_id=str(policy["id"]),
            policy_version=str(policy["version"]),
            policy_sha256=str(policy["sha256"]),
            responses=tuple(Response.from_dict(r) for r in data["responses"]),
            warnings=tuple(str(w) for w in data.get("warnings") or ()),
        )

    def to_json(self) -> str:
        """The decision as contract JSON; the same decision always gives the same bytes."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


# The one derived fact, besides D0's, that reads papers which cancel an earlier request (LEGAL.md 3A).
PINNED_FACTS = frozenset({"ordinance_engaged"})


class _Evaluator:
    """Computes each fact at most once per context and remembers the values for `because`.

    `pinned` facts are computed and described from `pinned_ctx` instead: the invariant check decides
    again without the cancelling papers, while `ordinance_engaged` still sees them (CONTRACT, invariant 8).
    """

    def __init__(self, ctx: Context, pinned_ctx: Context | None = None, pinned: frozenset[str] = frozenset()) -> None:
        self.ctx = ctx
        self._values: dict[str, FactValue] = {}
        self._pinned_ctx = pinned_ctx or ctx
        self._pinned = pinned

    def _context(self, fact: str) -> Context:
        return self._pinned_ctx if fact in self._pinned else self.ctx

    def value(self, fact: str) -> FactValue:
        if fact not in self._values:
            self._values[fact] = FACTS[fact].compute(self._context(fact))
        return self._values[fact]

    def holds(self, condition: Condition) -> bool:
        return any(atom.holds(self.value(atom.fact)) for atom in condition.alternatives)

    def all_hold(self, conditions: tuple[Condition, ...]) -> bool:
        return all(self.holds(c) for c in conditions)

    def describe(self, fact: str) -> str:
        return FACTS[fact].describe(self.value(fact), self._context(fact))


def _because(rule: Rule, variant: Variant | None, evaluator: _Evaluator) -> tuple[str, ...]:
    """One line for the action, then one per fact the rule (and its variant) tested or relied on, in order."""
    facts: list[str] = ["action"]
    if evaluator.ctx.info is not None:
        facts.append("info")
    for condition in rule.when:
        facts.extend(condition.facts)
    if variant is not None:
        for condition in variant.when:
            facts.extend(condition.facts)
    facts.extend(rule.considers)
    lines = [evaluator.describe(fact) for fact in dict.fromkeys(facts)]
    wording = f", in its wording {variant.id!r}" if variant is not None else ""
    lines.append(
        f"Rule {rule.id} of the policy pack applies{wording}: the first rule in its table that fits these facts."
    )
    return tuple(lines)


def respond(intake: Intake, pack: Pack, action: str, info: str | None, *, engaged_by: Intake | None = None) -> Response:
    """The response to one action (and info value): the first rule that fits, in the words of its first fitting variant.

    `engaged_by`: the intake whose papers decide whether the ordinance is engaged, when it is not
    `intake` itself (the invariant check's second decision, without the cancelling papers).
    """
    ctx = Context(intake, pack.definitions, action, info)
    if engaged_by is None:
        evaluator = _Evaluator(ctx)
    else:
        evaluator = _Evaluator(ctx, Context(engaged_by, pack.definitions, action, info), PINNED_FACTS)
    for rule in pack.rules:
        if rule.applies_to(action, info) and evaluator.all_hold(rule.when):
            variant = next((v for v in rule.variants if evaluator.all_hold(v.when)), None)
            code_text = pack.codes.get(rule.code)
            title = (variant.title if variant is not None else None) or rule.title
            return Response(
                action=action,
                info=info,
                code=rule.code,
                rule=rule.id,
                instruction=variant.instruction if variant is not None else rule.instruction,
                clauses=rule.clauses,
                authorities=tuple(pack.authorities[a].cite for a in rule.authorities),
                refer=rule.refer,
                because=_because(rule, variant, evaluator),
                title=title or (code_text.title if code_text is not None else rule.code),
                variant=variant.id if variant is not None else None,
                say=pack.say_line(rule, variant, rule.code),
            )
    # Unreachable for a loaded pack: load_pack() refuses a table without a catch-all for every action.
    raise PackError(pack.path, "rules", f"no rule answers {action}")


def _warnings(intake: Intake, pack: Pack) -> tuple[str, ...]:
    evaluator = _Evaluator(Context(intake, pack.definitions))
    found = [w.text for w in pack.warnings if evaluator.all_hold(w.when)]
    if intake.info and "share_info" not in intake.actions:
        found.append(
            "Information kinds were listed but sharing information was not among the actions asked; "
            "no response was given for them."
        )
    if pack.awaiting_review:
        found.append(
            f"The policy pack {pack.id} {pack.version} awaits legal review by {pack.department.counsel_title} "
            "(no reviewer is recorded); when in doubt, refer and hold no one meanwhile."
        )
    return tuple(found)


def decide(intake: Intake, pack: Pack) -> Decision:
    """Decide the City's response to every action asked, under the given pack.

    Pure and deterministic: no clock, no files, no network. One response per action in the
    order asked; `share_info` gets one response per requested kind of information.

    Raises:
        NotInForceError: (a PackError of one line, no file path) when the pack is not in force on
            the day the request was received, that day taken in the pack's own time zone.
        PackError: when the pack's table would give a decision that breaks one of the contract's
            invariants.
    """
    day = pack.local_date(intake.received_at)
    if not pack.in_force(day):
        said = pack.describe_moment(intake.received_at)
        if day < pack.effective_from:
            problem = (
                f"received_at {said}, before the policy pack {pack.id} {pack.version} is in force "
                f"({pack.effective_from.isoformat()})"
            )
        else:
            problem = (
                f"received_at {said}, when the policy pack {pack.id} {pack.version} is no longer in force "
                f"(in force {pack.period()})"
            )
        raise NotInForceError(problem)
    responses: list[Response] = []
    for action in intake.actions:
        if action == "share_info":
            responses.extend(respond(intake, pack, action, info) for info in intake.info)
        else:
            responses.append(respond(intake, pack, action, None))
    decision = Decision(pack.id, pack.version, pack.sha256, tuple(responses), _warnings(intake, pack))
    # The contract's invariants hold for any pack: a pack whose table would break one (hold someone
    # on an administrative paper, honour an unverified warrant, ...) gets no decision at all.
    problems = invariant_violations(intake, decision, pack)
    if problems:
        raise PackError(
            pack.path,
            "rules",
            f"this pack's decision breaks the decision contract ({problems[0]}); "
            f"nothing was decided: refer to {pack.department.counsel_title} and hold no one meanwhile",
        )
    return decision
