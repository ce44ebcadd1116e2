"""The intake's pages, in order: their ids are the wizard's page ids."""

from __future__ import annotations

from typing import Final

PAGE_RECEIVED: Final = 0
PAGE_DOCUMENTS: Final = 1
PAGE_PERSON: Final = 2
PAGE_REQUEST: Final = 3
PAGE_REVIEW: Final = 4
PAGE_DECISION: Final = 5
PAGE_RECORDED: Final = 6
