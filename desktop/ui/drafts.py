"""Unfinished intakes, saved as they change so a crash or power cut loses nothing; several at once.

Each draft is one file in the data folder's drafts/ (never in the log), named for the computer user
and the draft. Recording a case removes only its own draft; nothing else ever removes one, except
the officer discarding it.

Drafts hold names and booking numbers before they are in the log, so they are readable by their computer
account only: owner-only permissions (the folder 0700, each file 0600, set as the file is made, before a byte
is written), not encryption. On Windows, where mode bits only mark a file read-only, a draft takes the access
list of its folder.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.errors import Environment

OWNER_ONLY_FOLDER = 0o700
OWNER_ONLY_FILE = 0o600


class DraftError(Environment):
    """A draft could not be written (a full or read-only disk); the one before it is kept."""


@dataclass(frozen=True)
class Draft:
    """One saved draft: its id, when it was saved, the case it amends (if any) and the intake so far."""

    id: str
    saved_at: dt.datetime
    amend_case: str | None
    intake: dict[str, Any]

    @property
    def booking_number(self) -> str:
        return str((self.intake.get("subject") or {}).get("booking_number") or "")

    @property
    def name(self) -> str:
        return str((self.intake.get("subject") or {}).get("name") or "")


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "_." else "_" for ch in name) or "desk"


def computer_user() -> str:
    """The computer user's name ("desk" where the system cannot say, as in some Windows services)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "desk"


def _user() -> str:
    return _safe(computer_user())


class DraftStore:
    """The drafts of this computer user in `data_dir`/drafts."""

    def __init__(
        self, data_dir: Path, *, clock: Callable[[], dt.datetime] | None = None, owner: str | None = None
    ) -> None:
        self.folder = Path(data_dir) / "drafts"
        # Drafts belong to the signed-in account (the computer user's only before anyone signed in), so
        # a second officer at the same PC never sees, resumes or deletes the first one's request.
        self.user = _safe(owner) if owner else _user()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def new_id(self) -> str:
        import uuid  # with the first request, not at the window's start

        return f"{self.user}-{uuid.uuid4().hex[:12]}"

    def _path(self, draft_id: str) -> Path:
        if not (draft_id == self.user or draft_id.startswith(f"{self.user}-")) or not all(
            c.isalnum() or c in "-_." for c in draft_id
        ):
            raise ValueError(f"not a draft of this user: {draft_id!r}")
        return self.folder / f"{draft_id}.json"

    def save(
        self, draft_id: str, intake: dict[str, Any], *, amend_case: str | None = None, durable: bool = True
    ) -> None:
        """Write atomically (a temporary file, then a rename), so a power cut leaves the old draft whole.

        Not `durable`: the bytes are handed to the system without waiting for the disk (fsync), quick enough for
        every change; a killed process then loses nothing, and the durable save that follows covers a power cut.

        Raises DraftError (the machine's kind of error) when the disk says no; the old draft is kept.
        """
        path = self._path(draft_id)
        payload = {"saved_at": self._clock().isoformat(), "amend_case": amend_case, "intake": intake}
        partial = path.with_suffix(".partial")
        try:
            self.folder.mkdir(mode=OWNER_ONLY_FOLDER, parents=True, exist_ok=True)
            os.chmod(self.folder, OWNER_ONLY_FOLDER)  # a folder made before drafts were private is closed too
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY_FILE)
            with open(descriptor, "w", encoding="utf-8") as handle:
                if hasattr(os, "fchmod"):  # a partial file left by a crash keeps its old mode otherwise
                    os.fchmod(handle.fileno(), OWNER_ONLY_FILE)
                json.dump(payload, handle, ensure_ascii=False)
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
            os.replace(partial, path)
        except OSError as exc:
            from desktop.store.errors import describe_os_error

            raise DraftError(f"the draft could not be written in {self.folder}: {describe_os_error(exc)}") from exc

    def load(self, draft_id: str) -> Draft | None:
        """The draft, or None when there is none or it cannot be read (a damaged draft is set aside)."""
        path = self._path(draft_id)
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            saved_at = dt.datetime.fromisoformat(payload["saved_at"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            path.replace(path.with_suffix(".damaged"))
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("intake"), dict):
            return None
        if saved_at.tzinfo is None:
            saved_at = saved_at.replace(tzinfo=dt.UTC)
        return Draft(draft_id, saved_at, payload.get("amend_case"), payload["intake"])

    def list(self) -> list[Draft]:
        """Every readable draft of this user, the most recently saved first."""
        if not self.folder.is_dir():
            return []
        paths = [*self.folder.glob(f"{self.user}-*.json"), self.folder / f"{self.user}.json"]  # and one kept from
        drafts = [self.load(p.stem) for p in sorted(paths) if p.exists()]  # the single-draft version
        return sorted((d for d in drafts if d is not None), key=lambda d: d.saved_at, reverse=True)

    def remove(self, draft_id: str) -> None:
        self._path(draft_id).unlink(missing_ok=True)
