"""A private PostgreSQL for the register's tests and benchmarks: Debian's server, started in a folder of its own.

`initdb` refuses to run as root, so as root the server runs as the `postgres` user (`runuser`); it
listens on a Unix socket in its own folder only (no TCP port is opened), on a port number of its own,
with fsync off (a throw-away cluster). `pg_ctl` and `initdb` live in /usr/lib/postgresql/<version>/bin,
not on PATH. Starting takes about a second; `stop` removes everything.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def server_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder (with initdb and pg_ctl), or None."""
    found = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Postgres:
    """One private cluster; `url(dbname, user)` for connecting over its socket."""

    def __init__(self) -> None:
        binaries = server_bin()
        if binaries is None:
            raise RuntimeError("PostgreSQL is not installed: `apt-get install postgresql` (scripts/_env.sh does it)")
        self.bin = binaries
        self.root = Path(tempfile.mkdtemp(prefix="safedesk-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.started = False

    def _run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> Postgres:
        self.sockets.mkdir()
        os.chmod(self.root, 0o755)
        if self.as_root:
            import pwd  # POSIX only: the register's tests run where Debian's PostgreSQL does

            owner = pwd.getpwnam("postgres")
            for path in (self.root, self.sockets):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = f"-c listen_addresses='' -c unix_socket_directories={self.sockets} -p {self.port} -c fsync=off"
        options += " -c synchronous_commit=off -c full_page_writes=off"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-l", self.root / "server.log", "-w", "start")
        self.started = True
        return self

    def url(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@/{dbname}?host={self.sockets}&port={self.port}"

    def stop(self) -> None:
        if self.started:
            try:
                self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
            finally:
                self.started = False
        shutil.rmtree(self.root, ignore_errors=True)
