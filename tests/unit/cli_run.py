"""Running a command: in-process (`invoke`, what most command tests use) or as a real process (`run`); and the S01
intake the command tests share.

`invoke` runs `desktop.cli.main` in this process, as sqlite-utils tests its command line with click's
CliRunner: the same code from the parsed arguments on, at a fraction of a process's cost. `run` starts
main.py, for what only a process shows: the interpreter's own start (its argv and console encodings, a
frozen start), a signal, a real pipe on standard input, and the exit code at the process's edge.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass

from tests.conftest import ROOT

S01 = {
    "received_at": "2026-01-13T22:18:00-05:00",
    "channel": "fax",
    "requester": "ice_ero",
    "documents": [{"kind": "I-247A", "signer": "dhs_officer"}, {"kind": "I-200", "signer": "dhs_officer"}],
    "actions": ["hold", "notify_release"],
    "subject": {
        "custody": "in_city_custody",
        "release_blockers": [],
        "booking_number": "26-000187",
        "name": "DOE, JOHN",
    },
}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """main.py as a real process with `env` as its whole environment."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@dataclass(frozen=True)
class Result:
    """What a command gave back: the same three things a process gives."""

    returncode: int
    stdout: str
    stderr: str


def invoke(env: dict[str, str], *args: str, stdin: str | bytes = b"") -> Result:
    """Run one command in this process, as `main.py` would run it with `env` as its environment.

    The command sees `env` as os.environ, `stdin` as a standard input that is not a terminal, and
    writes into captured streams; everything is put back afterwards. Far cheaper than a process, so
    most command tests use this; `run` stays for what only a real process shows (exit on a signal,
    a real terminal, the interpreter's own start).
    """
    from desktop.cli import main
    from desktop.desk.diagnostics import close_logging

    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    streams = {name: io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="") for name in ("out", "err")}
    saved = (dict(os.environ), sys.stdin, sys.stdout, sys.stderr)
    os.environ.clear()
    os.environ.update(env)
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    sys.stdout, sys.stderr = streams["out"], streams["err"]
    try:
        code = main(list(args))
    finally:
        close_logging()
        environ, sys.stdin, sys.stdout, sys.stderr = saved
        os.environ.clear()
        os.environ.update(environ)
    texts = []
    for stream in (streams["out"], streams["err"]):
        stream.flush()
        texts.append(stream.buffer.getvalue().decode("utf-8", "replace"))  # type: ignore[attr-defined]
    return Result(code, texts[0], texts[1])
