"""Plain-English labels for the contract's enum values, shared by the rules, the memo and the window."""

from __future__ import annotations

from typing import Final

CHANNEL: Final = {
    "fax": "Fax",
    "email": "Email",
    "phone": "Phone call",
    "in_person": "In person at the desk",
    "mail": "Mail",
    "ncic": "NCIC / Nlets message",
    "court_paper": "Court paper",
    "other": "Other",
}

REQUESTER: Final = {
    "ice_ero": "ICE Enforcement and Removal Operations (ERO)",
    "ice_hsi": "ICE Homeland Security Investigations (HSI)",
    "cbp": "U.S. Customs and Border Protection (CBP, Border Patrol)",
    "uscis": "U.S. Citizenship and Immigration Services (USCIS)",
    "other_dhs": "Another DHS component that enforces immigration law",
    "other_federal": "Other federal agency (FBI, USMS, DEA, ATF)",
    "state_or_local_relay": "State or local agency passing on a DHS request",
    "state_or_local": "State or local agency on its own behalf",
    "court": "A court",
    "agency_287g": "A 287(g)-designated officer of another agency",
    "city_employee": "A City employee asking whether the City may do something",
    "subject_or_attorney": "The person, or the person's own lawyer",
    "consulate": "A foreign consulate asking about its national",
    "unknown": "Unknown requester",
}

# One or two sentences shown beside a choice where the label alone could mislead (LEGAL.md 3C v2, item 9).
REQUESTER_HELP: Final = {
    "ice_ero": "Detainers, administrative warrants and release-date calls from ICE deportation officers.",
    "ice_hsi": "ICE's investigations branch, even when it says the matter is criminal.",
    "cbp": "Includes the Border Patrol and CBP officers at ports of entry.",
    "uscis": "USCIS, for example when it asks for records for a benefit application or enforces immigration law.",
    "other_dhs": (
        "Only a DHS component that enforces immigration law. The Secret Service, TSA and FEMA are DHS "
        "components too, but choose 'Other federal agency' for them; their agents sign as 'Prosecutor or agent', "
        "never as 'DHS officer'."
    ),
    "other_federal": (
        "FBI, U.S. Marshals, DEA, ATF, and DHS components that do not enforce immigration law (Secret Service, "
        "TSA, FEMA)."
    ),
    "state_or_local_relay": (
        "A sheriff, the Department of Correction, the State Police or another police department passing on a "
        "DHS request, or saying the answer will be passed on to ICE or DHS."
    ),
    "state_or_local": (
        "A sheriff, the Department of Correction, the State Police or another police department on its own matter."
    ),
    "court": "A court, its clerk or its officers.",
    "agency_287g": "An officer of another agency designated under 8 U.S.C. 1357(g) to act as an immigration officer.",
    "city_employee": "A City employee asking whether the City may do something (for example, check a status).",
    "subject_or_attorney": (
        "The person, or the person's own lawyer. A lawyer's request is answered only when the person named this "
        "lawyer and agreed when the desk asked the person (in custody, in person, or at a number already in City "
        "records)."
    ),
    "consulate": (
        "A foreign consulate asking whether its national is detained (Vienna Convention, art. 36). A consular "
        "visit is arranged under the department's visiting rules, outside this app."
    ),
    "unknown": "The caller would not say, or could not be identified.",
}

DOCUMENT_KIND: Final = {
    "I-247A": "I-247A Immigration Detainer - Notice of Action (DHS)",
    "I-247D": "I-247D Immigration Detainer - Request for Voluntary Action (DHS, pre-2017)",
    "I-247N": "I-247N Request for Voluntary Notification of Release (DHS, pre-2017)",
    "I-247X": "I-247X Request for Voluntary Transfer (DHS, pre-2017)",
    "I-247": "I-247 Immigration Detainer - Notice of Action (DHS, pre-2015)",
    "I-200": "I-200 Warrant for Arrest of Alien (DHS administrative)",
    "I-205": "I-205 Warrant of Removal/Deportation (DHS administrative)",
    "I-203": "I-203 Order to Detain or Release Alien (DHS)",
    "I-286": "I-286 Notice of Custody Determination (DHS)",
    "I-862": "I-862 Notice to Appear (DHS)",
    "I-138": "I-138 Immigration administrative subpoena (DHS)",
    "AO-442": "AO 442 Federal criminal arrest warrant",
    "federal_criminal_complaint": "Federal criminal complaint",
    "federal_writ": "Federal writ (habeas corpus ad prosequendum / ad testificandum)",
    "federal_court_order": "Federal court order",
    "grand_jury_subpoena": "Federal grand jury or trial subpoena",
    "state_warrant": "Massachusetts court warrant",
    "state_court_order": "Massachusetts court order",
    "eoir_order": "Immigration judge (EOIR) order",
    "ncic_immigration_violator": "NCIC Immigration Violator File hit",
    "ncic_wanted_person": "NCIC Wanted Person File hit",
    "I-918B": "I-918 Supplement B (U visa certification)",
    "I-914B": "I-914 Supplement B (T visa declaration)",
    "letter": "Letter",
    "other": "Other paper",
}

SIGNER: Final = {
    "federal_judge": "Federal district or magistrate judge",
    "state_judge": "State judge or justice",
    "clerk_magistrate": "Clerk-magistrate or assistant clerk-magistrate (a Massachusetts court)",
    "court_clerk": "Deputy or court clerk (subpoenas; a federal warrant on an indictment)",
    "immigration_judge": "Immigration judge (EOIR; not a court)",
    "dhs_officer": "DHS officer",
    "prosecutor_or_agent": "Prosecutor or agent (not a DHS immigration officer)",
    "unsigned": "Unsigned",
    "unknown": "Signer unknown or unreadable",
}

SIGNER_HELP: Final = {
    "federal_judge": "Signs federal arrest warrants (AO 442), writs and federal court orders.",
    "state_judge": "A judge or justice of a state court (in Massachusetts, the Trial Court or an appeals court).",
    "clerk_magistrate": "Issues a state court's arrest warrants and complaints.",
    "court_clerk": (
        "Counts as judicial only on a grand jury or trial subpoena, or on a federal arrest warrant issued on an "
        "indictment (Fed. R. Crim. P. 9(b)(1))."
    ),
    "immigration_judge": "An administrative judge of the U.S. Department of Justice: the order is not a court's.",
    "dhs_officer": (
        "Any ICE, CBP or USCIS immigration officer: Supervisory Detention and Deportation Officer, Field Office "
        "Director, Special Agent in Charge, Patrol Agent, 'Immigration Officer'. Administrative whatever the "
        "paper's title."
    ),
    "prosecutor_or_agent": "A prosecutor or a federal or state agent who is not a DHS immigration officer.",
    "unsigned": "No signature on the paper.",
    "unknown": "The signature or title cannot be read or identified.",
}

ACTION: Final = {
    "hold": "Hold the person (keep in custody or delay release)",
    "notify_release": "Notify of release (date, time or advance notice)",
    "transfer_custody": "Transfer custody",
    "share_info": "Share information",
    "access": "Access to the person (interview, phone, non-public areas)",
    "immigration_function": "Perform an immigration-officer function",
    "arrest": "Arrest the person on a warrant",
    "produce_records": "Produce records",
    "certify_benefit": "Certify for an immigration benefit (U/T visa)",
    "status_inquiry": "Ask about or determine immigration status",
    "mandatory_process": "Fingerprints to the State Identification Section, or consular notification",
    "relay": "Relay the request, serve it, or report a transfer",
}

ACTION_HELP: Final = {
    "mandatory_process": (
        "Only the two processes law requires: fingerprint submission to the State Identification Section "
        "and consular notification (Vienna Convention, art. 36). Anything else a requester "
        "calls mandatory is entered as the action it is, with 'claims mandatory' ticked."
    ),
    "access": (
        "Access for, or on behalf of, immigration authorities, or the person asking to reach them. A lawyer's "
        "visit to a client, or a consular visit, is not access."
    ),
}

# Yes/no intake fields.
FIELD: Final = {
    "consent_confirmed": "The person named this lawyer and agreed (or asks in person)",
    "claims_mandatory": "The requester says a law, order or regulation makes compliance mandatory",
    "public_records_request": "Made as a public-records request",
    "minor": "The person is under 18",
}

FIELD_HELP: Final = {
    "consent_confirmed": (
        "Only for a request by the person or the person's own lawyer: tick it when the person named this lawyer "
        "and agreed to the request when the desk asked the person (in custody; or, for a person not in City "
        "custody, in person or at a number already in City records), or when the person asks in person. "
        "Otherwise the lawyer's request is answered like anyone's."
    ),
}

INFO: Final = {
    "immigration_status": "Citizenship or immigration status",
    "custody_status": "Whether the person is held",
    "address": "Home or work address",
    "contact": "Contact details",
    "identifiers": "Date of birth, A-number, other identifiers",
    "photo": "Photograph",
    "fingerprints": "Fingerprints",
    "booking_record": "Booking record",
    "criminal_history": "Criminal history",
    "court_date": "Next court date",
    "other": "Other information",
}

CUSTODY: Final = {
    "in_city_custody": "In City custody",
    "released": "Released",
    "not_in_city_custody": "Not in City custody",
}

RELEASE_BLOCKER: Final = {
    "bail_not_posted": "Bail not posted",
    "awaiting_arraignment": "Awaiting arraignment",
    "state_warrant": "Massachusetts warrant",
    "federal_criminal_warrant": "Federal criminal warrant",
    "court_order": "Court order",
    "sentence": "Serving a sentence",
    "protective_custody": "Protective custody",
    "medical": "Medical",
    "other_law": "Another law",
}

PURPOSE: Final = {
    "civil_immigration": "Civil immigration enforcement",
    "criminal_unrelated": "A criminal matter with no immigration purpose",
    "mixed_or_unknown": "Mixed or unknown purpose",
}

BENEFIT: Final = {
    "none": "None",
    "u_visa": "U visa",
    "t_visa": "T visa",
    "vawa": "VAWA",
    "continued_presence": "Continued Presence",
    "own_record_for_benefit": "The person's own record for a benefit application",
    "public_benefit": "A public benefit",
}

CODE: Final = {
    "NO_HOLD": "Do not hold",
    "HOLD_OTHER_BASIS": "Custody continues on its own basis only",
    "HONOR_JUDICIAL": "Judicial warrant or order: follow it",
    "DECLINE_NOTIFY": "Do not give release information",
    "DECLINE_INFO": "Do not give the information",
    "STATUS_ONLY": "Status information only",
    "DECLINE_ACCESS": "No access to the person",
    "DECLINE_TRANSFER": "Do not transfer custody",
    "DECLINE_FUNCTION": "Do not perform immigration functions",
    "NO_STATUS_INQUIRY": "Do not ask about status",
    "PROCESS_BENEFIT": "Process the benefit request",
    "PROCESS_MANDATORY": "Perform the required process",
    "COMPLY_LEGAL_PROCESS": "Compulsory legal process: to counsel",
    "REFER_COUNSEL": "Refer to counsel",
    "NOT_IN_CUSTODY": "Not in City custody",
    "NOT_COVERED": "Not an immigration request",
    "LOG_ONLY": "Log only",
}
