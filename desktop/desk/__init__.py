"""The desk's flow, Qt-free: the one API that the window and the command line both call.

    from desktop.desk import Desk, system_clock
    desk = Desk(data_dir, clock=system_clock)
    session = desk.people.sign_in("ofc.smith", password)
    decided = desk.decide(intake_dict)
    saved = desk.cases.record(session, decided, scans=[scan])
    desk.paper.print_memo(session, saved.case_number)

See desktop/desk/desk.py for the managers, desktop/desk/policy.py for who may do what, and
DESIGN.md ("Shape") for why there is one home.
"""

from __future__ import annotations

from desktop.desk.cases import Check, Unconfirmed
from desktop.desk.changes import Change, ChangeNotifier
from desktop.desk.desk import Cancelled, Clock, Desk, Progress, system_clock
from desktop.desk.files import FileWriteError, safe_write
from desktop.desk.paper import memo_file_name
from desktop.desk.results import Decided, ExportResult, LogCheck, MemoCheck
from desktop.desk.sessions import Session
from desktop.records import Actor, ActorError, EventKind, Status

__all__ = [
    "Actor",
    "ActorError",
    "Cancelled",
    "Change",
    "Check",
    "ChangeNotifier",
    "Clock",
    "Decided",
    "Desk",
    "EventKind",
    "ExportResult",
    "FileWriteError",
    "LogCheck",
    "MemoCheck",
    "Progress",
    "Session",
    "Status",
    "Unconfirmed",
    "memo_file_name",
    "safe_write",
    "system_clock",
]
