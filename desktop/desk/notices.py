"""desk.paper's notices to the person: drawn from the log, served (audited), and checked against the log.

A serving is one audit entry (kind `notice`) that says, in words a reader of the audit view can follow and
this module can read back: the case version, the language, the pack text's hash, the notice's own hash,
who served it and when. A notice is drawn from the case version, its pack and that serving alone, so a
notice handed back is checked by drawing it again from the log and comparing bytes, then text.

Nothing here chooses words (desktop/rules/notice.py) or draws a page (desktop/memo/notice.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.desk.results import MemoCheck
from desktop.records import EventKind

if TYPE_CHECKING:
    from desktop.memo.notice import NoticeStamp
    from desktop.records import CaseRecord, CaseVersion
    from desktop.rules.pack import Pack
    from desktop.store import CaseStore

NOTICE_FOLDER = "notices"
_HASH = r"[0-9a-f]{64}"
# The serving's entry, as written and read back (one line; the officer's words last, as given).
_DETAIL = re.compile(
    rf"^notice to the person of version (?P<version>[1-9]\d*) served in (?P<lang>[A-Za-z_]+) \(.*?\); "
    rf"pack text sha256 (?P<text>{_HASH}); notice sha256 (?P<notice>{_HASH}); "
    r"drawn at (?P<at>\S+); (?:saved as|printed on) (?P<file>[^;]+?)(?P<note>;.*| \(.*\))?; served by (?P<officer>.+)$"
)


def notice_file_name(case_number: str, version: int, language: str) -> str:
    return f"{case_number}-v{version}-notice-{language}.pdf"


@dataclass(frozen=True)
class Serving:
    """One notice served, as its audit entry says."""

    case_number: str
    version: int
    language: str
    text_sha256: str
    notice_sha256: str
    drawn_at: dt.datetime
    officer: str


def serving_detail(serving: Serving, language_words: str, file_name: str, note: str, *, printer: str = "") -> str:
    """The serving's entry: saved as `file_name`, or (with `printer`) printed there, its copies in `note`."""
    where = f"printed on {printer}" if printer else f"saved as {file_name}"
    return (
        f"notice to the person of version {serving.version} served in {serving.language} ({language_words}); "
        f"pack text sha256 {serving.text_sha256}; notice sha256 {serving.notice_sha256}; "
        f"drawn at {serving.drawn_at.isoformat()}; {where}{note}; served by {serving.officer}"
    )


def read_serving(case_number: str | None, kind: str, detail: str) -> Serving | None:
    """The serving an audit entry (or a case's event) records, or None when it is not a notice's entry."""
    if kind != EventKind.NOTICE or case_number is None:
        return None
    match = _DETAIL.match(detail)
    if match is None:
        return None
    return Serving(
        case_number,
        int(match["version"]),
        match["lang"],
        match["text"],
        match["notice"],
        dt.datetime.fromisoformat(match["at"]),
        match["officer"],
    )


def draw(version: CaseVersion, pack: Pack, language: str, drawn_at: dt.datetime, officer: str) -> tuple[bytes, Serving]:
    """The notice of a case version in `language`, drawn at `drawn_at` (the pack's clock) by `officer`.

    Raises NoticeError (the pack gives no notice in that language) or MemoError (it cannot be drawn).
    """
    from desktop.memo.notice import NoticeStamp, notice_hash, render_notice
    from desktop.rules.notice import NoticeFacts, compose

    facts = NoticeFacts(version.case_number, version.version, version.intake, version.decision, drawn_at, officer)
    notice = compose(pack.notice, language, facts)
    text = pack.notice.text_sha256(language)
    own = notice_hash(
        version.case_number, version.version, version.record_hash, language, text, drawn_at.isoformat(), officer
    )
    stamp = NoticeStamp(version.case_number, version.version, language, version.record_hash, text, own)
    serving = Serving(version.case_number, version.version, language, text, own, drawn_at, officer)
    return render_notice(notice, stamp), serving


def served_notices(record: CaseRecord) -> list[tuple[Serving, int | None]]:
    """Every notice served on the case, oldest first, with the first later version that outdated it (or None)."""
    read = (read_serving(record.case_number, e.kind, e.detail) for e in sorted(record.events, key=lambda e: e.seq))
    return [(s, decision_changed_since(record, s)) for s in read if s is not None]


def decision_changed_since(record: CaseRecord, serving: Serving) -> int | None:
    """The first later version whose notice would say otherwise than the one served, or None."""
    from desktop.rules.notice import what_a_notice_says

    served = next((v for v in record.versions if v.version == serving.version), None)
    if served is None:
        return None
    said = what_a_notice_says(served.intake, served.decision)
    for later in record.versions:
        if later.version > serving.version and what_a_notice_says(later.intake, later.decision) != said:
            return later.version
    return None


def check_notice(
    store: CaseStore, path: Path, data: bytes, stamped: NoticeStamp | None, printed: NoticeStamp | None
) -> MemoCheck:
    """Is this file a notice this log served? Drawn again from the serving's entry and compared.

    `stamped` is the stamp in the file's metadata, `printed` the one in its band (one may be missing).
    """
    from desktop.memo.notice import notice_text
    from desktop.store import CaseNotFound

    stamp = stamped or printed
    if stamp is None:
        from desktop.memo.stamp import MemoError

        raise MemoError(f"{path} carries no notice stamp")

    def said(matches: bool, kind: str, verdict: str, version: int = stamp.version) -> MemoCheck:
        return MemoCheck(path, stamp.case_number, version, stamp.record_hash, matches, verdict, kind)

    if stamped is not None and printed is not None and stamped != printed:
        return said(
            False,
            "altered",
            f"the notice's metadata ({stamped.to_text()}) and its printed band ({printed.to_text()}) disagree; "
            "the file has been altered",
        )

    try:
        record = store.get(stamp.case_number)
    except CaseNotFound:
        return said(False, "not-in-log", f"this log has no case {stamp.case_number}: the notice is not this log's")
    entries = store.audit_entries(case_number=stamp.case_number, kind=EventKind.NOTICE.value, limit=100_000)
    read = (read_serving(e.case_number, e.kind, e.detail) for e in entries)
    servings = [s for s in read if s is not None and s.notice_sha256 == stamp.notice_sha256]
    if not servings:
        return said(
            False,
            "not-in-log",
            f"no notice with hash {stamp.notice_sha256} was served on case {stamp.case_number} in this log",
        )
    serving = servings[0]
    version = next((v for v in record.versions if v.version == serving.version), None)
    if version is None or version.record_hash != stamp.record_hash or serving.language != stamp.language:
        return said(False, "altered", "the notice's stamp does not match the serving this log recorded")
    pack = store.pack_for(version)
    expected, _again = draw(version, pack, serving.language, pack.local_time(serving.drawn_at), serving.officer)
    if expected != data:
        want, got = notice_text(expected), notice_text(data)
        if want != got:
            return said(False, "differs", "the notice's words differ from the notice this log served")
        kind, verdict = "same-text", "the same words as the notice served, in other bytes (compare its looks by eye)"
    else:
        kind, verdict = "identical", "the very notice served"
    newer = decision_changed_since(record, serving)
    words = (
        f"notice to the person of case {stamp.case_number} version {serving.version}, in {serving.language}, "
        f"served {serving.drawn_at.isoformat(timespec='minutes')} by {serving.officer}: {verdict}"
    )
    if newer is not None:
        words += f"; NOTE: version {newer} changed what the City will or will not do, so this notice is out of date"
    return MemoCheck(
        path, stamp.case_number, serving.version, stamp.record_hash, True, words, kind, newer_version=newer
    )
