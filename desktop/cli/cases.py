"""`record`, `amend`, `resolve`, `attach`, `show` and `log`: cases in the log."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.common import EXIT_OK, UsageError, open_desk, print_json, signed_in
from desktop.cli.decide import decide_file
from desktop.records import printable

if TYPE_CHECKING:
    from desktop.desk import Check, Decided, Desk, Session
    from desktop.records import CaseRecord, CaseVersion, Override
    from desktop.store import CaseQuery


def _override(args: argparse.Namespace, desk: Desk) -> Override | None:
    from desktop.records import Override

    reason: str | None = getattr(args, "disagree", None)
    return Override(reason, signed_in(args, desk).label) if reason else None


def _print_saved(desk: Desk, session: Session, saved: CaseVersion, decided: Decided | None) -> None:
    """What `record`, `amend` and `resolve` print with --json: the case, its hash and status, the decision."""
    decision = (decided.decision if decided else saved.decision).to_dict()
    print_json(
        {
            "case": saved.case_number,
            "version": saved.version,
            "hash": saved.record_hash,
            "status": saved.status.value,
            "chain_head": desk.log.head(session),
            **decision,
        }
    )


def _confirmed(args: argparse.Namespace) -> tuple[str, ...]:
    """The checks before recording that the operator confirmed with --confirm (desk/cases.py Check ids)."""
    return tuple(getattr(args, "confirm", None) or ())


def unconfirmed_line(checks: Sequence[Check]) -> str:
    """The desk's refusal of an intake with checks nobody confirmed, in the command line's words: each
    check, and the `--confirm` that records it as it is."""
    said = "; ".join(check.message for check in checks)
    flags = " ".join(f"--confirm {check.id}" for check in checks)
    return f"{said}; nothing was recorded (to record it as it is, add {flags})"


@contextmanager
def _confirmations() -> Iterator[None]:
    from desktop.desk import Unconfirmed

    try:
        yield
    except Unconfirmed as exc:
        raise UsageError(unconfirmed_line(exc.checks)) from None


def _scans(args: argparse.Namespace) -> list[Path]:
    return [Path(p) for p in getattr(args, "scan", None) or []]


def cmd_record(args: argparse.Namespace) -> int:
    with open_desk(args, create=True) as desk:
        decided = decide_file(desk, args.intake)
        session = signed_in(args, desk)
        with _confirmations():
            saved = desk.cases.record(
                session, decided, override=_override(args, desk), scans=_scans(args), confirmed=_confirmed(args)
            )
        if args.json:
            _print_saved(desk, session, saved, decided)
    if not args.json:
        sys.stdout.write(f"{saved.case_number}\n")
        sys.stderr.write(f"recorded case {saved.case_number} (record sha256 {saved.record_hash})\n")
    return EXIT_OK


def cmd_amend(args: argparse.Namespace) -> int:
    from desktop.records import Status

    with open_desk(args) as desk:
        decided = decide_file(desk, args.intake)
        session = signed_in(args, desk)
        with _confirmations():
            saved = desk.cases.amend(
                session,
                args.case,
                decided,
                reason=args.reason,
                status=Status(args.status) if args.status else None,
                override=_override(args, desk),
                scans=_scans(args),
                confirmed=_confirmed(args),
            )
        if args.json:
            _print_saved(desk, session, saved, decided)
    if not args.json:
        sys.stdout.write(f"{saved.case_number} version {saved.version}\n")
    return EXIT_OK


def cmd_resolve(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        session = signed_in(args, desk)
        saved = desk.cases.resolve(session, args.case, outcome=args.outcome)
        if args.json:
            _print_saved(desk, session, saved, None)
    if not args.json:
        sys.stdout.write(f"{saved.case_number} version {saved.version} resolved\n")
    return EXIT_OK


def cmd_attach(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        session = signed_in(args, desk)
        desk.cases.attach(session, args.case, Path(args.file))
        record = desk.cases.open(session, args.case, audit=False)
    added = record.attachments[-1]
    if args.json:
        print_json({"case": record.case_number, "attachment": asdict(added)})
    else:
        sys.stdout.write(
            f"{record.case_number}: attached {added.filename} ({added.content_type}, {added.size} bytes)\n"
        )
    return EXIT_OK


def _record_dict(record: CaseRecord) -> dict[str, object]:
    return {
        "case": record.case_number,
        "versions": [v.to_dict() for v in record.versions],
        "events": [asdict(e) for e in record.events],
        "attachments": [asdict(a) for a in record.attachments],
    }


def _show_text(record: CaseRecord) -> str:
    from desktop.rules import labels

    out = [f"Case {record.case_number}: {len(record.versions)} version(s), status {record.current.status}"]
    for version in record.versions:
        intake, decision = version.intake, version.decision
        out.append("")
        out.append(f"Version {version.version}: recorded {version.recorded_at} by {version.officer} at {version.desk}")
        if version.amendment_reason:
            out.append(f"  Amendment: {version.amendment_reason}")
        out.append(
            f"  Received {version.received_at} by {intake.channel} from {intake.requester}"
            + (f" ({intake.requester_name})" if intake.requester_name else "")
        )
        subject = intake.subject
        out.append(
            f"  Person: {subject.name or '(no name)'}, booking {subject.booking_number or '-'}, "
            f"{labels.CUSTODY[subject.custody].lower()}"
        )
        for response in decision.responses:
            what = response.action + (f" ({response.info})" if response.info else "")
            refer = f", refer {response.refer}" if response.refer else ""
            out.append(f"  {what}: {response.code} (rule {response.rule}{refer})")
            out.append(f"      {response.instruction}")
        if version.override:
            out.append(f"  Officer disagreed: {version.override.reason} ({version.override.officer})")
        out.append(f"  Record sha256 {version.record_hash}")
    out.append("")
    out.append("Events:")
    out.extend(f"  #{e.seq} {e.at} {e.kind} by {e.actor}: {printable(e.detail)}" for e in record.events)
    if record.attachments:
        out.append("Attachments:")
        out.extend(
            f"  {a.id}: {printable(a.filename)} ({a.content_type}, {a.size} bytes, sha256 {a.sha256})"
            for a in record.attachments
        )
    return "\n".join(out) + "\n"


def cmd_show(args: argparse.Namespace) -> int:
    with open_desk(args) as desk:
        session = signed_in(args, desk)
        record = desk.cases.open(session, args.case)
        notices = desk.paper.notices_served(session, record.case_number)
    if args.json:
        print_json({**_record_dict(record), "notices": notices})
    else:
        text = _show_text(record)
        if notices:
            text += "Notices to the person:\n" + "".join(f"  {line}\n" for line in notices)
        sys.stdout.write(text)
    return EXIT_OK


def query_from(args: argparse.Namespace) -> CaseQuery:
    """The case filter that `log` and `export` share."""
    from desktop.store import CaseQuery

    return CaseQuery(
        text=args.search or "",
        since=args.since,
        until=args.until,
        requester=args.requester,
        document_kind=args.document,
        code=args.code,
        status=args.status,
        referred=True if args.referred else None,
    )


def cmd_log(args: argparse.Namespace) -> int:
    query = query_from(args)
    with open_desk(args) as desk:
        session = signed_in(args, desk)
        rows = desk.cases.search(session, query, limit=args.limit, offset=args.offset, audit=True)
        total = desk.cases.count(session, query)
    if args.json:
        print_json(
            {
                "total": total,
                "offset": args.offset,
                "limit": args.limit,
                "returned": len(rows),
                "cases": [asdict(r) for r in rows],
            }
        )
        return EXIT_OK
    for row in rows:
        referred = " REFERRED" if row.referred else ""
        sys.stdout.write(
            f"{row.case_number}  v{row.version}  {row.received_at[:16]}  {row.requester:<20}  "
            f"{(row.subject_name or '-')[:24]:<24}  {' '.join(row.codes)}{referred}\n"
        )
    sys.stdout.write(f"{len(rows)} of {total} case(s)\n")
    return EXIT_OK
