"""The intake being typed, saved as it changes so a crash or power cut loses nothing."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from pathlib import Path
from typing import Any


class DraftFile:
    """One unfinished intake per computer user, kept in the data folder's drafts/ (never in the log)."""

    def __init__(self, data_dir: Path) -> None:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "desk"
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in user) or "desk"
        self.path = Path(data_dir) / "drafts" / f"{safe}.json"

    def save(self, intake: dict[str, Any], *, amend_case: str | None = None) -> None:
        """Write atomically (a temporary file, then a rename), so a power cut leaves the old draft whole."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"saved_at": dt.datetime.now(dt.UTC).isoformat(), "amend_case": amend_case, "intake": intake}
        partial = self.path.with_suffix(".partial")
        with open(partial, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, self.path)

    def load(self) -> dict[str, Any] | None:
        """The saved draft, or None when there is none or it cannot be read (a damaged draft is set aside)."""
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            self.path.replace(self.path.with_suffix(".damaged"))
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("intake"), dict):
            return None
        return payload

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
