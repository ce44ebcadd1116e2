"""Oversight reports: the figures of a period, counted from the log, as PDF, CSV or JSON; and the register.

The public report (LEGAL.md 4C item 2; REPORTS-AND-CJIS.md section 1) holds no personal data: no
name, booking number, case number, address or note is read into it (the store hands over only enum
values, codes and times, desktop/store/reports.py), counts about minors under 5 read "fewer than 5",
and the CSV is tidy, one figure a row (`section,group,value`), for open data.

It is provable: the same log and the same period give the same bytes (nothing in it depends on the
clock), and it names the audit entry it was made from, the newest that recorded a case or an
amendment, with that entry's hash. Prints, views and other reports made since do not change it.

The register (LEGAL.md 4C item 1) lists each case with its number: personal data, for supervisors
and admins only, audited as an export, never part of the public report.

    period.py    the period: a year, quarter, month or run of the desk's local days
    figures.py   the figures and the small-count rule, as CSV and JSON
    register.py  the register of cases
    manager.py   desk.reports: the figures read, the files written and audited

No Qt here; the window and the command line call `desk.reports`.
"""

from __future__ import annotations

from desktop.desk.policy import NotAllowed
from desktop.desk.reports.figures import CSV_COLUMNS, FEWER_THAN, SUPPRESS_BELOW, Report, build_report, suppressed
from desktop.desk.reports.manager import FORMATS, ReportResult, Reports, format_of
from desktop.desk.reports.period import Period, ReportError
from desktop.desk.reports.register import REGISTER_COLUMNS, REGISTER_ROLES, RegisterRow

__all__ = [
    "CSV_COLUMNS",
    "FEWER_THAN",
    "FORMATS",
    "REGISTER_COLUMNS",
    "REGISTER_ROLES",
    "SUPPRESS_BELOW",
    "NotAllowed",
    "Period",
    "RegisterRow",
    "Report",
    "ReportError",
    "ReportResult",
    "Reports",
    "build_report",
    "format_of",
    "suppressed",
]
