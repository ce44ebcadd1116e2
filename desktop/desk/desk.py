"""The desk: one data folder's case log and the policy packs, as the flow sees them.

This is the only API of both doors: the window (desktop/ui) and the command line (desktop/cli) call
the desk and nothing below it, so a fix made here is made for both. No Qt here.

    desk = Desk(data_dir, clock=system_clock)
    session = desk.people.sign_in("ofc.smith", password)     # the only key to case data and the log
    decided = desk.decide(intake)                            # the rules: open to anyone
    saved = desk.cases.record(session, decided)
    desk.paper.print_memo(session, saved.case_number)

The desk is a few managers over one private store (desk/manager.py): `cases`, `people`, `paper`,
`copies`, `log`, `reports` and `bundles`. Who may do what is one table (desk/policy.py), enforced here.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.desk.results import Decided
from desktop.resources import policies_dir

if TYPE_CHECKING:
    from desktop.desk.auditlog import AuditLog
    from desktop.desk.bundles import Bundles
    from desktop.desk.cases import Cases
    from desktop.desk.changes import ChangeNotifier
    from desktop.desk.copies import Copies
    from desktop.desk.paper import Paper
    from desktop.desk.people import People
    from desktop.desk.reports.manager import Reports
    from desktop.desk.sessions import Sessions
    from desktop.rules import Intake, Pack
    from desktop.rules.checks import ScenarioResult
    from desktop.signing import Signer
    from desktop.store import CaseStore

Clock = Callable[[], dt.datetime]
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


def system_clock() -> dt.datetime:
    """Now, as an aware UTC time: the clock a desk is given at start. Tests give the desk one they set."""
    return dt.datetime.now(dt.UTC)


class Desk:
    """One data folder's case log and the policy packs.

    `clock` is required: it is the one clock of the desk and of its store, so every entry, case
    number and report is dated by it (a test's clock in tests, `system_clock` at a real desk).
    The store is opened on first use, once per thread (SQLite connections stay on the thread that
    opened them): a background job on its own thread gets its own connection through the same desk.
    Packs come from the rules' catalog, which reads each pack file once per process.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        clock: Clock,
        policy: Path | str | None = None,
        create: bool = True,
        new_log: bool = False,
        new_desk_key: bool = False,
        station: bool = True,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.new_log = new_log  # start a new log even where the folder shows one was lost (audited)
        self.new_desk_key = new_desk_key  # make a new desk key where keys/desk.key was lost or damaged (audited)
        # A desk folder (not a restore's staging copy): nothing is written into it before set-up, and its desk
        # key must be the one its log knows (desk/first_start.py, desk/accounts.py station_key).
        self.station = station
        self.policy = policy
        self.clock: Clock = clock
        self._create = create
        self._local = threading.local()
        self._stores: list[CaseStore] = []
        self._lock = threading.Lock()
        self._changes: ChangeNotifier | None = None
        self._sessions: Sessions | None = None

    # --- its parts, each made (and its module imported) on first use: `decide` needs none of them ------------

    # The managers keep no state, so two threads making one at once is harmless; the sessions and the change
    # listeners are state, so there is one of each, made under the desk's lock whichever thread asks first.

    @cached_property
    def changes(self) -> ChangeNotifier:
        from desktop.desk.changes import ChangeNotifier

        with self._lock:
            if self._changes is None:
                self._changes = ChangeNotifier()
            return self._changes

    @cached_property
    def sessions(self) -> Sessions:
        from desktop.desk.sessions import Sessions

        with self._lock:
            if self._sessions is None:
                self._sessions = Sessions()
            return self._sessions

    @cached_property
    def cases(self) -> Cases:
        from desktop.desk.cases import Cases

        return Cases(self)

    @cached_property
    def people(self) -> People:
        from desktop.desk.people import People

        return People(self)

    @cached_property
    def paper(self) -> Paper:
        from desktop.desk.paper import Paper

        return Paper(self)

    @cached_property
    def copies(self) -> Copies:
        from desktop.desk.copies import Copies

        return Copies(self)

    @cached_property
    def log(self) -> AuditLog:
        from desktop.desk.auditlog import AuditLog

        return AuditLog(self)

    @cached_property
    def reports(self) -> Reports:
        from desktop.desk.reports.manager import Reports

        return Reports(self)

    @cached_property
    def bundles(self) -> Bundles:
        from desktop.desk.bundles import Bundles

        return Bundles(self)

    # --- lifecycle ------------------------------------------------------------------------------

    @property
    def _store(self) -> CaseStore:
        """This thread's connection to the case log (opened, and migrated if need be, on first use).

        A folder before its set-up has no log to open: NotSetUp, and nothing is written there.
        """
        store: CaseStore | None = getattr(self._local, "store", None)
        if store is None:
            store = self._open_store()
            self._local.store = store
            with self._lock:
                self._stores.append(store)
        return store

    def _open_store(self) -> CaseStore:
        from desktop.desk.accounts import DESK_KEY_FILE, station_key
        from desktop.desk.first_start import not_set_up, settle_setups
        from desktop.store import DB_NAME, open_store
        from desktop.store.connect import read_only_folder
        from desktop.store.errors import NotSetUp
        from desktop.store.history import desk_keys

        if not self.station:
            return open_store(self.data_dir, create=self._create, now=self.clock(), desk_signer=self.desk_key())
        if self.data_dir.is_dir():
            settle_setups(self.data_dir)
        if self.is_fresh():
            raise NotSetUp(not_set_up(self.data_dir))
        known = (self.data_dir / DESK_KEY_FILE).exists()  # before a key is made for a log that knows none
        log = self.data_dir / DB_NAME
        signer, replaced = None, None
        if not (log.is_file() and log.stat().st_size > 0) and not self.new_log:
            pass  # no log to open: opening says so (a lost one is refused), and no key is made meanwhile
        elif not read_only_folder(self.data_dir):
            signer, replaced = station_key(
                self.data_dir, desk_keys(self.data_dir / DB_NAME), new_desk_key=self.new_desk_key
            )
        return open_store(
            self.data_dir,
            create=self._create,
            now=self.clock(),
            desk_signer=signer,
            new_log=self.new_log,
            desk_known=known,
            new_desk_key=replaced,
        )

    def is_fresh(self) -> bool:
        """Whether this is a desk folder before its set-up: no log, and nothing that shows one was kept."""
        from desktop.desk.first_start import is_fresh

        return self.station and not self.store_is_open and is_fresh(self.data_dir)

    @property
    def awaiting_setup(self) -> bool:
        """The first start: the window shows the set-up, with nothing opened or written yet."""
        return self.is_fresh()

    def open(self) -> None:
        """Open (and upgrade, if need be) the log now, so a door can report a problem before anyone signs in.

        A folder before its set-up is left as it is: there is nothing to open until `people.setup`.
        """
        if self.is_fresh():
            return
        self._store  # noqa: B018 - opening is the point

    def desk_key(self) -> Signer | None:
        """The desk's own key (made where the folder has none), or None where the folder cannot hold one."""
        if not self.data_dir.is_dir() and not self._create:
            return None  # opening fails just after, saying there is no log there
        from desktop.desk.accounts import make_desk_key, read_desk_key

        try:
            return read_desk_key(self.data_dir) or make_desk_key(self.data_dir)
        except OSError:
            import logging  # here only: deciding, which needs no log, imports no logging

            logging.getLogger(__name__).warning(
                "the desk key cannot be kept in %s; the program's own entries cannot be signed", self.data_dir
            )
            return None

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
        return self.store_is_open and self._store.read_only

    def notices(self) -> list[str]:
        """What happened when the log was opened (backed up, upgraded), for the status bar."""
        return list(self._store.notices) if self.store_is_open else []

    @property
    def log_file(self) -> Path:
        """The case log's file (for messages and IT; never opened by a door)."""
        from desktop.store import DB_NAME

        return self.data_dir / DB_NAME

    # --- who may do what ----------------------------------------------------------------------------

    def admit(self, session: object, action: str) -> None:
        """Refuse (Refused, one line) unless `session` is live here and may run `action` (desk/policy.py).

        The desk admits every action itself; a door calls this only to refuse before it asks for more
        (a passphrase, a new password), so nobody types a secret for an action they may not run.
        """
        self.sessions.admit(session, action)

    def allowed(self, session: object, action: str) -> bool:
        """Whether `session` is live here and may run `action`: the window shows or hides the action by this."""
        from desktop.errors import Refused

        try:
            self.sessions.admit(session, action)
        except Refused:
            return False
        return True

    # --- rules: open to anyone, they hold no case data ---------------------------------------------

    def pack_at(self, moment: dt.datetime) -> Pack:
        """The pack in force at `moment`, by the local date in its own time zone (the catalog reads each once)."""
        from desktop.rules.catalog import choose_pack

        return choose_pack(moment, self.policy, policies_dir())

    def active_pack(self) -> Pack:
        """The pack in force now (what the window shows and `policy show` prints)."""
        return self.pack_at(self.clock().replace(minute=0, second=0, microsecond=0))

    def local_now(self) -> dt.datetime:
        """Now on the clock of the jurisdiction of the pack in force."""
        return self.local_time(self.clock())

    def local_time(self, moment: dt.datetime | str) -> dt.datetime:
        """A moment (or an ISO 8601 string with offset) on the desk's clock: the zone of the pack in force."""
        if isinstance(moment, str):
            moment = dt.datetime.fromisoformat(moment)
        return self.active_pack().local_time(moment)

    def read_intake(self, data: Mapping[str, Any]) -> Intake:
        """An intake in contract form, checked (IntakeError names the field), without deciding it."""
        from desktop.rules import parse_intake

        return parse_intake(data)

    def decide(self, intake: Intake | Mapping[str, Any]) -> Decided:
        """Validate an intake (a contract dict or a parsed Intake) and decide it under the pack in force.

        Raises IntakeError (naming the field) or PackError (no pack in force on that date).
        """
        from desktop.rules import Intake, decide

        parsed = intake if isinstance(intake, Intake) else self.read_intake(intake)
        pack = self.pack_at(parsed.received_at)
        return Decided(parsed, decide(parsed, pack), pack)

    def decide_json(self, text: str | bytes) -> Decided:
        """The same as `decide`, from JSON text (the command line's and the scenario files' form)."""
        from desktop.rules import parse_intake_json

        return self.decide(parse_intake_json(text))

    def test_pack(self, pack: Pack, folder: Path | None = None) -> list[ScenarioResult]:
        """Run a pack's own scenarios (or those in `folder`); ValueError names a bad scenario file."""
        from desktop.rules.checks import load_scenarios, run_scenario

        return [run_scenario(s, pack) for s in load_scenarios(folder or pack.scenario_dir)]
