"""The rules module: intake model, policy packs (model, reader, catalog) and decide(); no Qt, no SQL, no network.

The names below load on first use, so `desktop.rules.vocab` and `desktop.rules.labels` can be
imported (by the command line and the window at start) without loading the whole module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.lazy import lazy_attributes

if TYPE_CHECKING:
    from desktop.rules.catalog import Catalog, catalog_for, choose_pack, load_pack, pack_from_bytes, pack_in_force
    from desktop.rules.engine import Decision, Response, decide
    from desktop.rules.intake import Document, Intake, IntakeError, Subject, parse_intake, parse_intake_json
    from desktop.rules.pack import NotInForceError, Pack, PackError
    from desktop.rules.reader import parse_pack

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
    "NotInForceError": "desktop.rules.pack",
    "Pack": "desktop.rules.pack",
    "PackError": "desktop.rules.pack",
    "parse_pack": "desktop.rules.reader",
    "Catalog": "desktop.rules.catalog",
    "catalog_for": "desktop.rules.catalog",
    "choose_pack": "desktop.rules.catalog",
    "load_pack": "desktop.rules.catalog",
    "pack_from_bytes": "desktop.rules.catalog",
    "pack_in_force": "desktop.rules.catalog",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


__all__ = [
    "Catalog",
    "Decision",
    "Document",
    "Intake",
    "IntakeError",
    "NotInForceError",
    "Pack",
    "PackError",
    "Response",
    "Subject",
    "catalog_for",
    "choose_pack",
    "decide",
    "load_pack",
    "pack_from_bytes",
    "pack_in_force",
    "parse_intake",
    "parse_intake_json",
    "parse_pack",
]
