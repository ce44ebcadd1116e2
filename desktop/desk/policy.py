"""Who may do what at the desk: one table, asked by both doors and enforced by the desk.

Every desk operation that touches case data or the log is an action in `ACTIONS`: the roles that
may run it, and the rules beyond roles in words. The desk admits a session to an action before it
does anything (desk.py `Desk.admit`), so a door that forgets to ask cannot get round it; the
window asks the same table (`allowed`) to show or hide a menu item, and the command line gets the
desk's refusal as one line. A test lists every public desk operation against this table.

The rules beyond roles are checked by the desk where the facts are (desk/cases.py): the two-person
rule (whoever takes a case out of review is a supervisor who did not record it) and that only a
referred or overridden case is resolved. `TWO_PERSON` names them for the window's words.

As Anki's collection is the one gate to its data (pylib/anki/collection.py), and KeePassXC gives each
command-line command one class that opens the database the same way (src/cli/DatabaseCommand.cpp).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from desktop.store.errors import AccountError

if TYPE_CHECKING:
    from desktop.desk.sessions import Session

OFFICER: Final = "officer"
SUPERVISOR: Final = "supervisor"
ADMIN: Final = "admin"
ANYONE: Final = (OFFICER, SUPERVISOR, ADMIN)  # any signed-in account, whatever its roles


class NotAllowed(AccountError):
    """The session's roles do not allow the action; the message names the action and who may (a Refused)."""


@dataclass(frozen=True)
class Rule:
    """One desk action: who may run it, and what else must hold, in words a refusal can quote."""

    roles: frozenset[str]
    words: str  # what the action is, for a refusal: "record a case"
    beyond: str = ""  # the rules beyond roles, in words (empty: none)
    why: str = ""  # why only those roles, when it needs saying (else the roles are named)
    named: tuple[str, ...] = ()  # the roles in the order a refusal names them

    def refusal(self, who: str) -> str:
        reason = self.why or f"it needs the {' or '.join(self.named)} role"
        return f"{who} may not {self.words}: {reason}"


def _rule(roles: Iterable[str], words: str, beyond: str = "", why: str = "") -> Rule:
    named = tuple(roles)
    return Rule(frozenset(named), words, beyond, why, named)


TWO_PERSON: Final = (
    "a case leaves review (resolved, amended to decided, or amended so that it no longer refers or overrides) "
    "only by a supervisor who did not record it"
)

ACTIONS: Final[dict[str, Rule]] = {
    # cases (desk/cases.py)
    "cases.record": _rule((OFFICER, SUPERVISOR), "record a case"),
    "cases.amend": _rule((OFFICER, SUPERVISOR), "amend a case", TWO_PERSON),
    "cases.resolve": _rule((SUPERVISOR,), "record a referral's outcome", TWO_PERSON),
    "cases.attach": _rule((OFFICER, SUPERVISOR), "attach a scan to a case"),
    "cases.check_before_recording": _rule((OFFICER, SUPERVISOR), "check an intake before recording it"),
    "cases.open": _rule(ANYONE, "open a case"),
    "cases.attachment": _rule(ANYONE, "open a case's attachment"),
    "cases.search": _rule(ANYONE, "search the case log"),
    "cases.review_queue": _rule(ANYONE, "see the review queue"),
    "cases.for_booking": _rule(ANYONE, "look up cases by booking number"),
    # paper (desk/paper.py)
    "paper.print": _rule((OFFICER, SUPERVISOR), "print or save a memo"),
    "paper.preview": _rule(ANYONE, "preview a memo"),
    "paper.draft": _rule((OFFICER, SUPERVISOR), "preview a draft memo"),
    "paper.export": _rule((SUPERVISOR, ADMIN), "export memos"),
    "paper.verify_memo": _rule(ANYONE, "check a memo against the log"),
    "paper.notice": _rule((OFFICER, SUPERVISOR), "serve a notice to the person"),
    # copies of the log (desk/copies.py)
    "copies.backup": _rule(
        (SUPERVISOR, ADMIN), "back up the log", why="only a supervisor or admin takes a copy of the whole log"
    ),
    "copies.restore": _rule((ADMIN,), "restore the log from a backup"),
    # the log itself (desk/auditlog.py)
    "log.verify": _rule(ANYONE, "verify the log"),
    "log.rebuild_index": _rule((SUPERVISOR, ADMIN), "rebuild the search index"),
    "log.audit": _rule((ADMIN, SUPERVISOR), "read or export the audit log"),
    "log.receipt": _rule(ANYONE, "write a receipt of the chain head"),
    "log.verify_receipt": _rule(ANYONE, "check a receipt against the log"),
    # reports (desk/reports.py)
    "reports.figures": _rule(ANYONE, "make an oversight report"),
    "reports.register": _rule(
        (SUPERVISOR, ADMIN), "see the register", why="it holds personal data, for supervisors and admins only"
    ),
    # the county register, from the desk (desk/bundles.py)
    "bundles.origin": _rule((ADMIN,), "name this log's origin for the county register"),
    "bundles.write": _rule(
        (SUPERVISOR, ADMIN),
        "write a bundle for the county register",
        why="a bundle holds every case it carries, for supervisors and admins only, as a backup is",
    ),
    "bundles.witness": _rule(ANYONE, "record the county register's cosignature"),
    # people (desk/people.py)
    "people.list": _rule((ADMIN, SUPERVISOR), "list accounts"),
    "people.manage": _rule((ADMIN,), "add or change accounts"),
    "people.settings": _rule((ADMIN,), "change the desk's sign-in settings"),
    "people.own_account": _rule(ANYONE, "change your own password or second factor"),
    "people.session": _rule(ANYONE, "lock, unlock or end your session"),
}

# The desk's operations that need no session: they hold no case data and write nothing a person did
# (decide and the pack are the rules, open to anyone; signing in is how a session starts).
OPEN: Final = frozenset(
    {
        "decide",
        "policy",
        "people.sign_in",
        "people.setup",
        "people.needs_setup",
        "people.second_factor_needed",
        "people.second_factor_scope",
        "people.idle_limit",
        "people.admin_fingerprint",
        "people.root_check",
        "copies.open_copy",
        "copies.stage_restore",
        "copies.leaves_station",
        "copies.log_is_missing",
        "bundles.origin_name",
    }
)


def allowed(session: Session | None, action: str) -> bool:
    """Whether `session` may run `action` by its roles (the window shows or hides the action by this)."""
    rule = ACTIONS[action]
    return session is not None and bool(session.roles & rule.roles)


def require(session: Session, action: str) -> None:
    """Refuse (NotAllowed, one line) a session whose roles do not allow `action`."""
    rule = ACTIONS[action]
    if not session.roles & rule.roles:
        raise NotAllowed(rule.refusal(session.label))
