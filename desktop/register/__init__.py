"""The county register: every desk's signed log in one PostgreSQL database, verified on import.

The only package that talks to PostgreSQL (psycopg 3, no ORM; tests/unit/test_architecture.py holds
it to that). Desks never connect: they hand over bundles (desktop/desk/bundles.py), and the register
verifies each with the project's own hashing and signature code before it writes anything, in one
transaction, then cosigns the desk's checkpoint as the desk's outside witness.

    register.py    Register: the one API of `main.py register …` (init, enrol, import, status, verify,
                   log, show, queue, report, accept)
    db.py          connecting, transactions, and what PostgreSQL's errors mean, in one line
    migrate.py     the numbered plain-SQL migrations (resources/register/migrations), in one transaction
    keys.py        the register's own key, sealed under its passphrase; journal.py its signed entries
    checks.py      one desk's chain checked entry by entry (the same rules as the desk's `verify`)
    importer.py    a bundle read, verified, staged with COPY and merged; forks kept as evidence
    reading.py     status, the case log, a case, the queue, the report and `register verify`

Design, figures and traps: shared/REGISTER.md; how county IT runs it: packaging/DEPLOYMENT.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.lazy import lazy_attributes

if TYPE_CHECKING:
    from desktop.register.errors import ImportRefused, RegisterError, RegisterInput, RegisterRefused
    from desktop.register.register import Register

# psycopg loads only when a register command runs: nothing a desk starts imports it.
__getattr__ = lazy_attributes(
    __name__,
    {
        "Register": "desktop.register.register",
        "ImportRefused": "desktop.register.errors",
        "RegisterError": "desktop.register.errors",
        "RegisterInput": "desktop.register.errors",
        "RegisterRefused": "desktop.register.errors",
    },
)

__all__ = ["ImportRefused", "Register", "RegisterError", "RegisterInput", "RegisterRefused"]
