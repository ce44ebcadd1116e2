"""desk.reports: the reports of one desk: figures, the files and their audit entries, and the register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from desktop.desk.changes import Change
from desktop.desk.manager import Manager, action
from desktop.desk.reports.figures import Report, build_report, report_csv, report_json, report_terms
from desktop.desk.reports.period import Period, ReportError
from desktop.desk.reports.register import RegisterRow, register_csv, register_rows
from desktop.records import EventKind

if TYPE_CHECKING:
    from desktop.desk.sessions import Session
    from desktop.rules.pack import Pack
    from desktop.store.pending import BeforeCommit

FORMATS: Final = ("pdf", "csv", "json")


@dataclass(frozen=True)
class ReportResult:
    """A report or register written: where, in what format, and what it holds."""

    path: Path
    format: str
    period: Period
    requests: int
    entries: int
    chain_head: str


def format_of(target: Path, fmt: str | None = None) -> str:
    """The format asked for, else the file's extension (.pdf, .csv, .json)."""
    chosen = (fmt or Path(target).suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ReportError(
            f"{target}: a report is written as .pdf, .csv or .json, not {Path(target).suffix or '(none)'}"
        )
    return chosen


class Reports(Manager):
    """The reports of one desk: figures, the files and their audit entries, and the register."""

    def pack_for(self, period: Period) -> Pack:
        """The pack in force on the period's last day (its department and definitions), else the active pack."""
        from desktop.rules import PackError

        try:
            return self._desk.pack_at(dt.datetime.combine(period.end, dt.time(12), dt.UTC))
        except PackError:
            return self._desk.active_pack()

    @action("reports.figures")
    def figures(self, session: Session, period: Period, *, ice_count: int | None = None) -> Report:
        """The figures of the period, read now; nothing is written and nothing audited."""
        pack = self.pack_for(period)
        anchor, counts = self._store.period_counts(period.start, period.end, report_terms(pack))
        return build_report(counts, anchor, period, pack, ice_count=ice_count)

    @staticmethod
    def render(report: Report, fmt: str) -> bytes:
        """The report's bytes in a format: the same report always gives the same bytes."""
        if fmt == "csv":
            return report_csv(report)
        if fmt == "json":
            return report_json(report)
        if fmt == "pdf":
            from desktop.memo.report import render_report

            return render_report(report.to_dict())
        raise ReportError(f"a report is written as pdf, csv or json, not {fmt!r}")

    @action("reports.figures")
    def produce(
        self,
        session: Session,
        period: Period,
        *,
        fmt: str = "pdf",
        ice_count: int | None = None,
        where: str = "shown",
    ) -> tuple[Report, bytes]:
        """The report and its bytes in `fmt`, audited as made (`where` it went: "shown", "printed", ...)."""
        report = self.figures(session, period, ice_count=ice_count)
        data = self.render(report, fmt)
        self._audit(session, EventKind.REPORT, self._detail(report, fmt, where, ice_count))
        return report, data

    @action("reports.figures")
    def make(
        self,
        session: Session,
        period: Period,
        target: Path,
        *,
        ice_count: int | None = None,
        fmt: str | None = None,
    ) -> ReportResult:
        """Write the public report of the period to `target` (whole or not at all), and audit it."""
        from desktop.desk.files import safe_write

        chosen = format_of(target, fmt)
        report = self.figures(session, period, ice_count=ice_count)
        path = safe_write(Path(target), self.render(report, chosen))
        self._audit(session, EventKind.REPORT, self._detail(report, chosen, f"saved as {path.name}", ice_count))
        return ReportResult(path, chosen, period, report.requests, report.entries, report.chain_head)

    @staticmethod
    def _detail(report: Report, fmt: str, where: str, ice_count: int | None) -> str:
        period = report.period
        ice = "" if ice_count is None else f", ICE count {ice_count}"
        return (
            f"oversight report {period.label} ({period.start} to {period.end}, {report.requests} requests{ice}) "
            f"made from entry {report.entries} as {fmt}, {where}"
        )

    @action("reports.register")
    def register(self, session: Session, period: Period) -> list[RegisterRow]:
        """The register of the period (supervisors and admins only), audited as an export of personal data."""
        rows = self._register_rows(period)
        self._audit(
            session,
            EventKind.EXPORT,
            f"register of {period.label} ({period.start} to {period.end}), {len(rows)} cases, shown",
        )
        return rows

    @action("reports.register")
    def save_register(
        self,
        session: Session,
        period: Period,
        target: Path,
        *,
        passphrase: str | None = None,
        no_encrypt: bool = False,
    ) -> ReportResult:
        """Write the register as CSV (supervisors and admins only), audited as an export.

        It holds personal data: outside the data folder it is sealed (`….csv.enc`, desk/files.py).
        """
        from desktop.desk.files import CopyPolicy

        if Path(target).suffix.lower() != ".csv":
            raise ReportError(f"{target}: the register is written as .csv")
        data_dir = self._desk.data_dir
        copy = CopyPolicy(passphrase, no_encrypt)
        note = copy.check(Path(target), data_dir)
        anchor = self._store.report_anchor()
        rows = self._register_rows(period)

        def write_entry(path: Path, before_commit: BeforeCommit) -> None:
            detail = (
                f"register of {period.label} ({period.start} to {period.end}), {len(rows)} cases, "
                f"saved as {path.name}{note}"
            )
            self._store.log_event(
                None, EventKind.EXPORT, session.actor, detail, now=self._now(), before_commit=before_commit
            )

        # An entry, or no copy: the register is put under its name only once its entry is written.
        path = copy.write_logged(self._store, Path(target), register_csv(rows), kind="register", log=write_entry)
        self._desk.changes.emit(Change(EventKind.EXPORT, None))
        return ReportResult(path, "csv", period, len(rows), anchor.position, anchor.entry_hash)

    def _register_rows(self, period: Period) -> list[RegisterRow]:
        with self._store.report_snapshot(period.start, period.end) as snapshot:
            return register_rows(snapshot.cases)

    def _audit(self, session: Session, kind: EventKind, detail: str) -> None:
        self._store.log_event(None, kind, session.actor, detail, now=self._now())
        self._desk.changes.emit(Change(kind, None))
