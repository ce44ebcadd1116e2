"""The register of a period: each case with its number, day, requester, responses and status.

Personal data (LEGAL.md 4C item 1): for supervisors and admins only, audited as an export, never part
of the public report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from desktop.store.reports import ReportCase

REGISTER_ROLES: Final = ("supervisor", "admin")
REGISTER_COLUMNS: Final = ("case_number", "received_day", "requester", "responses", "status")


@dataclass(frozen=True)
class RegisterRow:
    """One case of the register: personal data (its number), for the City's counsel."""

    case_number: str
    received_day: str
    requester: str
    responses: tuple[str, ...]
    status: str

    def cells(self) -> tuple[str, ...]:
        return (self.case_number, self.received_day, self.requester, " ".join(self.responses), self.status)

    def to_dict(self) -> dict[str, Any]:
        return dict(zip(REGISTER_COLUMNS, self.cells(), strict=True))


def register_rows(cases: Iterable[ReportCase]) -> list[RegisterRow]:
    return [
        RegisterRow(
            case.case_number,
            case.received_day,
            case.current.requester,
            tuple(r.code for r in case.current.responses),
            case.current.status,
        )
        for case in cases
    ]


def register_csv(rows: Sequence[RegisterRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REGISTER_COLUMNS)
    writer.writerows(row.cells() for row in rows)
    return out.getvalue().encode("utf-8")
