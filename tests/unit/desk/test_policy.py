"""One authority: every public desk operation is in the policy table, and the desk itself refuses.

The doors (window, command line) ask the same table to show or hide an action, but a door that
forgets cannot get round the desk: each operation is called here with no session, with a session of
another desk, with a locked one, and with one whose roles the table does not list.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import desktop.signing
from desktop.desk import Desk, policy
from desktop.desk.auditlog import AuditLog
from desktop.desk.bundles import Bundles
from desktop.desk.cases import Cases
from desktop.desk.copies import Copies
from desktop.desk.manager import Manager
from desktop.desk.paper import Paper
from desktop.desk.people import People
from desktop.desk.reports.manager import Reports
from desktop.desk.sessions import Session, SessionRefused
from desktop.records import Actor
from desktop.store.errors import AccountError
from tests.unit.desk.people import staffed_desk

MANAGERS: tuple[type[Manager], ...] = (Cases, People, Paper, Copies, AuditLog, Reports, Bundles)


@pytest.fixture(autouse=True)
def quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)


def public_operations() -> list[tuple[str, str, object]]:
    found = []
    for manager in MANAGERS:
        for name, member in inspect.getmembers(manager):
            if name.startswith("_") or isinstance(inspect.getattr_static(manager, name), property):
                continue
            if callable(member):
                found.append((manager.__name__, name, member))
    return found


def guarded_operations() -> list[tuple[str, str, str]]:
    """(manager, method, action) of every operation that takes a session."""
    return [
        (owner, name, member.desk_action)  # type: ignore[attr-defined]
        for owner, name, member in public_operations()
        if getattr(member, "desk_action", None) in policy.ACTIONS
    ]


def test_every_public_desk_operation_is_in_the_policy_table() -> None:
    unmarked = [f"{owner}.{name}" for owner, name, member in public_operations() if not hasattr(member, "desk_action")]
    # The only unmarked ones are the ones that read nothing of the log: a file check and the memo folder.
    assert sorted(unmarked) == ["Cases.check_scan", "Paper.memo_folder", "Reports.pack_for", "Reports.render"]
    marked = {member.desk_action for _o, _n, member in public_operations() if hasattr(member, "desk_action")}
    assert marked <= set(policy.ACTIONS) | set(policy.OPEN)
    # and every action in the table is some operation's (no dead rows), the rules' two open ones aside
    assert set(policy.ACTIONS) <= marked
    assert set(policy.OPEN) - marked == {"decide", "policy"}


def test_the_table_check_catches_an_unmarked_operation() -> None:
    class Sneaky(Cases):
        def leak(self) -> list[str]:  # a new operation someone forgot to put in the table
            return []

    names = [name for name, member in inspect.getmembers(Sneaky) if not name.startswith("_") and callable(member)]
    assert "leak" in names and not hasattr(Sneaky.leak, "desk_action")


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(desktop.signing, "SCRYPT_N", 2**12)
        staffed = staffed_desk(Path(tmp_path_factory.mktemp("policy")) / "data")
    yield staffed
    staffed.desk.close()


def _call(desk: Desk, owner: str, name: str, session: object) -> None:
    manager = {
        "Cases": desk.cases,
        "People": desk.people,
        "Paper": desk.paper,
        "Copies": desk.copies,
        "AuditLog": desk.log,
        "Reports": desk.reports,
        "Bundles": desk.bundles,
    }[owner]
    method = getattr(manager, name)
    # The session is admitted before any argument is looked at: no other argument is needed to be refused.
    if name == "restore":
        method(session, Path("no-such-backup.db"))
    else:
        method(session)


@pytest.mark.parametrize(("owner", "name", "action"), guarded_operations(), ids=lambda v: str(v))
def test_every_operation_refuses_no_session_a_forged_one_and_another_desks(staff, owner, name, action) -> None:
    desk = staff.desk
    forged = Session(staff.officer.actor, staff.officer.since)  # the same person and roles, not issued here
    for stranger in (None, staff.officer.actor, forged, Actor.parse("J. SMITH #1234")):
        with pytest.raises(SessionRefused):
            _call(desk, owner, name, stranger)


@pytest.mark.parametrize(("owner", "name", "action"), guarded_operations(), ids=lambda v: str(v))
def test_every_operation_refuses_the_roles_the_table_does_not_list(staff, owner, name, action) -> None:
    rule = policy.ACTIONS[action]
    for session in (staff.admin, staff.supervisor, staff.officer):
        if session.roles & rule.roles:
            continue
        with pytest.raises(policy.NotAllowed, match=f"may not {rule.words}"):
            _call(staff.desk, owner, name, session)
        assert not staff.desk.allowed(session, action)


def test_a_locked_session_is_refused_everything_but_its_unlock(staff) -> None:
    from tests.unit.desk.people import PASSWORDS

    desk = staff.desk
    session = desk.people.sign_in("ofc.chen", PASSWORDS["ofc.chen"])
    desk.people.lock(session, reason="locked by hand")
    for owner, name, action in guarded_operations():
        if action == "people.session":
            continue
        with pytest.raises(SessionRefused, match="locked"):
            _call(desk, owner, name, session)
    assert not desk.allowed(session, "cases.search")
    with pytest.raises(AccountError, match="wrong password"):
        desk.people.unlock(session, "not-the-password")
    desk.people.unlock(session, PASSWORDS["ofc.chen"])
    assert desk.cases.count(session) >= 0 and desk.allowed(session, "cases.search")
    desk.people.sign_out(session)
    with pytest.raises(SessionRefused, match="ended"):
        desk.cases.count(session)


def test_the_doors_ask_the_same_table(staff) -> None:
    desk = staff.desk
    assert desk.allowed(staff.officer, "cases.record") and not desk.allowed(staff.admin, "cases.record")
    assert desk.allowed(staff.supervisor, "paper.export") and not desk.allowed(staff.officer, "paper.export")
    assert desk.allowed(staff.admin, "people.manage") and not desk.allowed(staff.supervisor, "people.manage")
    assert not desk.allowed(None, "cases.search")
    with pytest.raises(policy.NotAllowed, match="export memos: it needs the supervisor or admin role"):
        desk.admit(staff.officer, "paper.export")
