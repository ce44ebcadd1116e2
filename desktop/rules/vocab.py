"""The fixed vocabulary of the decision contract: enum values, response codes, clause ids."""

from __future__ import annotations

import re
from typing import Final

CHANNELS: Final = ("fax", "email", "phone", "in_person", "mail", "ncic", "court_paper", "other")

REQUESTERS: Final = (
    "ice_ero",
    "ice_hsi",
    "cbp",
    "uscis",
    "other_dhs",
    "other_federal",
    "state_or_local_relay",
    "state_or_local",
    "court",
    "agency_287g",
    "city_employee",
    "subject_or_attorney",
    "consulate",
    "unknown",
)

DOCUMENT_KINDS: Final = (
    "I-247A",
    "I-247D",
    "I-247N",
    "I-247X",
    "I-247",
    "I-200",
    "I-205",
    "I-203",
    "I-286",
    "I-862",
    "I-138",
    "AO-442",
    "federal_criminal_complaint",
    "federal_writ",
    "federal_court_order",
    "grand_jury_subpoena",
    "state_warrant",
    "state_court_order",
    "eoir_order",
    "ncic_immigration_violator",
    "ncic_wanted_person",
    "I-918B",
    "I-914B",
    "letter",
    "other",
)

SIGNERS: Final = (
    "federal_judge",
    "state_judge",
    "clerk_magistrate",
    "court_clerk",
    "immigration_judge",
    "dhs_officer",
    "prosecutor_or_agent",
    "unsigned",
    "unknown",
)

ACTIONS: Final = (
    "hold",
    "notify_release",
    "transfer_custody",
    "share_info",
    "access",
    "immigration_function",
    "arrest",
    "produce_records",
    "certify_benefit",
    "status_inquiry",
    "mandatory_process",
    "relay",
)

INFO_KINDS: Final = (
    "immigration_status",
    "custody_status",
    "address",
    "contact",
    "identifiers",
    "photo",
    "fingerprints",
    "booking_record",
    "criminal_history",
    "court_date",
    "other",
)

CUSTODY: Final = ("in_city_custody", "released", "not_in_city_custody")

RELEASE_BLOCKERS: Final = (
    "bail_not_posted",
    "awaiting_arraignment",
    "state_warrant",
    "federal_criminal_warrant",
    "court_order",
    "sentence",
    "protective_custody",
    "medical",
    "other_law",
)

PURPOSES: Final = ("civil_immigration", "criminal_unrelated", "mixed_or_unknown")

BENEFITS: Final = (
    "none",
    "u_visa",
    "t_visa",
    "vawa",
    "continued_presence",
    "own_record_for_benefit",
    "public_benefit",
)

RESPONSE_CODES: Final = (
    "NO_HOLD",
    "HOLD_OTHER_BASIS",
    "HONOR_JUDICIAL",
    "DECLINE_NOTIFY",
    "DECLINE_INFO",
    "STATUS_ONLY",
    "DECLINE_ACCESS",
    "DECLINE_TRANSFER",
    "DECLINE_FUNCTION",
    "NO_STATUS_INQUIRY",
    "PROCESS_BENEFIT",
    "PROCESS_MANDATORY",
    "COMPLY_LEGAL_PROCESS",
    "REFER_COUNSEL",
    "NOT_IN_CUSTODY",
    "NOT_COVERED",
    "LOG_ONLY",
)

# Codes whose instruction must say what the officer does not do (contract invariant 5).
DECLINING_CODES: Final = frozenset(
    {
        "NO_HOLD",
        "DECLINE_NOTIFY",
        "DECLINE_INFO",
        "DECLINE_ACCESS",
        "DECLINE_TRANSFER",
        "DECLINE_FUNCTION",
        "NO_STATUS_INQUIRY",
        "REFER_COUNSEL",
        "NOT_IN_CUSTODY",
    }
)

# Codes that never keep anyone in custody on an immigration request (contract invariant 1).
NON_HOLDING_CODES: Final = frozenset({"NO_HOLD", "NOT_IN_CUSTODY", "LOG_ONLY", "REFER_COUNSEL"})


_NEGATION: Final = re.compile(r"\b(not|no|never|nothing|none)\b|n't\b", re.IGNORECASE)


def says_what_not_to_do(instruction: str) -> bool:
    """Whether an instruction contains a negation (contract invariant 5: a decline says what not to do).

    A word test, not a substring one: "note" and "notify" do not count.
    """
    return _NEGATION.search(instruction) is not None
