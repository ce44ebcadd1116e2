"""Starting points for the common papers, and the desk cues for telling a judge's paper from a DHS form."""

from __future__ import annotations

from typing import Any, Final

# Each preset fills the intake fields it names; the officer can still change all of them.
PRESETS: Final[dict[str, dict[str, Any]]] = {
    "I-247A detainer with I-200 by fax": {
        "channel": "fax",
        "requester": "ice_ero",
        "documents": [
            {"kind": "I-247A", "signer": "dhs_officer", "edition": "03/17"},
            {"kind": "I-200", "signer": "dhs_officer"},
        ],
        "actions": ["hold", "notify_release"],
        "purpose": "civil_immigration",
    },
    "Phone call asking for a release date": {
        "channel": "phone",
        "requester": "ice_ero",
        "documents": [],
        "actions": ["notify_release"],
        "purpose": "civil_immigration",
    },
    "Officers in the lobby asking to interview the person": {
        "channel": "in_person",
        "requester": "ice_ero",
        "documents": [],
        "actions": ["access"],
        "purpose": "civil_immigration",
    },
    "ICE asks for address or other information": {
        "channel": "phone",
        "requester": "ice_ero",
        "documents": [],
        "actions": ["share_info"],
        "info": ["address"],
        "purpose": "civil_immigration",
    },
    "Federal arrest warrant (AO 442) with the U.S. Marshals": {
        "channel": "in_person",
        "requester": "other_federal",
        "documents": [
            {"kind": "AO-442", "signer": "federal_judge"},
            {"kind": "ncic_wanted_person", "signer": "unknown"},
        ],
        "actions": ["arrest", "hold"],
        "purpose": "criminal_unrelated",
    },
    "U visa certification (I-918 Supplement B)": {
        "channel": "mail",
        "requester": "subject_or_attorney",
        "documents": [{"kind": "I-918B", "signer": "unsigned"}],
        "actions": ["certify_benefit"],
        "purpose": "civil_immigration",
        "benefit": "u_visa",
    },
}

DESK_CUES: Final = """
<p><b>Judicial</b> (a court's paper, signed by a judge):</p>
<ul>
<li>Header: "United States District Court for the District of ..." or "Commonwealth of Massachusetts,
Trial Court".</li>
<li>Form AO 442 (arrest warrant), AO 91 (complaint), a court docket number.</li>
<li>Signed by a District Judge, Magistrate Judge, Justice or Clerk-Magistrate (a clerk for a subpoena
or a warrant on an indictment).</li>
<li>Confirm it: NCIC Wanted Person File, the issuing court, or the U.S. Marshals.</li>
</ul>
<p><b>Administrative</b> (DHS paper; gives no authority to hold):</p>
<ul>
<li>Header: "U.S. Department of Homeland Security" or "Executive Office for Immigration Review".</li>
<li>Form numbers in the footer: I-247A/D/N/X, I-200, I-205, I-203, I-286, I-862, I-138.</li>
<li>Signed by a Deportation Officer, Field Office Director, Special Agent in Charge, Patrol Agent, or an
Immigration Judge.</li>
<li>An I-200 or I-205 says "Warrant" but is <b>not</b> a judge's warrant.</li>
</ul>
"""

KIND_HINTS: Final[dict[str, str]] = {
    "I-247A": "DHS detainer. Box 1 asks for notice and a hold of up to 48 hours; neither is honoured here. "
    "Record the edition date from the footer.",
    "I-200": "Titled 'Warrant for Arrest of Alien' but administrative: signed by an immigration officer, not a judge.",
    "I-205": "Titled 'Warrant of Removal' but administrative: signed by a DHS official.",
    "AO-442": "A federal court's arrest warrant. Judicial only when signed by a judge (or the clerk, on an "
    "indictment); confirm in NCIC or with the Marshals and tick 'verified'.",
    "state_warrant": "A Massachusetts court's warrant: judicial when signed by a judge or clerk-magistrate; "
    "confirm in the warrant system and tick 'verified'.",
    "eoir_order": "An immigration judge is part of the Department of Justice, not a court: administrative.",
    "I-138": "An immigration subpoena binds no one until a U.S. district court orders compliance.",
    "ncic_immigration_violator": "A civil administrative record, not a warrant: no basis to detain.",
    "ncic_wanted_person": "Counts only together with the judicial warrant it is based on.",
}
