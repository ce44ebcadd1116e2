"""Benchmark the memo: one recorded memo, a draft, 200 KB of notes, reading a stamp back, against bare reportlab.

Run: .venv/bin/python -m bench.bench_memo            (about a minute)
     .venv/bin/python -m bench.bench_memo --quick    (a few runs of each: what the test suite runs once)
Target: one memo under 50 ms on the project's 2-core machine. Baselines, in the same run: a bare
reportlab page with one table (every memo figure is a ratio to it) and `python -c "import
bench.bench_memo"` for the first memo in a fresh process.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from bench.common import ROOT, median_process_seconds, median_seconds, ms, print_table, python
from desktop.memo import read_memo_stamp, render_draft, render_memo
from desktop.records import CaseRecord, CaseVersion, Status
from desktop.rules import decide, load_pack, parse_intake
from desktop.rules.intake import MAX_DOCUMENTS
from desktop.rules.pack import Pack

MODULE = "bench.bench_memo"
PACK = ROOT / "resources" / "policies" / "northampton-2019"
SCENARIO = PACK / "scenarios" / "D11-detainer-by-fax-bail-posted-no-hold.json"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _record(pack: Pack, notes: str | None = None, papers: int = 0) -> CaseRecord:
    data = json.loads(SCENARIO.read_text(encoding="utf-8"))["intake"]
    data["notes"] = notes
    if papers:
        data["documents"] = [
            {"kind": "I-247A", "signer": "dhs_officer", "signer_name": f"SDDO {k}"} for k in range(papers)
        ]
    intake = parse_intake(data)
    version = CaseVersion(
        case_number="2026-000123",
        version=1,
        intake=intake,
        decision=decide(intake, pack),
        officer="Off. José Núñez #412",
        desk="NPD-BOOKING-1",
        received_at=intake.received_at.isoformat(),
        recorded_at="2026-03-03T02:41:07+00:00",
        recorded_zone="EST (-05:00)",
        status=Status.DECIDED,
        record_hash=_hash("record"),
    )
    return CaseRecord(version.case_number, (version,))


def _bare_reportlab(font: str = "Helvetica") -> bytes:
    """A one-page document with one small table: what reportlab costs with nothing of ours."""
    from reportlab.lib.pagesizes import LETTER
    from reportlab.platypus import SimpleDocTemplate, Table

    buffer = io.BytesIO()
    rows = [["Asked", "Response", "Code"]] + [[f"action {i}", f"response {i}", f"CODE_{i}"] for i in range(6)]
    table = Table(rows)
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), font)])
    SimpleDocTemplate(buffer, pagesize=LETTER, invariant=1, initialFontName=font).build([table])
    return buffer.getvalue()


@dataclass(frozen=True)
class Sizes:
    """How many times each figure is measured (its median is printed)."""

    memo: int
    long: int
    process: int


FULL = Sizes(memo=40, long=5, process=5)
QUICK = Sizes(memo=3, long=1, process=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few runs of each figure (seconds)")
    sizes = QUICK if parser.parse_args(argv).quick else FULL
    pack = load_pack(PACK)
    chain = _hash("chain")
    record = _record(pack)
    intake, decision = record.current.intake, record.current.decision
    notes = ("Called ICE ERO back at 617-555-0139 <ext. 4> & faxed a copy of the policy. " * 3 + "\n") * 870
    long_record = _record(pack, notes)
    many_papers = _record(pack, papers=MAX_DOCUMENTS)

    pdf = render_memo(record, pack, chain_head=chain)  # also registers the fonts once
    memo = median_seconds(lambda: render_memo(record, pack, chain_head=chain), repeat=sizes.memo)
    bare = median_seconds(_bare_reportlab, repeat=sizes.memo)
    bare_ttf = median_seconds(lambda: _bare_reportlab("DejaVuSans"), repeat=sizes.memo)
    draft = median_seconds(lambda: render_draft(intake, decision, pack), repeat=sizes.memo)
    long_notes = median_seconds(lambda: render_memo(long_record, pack, chain_head=chain), repeat=sizes.long)
    stamp = median_seconds(lambda: read_memo_stamp(pdf), repeat=sizes.memo)
    papers = median_seconds(lambda: render_memo(many_papers, pack, chain_head=chain), repeat=sizes.long)

    first = (
        "from bench.bench_memo import _record, _hash, PACK\n"
        "from desktop.rules import load_pack\n"
        "from desktop.memo import render_memo\n"
        "p = load_pack(PACK); render_memo(_record(p), p, chain_head=_hash('c'))\n"
    )
    baseline = median_process_seconds([python(), "-c", "import bench.bench_memo"], repeat=sizes.process)
    cold = median_process_seconds([python(), "-c", first], repeat=sizes.process)

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    long_pages = len(PdfReader(io.BytesIO(render_memo(long_record, pack, chain_head=chain))).pages)
    rows = [
        ("baseline: bare reportlab, one page with one table, Helvetica", ms(bare), ""),
        ("the same bare page in embedded DejaVu Sans, as the memo uses", ms(bare_ttf), ratio(bare_ttf, bare)),
        (f"render one memo (fax detainer, 2 responses; {pages} pages); target < 50 ms", ms(memo), ratio(memo, bare)),
        ("the same decision as a draft (no QR code)", ms(draft), ratio(draft, bare)),
        (f"a memo with {len(notes) // 1000} KB of notes ({long_pages} pages)", ms(long_notes), ratio(long_notes, bare)),
        (
            f"a memo of a request with {MAX_DOCUMENTS} papers (the most an intake takes)",
            ms(papers),
            ratio(papers, bare),
        ),
        ("read_memo_stamp on the memo (pypdf)", ms(stamp), ratio(stamp, bare)),
        ("baseline: `python -c 'import bench.bench_memo'`", ms(baseline), ""),
        ("first memo in a fresh process (imports, fonts, pack)", ms(cold), ratio(cold, baseline)),
    ]
    print_table(f"memo benchmark (medians; {'--quick' if sizes is QUICK else 'full'} size)", rows)
    return 0


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:6.1f}x"


if __name__ == "__main__":
    raise SystemExit(main())
