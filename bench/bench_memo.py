"""Benchmark the memo: one recorded memo, a draft, 200 KB of notes, reading a stamp back, against bare reportlab.

Run: .venv/bin/python -m bench.bench_memo
Target: one memo under 50 ms on the project's 2-core machine.
"""

from __future__ import annotations

import hashlib
import io
import json

from bench.common import ROOT, median_process_seconds, median_seconds, ms, python
from desktop.memo import read_memo_stamp, render_draft, render_memo
from desktop.records import CaseRecord, CaseVersion
from desktop.rules import decide, load_pack, parse_intake
from desktop.rules.pack import Pack

PACK = ROOT / "resources" / "policies" / "northampton-2019"
SCENARIO = PACK / "scenarios" / "D11-detainer-by-fax-bail-posted-no-hold.json"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _record(pack: Pack, notes: str | None = None) -> CaseRecord:
    data = json.loads(SCENARIO.read_text(encoding="utf-8"))["intake"]
    data["notes"] = notes
    intake = parse_intake(data)
    version = CaseVersion(
        case_number="2026-000123",
        version=1,
        intake=intake.to_dict(),
        decision=decide(intake, pack).to_dict(),
        officer="Off. José Núñez #412",
        desk="NPD-BOOKING-1",
        received_at=intake.received_at.isoformat(),
        recorded_at="2026-03-03T02:41:07+00:00",
        recorded_zone="EST (-05:00)",
        status="decided",
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


def main() -> None:
    pack = load_pack(PACK)
    chain = _hash("chain")
    record = _record(pack)
    intake, decision = record.current.intake, record.current.decision
    notes = ("Called ICE ERO back at 617-555-0139 <ext. 4> & faxed a copy of the policy. " * 3 + "\n") * 870
    long_record = _record(pack, notes)

    pdf = render_memo(record, pack, chain_head=chain)  # also registers the fonts once
    memo = median_seconds(lambda: render_memo(record, pack, chain_head=chain), repeat=40)
    bare = median_seconds(_bare_reportlab, repeat=40)
    bare_ttf = median_seconds(lambda: _bare_reportlab("DejaVuSans"), repeat=40)
    draft = median_seconds(lambda: render_draft(intake, decision, pack), repeat=20)
    long_notes = median_seconds(lambda: render_memo(long_record, pack, chain_head=chain), repeat=5)
    stamp = median_seconds(lambda: read_memo_stamp(pdf), repeat=40)

    first = (
        "from bench.bench_memo import _record, _hash, PACK\n"
        "from desktop.rules import load_pack\n"
        "from desktop.memo import render_memo\n"
        "p = load_pack(PACK); render_memo(_record(p), p, chain_head=_hash('c'))\n"
    )
    baseline = median_process_seconds([python(), "-c", "import bench.bench_memo"], repeat=5)
    cold = median_process_seconds([python(), "-c", first], repeat=5)

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    long_pages = len(PdfReader(io.BytesIO(render_memo(long_record, pack, chain_head=chain))).pages)
    rows = [
        (
            f"render one memo (fax detainer, 2 responses; {pages} pages, {len(pdf) // 1024} KB)",
            f"{ms(memo)}   target < 50 ms",
        ),
        ("bare reportlab, one page with one table, Helvetica (same run)", ms(bare)),
        ("the same bare page in embedded DejaVu Sans, as the memo uses", ms(bare_ttf)),
        ("ratio, memo / bare reportlab", f"{memo / bare:.1f}x (and {memo / bare_ttf:.1f}x the DejaVu page)"),
        ("the same decision as a draft (no QR code)", ms(draft)),
        (f"a memo with {len(notes) // 1000} KB of notes ({long_pages} pages)", ms(long_notes)),
        ("read_memo_stamp on the memo (pypdf)", ms(stamp)),
        ("first memo in a fresh process (imports, fonts, pack), over the import", ms(cold - baseline)),
    ]
    print("memo benchmark (medians)")
    for label, value in rows:
        print(f"  {label + ':':<72} {value}")


if __name__ == "__main__":
    main()
