"""The register's errors: each one line, each one of the desk's kinds, so the command line's exit codes hold."""

from __future__ import annotations

from desktop.errors import BadInput, Environment, Refused


class RegisterError(Environment):
    """The register cannot be reached or used (no server, a wrong URL, a damaged database)."""


class RegisterRefused(Refused):
    """The database role signed in may not do this (its grants, or row-level security)."""


class RegisterInput(BadInput):
    """What was given is wrong: an origin, a fingerprint, a file, a passphrase."""


class ImportRefused(BadInput):
    """A bundle the register will not take: the line names the desk and the entry. Nothing was imported."""
