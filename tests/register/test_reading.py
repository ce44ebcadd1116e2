"""What each role reads: the desks' own report, oversight figures only, a town its own desks, reads audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from desktop.desk.reports import Period, Reports
from desktop.register import Register, RegisterRefused
from tests.register.conftest import NOW, PASSPHRASE, Db, DeskCopy

YEAR = Period.year(2026)


@pytest.fixture
def filled(register_db: Db, desks: dict[str, DeskCopy], tmp_path: Path) -> Iterator[Register]:
    """The three desks enrolled and imported; the town's log-in sees the Northampton police desks."""
    with Register(register_db.url(), clock=lambda: NOW) as register:
        for origin, desk in desks.items():
            register.enrol(origin, desk.fingerprint(), passphrase=PASSPHRASE)
            path = desk.bundle(tmp_path / f"{origin.replace('/', '_')}.bundle")
            register.import_bundle(path, passphrase=PASSPHRASE)
        register_db.sql('GRANT "safedesk_agency_northampton-pd" TO t_town')
        yield register


def test_a_desks_report_from_the_register_is_the_desks_own_byte_for_byte(
    filled: Register, desks: dict[str, DeskCopy]
) -> None:
    for origin, desk in desks.items():
        own = desk.desk.reports.figures(desk.session(), YEAR)
        pack = desk.desk.reports.pack_for(YEAR)
        from_register = filled.report(YEAR, pack, origins=[origin])
        assert own.requests > 0
        assert Reports.render(from_register, "csv") == Reports.render(own, "csv"), origin
        assert Reports.render(from_register, "json") == Reports.render(own, "json"), origin


def _additive(report: object) -> dict[tuple[str, str], int]:
    """Every figure that is a count (medians, longest days and "fewer than 5" do not add up)."""
    return {
        (section.id, figure.group): figure.value
        for section in report.sections  # type: ignore[attr-defined]
        for figure in section.figures
        if isinstance(figure.value, int) and not figure.group.endswith(("median_days", "longest_days"))
    }


def test_the_registers_report_is_the_sum_of_the_desks_reports(filled: Register, desks: dict[str, DeskCopy]) -> None:
    pack = next(iter(desks.values())).desk.reports.pack_for(YEAR)
    everything = filled.report(YEAR, pack)
    summed: dict[tuple[str, str], int] = {}
    for desk in desks.values():
        for key, value in _additive(desk.desk.reports.figures(desk.session(), YEAR)).items():
            summed[key] = summed.get(key, 0) + value
    together = _additive(everything)
    assert everything.requests == sum(d.desk.reports.figures(d.session(), YEAR).requests for d in desks.values())
    assert {k: v for k, v in together.items() if v} == {k: v for k, v in summed.items() if v}
    assert "3 desks of the county register" in everything.department
    # The small-count rule holds across desks too: counts about minors under 5 read "fewer than 5".
    minors = everything.value("requests", "about_minors")
    assert minors == "fewer than 5" or (isinstance(minors, int) and minors >= 5)


def test_oversight_reads_figures_and_cannot_read_a_name(
    register_db: Db, filled: Register, desks: dict[str, DeskCopy]
) -> None:
    pack = next(iter(desks.values())).desk.reports.pack_for(YEAR)
    with Register(register_db.url("t_oversight")) as oversight:
        assert oversight.report(YEAR, pack).requests == filled.report(YEAR, pack).requests
        assert {r["origin"] for r in oversight.status()} == set(desks)
        for read in (oversight.case_log, oversight.queue, lambda: oversight.show(next(iter(desks)), "2026-000001")):
            with pytest.raises(RegisterRefused, match="t_oversight may not read cases"):
                read()
    for table in ("case_versions", "entries", "reads", "forks"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            register_db.sql(f"SELECT * FROM safedesk.{table} LIMIT 1", user="t_oversight")
    columns = register_db.sql(
        "SELECT * FROM safedesk.report_facts('2026-01-01', '2026-12-31', NULL) LIMIT 1", user="t_oversight"
    )[0]
    assert not {"case_number", "intake_json", "subject_name", "booking_number", "officer"} & set(columns)
    names = register_db.sql("SELECT intake_json::jsonb -> 'subject' ->> 'name' AS n FROM safedesk.case_versions")
    text = repr(
        register_db.sql("SELECT * FROM safedesk.report_facts('2026-01-01', '2026-12-31', NULL)", user="t_oversight")
    )
    assert not [row["n"] for row in names if row["n"] and str(row["n"]) in text]


def test_a_town_sees_its_own_desks_only(register_db: Db, filled: Register) -> None:
    with Register(register_db.url("t_town")) as town:
        seen = {row["origin"] for row in town.case_log(limit=1000)}
        assert seen == {"northampton-pd/booking-1", "northampton-pd/booking-2"}
        assert {r["origin"] for r in town.status()} == seen
        with pytest.raises(Exception, match="holds no case 2026-000001 of hampshire-sheriff/jail-1"):
            town.show("hampshire-sheriff/jail-1", "2026-000001")
    rows = register_db.sql(
        "SELECT DISTINCT d.origin FROM safedesk.entries e JOIN safedesk.desks d USING (desk_id)", user="t_town"
    )
    assert {r["origin"] for r in rows} == {"northampton-pd/booking-1", "northampton-pd/booking-2"}
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        register_db.sql("INSERT INTO safedesk.packs VALUES ('x', 'x', 'x', '')", user="t_town")


def test_the_solicitor_reads_cases_and_every_read_is_audited(register_db: Db, filled: Register) -> None:
    with Register(register_db.url("t_solicitor")) as solicitor:
        found = solicitor.case_log(search="2026-00000", limit=5)
        assert len(found) == 5 and all(r["subject_name"] is not None or r["booking_number"] is None for r in found)
        case = solicitor.show("hampshire-sheriff/jail-1", "2026-000002")
        assert case["versions"][0]["intake"]["requester"] and case["entries"][0]["kind"] == "recorded"
        waiting = solicitor.queue()
        assert all(r["origin"] for r in waiting)
        with pytest.raises(RegisterRefused, match="t_solicitor may not import bundles"):
            solicitor.import_bundle(Path("x.bundle"), passphrase=PASSPHRASE)
    reads = register_db.sql("SELECT who, what, origin, case_number FROM safedesk.reads ORDER BY read_id")
    assert [r["who"] for r in reads] == ["t_solicitor"] * 3
    assert reads[1]["case_number"] == "2026-000002" and reads[1]["origin"] == "hampshire-sheriff/jail-1"
    assert reads[0]["what"].startswith("case log (search 2026-00000)")


def test_the_queue_lists_referrals_waiting_at_every_desk(filled: Register, desks: dict[str, DeskCopy]) -> None:
    expected = set()
    for origin, desk in desks.items():
        session = desk.session()
        expected |= {(origin, case.case_number) for case in desk.desk.cases.review_queue(session, limit=1000)}
    assert {(r["origin"], r["case_number"]) for r in filled.queue()} == expected
