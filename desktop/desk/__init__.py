"""The desk's flow, Qt-free: the one API that the window and the command line both call.

    from desktop.desk import Desk
    desk = Desk(data_dir)
    decided = desk.decide(intake_dict)
    saved = desk.record(decided, actor=Actor.parse("J. SMITH #1234"), scans=[scan])
    desk.print_memo(saved.case_number, actor=...)

See desktop/desk/desk.py for every step, and DESIGN.md ("Shape") for why there is one home.
"""

from __future__ import annotations

from desktop.desk.changes import Change, ChangeNotifier
from desktop.desk.desk import Cancelled, Clock, Desk, Progress, memo_file_name, system_clock
from desktop.desk.files import FileWriteError, safe_write
from desktop.desk.results import Decided, ExportResult, LogCheck, MemoCheck
from desktop.records import Actor, ActorError, EventKind, Status

__all__ = [
    "Actor",
    "ActorError",
    "Cancelled",
    "Change",
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
    "Status",
    "memo_file_name",
    "safe_write",
    "system_clock",
]
