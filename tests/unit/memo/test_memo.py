"""Tests for desktop.memo.render: real memos, read back with pypdf, say what the record says on every page."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from desktop.memo import MemoError, render_draft, render_memo
from desktop.memo.page import QR_SIZE, qr_modules
from desktop.memo.stamp import MemoStamp
from desktop.records import CaseRecord
from desktop.rules import labels, parse_intake
from desktop.rules.pack import Pack
from tests.unit.memo import samples
from tests.unit.memo.conftest import Memo, norm, section


def clause_quote(pack: Pack, clause_id: str) -> str:
    clause = pack.clauses[clause_id]
    return norm(f"{clause.lead} {clause.text}" if clause.lead else clause.text)


# --- what the memo says -------------------------------------------------------------------------


def test_decline_memo_has_every_section(pack: Pack, decline: CaseRecord, decline_memo: Memo) -> None:
    text = decline_memo.text
    version = decline.current
    for heading in (
        "City of Northampton, Police Department",
        "Response to a federal immigration request",
        norm(pack.instrument),
        f"Policy pack {pack.id} version {pack.version} (sha256 {pack.sha256[:12]}…)",
        "Policy pack awaiting legal review by the City Solicitor",
        "CASE NUMBER 2026-000123 Version 1 of 1",
        "In short: what to do",
        "The request",
        "Documents received",
        "The person",
        "What was asked",
        "The decision",
        "Warnings",
        "The ordinance, quoted",
        "Officer's notes",
        "Signatures",
    ):
        assert heading in text, heading
    # the request, in words
    assert "Received Mon 2 Mar 2026, 21:40 (UTC-05:00)" in text
    assert "Channel Fax" in text
    assert norm(f"{labels.REQUESTER['ice_ero']}: {version.intake.requester_name}") in text
    assert labels.DOCUMENT_KIND["I-247A"] in text and labels.DOCUMENT_KIND["I-200"] in text
    assert "DHS officer: Supervisory Detention and Deportation Officer, ICE ERO" in text
    assert "03/17" in text
    assert "Booking number 26-001017" in text and "Name DOE, ALEX" in text
    assert "Custody In City custody" in text
    assert "Release blockers none: eligible for release" in text
    assert "Minor (under 18) no" in text
    assert norm(labels.ACTION["hold"]) in text and norm(labels.ACTION["notify_release"]) in text
    assert "Purpose Civil immigration enforcement" in text
    assert "Claims mandatory no" in text and "Public-records request no" in text
    # the decision, one block per response, with its instruction, reasons, authorities and rule
    for number, response in enumerate(version.decision.responses, start=1):
        code = pack.codes[response.code]
        assert f"{number} of 2. Asked: {norm(labels.ACTION[response.action])}" in text
        assert f"Response: {code.title} [{code.code}]" in text
        assert norm(f"What to do: {response.instruction}") in text
        for line in response.because:
            assert norm(line) in text
        for authority in response.authorities:
            assert norm(authority) in text
        assert f"Rule {response.rule} of policy pack {pack.id} version {pack.version}." in text
        assert f"Clauses {', '.join(response.clauses)} (quoted below)." in text
    for warning in version.decision.warnings:
        assert norm(warning) in text
    assert "No notes." in text
    assert "Recorded Mon 2 Mar 2026, 21:41 (EST, UTC-05:00) by Off. José Núñez #412 at desk NPD-BOOKING-1" in text
    assert "Officer: Date/time: printed: Off. José Núñez #412" in text
    assert "Reviewing supervisor: Date/time: printed:" in text
    # what a plain decline does not have
    for absent in ("AMENDED", "Versions", "Officer disagreed", "Referred to the City Solicitor", "DRAFT"):
        assert absent not in text, absent


def test_the_person_is_booking_number_and_name_only(decline_memo: Memo) -> None:
    person = section(decline_memo.text, "The person", "What was asked")
    keys = re.findall(r"(Booking number|Name|Custody|Release blockers|Minor \(under 18\))", person)
    assert keys == ["Booking number", "Name", "Custody", "Minor (under 18)", "Release blockers"]
    assert "status" not in person.lower() and "citizen" not in person.lower()


@pytest.mark.parametrize("scenario", [samples.DECLINE, samples.JUDICIAL, samples.REFERRAL, samples.RECORDS_REQUEST])
def test_every_cited_clause_is_quoted_word_for_word(pack: Pack, render, scenario: str) -> None:
    record = samples.single(pack, scenario)
    memo = render(record)
    cited = {c for r in record.current.decision.responses for c in r.clauses}
    assert cited
    for clause_id in cited:
        clause = pack.clauses[clause_id]
        assert f"{clause.id} — {norm(clause.title)}" in memo.body(), clause_id
        assert f"“{clause_quote(pack, clause_id)}”" in memo.body(), clause_id


def test_lead_is_quoted_before_a_b_clause(pack: Pack, decline_memo: Memo) -> None:
    assert pack.clauses["B3"].lead
    assert "“Furthermore, City resources shall not be used: To neither detain nor delay" in decline_memo.text


def test_judicial_warrant_memo_says_to_follow_it(pack: Pack, render) -> None:
    memo = render(samples.single(pack, samples.JUDICIAL))
    assert memo.text.count(f"Response: {pack.codes['HONOR_JUDICIAL'].title} [HONOR_JUDICIAL]") == 2
    assert "AO 442 Federal criminal arrest warrant" in memo.text
    assert "Federal district or magistrate judge: U.S. Magistrate Judge, D. Mass." in memo.text
    assert re.search(r"AO 442 Federal criminal arrest warrant .*? – yes no", memo.text)
    assert "Fed. R. Crim. P. 4, 9" in memo.text


def test_referral_box_names_each_ambiguity_once_with_what_to_do_meanwhile(pack: Pack, render) -> None:
    record = samples.single(pack, samples.REFERRAL)
    assert record.current.decision.refer_to_counsel
    memo = render(record)
    ambiguity = pack.ambiguities["AMB-3"]
    box = section(memo.text, "Referred to the City Solicitor", "The request")
    assert f"AMB-3: {norm(ambiguity.issue)}" in box
    assert f"Meanwhile: {norm(ambiguity.meanwhile)}" in box
    assert box.count("AMB-3:") == 1  # two responses refer to AMB-3; the box names it once
    assert "Refer to the City Solicitor" in box
    assert "Case state: Referred" in memo.text


def test_share_info_responses_name_the_information(pack: Pack, render) -> None:
    memo = render(samples.single(pack, samples.RECORDS_REQUEST))
    for info in ("address", "photo", "court_date"):
        assert f"Asked: {labels.ACTION['share_info']}: {labels.INFO[info]}" in memo.text
    assert "Information Home or work address Photograph Next court date" in memo.text


def test_override_box_names_the_officer_and_the_reason(pack: Pack, render) -> None:
    record = samples.overridden(pack)
    assert record.current.override is not None
    memo = render(record)
    assert "Officer disagreed with this decision — supervisor review required" in memo.text
    assert f"Officer: {record.current.override.officer}" in memo.text
    assert norm(f"Reason given: {record.current.override.reason}") in memo.text
    assert memo.text.index("Officer disagreed") < memo.text.index("The decision")


def test_amended_case_prints_the_banner_and_every_version(pack: Pack, render) -> None:
    record = samples.amended(pack)
    memo = render(record)
    first, second = record.versions
    assert "AMENDED" in memo.pages[0]
    assert "Version 2 of 2" in memo.text
    assert norm(f"Reason: {second.amendment_reason}") in memo.text
    versions = section(memo.text, "Versions", "Signatures")
    assert f"1 Mon 2 Mar 2026, 21:41 (EST, UTC-05:00) {first.officer} {first.record_hash[:12]}… original record" in (
        versions
    )
    assert f"2 (this memo) Mon 2 Mar 2026, 23:05 (EST, UTC-05:00) {norm(second.officer)}" in versions
    assert f"{second.record_hash[:12]}… {norm(second.amendment_reason or '')}" in versions
    # the memo prints the current version: its intake, its officer, its hash
    assert "Name Łukasz Żółć" in memo.text and "DOE, ALEX" not in memo.text
    assert f"printed: {second.officer}" in memo.text
    for page in memo.pages:
        assert f"Record sha256: {second.record_hash}" in page
        assert "Case 2026-000123, version 2 of 2" in page


def test_markup_characters_in_free_text_print_as_typed(pack: Pack, render) -> None:
    name = "Det. <b>Smith</b> & Sons <i>"
    memo = render(samples.single(pack, samples.DECLINE, requester_name=name, notes="a < b & c > d\n<br/> &amp;"))
    assert name in memo.text
    assert "a < b & c > d <br/> &amp;" in memo.text


def test_accented_names_come_out_intact(pack: Pack, render) -> None:
    record = samples.single(
        pack, samples.DECLINE, subject={"name": "Nguyễn Thị Ánh"}, notes="Interpreter: Łukasz Wróbel; Çağrı Öztürk."
    )
    record = CaseRecord(record.case_number, (replace(record.current, officer="Off. José Núñez #412"),))
    memo = render(record)
    for name in ("Nguyễn Thị Ánh", "José Núñez", "Łukasz Wróbel", "Çağrı Öztürk"):
        assert name in memo.text, name


# --- every page ----------------------------------------------------------------------------------


def test_every_page_carries_the_integrity_footer(decline: CaseRecord, decline_memo: Memo) -> None:
    version = decline.current
    count = len(decline_memo.pages)
    assert count >= 2
    for number, page in enumerate(decline_memo.pages, start=1):
        assert f"Page {number} of {count}" in page
        assert "Case 2026-000123, version 1 of 1" in page
        assert f"Record sha256: {version.record_hash}" in page
        assert f"Audit chain head: {samples.CHAIN_HEAD}" in page


def _qr_drawn(memo: Memo, page_index: int) -> list[list[bool]]:
    """The QR modules as drawn: the form's rectangles read back into a grid."""
    page = memo.reader.pages[page_index]
    assert b"/FormXob.safedesk-qr Do" in page.get_contents().get_data()
    form = page["/Resources"]["/XObject"]["/FormXob.safedesk-qr"].get_object()
    rects = re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re", form.get_data())
    assert rects
    heights = {round(float(h), 3) for *_, h in rects}
    assert len(heights) == 1
    step = heights.pop()
    size = round(QR_SIZE / step)
    grid = [[False] * size for _ in range(size)]
    for x, y, w, _h in rects:
        row = round((QR_SIZE - float(y)) / step) - 1
        start = round(float(x) / step)
        for column in range(start, start + round(float(w) / step)):
            grid[row][column] = True
    return grid


def test_every_page_has_the_qr_code_of_the_record(decline: CaseRecord, decline_memo: Memo) -> None:
    version = decline.current
    expected_text = f"SAFEDESK|2026-000123|v1|{version.record_hash}"
    expected = qr_modules(expected_text)
    for index in range(len(decline_memo.pages)):
        assert _qr_drawn(decline_memo, index) == expected
    assert qr_modules(f"SAFEDESK|2026-000123|v2|{version.record_hash}") != expected


def test_every_font_is_embedded(pack: Pack, render) -> None:
    memo = render(samples.amended(pack))
    seen = set()
    for page in memo.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            seen.add(str(font["/BaseFont"]))
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
    assert {name.split("+")[-1] for name in seen} == {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}


def test_pages_are_letter_size(decline_memo: Memo) -> None:
    for page in decline_memo.reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)


def test_metadata_names_the_case_and_carries_the_stamp(decline: CaseRecord, decline_memo: Memo) -> None:
    metadata = decline_memo.reader.metadata
    stamp = MemoStamp("2026-000123", 1, decline.current.record_hash, samples.CHAIN_HEAD)
    assert metadata.title == "Case 2026-000123 — response to a federal immigration request"
    assert metadata.author == "Safe Communities Desk"
    assert metadata.subject == stamp.to_text()
    assert metadata["/Keywords"] == stamp.to_text()
    assert metadata.creator.startswith("Safe Communities Desk")


# --- long notes ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_notes() -> str:
    return samples.long_notes(200_000)


@pytest.fixture(scope="module")
def long_memo(pack: Pack, render, long_notes: str) -> Memo:
    return render(samples.single(pack, samples.DECLINE, notes=long_notes))


def test_200_kb_of_notes_flow_over_many_pages_without_loss(long_notes: str, long_memo: Memo) -> None:
    assert len(long_notes) >= 200_000
    assert len(long_memo.pages) > 20
    markers = [m for m in ("NOTES-START-MARKER", "NOTES-MIDDLE-MARKER", "NOTES-END-MARKER")]
    pages_with = [next(i for i, page in enumerate(long_memo.pages) if m in page) for m in markers]
    assert pages_with[0] < pages_with[1] < pages_with[2] == len(long_memo.pages) - 1
    # every word of the notes, in order, once the page headers and footers are taken out
    assert norm(long_notes) in long_memo.body()
    assert len(long_memo.text) >= len(norm(long_notes))
    # the rest of the memo is still there after the notes
    assert "Signatures" in long_memo.pages[-1]
    count = len(long_memo.pages)
    for number, page in enumerate(long_memo.pages, start=1):
        assert f"Page {number} of {count}" in page


def test_a_very_long_word_is_cut_not_lost(pack: Pack, render) -> None:
    word = "x" * 700 + "END"
    memo = render(samples.single(pack, samples.DECLINE, notes=f"link: {word}"))
    assert word in memo.body().replace(" ", "")


def test_long_free_text_in_boxes_and_tables_flows_too(pack: Pack, render) -> None:
    record = samples.overridden(pack)
    reason = " ".join(f"reason{i}" for i in range(6000))
    override = replace(record.current.override, reason=reason)
    record = CaseRecord(record.case_number, (replace(record.current, override=override),))
    memo = render(record)
    assert norm(reason) in memo.body()
    # A field longer than any intake accepts (a case logged before the limits) prints its start and says so.
    long_name = " ".join(f"office{i}" for i in range(3000))
    record = samples.single(pack, samples.DECLINE)
    intake = replace(record.current.intake, requester_name=long_name)
    memo = render(CaseRecord(record.case_number, (replace(record.current, intake=intake),)))
    assert "office100 " in memo.text and "office2999" not in memo.text
    assert re.search(r"\[…2\d,\d{3} more characters: see the case log\]", memo.text)


# --- drafts ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def draft(pack: Pack) -> Memo:
    intake = samples.scenario_intake(samples.REFERRAL, notes="\n".join(f"line {i}" for i in range(400)))
    return Memo(
        render_draft(parse_intake(intake), samples.decision_of(intake, pack), pack, officer="Off. José Núñez #412")
    )


def test_draft_is_marked_on_every_page_and_has_no_case_number(pack: Pack, draft: Memo) -> None:
    assert len(draft.pages) >= 3
    for number, page in enumerate(draft.pages, start=1):
        assert page.count("DRAFT - NOT RECORDED") >= 3, number  # header, diagonal watermark, footer
        assert b" 2 Tr " in draft.reader.pages[number - 1].get_contents().get_data()  # the outlined watermark
        assert "Record sha256: not recorded" in page
        assert "Audit chain head: not recorded" in page
        assert "/FormXob.safedesk-qr" not in str(draft.reader.pages[number - 1]["/Resources"])
    assert "2026-0" not in draft.text
    assert "Case number: not recorded" in draft.text
    assert "printed: Off. José Núñez #412" in draft.text
    # the same layout as a recorded memo
    for heading in ("The request", "The decision", "Referred to the City Solicitor", "Officer's notes", "Signatures"):
        assert heading in draft.text
    assert f"“{clause_quote(pack, 'B3')}”" in draft.body()
    assert draft.reader.metadata.subject == "safedesk-draft;not recorded"


# --- refusals and determinism ------------------------------------------------------------------------


def test_same_record_gives_the_same_bytes(pack: Pack, decline: CaseRecord) -> None:
    first = render_memo(decline, pack, chain_head=samples.CHAIN_HEAD)
    assert render_memo(decline, pack, chain_head=samples.CHAIN_HEAD) == first
    assert render_memo(decline, pack, chain_head=samples.fake_hash("another head")) != first
    intake = samples.scenario_intake(samples.DECLINE)
    decision = samples.decision_of(intake, pack)
    typed = parse_intake(intake)
    assert render_draft(typed, decision, pack) == render_draft(typed, decision, pack)


def test_a_memo_needs_the_pack_the_case_was_decided_under(pack: Pack, decline: CaseRecord) -> None:
    other = replace(pack, sha256="0" * 64)
    with pytest.raises(MemoError, match="made under policy pack sha256"):
        render_memo(decline, other, chain_head=samples.CHAIN_HEAD)
    intake = samples.scenario_intake(samples.DECLINE)
    with pytest.raises(MemoError, match="decided under"):
        render_draft(parse_intake(intake), samples.decision_of(intake, pack), other)


@pytest.mark.parametrize("head", ["", "abc", "G" * 64, samples.CHAIN_HEAD.upper()])
def test_a_malformed_chain_head_is_refused(pack: Pack, decline: CaseRecord, head: str) -> None:
    with pytest.raises(MemoError, match="audit chain head"):
        render_memo(decline, pack, chain_head=head)


def test_a_case_without_versions_is_refused(pack: Pack) -> None:
    with pytest.raises(MemoError, match="no recorded version"):
        render_memo(CaseRecord("2026-000999", ()), pack, chain_head=samples.CHAIN_HEAD)


@pytest.mark.parametrize("case", ["2026 000123", "2026-000123;version=9", ""])
def test_a_case_number_that_cannot_be_stamped_is_refused(pack: Pack, decline: CaseRecord, case: str) -> None:
    record = CaseRecord(case, (replace(decline.current, case_number=case),))
    with pytest.raises(MemoError, match="case number"):
        render_memo(record, pack, chain_head=samples.CHAIN_HEAD)
