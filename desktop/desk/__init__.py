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

from typing import TYPE_CHECKING

from desktop.lazy import lazy_attributes

if TYPE_CHECKING:
    from desktop.desk.cases import Check, Unconfirmed
    from desktop.desk.changes import Change, ChangeNotifier
    from desktop.desk.desk import Cancelled, Clock, Desk, Progress, system_clock
    from desktop.desk.files import FileWriteError, safe_write
    from desktop.desk.paper import memo_file_name
    from desktop.desk.results import Decided, ExportResult, LogCheck, MemoCheck, SecondFactor
    from desktop.desk.sessions import Session
    from desktop.records import Actor, ActorError, EventKind, Status

# The names load on first use, as desktop.rules' and desktop.store's do: `decide` needs the desk and the
# rules, not the case log's managers, the reports' statistics or the sessions' secrets.
_LAZY = {
    "Check": "desktop.desk.cases",
    "Unconfirmed": "desktop.desk.cases",
    "Change": "desktop.desk.changes",
    "ChangeNotifier": "desktop.desk.changes",
    "Cancelled": "desktop.desk.desk",
    "Clock": "desktop.desk.desk",
    "Desk": "desktop.desk.desk",
    "Progress": "desktop.desk.desk",
    "system_clock": "desktop.desk.desk",
    "FileWriteError": "desktop.desk.files",
    "safe_write": "desktop.desk.files",
    "memo_file_name": "desktop.desk.paper",
    "Decided": "desktop.desk.results",
    "ExportResult": "desktop.desk.results",
    "LogCheck": "desktop.desk.results",
    "SecondFactor": "desktop.desk.results",
    "MemoCheck": "desktop.desk.results",
    "Session": "desktop.desk.sessions",
    "Actor": "desktop.records",
    "ActorError": "desktop.records",
    "EventKind": "desktop.records",
    "Status": "desktop.records",
}

__getattr__ = lazy_attributes(__name__, _LAZY)

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
    "SecondFactor",
    "MemoCheck",
    "Progress",
    "Session",
    "Status",
    "Unconfirmed",
    "memo_file_name",
    "safe_write",
    "system_clock",
]
