"""The guided intake: one page per question group, a review, the decision with its reasons, then record.

Each page is a module that owns its fields, gives its part of the intake (`answers`) and fills them
back (`load`); the wizard (wizard.py) puts the parts together and records through the desk.

    received.py   1. when, how and from whom       review.py    5. every answer, with Edit
    documents.py  2. the papers and their scans    decision.py  6. the response, the desk's checks
    person.py     3. the person                    recorded.py  7. the case number and the memo
    request.py    4. what is asked, the relay question
"""

from desktop.ui.intake.pages import (
    PAGE_DECISION,
    PAGE_DOCUMENTS,
    PAGE_PERSON,
    PAGE_RECEIVED,
    PAGE_RECORDED,
    PAGE_REQUEST,
    PAGE_REVIEW,
)
from desktop.ui.intake.wizard import IntakeWizard

__all__ = [
    "PAGE_DECISION",
    "PAGE_DOCUMENTS",
    "PAGE_PERSON",
    "PAGE_RECEIVED",
    "PAGE_RECORDED",
    "PAGE_REQUEST",
    "PAGE_REVIEW",
    "IntakeWizard",
]
