"""Where the log lives: --data-dir, else SAFEDESK_DATA_DIR, else the machine's shared data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "SAFEDESK_DATA_DIR"
FOLDER_NAME = "SafeCommunitiesDesk"


def shared_data_dir() -> Path:
    """The platform's per-machine application-data folder, so every officer on a desk PC sees one log.

    Windows: %ProgramData%\\SafeCommunitiesDesk (the installer grants desk users write access).
    macOS: /Users/Shared/SafeCommunitiesDesk. Other systems: /var/lib/safe-communities-desk when it
    exists or can be made, else the user's XDG data folder (a desk PC there should create the
    shared folder once, as an administrator).
    """
    if sys.platform == "win32":
        return Path(os.environ.get("ProgramData", r"C:\ProgramData")) / FOLDER_NAME
    if sys.platform == "darwin":
        return Path("/Users/Shared") / FOLDER_NAME
    system = Path("/var/lib/safe-communities-desk")
    if os.access(system, os.W_OK) or (not system.exists() and os.access(system.parent, os.W_OK)):
        return system
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "safe-communities-desk"


def resolve_data_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """The data folder chosen once: the command-line option, then the environment, then the default."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return shared_data_dir()
