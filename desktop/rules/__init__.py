"""The rules module: intake model, policy packs and decide(); no Qt, no SQL, no network."""

from desktop.rules.engine import Decision, Response, decide
from desktop.rules.intake import Document, Intake, IntakeError, Subject, parse_intake, parse_intake_json
from desktop.rules.pack import Pack, PackError, load_pack

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
