"""The report's files: the PDF read back, the tidy CSV, no personal data, the same bytes, the audit, the register."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.desk.reports import CSV_COLUMNS, REGISTER_COLUMNS, NotAllowed, Period
from desktop.records import EventKind
from tests.unit.reports.conftest import Known


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def report_events(known: Known, kind: EventKind) -> list[str]:
    rows = known.desk._store._conn.execute("SELECT detail FROM audit_log WHERE kind = ? ORDER BY seq", [kind.value])
    return [r[0] for r in rows]


@pytest.fixture(scope="module")
def year_pdf(known: Known, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    target = Path(tmp_path_factory.mktemp("pdf")) / "2026.pdf"
    known.desk.reports.make(known.officer, Period.year(2026), target, ice_count=198)
    return target.read_bytes()


def test_the_pdf_carries_the_figures_and_charts(known: Known, year_pdf: bytes) -> None:
    report = known.desk.reports.figures(known.officer, Period.year(2026), ice_count=198)
    reader = PdfReader(io.BytesIO(year_pdf))
    text = flat(pdf_text(year_pdf))
    assert "City of Northampton, Police Department" in text
    assert "1 January 2026 to 31 December 2026" in text
    for statement in report.statements:
        assert flat(statement) in text
    # Every figure's words and value are printed.
    for section in report.sections:
        assert flat(section.title) in text
        if section.id == "referrals_by_amb":  # one row per open question: its words, then the counts
            for figure in section.figures:
                amb, _sep, what = figure.group.partition("/")
                if what == "referred":
                    counts = " ".join(str(section.value(f"{amb}/{c}")) for c in ("referred", "resolved", "open"))
                    assert f"{amb}:" in text and counts in text[text.index(f"{amb}:") :], figure
            continue
        for figure in section.figures:
            value = f"{figure.value:,}" if isinstance(figure.value, int) else str(figure.value)
            assert flat(f"{figure.group} {value}") in text, (section.id, figure)
    # Both charts: their titles, axis labels, and a filled bar per month with requests.
    assert "Requests received, by month" in text and "Jan 26" in text and "Dec 26" in text
    assert "The City's responses, by code" in text and "Do not hold" in text
    first_page = reader.pages[0].get_contents()
    assert first_page is not None
    bars = len(re.findall(rb" re\b", first_page.get_data()))
    months_with_requests = sum(1 for f in report.section("requests_by_month").figures if f.value)
    assert bars >= months_with_requests + len(report.section("responses_by_code").figures)
    # The source it was made from, on every page.
    assert all(report.chain_head in flat(p.extract_text()).replace(" ", "") for p in reader.pages)
    assert f"audit entry {report.entries:,}" in text
    assert reader.metadata is not None and report.chain_head in str(reader.metadata.subject)


def test_the_csv_is_tidy(known: Known, tmp_path: Path) -> None:
    reports = known.desk.reports
    result = reports.make(known.officer, Period.year(2026), tmp_path / "2026.csv", ice_count=198)
    rows = list(csv.reader(io.StringIO(result.path.read_text(encoding="utf-8"), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert all(len(row) == 3 and all(row) for row in rows[1:])
    keys = [(r[0], r[1]) for r in rows[1:]]
    assert len(keys) == len(set(keys)), "one row per figure"
    report = reports.figures(known.officer, Period.year(2026), ice_count=198)
    figures = {(s.id, f.group): str(f.value) for s in report.sections for f in s.figures}
    table = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert {k: v for k, v in table.items() if k[0] != "report"} == figures
    assert table["report", "period_from"] == "2026-01-01" and table["report", "period_to"] == "2026-12-31"
    assert table["report", "chain_head"] == report.chain_head and table["report", "audit_entries"] == str(
        report.entries
    )
    assert table["requests", "about_minors"] == "6"
    assert table["ice_count", "difference"] == str(198 - int(table["ice_count", "logged_from_ice"]))


def test_no_personal_data_in_the_pdf_or_the_csv(known: Known, year_pdf: bytes, tmp_path: Path) -> None:
    reports = known.desk.reports
    csv_text = reports.make(known.officer, Period.year(2026), tmp_path / "r.csv").path.read_text(encoding="utf-8")
    json_text = reports.make(known.officer, Period.year(2026), tmp_path / "r.json").path.read_text(encoding="utf-8")
    pdf = pdf_text(year_pdf)
    texts = {"pdf": pdf, "pdf, lines joined": "".join(pdf.split()), "csv": csv_text, "json": json_text}
    personal = known.names | known.bookings | set(known.current) | known.requester_names
    assert len(personal) > 100
    for where, text in texts.items():
        for value in personal:
            assert value not in text, f"{value!r} is in the {where}"
        for note in known.notes:
            assert note not in text
        assert "Elm Street" not in text and "TESTNAME" not in text and "BK-" not in text
    # No case number of any shape.
    assert not re.search(r"\b20\d\d-\d{6}\b", csv_text + json_text + pdf)


def test_the_same_log_and_period_give_the_same_bytes(known: Known, tmp_path: Path) -> None:
    reports = known.desk.reports
    period = Period.quarter("2026-Q1")
    first = reports.make(known.officer, period, tmp_path / "a.pdf", ice_count=12).path.read_bytes()
    # Making the first report was itself an audit entry; the figures and the anchor are unchanged.
    again = reports.make(known.supervisor, period, tmp_path / "b.pdf", ice_count=12).path.read_bytes()
    assert first == again
    csv_a = reports.make(known.officer, period, tmp_path / "a.csv").path.read_bytes()
    known.desk.paper.print_memo(known.officer, next(iter(known.current)), target=tmp_path / "memo.pdf", no_encrypt=True)
    assert reports.make(known.officer, period, tmp_path / "b.csv").path.read_bytes() == csv_a
    assert b"/CreationDate (D:20000101000000+00'00')" in first


def test_making_a_report_is_an_audit_entry(known: Known, tmp_path: Path) -> None:
    before = report_events(known, EventKind.REPORT)
    known.desk.reports.make(known.officer, Period.month("2026-02"), tmp_path / "feb.csv", ice_count=3)
    after = report_events(known, EventKind.REPORT)
    assert len(after) == len(before) + 1
    assert "oversight report 2026-02" in after[-1] and "saved as feb.csv" in after[-1] and "ICE count 3" in after[-1]
    assert known.desk.log.verify(known.officer).ok


def test_the_register_is_for_supervisors_and_admins_and_audited(known: Known, tmp_path: Path) -> None:
    reports = known.desk.reports
    with pytest.raises(NotAllowed, match="supervisors and admins"):
        reports.save_register(known.officer, Period.year(2026), tmp_path / "no.csv", no_encrypt=True)
    assert not (tmp_path / "no.csv").exists()
    exports = len(report_events(known, EventKind.EXPORT))
    result = reports.save_register(known.supervisor, Period.year(2026), tmp_path / "register.csv", no_encrypt=True)
    rows = list(csv.DictReader(io.StringIO(result.path.read_text(encoding="utf-8"), newline="")))
    assert tuple(rows[0]) == REGISTER_COLUMNS
    numbers = [r["case_number"] for r in rows]
    assert numbers == sorted(numbers) and len(numbers) == reports.figures(known.officer, Period.year(2026)).requests
    for row in rows:
        intake, decision = known.current[row["case_number"]]
        assert row["requester"] == intake["requester"]
        assert row["responses"] == " ".join(r["code"] for r in decision["responses"])
        assert row["received_day"].startswith("2026-")
    assert len(report_events(known, EventKind.EXPORT)) == exports + 1
    shown = reports.register(known.admin, Period.month("2026-02"))
    assert shown and all(r.received_day.startswith("2026-02") for r in shown)
    assert "register of 2026-02" in report_events(known, EventKind.EXPORT)[-1]
    with pytest.raises(NotAllowed):
        reports.register(known.officer, Period.month("2026-02"))


def test_json_form_round_trips(known: Known) -> None:
    report = known.desk.reports.figures(known.officer, Period.year(2024))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["empty"] is True and data["requests"] == 0
    assert data["statements"][0].startswith("No requests received")
    assert data["source"]["chain_head"] == report.chain_head


def test_the_empty_period_pdf_says_no_requests_received(known: Known) -> None:
    reports = known.desk.reports
    _report, pdf = reports.produce(known.officer, Period.year(2024))
    text = flat(pdf_text(pdf))
    assert "No requests received" in text and "received no federal immigration request" in text
    assert "None in this period." in text
