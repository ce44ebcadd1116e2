"""desk.paper: memos as they print, previews, prints, exports, and a memo checked against the log.

A memo is drawn from the log alone (the record, the pack it was decided under, the chain head and
the admin fingerprint), so the same record always gives the same bytes; the preview and the print
dialog show those very bytes. Every print, save, export and preview is audited.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Final

from desktop.desk.changes import Change
from desktop.desk.manager import Manager, action
from desktop.desk.results import ExportResult, MemoCheck
from desktop.records import CaseRecord, EventKind

if TYPE_CHECKING:
    from desktop.desk.desk import Cancelled, Progress
    from desktop.desk.files import CopyPolicy
    from desktop.desk.results import Decided, DrawnNotice
    from desktop.desk.sessions import Session
    from desktop.store import CaseQuery
    from desktop.store.pending import BeforeCommit

MEMO_FOLDER: Final = "memos"
log = logging.getLogger(__name__)


def memo_file_name(case_number: str, version: int) -> str:
    return f"{case_number}-v{version}.pdf"


def print_detail(version: int, printer: str, copies: int) -> str:
    """The audit entry's words for a print that succeeded."""
    where = " ".join(printer.split()) or "the default printer"
    return f"memo of version {version} printed on {where}, {copies} {'copy' if copies == 1 else 'copies'}"


def page_pngs(pdf: bytes, *, dpi: float = 96) -> list[bytes]:
    """The pages of a PDF (a memo, a report) as PNG pictures, drawn from those very bytes (preview, print)."""
    from desktop.memo.pages import page_pngs as draw

    return draw(pdf, dpi=dpi)


class Paper(Manager):
    """Memos: drawn, previewed, printed, saved, exported and checked."""

    def memo_folder(self) -> Path:
        folder = self._desk.data_dir / MEMO_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _memo_bytes(self, record: CaseRecord) -> bytes:
        from desktop.memo import render_memo

        return render_memo(
            record,
            self._store.pack_for(record.current),
            chain_head=self._store.chain_head(),
            admin_fingerprint=self._store.root_fingerprint(),  # on every page: the key every signature goes back to
        )

    @action("paper.preview")
    def memo_bytes(self, session: Session, case_number: str) -> bytes:
        """The memo of the case's current version, exactly as it prints (same record, same bytes).

        Drawing it writes nothing: the view of the case was audited when it was opened, and a print is
        audited once it succeeded (`record_print`).
        """
        return self._memo_bytes(self._store.get(case_number))

    @action("paper.print")
    def print_memo(
        self,
        session: Session,
        case_number: str,
        *,
        target: Path | None = None,
        passphrase: str | None = None,
        no_encrypt: bool = False,
    ) -> Path:
        """Save the current version's memo (safely: whole or not at all), then audit that it was printed.

        Without `target`, the memo goes into the data folder's memos/ folder. A `target` outside the
        data folder may leave the station: it is sealed with `passphrase`, or written plain only with
        `no_encrypt` (audited), as every copy is (desk/files.py CopyPolicy).
        """
        from desktop.desk.files import CopyPolicy

        record = self._store.get(case_number)
        target = target or self.memo_folder() / memo_file_name(record.case_number, record.current.version)
        return self._save_memo(session, record, target, CopyPolicy(passphrase, no_encrypt))

    def _save_memo(self, session: Session, record: CaseRecord, target: Path, copy: CopyPolicy) -> Path:
        """Save a memo (a print, or one file of an export), sealed when it leaves the data folder; audit it.

        An entry, or no memo: it is put under its name only once its entry is written (CopyPolicy.write_logged).
        """
        data_dir = self._desk.data_dir
        note = copy.check(target, data_dir)  # refused before the memo is drawn

        def write_entry(path: Path, before_commit: BeforeCommit) -> None:
            self._store.log_event(
                record.case_number,
                EventKind.MEMO,
                session.actor,
                f"memo of version {record.current.version} saved as {path.name}{note}",
                now=self._now(),
                before_commit=before_commit,
            )

        path = copy.write_logged(self._store, target, self._memo_bytes(record), kind="memo", log=write_entry)
        self._desk.changes.emit(Change(EventKind.MEMO, record.case_number))
        return path

    @action("paper.export")
    def export_memos(
        self,
        session: Session,
        folder: Path,
        query: CaseQuery | None = None,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        passphrase: str | None = None,
        no_encrypt: bool = False,
    ) -> ExportResult:
        """Save the memo of every case the query matches into `folder`, each audited like a print.

        A folder outside the data folder gets sealed copies (`NAME.pdf.enc`) under `passphrase`, all
        under one key derivation; `no_encrypt` writes them plain, and each entry says so. Neither
        given for such a folder: refused before any memo is written.
        """
        from desktop.desk.files import CopyPolicy, FileWriteError

        folder = Path(folder)
        if not folder.is_dir():
            raise FileWriteError(f"the folder {folder} does not exist")
        copy = CopyPolicy(passphrase, no_encrypt)
        copy.check(folder / "memo.pdf", self._desk.data_dir)
        numbers = self._store.case_numbers(query)
        written: list[Path] = []
        for index, number in enumerate(numbers):
            if cancelled is not None and cancelled():
                return ExportResult(folder, tuple(written), cancelled=True)
            record = self._store.get(number)
            name = memo_file_name(record.case_number, record.current.version)
            written.append(self._save_memo(session, record, folder / name, copy))
            if progress is not None:
                progress(index + 1, len(numbers))
        return ExportResult(folder, tuple(written))

    @action("paper.draft")
    def draft_memo(self, session: Session, decided: Decided) -> bytes:
        """A DRAFT memo of a decision not yet recorded, as PDF bytes; the preview is audited."""
        from desktop.memo import render_draft

        pdf = render_draft(decided.intake, decided.decision, decided.pack, officer=session.label)
        subject = decided.intake.subject.booking_number or decided.intake.subject.name or "no booking number"
        self._store.log_event(
            None, EventKind.PREVIEW, session.actor, f"draft memo previewed ({subject})", now=self._now()
        )
        return pdf

    @action("paper.print")
    def record_print(self, session: Session, case_number: str, *, printer: str, copies: int, version: int) -> None:
        """Audit a print after it succeeded: which version, on which printer, how many copies."""
        detail = print_detail(version, printer, copies)
        self._store.log_event(case_number, EventKind.PRINT, session.actor, detail, now=self._now())
        self._desk.changes.emit(Change(EventKind.PRINT, case_number))

    @action("paper.notice")
    def serve_notice(
        self,
        session: Session,
        case_number: str,
        language: str,
        *,
        target: Path | None = None,
        passphrase: str | None = None,
        no_encrypt: bool = False,
    ) -> Path:
        """Save the notice to the person of the case's current version in `language`, then audit the serving.

        The words are the pack's, in that language only (a language the pack lacks is refused, never replaced
        by another); the copy goes where a memo may go, sealed outside the data folder (desk/files.py).
        The entry records the case version, the language, the pack text's hash, the notice's own hash, who
        served it and when (desk/notices.py). Raises NoticeError when the pack gives no notice in `language`.
        """
        from desktop.desk.files import CopyPolicy
        from desktop.desk.notices import NOTICE_FOLDER, draw, notice_file_name, serving_detail

        record = self._store.get(case_number)
        version = record.current
        pack = self._store.pack_for(version)
        pack.notice.language(language)  # refused before a file is named or a passphrase checked
        if target is None:
            folder = self._desk.data_dir / NOTICE_FOLDER
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / notice_file_name(record.case_number, version.version, language)
        copy = CopyPolicy(passphrase, no_encrypt)
        note = copy.check(target, self._desk.data_dir)
        now = self._now()
        drawn_at = pack.local_time(now).replace(microsecond=0)
        pdf, serving = draw(version, pack, language, drawn_at, session.label)
        words = pack.notice.languages[language]

        def write_entry(path: Path, before_commit: BeforeCommit) -> None:
            detail = serving_detail(serving, f"{words.name}, {words.status_words}", path.name, note)
            self._store.log_event(
                record.case_number, EventKind.NOTICE, session.actor, detail, now=now, before_commit=before_commit
            )

        # An entry, or no notice: put under its name only once the serving's entry is written.
        path = copy.write_logged(self._store, target, pdf, kind="notice", log=write_entry)
        self._desk.changes.emit(Change(EventKind.NOTICE, record.case_number))
        return path

    @action("paper.notice")
    def notice_languages(self, session: Session, case_number: str) -> list[tuple[str, str]]:
        """The languages the case's pack gives its notice in: each code, with its own name and its status (the
        source, a certified or an unofficial translation); none when the pack gives no notice."""
        pack = self._store.pack_for(self._store.get(case_number).current)
        if not pack.notice.gives_notice:
            return []
        return [(code, f"{words.name} ({words.status_words})") for code, words in pack.notice.languages.items()]

    @action("paper.notice")
    def draw_notice(self, session: Session, case_number: str, language: str) -> DrawnNotice:
        """The notice of the case's current version in `language`, drawn now for the window to preview and print;
        nothing is written until `record_notice_print` says the print succeeded (as a memo's print is audited)."""
        from desktop.desk.notices import draw
        from desktop.desk.results import DrawnNotice

        record = self._store.get(case_number)
        version = record.current
        pack = self._store.pack_for(version)
        words = pack.notice.language(language)  # refused before anything is drawn
        drawn_at = pack.local_time(self._now()).replace(microsecond=0)
        pdf, serving = draw(version, pack, language, drawn_at, session.label)
        return DrawnNotice(
            record.case_number, version.version, language, f"{words.name}, {words.status_words}", pdf, serving
        )

    @action("paper.notice")
    def record_notice_print(self, session: Session, drawn: DrawnNotice, *, printer: str, copies: int) -> None:
        """The serving's signed entry for a notice printed from the window: the same words as a saved one's,
        with the printer and copies in place of the file, so verify-memo checks the paper the same way."""
        from desktop.desk.notices import serving_detail
        from desktop.desk.policy import NotAllowed

        if drawn.serving.officer != session.label:
            raise NotAllowed(f"this notice was drawn for {drawn.serving.officer}: {session.label} draws their own")
        where = printer.replace(";", ",").strip() or "the default printer"
        plural = "copies" if copies != 1 else "copy"
        detail = serving_detail(drawn.serving, drawn.language_words, "", f" ({copies} {plural})", printer=where)
        self._store.log_event(drawn.case_number, EventKind.NOTICE, session.actor, detail, now=self._now())
        self._desk.changes.emit(Change(EventKind.NOTICE, drawn.case_number))

    @action("cases.open")
    def notices_served(self, session: Session, case_number: str) -> list[str]:
        """Each notice served on the case, in words, and whether a later version outdated it (desk/notices.py).

        A notice tells the person what the City will and will not do; when a later version would tell them
        something else, the line says so, so that a new notice is served.
        """
        from desktop.desk.notices import served_notices

        lines = []
        for serving, newer in served_notices(self._store.get(case_number)):
            line = (
                f"version {serving.version} in {serving.language}, served "
                f"{serving.drawn_at.isoformat(timespec='minutes')} by {serving.officer}"
            )
            if newer is not None:
                line += f": OUT OF DATE, version {newer} changed what the City will or will not do; serve a new notice"
            lines.append(line)
        return lines

    @action("paper.verify_memo")
    def verify_memo(self, session: Session, memo: Path) -> MemoCheck:
        """Does this log hold the exact record the memo names? (desktop/desk/memo_check.py) The check is audited.

        A notice to the person is checked against the serving this log recorded (desk/notices.py).
        Raises MemoError when the file is not readable as a memo or a notice.
        """
        from desktop.desk.memo_check import verify_memo
        from desktop.desk.notices import check_notice
        from desktop.memo.notice import read_notice_stamps
        from desktop.memo.stamp import read_paper

        data = read_paper(Path(memo))  # a regular file, to its limit: /dev/zero or a pipe is refused in one line
        stamped, printed = read_notice_stamps(data) if data.lstrip()[:5] == b"%PDF-" else (None, None)
        if stamped is not None or printed is not None:
            check = check_notice(self._store, Path(memo), data, stamped, printed)
            verdict = "matches" if check.matches else "does not match"
            case = check.case_number if self._store.case_exists(check.case_number) else None
            detail = f"notice of case {check.case_number} version {check.version} checked: {verdict}"
            self._store.log_event(case, EventKind.VIEW, session.actor, detail, now=self._now())
            return check
        check = verify_memo(self._store, Path(memo), admin_fingerprint=self._store.root_fingerprint())
        verdict = "matches" if check.matches else "does not match"
        case = check.case_number if self._store.case_exists(check.case_number) else None
        detail = f"memo of case {check.case_number} version {check.version} checked: {verdict}"
        self._store.log_event(case, EventKind.VIEW, session.actor, detail, now=self._now())
        return check
