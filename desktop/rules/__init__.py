"""The rules module: intake model, policy packs and decide(); no Qt, no SQL, no network.

The names below load on first use, so `desktop.rules.vocab` and `desktop.rules.labels` can be
imported (by the command line and the window at start) without loading the whole module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.lazy import lazy_attributes

if TYPE_CHECKING:
    from desktop.rules.engine import Decision, Response, decide
    from desktop.rules.intake import Document, Intake, IntakeError, Subject, parse_intake, parse_intake_json
    from desktop.rules.pack import Pack, PackError, load_pack

_LAZY = {
    "Decision": "desktop.rules.engine",
    "Response": "desktop.rules.engine",
    "decide": "desktop.rules.engine",
    "Document": "desktop.rules.intake",
    "Intake": "desktop.rules.intake",
    "IntakeError": "desktop.rules.intake",
    "Subject": "desktop.rules.intake",
    "parse_intake": "desktop.rules.intake",
    "parse_intake_json": "desktop.rules.intake",
    "Pack": "desktop.rules.pack",
    "PackError": "desktop.rules.pack",
    "load_pack": "desktop.rules.pack",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


__all__ = [
    "Decision",
    "Document",
    "Intake",
    "IntakeError",
    "Pack",
    "PackError",
    "Response",
    "Subject",
    "decide",
    "load_pack",
    "parse_intake",
    "parse_intake_json",
]
