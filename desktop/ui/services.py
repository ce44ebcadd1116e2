"""The window's door onto the flow: decide, record, amend, memos and the log, with the store opened lazily."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.records import CaseRecord, CaseVersion, Override
from desktop.resources import policies_dir

if TYPE_CHECKING:
    from desktop.rules import Decision, Intake, Pack
    from desktop.store import CaseStore


class DeskServices:
    """Everything the window does to the rules, the store and the memo goes through here.

    The store (and with it sqlite-utils) is opened on first use, so the window shows before it loads.
    """

    def __init__(self, data_dir: Path, *, policy: Path | None = None) -> None:
        self.data_dir = Path(data_dir)
        self._policy = policy
        self._store: CaseStore | None = None
        self._packs: dict[str, Pack] = {}
        self.listeners: list[Callable[[], None]] = []  # told when the log changes

    # --- rules ----------------------------------------------------------------------------------

    def pack_for_day(self, day: dt.date) -> Pack:
        """The pack in force on `day` (raises PackError when none is)."""
        from desktop.rules.pack import choose_pack

        key = day.isoformat()
        if key not in self._packs:
            self._packs[key] = choose_pack(day, self._policy, policies_dir())
        return self._packs[key]

    def active_pack(self) -> Pack:
        return self.pack_for_day(dt.date.today())

    def decide(self, intake_data: dict[str, Any]) -> tuple[Intake, Decision, Pack]:
        """Validate and decide an intake built by the wizard (raises IntakeError or PackError)."""
        from desktop.rules import decide, parse_intake

        intake = parse_intake(intake_data)
        pack = self.pack_for_day(intake.received_at.date())
        return intake, decide(intake, pack), pack

    # --- store ----------------------------------------------------------------------------------

    @property
    def store(self) -> CaseStore:
        if self._store is None:
            from desktop.store import open_store

            self._store = open_store(self.data_dir)
        return self._store

    @property
    def store_is_open(self) -> bool:
        return self._store is not None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _changed(self) -> None:
        for listener in list(self.listeners):
            listener()

    def record(
        self,
        intake: Intake,
        decision: Decision,
        pack: Pack,
        *,
        officer: str,
        override: Override | None = None,
        attachments: list[Path] | None = None,
    ) -> CaseVersion:
        saved = self.store.record(intake, decision, pack, officer=officer, override=override)
        for path in attachments or []:
            self.store.add_attachment(saved.case_number, path, actor=officer)
        self._changed()
        return saved

    def amend(
        self,
        case_number: str,
        intake: Intake,
        decision: Decision,
        pack: Pack,
        *,
        officer: str,
        reason: str,
        status: str | None = None,
        override: Override | None = None,
        attachments: list[Path] | None = None,
    ) -> CaseVersion:
        saved = self.store.amend(
            case_number, intake, decision, pack, officer=officer, reason=reason, status=status, override=override
        )
        for path in attachments or []:
            self.store.add_attachment(case_number, path, actor=officer)
        self._changed()
        return saved

    def resolve(self, case_number: str, *, officer: str, outcome: str) -> CaseVersion:
        """Close a referral: a new version with the same intake, decided again, marked resolved."""
        record = self.store.get(case_number)
        intake, decision, pack = self.decide(record.current.intake)
        return self.amend(
            case_number, intake, decision, pack, officer=officer, reason=f"Resolved: {outcome}", status="resolved"
        )

    def case(self, case_number: str) -> CaseRecord:
        return self.store.get(case_number)

    def referred_count(self) -> int:
        from desktop.store import CaseQuery

        return self.store.count(CaseQuery(status="referred"))

    # --- memos ----------------------------------------------------------------------------------

    def memo_folder(self) -> Path:
        folder = self.data_dir / "memos"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def write_memo(self, case_number: str, *, actor: str) -> Path:
        """Render the current version's memo into the memos folder and log that it was printed."""
        from desktop.memo import render_memo

        record = self.store.get(case_number)
        pdf = render_memo(record, self.store.pack_for(record.current), chain_head=self.store.chain_head())
        target = self.memo_folder() / f"{case_number}-v{record.current.version}.pdf"
        partial = target.with_suffix(".partial")
        partial.write_bytes(pdf)
        os.replace(partial, target)
        self.store.log_event(
            case_number, "memo", actor, f"memo of version {record.current.version} written to {target.name}"
        )
        return target

    def write_draft(self, intake: Intake, decision: Decision, pack: Pack, *, officer: str | None) -> Path:
        """A DRAFT preview in a temporary file (nothing is recorded)."""
        from desktop.memo import render_draft

        pdf = render_draft(intake.to_dict(), decision.to_dict(), pack, officer=officer)
        handle, name = tempfile.mkstemp(prefix="safedesk-draft-", suffix=".pdf")
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
        return Path(name)
