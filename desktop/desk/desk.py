"""The desk: the whole flow (intake, decide, record, amend, resolve, attach, open, print, verify, back up).

This is the only API of both doors: the window (desktop/ui) and the command line (desktop/cli)
call these methods and nothing below them, so a fix made here is made for both. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.desk.changes import Change, ChangeNotifier
from desktop.desk.people import PeopleMixin
from desktop.desk.results import Decided, ExportResult, LogCheck, MemoCheck
from desktop.records import Actor, CaseRecord, CaseVersion, EventKind, Override, Status
from desktop.resources import policies_dir

if TYPE_CHECKING:
    from desktop.desk.files import CopyPolicy
    from desktop.desk.reports import Reports
    from desktop.rules import Intake, Pack
    from desktop.rules.checks import ScenarioResult
    from desktop.signing import Signer
    from desktop.store import BackupResult, CaseQuery, CaseStore, CaseSummary, RestoreResult
    from desktop.store.backup import StagedRestore

Clock = Callable[[], dt.datetime]
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

MEMO_FOLDER = "memos"
log = logging.getLogger(__name__)


def system_clock() -> dt.datetime:
    """Now, as an aware UTC time. Tests give the desk a clock of their own instead."""
    return dt.datetime.now(dt.UTC)


def memo_file_name(case_number: str, version: int) -> str:
    return f"{case_number}-v{version}.pdf"


class Desk(PeopleMixin):
    """One data folder's case log and the policy packs, as the flow sees them.

    The store is opened on first use, once per thread (SQLite connections stay on the thread
    that opened them): a background job on its own thread gets its own connection through the
    same `Desk`. Packs come from the rules' catalog, which reads each pack file once per process.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        policy: Path | str | None = None,
        clock: Clock | None = None,
        create: bool = True,
        new_log: bool = False,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.new_log = new_log  # start a new log even where the folder shows one was lost (audited)
        self.policy = policy
        self.clock: Clock = clock or system_clock
        self.changes = ChangeNotifier()
        self._create = create
        self._local = threading.local()
        self._stores: list[CaseStore] = []
        self._lock = threading.Lock()

    # --- lifecycle ------------------------------------------------------------------------------

    @property
    def store(self) -> CaseStore:
        """This thread's connection to the case log (opened, and migrated if need be, on first use)."""
        store: CaseStore | None = getattr(self._local, "store", None)
        if store is None:
            from desktop.desk.accounts import DESK_KEY_FILE
            from desktop.store import open_store

            known = (self.data_dir / DESK_KEY_FILE).exists()  # before _desk_key makes one for a new desk
            store = open_store(
                self.data_dir,
                create=self._create,
                now=self.clock(),
                desk_signer=self._desk_key(),
                new_log=self.new_log,
                desk_known=known,
            )
            self._local.store = store
            with self._lock:
                self._stores.append(store)
        return store

    def _desk_key(self) -> Signer | None:
        """The desk's own key (made on first use), or None where the folder cannot hold one (read-only)."""
        if not self.data_dir.is_dir() and not self._create:
            return None  # opening fails just after, saying there is no log there
        from desktop.desk.accounts import load_desk_key

        try:
            return load_desk_key(self.data_dir)
        except OSError:
            log.warning("the desk key cannot be kept in %s; the program's own entries cannot be signed", self.data_dir)
            return None

    def _require(self, actor: Actor, *roles: str) -> None:
        from desktop.desk.accounts import require

        require(actor, *roles, store=self.store)

    @property
    def store_is_open(self) -> bool:
        return getattr(self._local, "store", None) is not None

    def close_thread(self) -> None:
        """Close this thread's connection (a background job calls this when it ends)."""
        store: CaseStore | None = getattr(self._local, "store", None)
        if store is not None:
            self._local.store = None
            with self._lock:
                if store in self._stores:
                    self._stores.remove(store)
            store.close()

    def close(self) -> None:
        """Close this thread's connection; other threads close their own with `close_thread`."""
        self.close_thread()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        """Whether the log is open where it cannot be written (it reads and verifies; it records nothing)."""
        return self.store_is_open and self.store.read_only

    def notices(self) -> list[str]:
        """What happened when the log was opened (backed up, upgraded), for the status bar."""
        return list(self.store.notices) if self.store_is_open else []

    def _changed(self, kind: EventKind, case_number: str | None) -> None:
        self.changes.emit(Change(kind, case_number))

    # --- rules ----------------------------------------------------------------------------------

    def pack_at(self, moment: dt.datetime) -> Pack:
        """The pack in force at `moment`, by the local date in its own time zone (the catalog reads each once)."""
        from desktop.rules.catalog import choose_pack

        return choose_pack(moment, self.policy, policies_dir())

    def active_pack(self) -> Pack:
        """The pack in force now (what the window shows and `policy show` prints)."""
        now = self.clock()
        return self.pack_at(now.replace(minute=0, second=0, microsecond=0))

    def local_now(self) -> dt.datetime:
        """Now on the clock of the jurisdiction of the pack in force."""
        return self.local_time(self.clock())

    def local_time(self, moment: dt.datetime | str) -> dt.datetime:
        """A moment (or an ISO 8601 string with offset) on the desk's clock: the zone of the pack in force."""
        if isinstance(moment, str):
            moment = dt.datetime.fromisoformat(moment)
        return self.active_pack().local_time(moment)

    def decide(self, intake: Intake | Mapping[str, Any]) -> Decided:
        """Validate an intake (a contract dict or a parsed Intake) and decide it under the pack in force.

        Raises IntakeError (naming the field) or PackError (no pack in force on that date).
        """
        from desktop.rules import Intake, decide, parse_intake

        parsed = intake if isinstance(intake, Intake) else parse_intake(intake)
        pack = self.pack_at(parsed.received_at)
        return Decided(parsed, decide(parsed, pack), pack)

    def test_pack(self, pack: Pack, folder: Path | None = None) -> list[ScenarioResult]:
        """Run a pack's own scenarios (or those in `folder`); ValueError names a bad scenario file."""
        from desktop.rules.checks import load_scenarios, run_scenario

        return [run_scenario(s, pack) for s in load_scenarios(folder or pack.scenario_dir)]

    def decide_json(self, text: str | bytes) -> Decided:
        """The same as `decide`, from JSON text (the command line's and the scenario files' form)."""
        from desktop.rules import parse_intake_json

        return self.decide(parse_intake_json(text))

    # --- recording ------------------------------------------------------------------------------

    def record(
        self,
        decided: Decided,
        *,
        actor: Actor,
        override: Override | None = None,
        scans: Sequence[Path] = (),
    ) -> CaseVersion:
        """Record a new case: the case, its scans and all their audit entries in one transaction.

        A scan that cannot be read leaves no case, no audit entry and no case number used.
        """
        self._require(actor, "officer", "supervisor")
        saved = self.store.record(
            decided.intake,
            decided.decision,
            decided.pack,
            officer=actor,
            override=override,
            scans=tuple(scans),
            now=self.clock(),
        )
        log.info("recorded case %s", saved.case_number)
        self._changed(EventKind.RECORDED, saved.case_number)
        return saved

    def amend(
        self,
        case_number: str,
        decided: Decided,
        *,
        actor: Actor,
        reason: str,
        status: Status | None = None,
        override: Override | None = None,
        scans: Sequence[Path] = (),
    ) -> CaseVersion:
        """Record a new version of a case (its scans in the same transaction); the old versions stay."""
        self._require(actor, "officer", "supervisor")
        if status == Status.RESOLVED:
            self._check_second_person(case_number, actor)
        saved = self.store.amend(
            case_number,
            decided.intake,
            decided.decision,
            decided.pack,
            officer=actor,
            reason=reason,
            status=status,
            override=override,
            scans=tuple(scans),
            now=self.clock(),
        )
        log.info("amended case %s to version %s", saved.case_number, saved.version)
        self._changed(EventKind.AMENDED, saved.case_number)
        return saved

    def resolve(self, case_number: str, *, actor: Actor, outcome: str) -> CaseVersion:
        """Close a referral: a new version with the same intake, decided again, marked resolved.

        The intake is decided by the pack in force on its original `received_at` (LEGAL.md 3C v2, item 8).
        """
        outcome = " ".join(outcome.split())
        if not outcome:
            from desktop.store.errors import InvalidInput

            raise InvalidInput("the outcome is required: what was decided, and by whom")
        self._require(actor, "supervisor")
        record = self.store.get(case_number)
        decided = self.decide(record.current.intake)
        return self.amend(
            record.case_number, decided, actor=actor, reason=f"Resolved: {outcome}", status=Status.RESOLVED
        )

    def _check_second_person(self, case_number: str, actor: Actor) -> None:
        """Two people: a referral's outcome, or an override's sign-off, is never recorded by whoever recorded it."""
        from desktop.store.errors import AccountError

        label, username = self.store.recorded_by(case_number)
        same = (username is not None and username == actor.username) or (username is None and label == actor.label)
        if same and (actor.signer is not None or self.store.has_accounts()):
            raise AccountError(
                f"{actor.label} recorded case {case_number}: its outcome needs a supervisor who did not record it"
            )

    def waiting_on(self, case_number: str) -> str:
        """Who a referred case waits for, in words for the review queue."""
        label, _username = self.store.recorded_by(case_number)
        return f"recorded by {label}; waits for a supervisor other than {label}"

    def attach(self, case_number: str, file: Path, *, actor: Actor) -> None:
        """Attach one scan to a recorded case (checked by its content), with its own audit entry."""
        self._require(actor, "officer", "supervisor")
        self.store.add_attachment(case_number, Path(file), actor=actor, now=self.clock())
        self._changed(EventKind.ATTACHMENT, case_number)

    def check_scan(self, file: Path) -> None:
        """Check a scan before it is attached (exists, readable, a PDF or image by its content, not too big).

        Raises InvalidInput naming the file and the problem. Recording checks every scan again.
        """
        from desktop.store.attachments import read_scan

        read_scan(Path(file))

    # --- reading --------------------------------------------------------------------------------

    def open_case(self, case_number: str, *, actor: Actor | None = None) -> CaseRecord:
        """The one read path for a case: every version, event and attachment.

        With `actor` (a person opening the case to look at it), the view is audited (CJIS 5.4) first.
        """
        if actor is not None:
            record = self.store.get(case_number)
            self.store.log_event(record.case_number, EventKind.VIEW, actor, "case viewed", now=self.clock())
        return self.store.get(case_number)

    def pack_of(self, version: CaseVersion) -> Pack:
        """The exact pack a version was decided under, as kept in the log."""
        return self.store.pack_for(version)

    def attachment_content(self, attachment_id: int) -> bytes:
        return self.store.attachment_content(attachment_id)

    def search(
        self, query: CaseQuery | None = None, *, limit: int = 50, offset: int = 0, newest_first: bool = True
    ) -> list[CaseSummary]:
        """One page of matching cases, most recently recorded first (or oldest first)."""
        return self.store.search(query, limit=limit, offset=offset, newest_first=newest_first)

    def count(self, query: CaseQuery | None = None) -> int:
        return self.store.count(query)

    def referred_count(self) -> int:
        """How many cases wait for review, counted from the log itself (never the search index)."""
        return self.store.review_count()

    def review_queue(
        self, query: CaseQuery | None = None, *, limit: int = 50, offset: int = 0, newest_first: bool = True
    ) -> list[CaseSummary]:
        """One page of the cases referred and not yet resolved, read from their versions (store/queue.py)."""
        return self.store.review_queue(query, limit=limit, offset=offset, newest_first=newest_first)

    def review_count(self, query: CaseQuery | None = None) -> int:
        return self.store.review_count(query)

    # --- paper ----------------------------------------------------------------------------------

    def memo_folder(self) -> Path:
        folder = self.data_dir / MEMO_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def memo_bytes(self, record: CaseRecord) -> bytes:
        """The memo of the record's current version, exactly as it prints (same record, same bytes)."""
        from desktop.memo import render_memo

        return render_memo(
            record,
            self.store.pack_for(record.current),
            chain_head=self.store.chain_head(),
            admin_fingerprint=self.store.root_fingerprint(),  # on every page: the key every signature goes back to
        )

    def print_memo(
        self,
        case_number: str,
        *,
        actor: Actor,
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

        record = self.store.get(case_number)
        target = target or self.memo_folder() / self._memo_name(record)
        return self._save_memo(record, actor, target, CopyPolicy(passphrase, no_encrypt))

    def _memo_name(self, record: CaseRecord) -> str:
        return memo_file_name(record.case_number, record.current.version)

    def _save_memo(self, record: CaseRecord, actor: Actor, target: Path, copy: CopyPolicy) -> Path:
        """Save a memo (a print, or one file of an export), sealed when it leaves the data folder; audit it."""
        note = copy.check(target, self.data_dir)  # refused before the memo is drawn
        path = copy.write(target, self.memo_bytes(record), self.data_dir, kind="memo")
        self.store.log_event(
            record.case_number,
            EventKind.MEMO,
            actor,
            f"memo of version {record.current.version} saved as {path.name}{note}",
        )
        self._changed(EventKind.MEMO, record.case_number)
        return path

    def export_memos(
        self,
        folder: Path,
        query: CaseQuery | None = None,
        *,
        actor: Actor,
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
        copy.check(folder / "memo.pdf", self.data_dir)
        numbers = self.store.case_numbers(query)
        written: list[Path] = []
        for index, number in enumerate(numbers):
            if cancelled is not None and cancelled():
                return ExportResult(folder, tuple(written), cancelled=True)
            record = self.store.get(number)
            written.append(self._save_memo(record, actor, folder / self._memo_name(record), copy))
            if progress is not None:
                progress(index + 1, len(numbers))
        return ExportResult(folder, tuple(written))

    def draft_memo(self, decided: Decided, *, actor: Actor | None) -> Path:
        """A DRAFT preview of a decision not yet recorded, in a temporary file; the preview is audited."""
        import os
        import tempfile

        from desktop.memo import render_draft

        pdf = render_draft(
            decided.intake.to_dict(), decided.decision.to_dict(), decided.pack, officer=actor.label if actor else None
        )
        if actor is not None:
            subject = decided.intake.subject.booking_number or "no booking number"
            self.store.log_event(None, EventKind.PREVIEW, actor, f"draft memo previewed ({subject})", now=self.clock())
        handle, name = tempfile.mkstemp(prefix="safedesk-draft-", suffix=".pdf")
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
        return Path(name)

    def memo_pages(self, pdf: bytes, *, dpi: float = 96) -> list[bytes]:
        """The pages of a memo's PDF bytes as PNG pictures, drawn from those very bytes (preview, print)."""
        from desktop.desk.paper import memo_pages

        return memo_pages(pdf, dpi=dpi)

    def record_print(self, case_number: str, *, actor: Actor, printer: str, copies: int, version: int) -> None:
        """Audit a print after it succeeded: which version, on which printer, how many copies."""
        from desktop.desk.paper import print_detail

        detail = print_detail(version, printer, copies)
        self.store.log_event(case_number, EventKind.PRINT, actor, detail, now=self.clock())
        self._changed(EventKind.PRINT, case_number)

    # --- checks ---------------------------------------------------------------------------------

    def verify_log(self, *, actor: Actor, rebuild_index: bool = False) -> LogCheck:
        """Recompute the whole audit chain and every record, then SQLite's integrity_check.

        Slow on a large log: the window runs it on a background thread. A damaged file is a failed
        check (problems), not an error.
        """
        from desktop.store import LogDamaged

        try:
            store = self.store
            rebuilt = store.rebuild_index() if rebuild_index else None
            report = store.verify(actor=actor, now=self.clock())
            integrity = store.integrity_ok()
        except LogDamaged as exc:
            log.warning("verify: %s", exc)
            return LogCheck(0, 0, None, (str(exc),))
        problems = tuple(report.problems) + (() if integrity else ("SQLite integrity_check failed",))
        if problems:
            log.warning("verify found %d problem(s); first: %s", len(problems), problems[0])
        else:
            self._changed(EventKind.VERIFY, None)
        return LogCheck(
            report.entries_checked,
            report.records_checked,
            report.chain_head,
            problems,
            rebuilt,
            report.signatures_checked,
            report.admin_fingerprint,
        )

    def verify_memo(self, memo: Path) -> MemoCheck:
        """Does this log hold the exact record the memo names? (desktop/desk/paper.py)

        Raises MemoError when the file is not readable as a memo.
        """
        from desktop.desk.paper import verify_memo

        return verify_memo(self.store, Path(memo), admin_fingerprint=self.store.root_fingerprint())

    # --- backup and restore ---------------------------------------------------------------------

    def leaves_station(self, target: Path) -> bool:
        """Whether a file written at `target` is outside the data folder, and so may leave the station."""
        from desktop.desk.files import leaves

        return leaves(Path(target), self.data_dir)

    def may_back_up(self, actor: Actor) -> None:
        """Refuse (AccountError) an actor who may not take a copy of the log away: supervisors and admins may."""
        self._require(actor, "supervisor", "admin")

    def backup(
        self, target: Path, *, actor: Actor, passphrase: str | None = None, no_encrypt: bool = False
    ) -> BackupResult:
        """A consistent copy of the log at `target` (a new file), checked after it is written.

        A copy outside the data folder is sealed with `passphrase` (AES-256-GCM, desktop/encrypted.py)
        and named `….enc` (CJIS SC-28(1), MP-5); `no_encrypt` writes it plain, for a copy that stays in
        the station, and its audit entry says so. Neither given for such a copy: refused, nothing written.
        """
        from desktop.desk.files import CopyPolicy
        from desktop.encrypted import SUFFIX
        from desktop.store import backup_to

        self.may_back_up(actor)
        target = Path(target)
        if target.is_dir():
            from desktop.store.errors import StoreError

            raise StoreError(f"{target} is a folder; give the backup a file name in it")
        note = CopyPolicy(passphrase, no_encrypt).check(target, self.data_dir)  # refuses a plain copy leaving
        if passphrase is not None:
            note = ""  # the sealed backup's entry says it was encrypted
            if not target.name.endswith(SUFFIX):
                target = target.with_name(target.name + SUFFIX)
        result = backup_to(self.store, target, actor=actor, now=self.clock(), passphrase=passphrase, note=note)
        if actor.signer is not None:  # a receipt of the head beside it, for whoever keeps the copy
            self.write_receipt(result.path.with_name(result.path.name + ".receipt.json"), actor=actor)
        self._changed(EventKind.BACKUP, None)
        return result

    def stage_restore(self, source: Path, *, passphrase: str | None = None) -> StagedRestore:
        """Open a backup (decrypting a sealed one) into the data folder and verify it; the live log is untouched.

        Then sign in (`restore_signer`) and `restore` it, or `discard()` it.
        """
        from desktop.store.backup import stage_restore

        return stage_restore(self.data_dir, Path(source), passphrase=passphrase)

    def log_is_missing(self) -> bool:
        """Whether there is no usable log file here (missing or empty): a restore then signs in against the backup."""
        from desktop.store import DB_NAME

        path = self.data_dir / DB_NAME
        return not path.exists() or path.stat().st_size == 0

    def is_desk_change(self, staged: StagedRestore) -> bool:
        """Whether restoring `staged` would replace this desk's log with another desk's (its chain is not ours)."""
        from desktop.store.backup import is_this_logs_history

        return not is_this_logs_history(staged)

    def restore_signer(self, staged: StagedRestore, *, desk_change: bool | None = None) -> Desk:
        """The desk whose accounts sign the restore: this one, or the staged backup's own.

        The restore's entry is written into the restored log, so it must be signed by a key that log
        knows. For a backup of this log that is this desk's admin. When the log is gone, or the backup
        is another desk's log (a desk change, confirmed with `other_desk`), it is an admin of the backup;
        a desk change over a live log needs this desk's admin as well (`authorised_by`).
        """
        change = self.is_desk_change(staged) if desk_change is None else desk_change  # the caller's, if it looked
        if self.log_is_missing() or change:
            return Desk(staged.folder, policy=self.policy, clock=self.clock)
        return self

    def restore(
        self,
        source: Path | StagedRestore,
        *,
        actor: Actor,
        passphrase: str | None = None,
        other_desk: bool = False,
        authorised_by: Actor | None = None,
    ) -> RestoreResult:
        """Replace the log with a verified backup, all at once; only with the log closed everywhere.

        `source` is a backup file, or one already staged. A backup that is not an earlier state of this
        log (another desk's) is refused unless `other_desk` confirms the desk change, and, while this
        desk's log is there, `authorised_by` (one of its admins) agrees to it in that log; the restore's
        audit entry says so.
        """
        from desktop.store.backup import StagedRestore, restore_staged

        for who in (actor, authorised_by):
            if who is not None and who.signer is not None and not who.has_role("admin"):
                from desktop.store.errors import AccountError

                raise AccountError(f"{who.label} may not do this: it needs the admin role")
        if actor.signer is None and not self.log_is_missing():
            self._require(actor, "admin")  # unsigned: only a log from before accounts allows it
        self.close_thread()
        staged = source if isinstance(source, StagedRestore) else self.stage_restore(source, passphrase=passphrase)
        try:
            result = restore_staged(
                staged,
                actor=actor,
                now=self.clock(),
                other_desk=other_desk,
                desk_signer=self._desk_key(),
                authorised_by=authorised_by,
            )
        finally:
            staged.discard()
        self._changed(EventKind.RESTORE, None)
        return result

    def rebuild_index(self) -> int:
        return self.store.rebuild_index()

    # --- reports --------------------------------------------------------------------------------

    def reports(self) -> Reports:
        """The oversight reports and the register of this log (desktop/desk/reports.py)."""
        from desktop.desk.reports import Reports

        return Reports(self)

    # --- the window's look-ups (small, read-only) -----------------------------------------------

    def cases_for_booking(self, booking_number: str, *, limit: int = 200) -> list[CaseSummary]:
        """Every case the log holds for this booking number (exact match, ignoring case and spaces), newest first."""
        from desktop.store import CaseQuery

        wanted = " ".join(booking_number.split()).casefold()
        if not wanted:
            return []
        found = self.store.search(CaseQuery(text=booking_number), limit=limit)
        return [c for c in found if " ".join(c.booking_number.split()).casefold() == wanted]

    def open_cases_for_booking(self, booking_number: str) -> list[CaseSummary]:
        """The cases for this booking number not yet closed (decided or awaiting review), newest first."""
        return [c for c in self.cases_for_booking(booking_number) if c.status != Status.RESOLVED]

    def open_questions(self, case_number: str) -> list[tuple[str, str]]:
        """The questions a referred case waits on: (AMB id, the issue in the pack it was decided under)."""
        version = self.store.get(case_number).current
        pack = self.store.pack_for(version)
        ids = dict.fromkeys(str(r["refer"]) for r in version.decision.get("responses", []) if r.get("refer"))
        return [(amb, pack.ambiguities[amb].issue if amb in pack.ambiguities else "") for amb in ids]
