"""What a machine can check of 3B's rule for every say line (LEGAL.md 3C version 2.2), when a pack is read.

A say line is read out at the counter or on the phone, to whoever asked. A pack is refused when a
say line holds something a machine can reliably see that the rule forbids:
- a response code, a rule, variant, warning or clause id, or an AMB id (jargon, and it tells the
  requester how the City decided);
- a clock time or a date (a release time, an arrest time: custody information);
- a paper's name: a form number (I-247A, I-200, AO 442, "Form ..."), a DHS form's own title
  ("Warrant for Arrest of Alien", "Notice to Appear", ...) or a paper kind of the contract
  (`state_warrant`): the line would tell the requester which paper is in hand.

What no machine can check is left to counsel's review and to the scenarios' `say` expectations:
whether the line is true of the facts of every intake that reaches it, whether it confirms custody,
a release or an arrest ("the person will be released at the normal time" is plain English),
whether it promises a reply the City does not owe, and whether a common noun ("order", "paper",
"subpoena", "warrant", "detainer") names a paper in hand or speaks in general ("The City does not
answer immigration subpoenas voluntarily" is a rule; "A court's warrant follows normal procedure"
confirmed a warrant). Relative times ("today", "tonight", "after arraignment") are not refused:
D5's approved line promises the Solicitor has the paper "today".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from desktop.rules import vocab
from desktop.rules.pack import Pack, PackError

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?"

CODE_OR_ID = re.compile(
    r"\[[A-Z_]+\]"  # a bracketed code, as the memo prints one
    r"|\b[A-Z]+_[A-Z_]+\b"  # a response code (NO_HOLD)
    r"|\bAMB-\d+\b"  # an ambiguity id
    r"|(?<![\w-])D\d+[a-z]*(?:-[A-Za-z]+)*(?![\w-])"  # a rule id of the D-table (D2u, D9c-out, D8-HSI)
    r"|(?<![\w-])W-[A-Z][A-Z-]*(?![\w-])"  # a warning id
)
CLOCK_TIME = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s?(?:a\.?m\b\.?|p\.?m\b\.?)|\b[0-2]\d[0-5]\d\s?hours\b|\b(?:noon|midnight)\b",
    re.IGNORECASE,
)
DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b"  # 2019-12-05
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"  # 12/5, 12/05/2019
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"  # December 5
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?!\w)"  # 5 December, the 5th of Dec.
    rf"|\b{_WEEKDAY}\b"  # on Monday
    r"|\b(?:19|20)\d{2}\b",  # a year
    re.IGNORECASE,
)
FORM_NUMBER = re.compile(
    r"\bI-\d{2,4}[A-Z]?\b|\bAO[\s-]?\d{2,3}\b|\bForm\s+[A-Z]{0,2}-?\d+|\bSupplement\s+B\b", re.IGNORECASE
)
# The own titles of the papers that reach the desk (LEGAL.md 1A, 1B): each names one paper. Generic
# nouns (order, paper, subpoena, warrant, detainer) are not here: a rule may speak of them in general.
PAPER_TITLES = (
    "Warrant for Arrest of Alien",
    "Warrant of Removal",
    "Notice of Action",
    "Request for Voluntary Action",
    "Request for Voluntary Notification",
    "Request for Voluntary Transfer",
    "Order to Detain or Release",
    "Notice of Custody Determination",
    "Notice to Appear",
    "Immigration Violator File",
    "Wanted Person File",
    "habeas corpus",
    "ad prosequendum",
    "ad testificandum",
    "mittimus",
)
_PAPER_TITLE = re.compile("|".join(re.escape(t) for t in PAPER_TITLES), re.IGNORECASE)
_DOCUMENT_KIND = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(k) for k in vocab.DOCUMENT_KINDS if "_" in k) + r")(?![\w-])"
)
_HEARD = "is read out to the requester"


def say_problem(line: str, ids: frozenset[str] = frozenset()) -> str | None:
    """Why a say line breaks 3B's rule where a machine can see it, or None.

    `ids`: the pack's own rule, variant, warning and clause ids that could not pass for words
    (every id but a plain word such as a variant called "warrant", or a one-letter clause "A").
    """
    for pattern, what in (
        (CODE_OR_ID, "no response codes, rule ids or AMB ids"),
        (CLOCK_TIME, "no clock time (it would tell when someone is released or was arrested)"),
        (DATE, "no date (it would tell when someone is released or was arrested)"),
        (FORM_NUMBER, "no paper's name or form number (say what the City does, not which paper is in hand)"),
        (_PAPER_TITLE, "no paper's name or form number (say what the City does, not which paper is in hand)"),
        (_DOCUMENT_KIND, "no paper's name or form number (say what the City does, not which paper is in hand)"),
    ):
        found = pattern.search(line)
        if found:
            return f"{_HEARD}: {what}; found {found.group(0)!r}"
    for token in re.findall(r"[\w][\w-]*", line):
        if token in ids:
            return f"{_HEARD}: no response codes, rule ids or AMB ids; found {token!r}"
    return None


def _unsayable_ids(pack: Pack) -> frozenset[str]:
    """The pack's ids that are not plain words: a variant id "warrant" is a word; "city-employee-asks" is not."""
    ids = {r.id for r in pack.rules} | {w.id for w in pack.warnings}
    ids |= {v.id for r in pack.rules for v in r.variants if "-" in v.id}
    ids |= {c for c in pack.clauses if len(c) > 1}
    ids |= set(vocab.RESPONSE_CODES)
    return frozenset(i for i in ids if not re.fullmatch(r"[A-Za-z]+", i) or i.isupper() and len(i) > 1)


def _say_lines(pack: Pack) -> Iterator[tuple[str, str]]:
    """Every say line of a pack with the key that names it in the file."""
    for code, text in pack.codes.items():
        if text.say:
            yield f"codes.{code}.say", text.say
    for i, rule in enumerate(pack.rules):
        if rule.say:
            yield f"rules[{i}].say", rule.say
        for j, variant in enumerate(rule.variants):
            if variant.say:
                yield f"rules[{i}].variants[{j}].say", variant.say


def check_say_lines(pack: Pack) -> None:
    """Refuse a pack one of whose say lines breaks 3B's rule where a machine can see it.

    Raises:
        PackError: naming the say line's key (and the rule, for a rule's line) and what was found.
    """
    ids = _unsayable_ids(pack)
    for key, line in _say_lines(pack):
        problem = say_problem(line, ids)
        if problem is not None:
            if key.startswith("rules["):
                rule = pack.rules[int(key[6 : key.index("]")])]
                problem = f"{problem} (in rule {rule.id})"
            raise PackError(pack.path, key, problem)
