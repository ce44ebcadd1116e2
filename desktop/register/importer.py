"""Importing a bundle: read and verify everything first, then write once, in one transaction.

1. A sealed bundle is opened into a private temporary folder (desktop/encrypted.py), never beside it.
2. Under a per-desk advisory lock, the bundle is read once, line by line: every key certificate back
   to the root the register enrolled, every pack's hash, every case version's hash and link, every
   entry's place, hash, signer and (at the end, over the cores) signature, and the checkpoint's own
   signature over the head of the last entry: checks.py, the project's own code. What is to be
   written is laid down meanwhile as COPY text in the private folder, so what is written is exactly
   what was checked, and the bundle file is read only once.
3. Only if nothing is wrong: `COPY` into temporary staging tables, `ANALYZE` them (without it the
   fork check's join is planned as a nested loop and runs for minutes at a million entries), the fork
   check, then `INSERT … SELECT … ON CONFLICT DO NOTHING` and one import row.
4. A fork (another entry at a place the register holds) refuses the whole bundle; after the rollback
   the evidence (both hashes, the entry offered, the checkpoint, the bundle's hash) is written in a
   transaction of its own, so it outlives the refusal.
5. The register cosigns the checkpoint and writes the cosignature beside the bundle (FILE.cosignature).

A re-import, or an overlapping bundle, adds only what the register does not hold, and says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final

from desktop.desk.bundle_file import (
    COSIGNATURE_SUFFIX,
    BundleError,
    BundleHeader,
    bundle_rows,
    checkpoint_problem,
    cosignature_bytes,
    make_cosignature,
    pack_content,
    read_header,
)
from desktop.register.checks import ENTRY_COLUMNS, VERSION_COLUMNS, ChainCheck, join_row, split_row
from desktop.register.db import Connection
from desktop.register.errors import ImportRefused, RegisterError
from desktop.signing import Signer
from desktop.store.delivery import ORIGIN_PREFIX, key_book
from desktop.store.hashing import GENESIS_HASH, canonical
from desktop.store.index import zone_of_pack

ORDER: Final = {"key": 0, "certificate": 1, "pack": 2, "version": 3, "entry": 4}
STAGED_ENTRY_COLUMNS: Final = (*ENTRY_COLUMNS, "extra")
STAGED_VERSION_COLUMNS: Final = (*VERSION_COLUMNS, "extra", "received_day")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the desk, the entries offered and added, and the cosignature written."""

    file: Path
    origin: str
    from_seq: int
    to_seq: int
    held_before: int
    added_entries: int
    added_versions: int
    head: str
    import_id: int | None
    cosignature: Path | None
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def words(self) -> str:
        if self.added_entries == 0 and self.added_versions == 0:
            return (
                f"{self.file.name}: nothing new for {self.origin}: the register holds entries 1 to "
                f"{max(self.held_before, self.to_seq):,} already (0 added)"
            )
        return (
            f"{self.file.name}: {self.origin}: {self.added_entries:,} entries and {self.added_versions:,} case "
            f"versions added (entries {self.held_before + 1:,} to {self.to_seq:,}; head {self.head[:16]}…)"
        )


class ForkRefused(ImportRefused):
    """The bundle holds another entry at a place the register holds; its evidence is kept (`fork_id`)."""

    def __init__(self, message: str, fork_id: int) -> None:
        super().__init__(message)
        self.fork_id = fork_id


@dataclass
class _Fork(Exception):
    seq: int
    held_hash: str
    offered_hash: str
    offered_entry: str


def _field(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | dt.date):
        return str(value)
    text = str(value)
    if "\x00" in text:
        raise ValueError("it holds a NUL character")
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_line(values: tuple[Any, ...]) -> bytes:
    return ("\t".join(_field(v) for v in values) + "\n").encode("utf-8")


@contextlib.contextmanager
def private_folder() -> Iterator[Path]:
    """A temporary folder only this user may read (the plain bundle and the staged rows go there)."""
    folder = Path(tempfile.mkdtemp(prefix="safedesk-import-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def plain_bundle(source: Path, work: Path, passphrase: str | None) -> Path:
    """The bundle as plain text: itself, or opened from its sealed copy into the private folder."""
    from desktop.encrypted import decrypt_file, is_encrypted

    if not source.is_file():
        raise ImportRefused(f"{source}: no such bundle")
    if not is_encrypted(source):
        return source
    if not passphrase:
        raise ImportRefused(f"{source.name} is encrypted: give its passphrase (SAFEDESK_BACKUP_PASSPHRASE)")
    target = work / "bundle.plain"
    decrypt_file(source, target, passphrase)
    return target


@dataclass
class _Held:
    """What the register holds of a desk before this import."""

    desk_id: int
    root: str
    seq: int
    head: str
    keys: dict[str, str]
    certificates: dict[int, str]


def _held(conn: Connection, desk: dict[str, Any]) -> _Held:
    desk_id = int(desk["desk_id"])
    last = conn.execute(
        "SELECT seq, entry_hash FROM entries WHERE desk_id = %s ORDER BY seq DESC LIMIT 1", (desk_id,)
    ).fetchone()
    keys = {
        str(r["key_id"]): str(r["row_json"])
        for r in conn.execute("SELECT key_id, row_json FROM keys WHERE desk_id = %s", (desk_id,))
    }
    certs = {
        int(r["cert_id"]): str(r["row_json"])
        for r in conn.execute("SELECT cert_id, row_json FROM certificates WHERE desk_id = %s", (desk_id,))
    }
    return _Held(
        desk_id,
        str(desk["root_key_id"]),
        int(last["seq"]) if last else 0,
        str(last["entry_hash"]) if last else GENESIS_HASH,
        keys,
        certs,
    )


def _hash_at(conn: Connection, desk_id: int, seq: int) -> str | None:
    if seq == 0:
        return GENESIS_HASH
    row = conn.execute("SELECT entry_hash FROM entries WHERE desk_id = %s AND seq = %s", (desk_id, seq)).fetchone()
    return str(row["entry_hash"]) if row else None


@dataclass
class _Verified:
    """What pass one found: the rows to write (small ones in memory, entries and versions as COPY text)."""

    sha256: str
    keys: list[tuple[str, str]]
    certificates: list[tuple[int, str]]
    packs: list[tuple[str, str, str, bytes]]
    entries_file: Path
    versions_file: Path
    entries: int
    versions: int
    first_prev: str | None
    first_entry: str
    last: tuple[int, str]


class _Reader:
    """Pass one: every line checked in order, the rows to write laid down as COPY text."""

    def __init__(self, conn: Connection, origin: str, held: _Held, header: BundleHeader, name: str, work: Path) -> None:
        self.conn, self.origin, self.held, self.header, self.name, self.work = conn, origin, held, header, name, work
        self.keys: dict[str, str] = {}
        self.certificates: dict[int, str] = {}
        self.packs: dict[str, tuple[str, str, bytes]] = {}
        self.zones: dict[str, Any] = {}
        self.check: ChainCheck | None = None
        self.book_problems: list[str] = []
        self.problems: list[str] = []
        self.first_prev: str | None = None
        self.first_entry = ""
        self.origin_named: str | None = None

    def _problem(self, text: str) -> None:
        self.problems.append(f"{self.origin}: {text}")

    def zone_of(self, sha: str) -> Any:
        if sha not in self.zones:
            if sha in self.packs:
                content = self.packs[sha][2]
            else:
                row = self.conn.execute("SELECT content FROM packs WHERE sha256 = %s", (sha,)).fetchone()
                content = bytes(row["content"]) if row else b""
            self.zones[sha] = zone_of_pack(content) if content else None
        return self.zones[sha]

    def held_version(self, case: str, version: int) -> str | None:
        row = self.conn.execute(
            "SELECT record_hash FROM case_versions WHERE desk_id = %s AND case_number = %s AND version = %s",
            (self.held.desk_id, case, version),
        ).fetchone()
        return str(row["record_hash"]) if row else None

    def _start_chain(self) -> ChainCheck:
        all_keys = [json.loads(t) for t in {**self.held.keys, **self.keys}.values()]
        all_certs = [json.loads(t) for t in {**self.held.certificates, **self.certificates}.values()]
        book = key_book(all_keys, all_certs, self.book_problems)
        start = self.header.from_seq - 1
        prior = self.conn.execute(
            "SELECT bool_or(signer IS NOT NULL) AS signed, bool_or(signer = %s) AS rooted FROM entries"
            " WHERE desk_id = %s AND seq <= %s",
            (self.held.root, self.held.desk_id, start),
        ).fetchone()
        check = ChainCheck(
            self.origin,
            book,
            self.held.root,
            start=(start, GENESIS_HASH),
            held=self.held.seq,
            signed_before=bool(prior and prior["signed"]),
            root_seen=bool(prior and prior["rooted"]),
            zone_of=self.zone_of,
            held_version=self.held_version,
        )
        if start > 0:  # the held entries the rules rest on: those that set something, or that certificates name
            rows = self.conn.execute(
                "SELECT * FROM entries WHERE desk_id = %s AND seq <= %s AND (extra IS NOT NULL OR seq = ANY(%s))"
                " ORDER BY seq",
                (self.held.desk_id, start, sorted(check.needed_before())),
            )
            check.replay(join_row(row, ENTRY_COLUMNS) for row in rows)
        return check

    def read(self, plain: Path, progress: Progress | None) -> _Verified:
        digest = hashlib.sha256()
        entries_file, versions_file = self.work / "entries.copy", self.work / "versions.copy"
        last_kind = -1
        count = {"entry": 0, "version": 0}
        with open(plain, "rb") as handle, open(entries_file, "wb") as entries, open(versions_file, "wb") as versions:
            for number, kind, row in bundle_rows(handle, self.name, digest):
                order = ORDER[kind]
                if order < last_kind:
                    raise ImportRefused(f"{self.name}: line {number} ({kind}) is out of order: the bundle was altered")
                last_kind = order
                if order >= ORDER["pack"] and self.check is None and kind != "pack":
                    self.check = self._start_chain()
                if kind == "key":
                    self._key(row)
                elif kind == "certificate":
                    self._certificate(row)
                elif kind == "pack":
                    self._pack(row)
                elif kind == "version":
                    count["version"] += 1
                    self._version(row, versions)
                else:
                    if self.check is None:
                        self.check = self._start_chain()
                    count["entry"] += 1
                    self._entry(row, entries)
                    if progress is not None and count["entry"] % 100_000 == 0:
                        progress(f"read {count['entry']:,} entries")
        if self.check is None:
            raise ImportRefused(f"{self.name}: the bundle holds no entries")
        return _Verified(
            digest.hexdigest(),
            list(self.keys.items()),
            list(self.certificates.items()),
            [(sha, pid, ver, content) for sha, (pid, ver, content) in self.packs.items()],
            entries_file,
            versions_file,
            count["entry"],
            count["version"],
            self.first_prev,
            self.first_entry,
            self.check.head,
        )

    def _same_as_held(self, what: str, held: str | None, offered: str) -> None:
        if held is not None and held != offered:
            self._problem(f"{what} differs from the one the register holds: the desk's keys were rewritten")

    def _key(self, row: dict[str, Any]) -> None:
        text = canonical(row)
        key = str(row.get("key_id"))
        self._same_as_held(f"key {key}", self.held.keys.get(key), text)
        self.keys[key] = text

    def _certificate(self, row: dict[str, Any]) -> None:
        text = canonical(row)
        if not isinstance(row.get("id"), int):
            self._problem("a certificate in the bundle has no number")
            return
        self._same_as_held(
            f"certificate {row['id']} (of key {row.get('key_id')})", self.held.certificates.get(row["id"]), text
        )
        self.certificates[int(row["id"])] = text

    def _pack(self, row: dict[str, Any]) -> None:
        content = pack_content(row)
        sha = str(row.get("sha256"))
        if hashlib.sha256(content).hexdigest() != sha:
            self._problem(f"the pack {sha[:12]}… was altered: its text does not match its hash")
            return
        self.packs[sha] = (str(row.get("pack_id")), str(row.get("version")), content)

    def _version(self, row: dict[str, Any], out: IO[bytes]) -> None:
        assert self.check is not None
        seen = self.check.version(row)
        if seen is None:
            return
        known, extra = split_row(row, VERSION_COLUMNS)
        try:
            out.write(copy_line((*known.values(), extra, seen.received_day)))
        except (ValueError, UnicodeEncodeError) as exc:
            self._problem(f"case {seen.case_number} version {seen.version} cannot be kept: {exc}")

    def _entry(self, row: dict[str, Any], out: IO[bytes]) -> None:
        assert self.check is not None
        if self.first_prev is None:
            self.first_prev = str(row.get("prev_hash"))
            self.first_entry = canonical(row)
            if self.header.from_seq == 1 and self.first_prev != GENESIS_HASH:
                self._problem("audit entry 1 does not start the chain (its previous hash is not the genesis hash)")
            self.check._head = self.first_prev  # linked to the register's chain by the fork check
        self.check.entry(row)
        if row.get("kind") == "origin" and str(row.get("detail", "")).startswith(ORIGIN_PREFIX):
            self.origin_named = str(row["detail"])[len(ORIGIN_PREFIX) :]
        known, extra = split_row(row, ENTRY_COLUMNS)
        try:
            out.write(copy_line((*known.values(), extra)))
        except (ValueError, UnicodeEncodeError) as exc:
            self._problem(f"audit entry {row.get('seq')} cannot be kept: {exc}")

    def finish(self) -> list[str]:
        """Every problem found, the chain's first (they name the entry), then the key book's."""
        assert self.check is not None
        found = self.check.finish(self.book_problems)
        return [
            *found[: len(found) - len(self.book_problems)],
            *self.problems,
            *found[len(found) - len(self.book_problems) :],
        ]

    def checkpoint_problems(self, last: tuple[int, str]) -> list[str]:
        """The checkpoint: its own signature, by an account key chained to the enrolled root, over the last entry."""
        assert self.check is not None
        cp, book = self.header.checkpoint, self.check.book
        problem = checkpoint_problem(cp, self.name)
        if problem:
            return [problem]
        key = str(cp["key_id"])
        found = []
        if cp["origin"] != self.origin:
            found.append(f"{self.name}: its checkpoint is of {cp['origin']}, not {self.origin}")
        if (
            not book.certified(key)
            or book.kind.get(key) != "account"
            or book.public.get(key) != bytes.fromhex(str(cp["public_key"]))
        ):
            found.append(f"{self.origin}: the checkpoint is signed by key {key}, which no admin of this desk certified")
        if (cp["size"], cp["head"]) != last or self.header.to_seq != last[0]:
            found.append(
                f"{self.origin}: the checkpoint signs entry {cp['size']} (head {str(cp['head'])[:16]}…), but the "
                f"bundle ends at entry {last[0]} (head {last[1][:16]}…)"
            )
        return found


def _origin_named(conn: Connection, desk_id: int, in_bundle: str | None) -> str | None:
    if in_bundle is not None:
        return in_bundle
    row = conn.execute(
        "SELECT detail FROM entries WHERE desk_id = %s AND kind = 'origin' ORDER BY seq DESC LIMIT 1", (desk_id,)
    ).fetchone()
    text = str(row["detail"]) if row else ""
    return text[len(ORIGIN_PREFIX) :] if text.startswith(ORIGIN_PREFIX) else None


def _stage(conn: Connection, verified: _Verified) -> None:
    """COPY the checked rows into temporary staging tables and ANALYZE them (the planner needs their size)."""
    conn.execute(
        "CREATE TEMPORARY TABLE staged_entries (LIKE entries INCLUDING DEFAULTS) ON COMMIT DROP;"
        " ALTER TABLE staged_entries DROP COLUMN desk_id, DROP COLUMN import_id;"
        " CREATE TEMPORARY TABLE staged_versions (LIKE case_versions INCLUDING DEFAULTS) ON COMMIT DROP;"
        " ALTER TABLE staged_versions DROP COLUMN desk_id, DROP COLUMN import_id"
    )
    for table, columns, path in (
        ("staged_entries", STAGED_ENTRY_COLUMNS, verified.entries_file),
        ("staged_versions", STAGED_VERSION_COLUMNS, verified.versions_file),
    ):
        with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            with open(path, "rb") as source:
                for block in iter(lambda source=source: source.read(1024 * 1024), b""):  # type: ignore[misc]
                    copy.write(block)
    conn.execute("ANALYZE staged_entries; ANALYZE staged_versions")


def _fork_check(conn: Connection, held: _Held, verified: _Verified, from_seq: int) -> None:
    """Another entry at a place the register holds (or a first entry that does not follow it) is a fork."""
    before = from_seq - 1
    if before >= 1 and verified.first_prev is not None:
        held_hash = _hash_at(conn, held.desk_id, before)
        if held_hash is not None and held_hash != verified.first_prev:
            raise _Fork(before, held_hash, verified.first_prev, verified.first_entry)
    # The join is planned whole (MATERIALIZED), never for LIMIT 1: a planner expecting an early mismatch
    # picks a nested loop over the two tables, and a re-import of 100,000 entries, which has none, then
    # compares every pair (minutes). Planned whole it is one hash join.
    row = conn.execute(
        "WITH differing AS MATERIALIZED (SELECT s.seq, e.entry_hash AS held, s.entry_hash AS offered"
        " FROM staged_entries s JOIN entries e ON e.desk_id = %s AND e.seq = s.seq"
        " WHERE e.entry_hash <> s.entry_hash)"
        " SELECT d.*, (SELECT to_jsonb(s)::text FROM staged_entries s WHERE s.seq = d.seq) AS entry"
        " FROM differing d ORDER BY d.seq LIMIT 1",
        (held.desk_id,),
    ).fetchone()
    if row is not None:
        raise _Fork(int(row["seq"]), str(row["held"]), str(row["offered"]), str(row["entry"]))
    other = conn.execute(
        "WITH differing AS MATERIALIZED (SELECT s.case_number, s.version FROM staged_versions s"
        " JOIN case_versions v ON v.desk_id = %s AND v.case_number = s.case_number AND v.version = s.version"
        " WHERE v.record_hash <> s.record_hash)"
        " SELECT * FROM differing ORDER BY case_number, version LIMIT 1",
        (held.desk_id,),
    ).fetchone()
    if other is not None:
        raise ImportRefused(
            f"case {other['case_number']} version {other['version']} differs from the one the register holds"
        )


def _merge(
    conn: Connection, held: _Held, verified: _Verified, header: BundleHeader, name: str
) -> tuple[int | None, int, int]:
    """Insert what the register does not hold, with one import row; returns (import id, entries, versions)."""
    new_entries = int(
        conn.execute("SELECT count(*) AS n FROM staged_entries WHERE seq > %s", (held.seq,)).fetchone()["n"]  # type: ignore[index]
    )
    new_versions = int(
        conn.execute(
            "SELECT count(*) AS n FROM staged_versions s WHERE NOT EXISTS (SELECT 1 FROM case_versions v"
            " WHERE v.desk_id = %s AND v.case_number = s.case_number AND v.version = s.version)",
            (held.desk_id,),
        ).fetchone()["n"]  # type: ignore[index]
    )
    new_keys = [(k, t) for k, t in verified.keys if k not in held.keys]
    new_certs = [(c, t) for c, t in verified.certificates if c not in held.certificates]
    if not (new_entries or new_versions or new_keys or new_certs):
        return None, 0, 0
    row = conn.execute(
        "INSERT INTO imports (desk_id, bundle_sha256, file_name, from_seq, to_seq, added_entries, added_versions, head,"
        " checkpoint) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING import_id",
        (
            held.desk_id,
            verified.sha256,
            name,
            header.from_seq,
            header.to_seq,
            new_entries,
            new_versions,
            verified.last[1],
            canonical(header.checkpoint),
        ),
    ).fetchone()
    import_id = int(row["import_id"])  # type: ignore[index]
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO keys (desk_id, key_id, row_json) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            [(held.desk_id, k, t) for k, t in new_keys],
        )
        cursor.executemany(
            "INSERT INTO certificates (desk_id, cert_id, row_json) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            [(held.desk_id, c, t) for c, t in new_certs],
        )
        cursor.executemany(
            "INSERT INTO packs (sha256, pack_id, version, content) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            verified.packs,
        )
    entry_columns = ", ".join(STAGED_ENTRY_COLUMNS)
    added = conn.execute(
        f"INSERT INTO entries (desk_id, import_id, {entry_columns}) SELECT %s, %s, {entry_columns}"
        " FROM staged_entries ORDER BY seq ON CONFLICT (desk_id, seq) DO NOTHING",
        (held.desk_id, import_id),
    ).rowcount
    version_columns = ", ".join(STAGED_VERSION_COLUMNS)
    added_versions = conn.execute(
        f"INSERT INTO case_versions (desk_id, import_id, {version_columns}) SELECT %s, %s, {version_columns}"
        " FROM staged_versions ON CONFLICT (desk_id, case_number, version) DO NOTHING",
        (held.desk_id, import_id),
    ).rowcount
    if (added, added_versions) != (new_entries, new_versions):
        raise RegisterError(f"{name}: the register changed under the import (another import of {header.origin}?)")
    return import_id, added, added_versions


def cosign(
    conn: Connection,
    signer: Signer,
    register: str,
    desk_id: int,
    origin: str,
    size: int,
    head: str,
    sha: str,
    now: dt.datetime,
) -> dict[str, Any]:
    """The register's cosignature of (origin, size, head): the one it made before, else a new one, recorded."""
    row = conn.execute(
        "SELECT at, signature FROM cosignatures WHERE desk_id = %s AND size = %s AND head = %s AND register_key_id = %s"
        " ORDER BY cosignature_id LIMIT 1",
        (desk_id, size, head, signer.key_id),
    ).fetchone()
    if row is not None:
        from desktop.desk.bundle_file import cosignature_fields

        fields = cosignature_fields(origin, size, head, str(row["at"]), register, signer.key_id)
        return {**fields, "register_public_key": signer.public.hex(), "signature": str(row["signature"])}
    made = make_cosignature(signer, register=register, origin=origin, size=size, head=head, at=now)
    conn.execute(
        "INSERT INTO cosignatures (desk_id, size, head, at, register_key_id, signature, bundle_sha256)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (desk_id, size, head, made["at"], signer.key_id, made["signature"], sha),
    )
    return made


def import_bundle(
    conn: Connection,
    source: Path,
    *,
    signer: Signer,
    register: str,
    now: dt.datetime,
    passphrase: str | None = None,
    desk: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Verify a bundle and merge it into its desk's history (its current branch, or `desk` when given)."""
    import time

    source = Path(source)
    name = source.name
    timings: dict[str, float] = {}
    with private_folder() as work:
        plain = plain_bundle(source, work, passphrase)
        with open(plain, "rb") as handle:
            header = read_header(handle, name)
        origin = header.origin
        chosen = desk or conn.execute("SELECT * FROM current_desks WHERE origin = %s", (origin,)).fetchone()
        if chosen is None:
            raise ImportRefused(
                f"{name}: {origin} is not enrolled in this register: an admin enrols it with `main.py register enrol "
                "--origin ORIGIN --fingerprint FP` (the fingerprint from the desk's set-up paper)"
            )
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"safedesk:{origin}",))
                held = _held(conn, chosen)
                if header.from_seq > held.seq + 1:
                    raise ImportRefused(
                        f"{name}: {origin}: the bundle starts at entry {header.from_seq}, but the register holds "
                        f"entries 1 to {held.seq} only: entries {held.seq + 1} to {header.from_seq - 1} are missing "
                        f"(write the bundle with --from-seq {held.seq + 1})"
                    )
                started = time.perf_counter()
                reader = _Reader(conn, origin, held, header, name, work)
                verified = reader.read(plain, progress)
                problems = reader.finish() + reader.checkpoint_problems(verified.last)
                if reader.check is not None and _origin_named(conn, held.desk_id, reader.origin_named) != origin:
                    problems.append(
                        f"{origin}: no entry of this log names it {origin} (`main.py origin` was never run)"
                    )
                timings["verify"] = time.perf_counter() - started
                if problems:
                    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
                    raise ImportRefused(f"{name} refused, nothing imported: {problems[0]}{more}")
                started = time.perf_counter()
                _stage(conn, verified)
                timings["copy"] = time.perf_counter() - started
                started = time.perf_counter()
                _fork_check(conn, held, verified, header.from_seq)
                import_id, added, added_versions = _merge(conn, held, verified, header, name)
                cosignature = cosign(
                    conn, signer, register, held.desk_id, origin, header.to_seq, verified.last[1], verified.sha256, now
                )
                timings["merge"] = time.perf_counter() - started
        except _Fork as fork:
            fork_id = _keep_fork(conn, chosen, fork, verified.sha256, name, header)
            raise ForkRefused(
                f"{name} refused, nothing imported: {origin}: a fork at entry {fork.seq}: the desk offers entry "
                f"{fork.seq} with hash {fork.offered_hash[:16]}…, the register holds {fork.held_hash[:16]}… "
                f"(the desk's log was rolled back, restored or rewritten); kept as evidence, fork {fork_id}",
                fork_id,
            ) from None
    target = Path(str(source) + COSIGNATURE_SUFFIX)
    try:
        from desktop.desk.files import safe_write

        safe_write(target, cosignature_bytes(cosignature))
    except BundleError:
        raise
    except Exception as exc:  # the import is in; say the file could not be put beside it
        raise RegisterError(f"imported, but the cosignature could not be written beside the bundle: {exc}") from None
    return ImportResult(
        source,
        origin,
        header.from_seq,
        header.to_seq,
        held.seq,
        added,
        added_versions,
        verified.last[1],
        import_id,
        target,
        timings,
    )


def _keep_fork(conn: Connection, desk: dict[str, Any], fork: _Fork, sha: str, name: str, header: BundleHeader) -> int:
    """Write the fork's evidence in a transaction of its own, after the import was rolled back."""
    with conn.transaction():
        row = conn.execute(
            "INSERT INTO forks (desk_id, seq, held_hash, offered_hash, offered_entry, bundle_sha256, file_name,"
            " checkpoint) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING fork_id",
            (
                int(desk["desk_id"]),
                fork.seq,
                fork.held_hash,
                fork.offered_hash,
                fork.offered_entry,
                sha,
                name,
                canonical(header.checkpoint),
            ),
        ).fetchone()
    return int(row["fork_id"])  # type: ignore[index]
