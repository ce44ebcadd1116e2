"""desk.bundles: the desk's side of the county register: its origin, bundles handed over, cosignatures back.

The desk never connects to the register. It writes a **bundle** (desk/bundle_file.py): the entries not
yet delivered, the case versions, packs and certificates they rest on, and a checkpoint signed by the
officer who wrote it. It is sealed when it leaves the data folder, as every copy (desk/files.py). The
register verifies and imports it and writes its **cosignature** beside it; `witness` records that
cosignature in the log, and from then on `verify` names the newest head an outside witness holds and
what after it no witness holds yet: what an insider could still cut unnoticed.

"Not yet delivered" means after the newest head a register cosigned: a bundle lost on the way is
simply covered again by the next one, and the register adds only what it does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.desk.changes import Change
from desktop.desk.manager import Manager, action, open_action
from desktop.records import EventKind

if TYPE_CHECKING:
    from desktop.desk.receipts import ReceiptCheck
    from desktop.desk.sessions import Session
    from desktop.store import CaseStore
    from desktop.store.pending import BeforeCommit

BUNDLE_SUFFIX = ".bundle"


def check_origin(origin: str) -> str:
    """An origin as AGENCY/DESK, checked before anything is written (InvalidInput, one line, otherwise)."""
    from desktop.store.delivery import check_origin as checked

    return checked(origin)


@dataclass(frozen=True)
class BundleResult:
    """A bundle written: where, for which log, which entries, and the head its checkpoint signs."""

    path: Path
    origin: str
    from_seq: int
    to_seq: int
    head: str
    encrypted: bool

    @property
    def entries(self) -> int:
        return self.to_seq - self.from_seq + 1


@dataclass(frozen=True)
class WitnessResult:
    """A cosignature recorded (or found older than one recorded already)."""

    size: int
    head: str
    register: str
    fingerprint: str
    recorded: bool  # False: the log had recorded this head or a newer one already
    entry: int | None


@dataclass(frozen=True)
class WitnessCheck:
    """What the register witnesses of this log: the newest head it cosigned, and what came after."""

    entries: int  # the log's entries now
    witnessed: int | None  # the newest entry a register cosigned (None: none yet)
    head: str | None
    at: str | None
    register: str | None
    fingerprint: str | None
    problems: tuple[str, ...] = ()

    @property
    def unwitnessed(self) -> int:
        """Entries after the newest witnessed one: what an insider could still cut without a witness noticing."""
        return max(self.entries - (self.witnessed or 0), 0)

    def words(self) -> str:
        if self.witnessed is None:
            return f"no register has cosigned this log yet: none of its {self.entries:,} entries has an outside witness"
        return (
            f"entry {self.witnessed:,} (head {str(self.head)[:16]}…), cosigned by {self.register} on {self.at}; "
            f"{self.unwitnessed:,} entr{'y' if self.unwitnessed == 1 else 'ies'} after it no witness holds yet"
        )


def witness_check(store: CaseStore) -> WitnessCheck:
    """The newest head a register cosigned, checked against the log and the folder's marker.

    Each recorded cosignature must carry the register's good signature; the log must still hold the
    newest witnessed head at its place; and the head the folder's marker notes must still be there
    too, which catches a log cut back past its own witness entry. `verify` calls this.
    """
    from desktop.desk.bundle_file import BundleError, check_cosignature, register_fingerprint
    from desktop.store.delivery import last_entry, marker_witness, origin_of, witness_entries

    problems: list[str] = []
    size, _head = last_entry(store)
    origin = origin_of(store)
    newest = None
    for found in witness_entries(store):
        where = f"audit entry {found.seq} (a register's cosignature)"
        try:
            check_cosignature(found.cosignature, where)
        except BundleError as exc:
            problems.append(str(exc))
            continue
        if origin is not None and found.cosignature["origin"] != origin:
            problems.append(f"{where} is for {found.cosignature['origin']}, not this log ({origin})")
            continue
        if newest is None or found.size >= newest.size:
            newest = found
    if newest is not None:
        problems.extend(_still_held(store, newest.size, newest.head, f"cosigned by {newest.cosignature['register']}"))
    noted = marker_witness(store)
    if noted is not None and (newest is None or noted["size"] > newest.size):
        problems.extend(_still_held(store, noted["size"], noted["head"], "noted in the folder's marker as witnessed"))
        if noted.get("entry") and int(noted["entry"]) > size:
            problems.append(
                f"the folder's marker notes a register's cosignature recorded at entry {noted['entry']}, but the log "
                f"ends at entry {size}: entries were cut"
            )
    if newest is None:
        return WitnessCheck(size, None, None, None, None, None, tuple(problems))
    cos = newest.cosignature
    return WitnessCheck(
        size, newest.size, newest.head, str(cos["at"]), str(cos["register"]), register_fingerprint(cos), tuple(problems)
    )


def _still_held(store: CaseStore, seq: int, head: str, how: str) -> list[str]:
    from desktop.store.delivery import hash_at, last_entry

    held = hash_at(store, seq)
    if held == head:
        return []
    if held is None:
        end = last_entry(store)[0]
        return [
            f"the register witnessed entry {seq} (head {head[:16]}…, {how}), but the log ends at entry {end}: {CUT}"
        ]
    return [
        f"the register witnessed entry {seq} (head {head[:16]}…, {how}), but the log holds another entry {seq}: "
        "the log was rewritten"
    ]


CUT = "entries were cut"


class Bundles(Manager):
    """The county register, from the desk: the origin, bundles, and the register's cosignatures."""

    @open_action("bundles.origin_name")
    def origin(self) -> str | None:
        """This log's origin (`agency/desk`), or None before an admin names it."""
        from desktop.store.delivery import origin_of

        return origin_of(self._store)

    @action("bundles.origin")
    def name_origin(self, session: Session, origin: str) -> str:
        """Name this log's origin, once (`northampton-pd/booking-1`), in a signed entry; returns it."""
        from desktop.store.delivery import name_origin

        origin = check_origin(origin)
        name_origin(self._store, origin, actor=session.actor, now=self._now())
        self._desk.changes.emit(Change(EventKind.ORIGIN, None))
        return origin

    def _default_start(self) -> int:
        """The entry after the newest head a register cosigned that this log still holds (1 for none)."""
        from desktop.store.delivery import hash_at, witness_entries

        held = [w.size for w in witness_entries(self._store) if hash_at(self._store, w.size) == w.head]
        return max(held, default=0) + 1

    @action("bundles.write")
    def write(
        self,
        session: Session,
        target: Path,
        *,
        from_seq: int | None = None,
        passphrase: str | None = None,
        no_encrypt: bool = False,
    ) -> BundleResult:
        """Write a bundle for the register at `target`: the entries not yet delivered (or from `from_seq`).

        It carries case data, so outside the data folder it is sealed with `passphrase` (`….enc`) unless
        `no_encrypt` says it stays in the station; neither: refused, nothing written. The checkpoint is
        signed with the session's own key. The file is written whole, then the bundle is audited; the
        entry saying so goes in the next bundle.
        """
        from desktop import __version__
        from desktop.desk.bundle_file import BundleError, bundle_lines, make_checkpoint
        from desktop.desk.files import CopyPolicy
        from desktop.store.delivery import delivery, origin_of

        store = self._store
        origin = origin_of(store)
        if origin is None:
            raise BundleError(
                "this log has no origin yet: an admin names it once with `main.py --user ADMIN origin AGENCY/DESK`"
            )
        signer = session.signer
        if signer is None:
            raise BundleError(f"{session.label} has no signing key here: sign in with an account to write a bundle")
        target = Path(target)
        if target.is_dir():
            raise BundleError(f"{target} is a folder; give the bundle a file name in it")
        copy = CopyPolicy(passphrase, no_encrypt)
        note = copy.check(target, self._desk.data_dir)  # refuses a plain copy leaving the station
        start = self._default_start() if from_seq is None else from_seq
        now = self._now()
        with delivery(store, start) as snapshot:
            checkpoint = make_checkpoint(
                signer, session.label, origin=origin, size=snapshot.to_seq, head=snapshot.head, at=now
            )
            data = b"".join(bundle_lines(snapshot, origin=origin, checkpoint=checkpoint, app=__version__))
            result = BundleResult(target, origin, snapshot.from_seq, snapshot.to_seq, snapshot.head, False)
        sealed = passphrase is not None and note != ""

        def write_entry(path: Path, before_commit: BeforeCommit) -> None:
            detail = (
                f"bundle {path.name} for the county register: {origin}, entries {result.from_seq} to "
                f"{result.to_seq} (head {result.head[:16]}…){note}"
            )
            store.log_event(None, EventKind.BUNDLE, session.actor, detail, now=now, before_commit=before_commit)

        # Never a bundle out of the station that the log does not name: put under its name once logged.
        path = copy.write_logged(store, target, data, kind="bundle", log=write_entry)
        self._desk.changes.emit(Change(EventKind.BUNDLE, None))
        return BundleResult(path, origin, result.from_seq, result.to_seq, result.head, sealed)

    @action("bundles.witness")
    def witness(self, session: Session, cosignature: Path, *, register_fingerprint: str | None = None) -> WitnessResult:
        """Record a register's cosignature of this log (the file the register wrote beside a bundle).

        Refused, one line, when the cosignature is broken, is for another log, or names a head this log
        does not hold at that place; or when it is by another register key than the earlier ones, unless
        `register_fingerprint` (read from the register's own paper) names it.
        """
        from desktop.desk.bundle_file import BundleError, read_cosignature
        from desktop.desk.bundle_file import register_fingerprint as fingerprint_of
        from desktop.store.delivery import hash_at, last_entry, origin_of, record_witness, witness_entries

        store = self._store
        cos = read_cosignature(Path(cosignature))
        name = Path(cosignature).name
        origin = origin_of(store)
        if cos["origin"] != origin:
            raise BundleError(f"{name} is the register's cosignature of {cos['origin']}, not of this log ({origin})")
        size, head = int(cos["size"]), str(cos["head"])
        held = hash_at(store, size)
        if held != head:
            why = (
                f"the log ends at entry {last_entry(store)[0]}"
                if held is None
                else f"the log holds another entry {size}: it was rewritten or restored since"
            )
            raise BundleError(f"{name} cosigns entry {size} (head {head[:16]}…), which this log does not hold: {why}")
        fingerprint = fingerprint_of(cos)
        earlier = witness_entries(store)
        if register_fingerprint is not None:
            if _digits(register_fingerprint) != _digits(fingerprint):
                raise BundleError(
                    f"{name} is signed by register key {fingerprint}, not {register_fingerprint}: it was not made "
                    "by the register named"
                )
        elif earlier and all(w.cosignature.get("register_key_id") != cos["register_key_id"] for w in earlier):
            known = fingerprint_of(earlier[-1].cosignature)
            raise BundleError(
                f"{name} is signed by register key {fingerprint}, but this log's earlier cosignatures are by {known}: "
                "if the register's key was replaced, give --register-fingerprint as printed on the register's paper"
            )
        newest = max((w.size for w in earlier if hash_at(store, w.size) == w.head), default=0)
        if size <= newest:
            return WitnessResult(size, head, str(cos["register"]), fingerprint, False, None)
        entry = record_witness(store, cos, actor=session.actor, now=self._now())
        self._desk.changes.emit(Change(EventKind.WITNESS, None))
        return WitnessResult(size, head, str(cos["register"]), fingerprint, True, entry)

    @action("log.verify")
    def witnessed(self, session: Session) -> WitnessCheck:
        """The newest head a register cosigned, and what after it no witness holds yet (as `verify` says)."""
        return witness_check(self._store)

    @action("log.verify_receipt")
    def check_cosignature(self, session: Session, cosignature: Path) -> ReceiptCheck:
        """Does the log still hold the head a register cosigned? A cosignature kept away from the PC is a
        receipt made by someone who is not at the desk: a log cut back past it fails here."""
        from desktop.desk.bundle_file import read_cosignature
        from desktop.desk.receipts import ReceiptCheck
        from desktop.store.delivery import hash_at, last_entry, origin_of

        store = self._store
        cos = read_cosignature(Path(cosignature))
        size, head = int(cos["size"]), str(cos["head"])
        origin = origin_of(store)
        if origin is not None and cos["origin"] != origin:  # a log cut back past its origin entry has none
            return ReceiptCheck(False, f"the cosignature is of {cos['origin']}, not of this log ({origin})", size, head)
        held = hash_at(store, size)
        if held == head:
            return ReceiptCheck(
                True, f"the log still holds entry {size}, cosigned by {cos['register']} on {cos['at']}", size, head
            )
        if held is None:
            end = last_entry(store)[0]
            why = f"entries were cut: the log ends at entry {end}, the register cosigned entry {size}"
        else:
            why = f"the log was rewritten: its entry {size} is not the one the register cosigned"
        return ReceiptCheck(False, f"the log no longer holds the head {cos['register']} cosigned ({why})", size, head)


def _digits(fingerprint: str) -> str:
    return "".join(ch for ch in fingerprint if ch.isalnum()).lower()
