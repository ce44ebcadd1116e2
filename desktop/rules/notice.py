"""The notice to the person: what a pack's notice holds, its words in each language, and a notice in words.

The person a request is about never hears from the desk unless the City tells them. A pack's [notice]
says what a notice holds (`none`, `intent_only` or `copy_and_intent`: LANGUAGES.md, AMB-8) and gives its
words in each language: a title, the lines that say what was received (a paper's public name, who sent
it, when; never the person's status, nationality or place of birth), one sentence per response code
saying what the City will or will not do, and a closing. The words are pack text, hashed with the pack,
so the log proves which wording the person got; a language that lacks a sentence is a pack error, never
a silent fall back to English.

Each sentence must be true of every decision the pack's rules can give with that code, whoever asked:
tests/unit/rules/test_notice.py names, for each code, the rules and wordings its sentence was checked
against, so a pack that gives a code from a new rule fails until the sentence is checked again.

Nothing here draws a page (desktop/memo/notice.py) or reads the log (desktop/desk/notices.py).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.errors import BadInput
from desktop.rules import vocab

if TYPE_CHECKING:
    import datetime as dt

    from desktop.rules.engine import Decision
    from desktop.rules.intake import Intake
    from desktop.rules.reader import _Reader

# What a notice holds (LANGUAGES.md): nothing; what was received and what the City will and will not do;
# or that and a copy of the request.
NONE = "none"
INTENT_ONLY = "intent_only"
COPY_AND_INTENT = "copy_and_intent"
HOLDS = (NONE, INTENT_ONLY, COPY_AND_INTENT)
HOLDS_WORDS = {
    NONE: "no notice is given",
    INTENT_ONLY: "what the City received and what it will and will not do about it; no copy of the request",
    COPY_AND_INTENT: "what the City received, what it will and will not do about it, and a copy of the paper",
}

SOURCE = "source"  # the pack's own words, which every translation follows
CERTIFIED = "certified"
UNOFFICIAL = "unofficial"
STATUSES = (CERTIFIED, UNOFFICIAL)
STATUS_WORDS = {
    SOURCE: "the pack's own text",
    CERTIFIED: "certified translation",
    UNOFFICIAL: "unofficial translation",
}

NOTICE_KEYS = ("holds", "holds_reviewed_by", "holds_reviewed_on", "source", "languages")
META_KEYS = ("name", "status", "translator", "certified_on")
# The lines every language gives, and the placeholders each must carry (the same in every language).
LINES: dict[str, frozenset[str]] = {
    "heading": frozenset(),  # who the notice is from, in the language
    "title": frozenset(),
    "intro": frozenset(),
    "case": frozenset({"case"}),
    "person": frozenset({"name"}),
    "booking": frozenset({"booking"}),
    "received_heading": frozenset(),
    "papers": frozenset({"papers"}),
    "no_paper": frozenset(),
    "sender": frozenset({"sender"}),
    "received": frozenset({"when", "channel"}),
    "response_heading": frozenset(),
    "closing": frozenset(),
    "served": frozenset({"date", "officer"}),
    "band": frozenset(),
    "code_label": frozenset(),
    "page": frozenset({"page", "pages"}),
}
# Lines a language gives only where they are used: the banner in the source (printed beside an unofficial
# translation's) and in every unofficial translation; the copy lines by what the notice holds.
BANNER = "banner"
COPY_LINES: dict[str, tuple[str, ...]] = {
    NONE: (),
    INTENT_ONLY: ("no_copy",),
    COPY_AND_INTENT: ("copy", "copy_missing"),
}
OPTIONAL_LINES = (BANNER, "no_copy", "copy", "copy_missing")
TABLES: dict[str, tuple[str, ...]] = {
    "codes": vocab.RESPONSE_CODES,
    "papers_named": vocab.DOCUMENT_KINDS,
    "senders": vocab.REQUESTERS,
    "channels": vocab.CHANNELS,
}
TABLE_WHAT = {
    "codes": "response code",
    "papers_named": "document kind",
    "senders": "requester",
    "channels": "channel",
}
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_AMBIGUITY = re.compile(r"\bAMB-\d+\b")


class NoticeError(BadInput, ValueError):
    """A notice that cannot be given: the pack gives none, or none in that language (one line)."""


@dataclass(frozen=True)
class NoticeLanguage:
    """One language's words of the notice, with its status: the source, or a certified or unofficial translation."""

    code: str  # a language, never a country: "en", "es", "pt_BR"
    name: str  # the language's own name for itself: "Español"
    status: str  # SOURCE, CERTIFIED or UNOFFICIAL
    lines: Mapping[str, str]
    codes: Mapping[str, str]  # response code -> the sentence the person reads
    papers_named: Mapping[str, str]  # document kind -> the paper's public name
    senders: Mapping[str, str]  # requester -> who sent it
    channels: Mapping[str, str]  # channel -> how it came
    translator: str = ""
    certified_on: str = ""

    @property
    def status_words(self) -> str:
        words = STATUS_WORDS[self.status]
        if self.status == CERTIFIED:
            words += f" by {self.translator} on {self.certified_on}"
        return words

    def to_dict(self) -> dict[str, Any]:
        """Every word of this language, as hashed and as `policy show --json` prints them."""
        return {
            "code": self.code,
            "name": self.name,
            "status": self.status,
            "translator": self.translator,
            "certified_on": self.certified_on,
            "lines": dict(sorted(self.lines.items())),
            "codes": dict(self.codes),
            "papers": dict(self.papers_named),
            "senders": dict(self.senders),
            "channels": dict(self.channels),
        }

    def line(self, key: str, **values: str) -> str:
        return self.lines[key].format(**values) if values else self.lines[key]


@dataclass(frozen=True)
class NoticeSettings:
    """A pack's [notice]: what a notice holds, whether counsel has reviewed that, and the words in each language."""

    holds: str = NONE
    reviewed_by: str = ""  # who settled what a notice holds (AMB-8); empty while it awaits review
    reviewed_on: str = ""
    source: str = ""  # the language the pack's own words are in; translations follow it
    languages: Mapping[str, NoticeLanguage] = field(default_factory=dict)

    @property
    def gives_notice(self) -> bool:
        return self.holds != NONE and bool(self.languages)

    @property
    def awaiting_review(self) -> bool:
        return not self.reviewed_by.strip()

    def language(self, code: str) -> NoticeLanguage:
        """The words in `code`; NoticeError naming the languages there are (never another language instead)."""
        if not self.gives_notice:
            raise NoticeError(
                "the policy pack gives no notice to the person (it has no notice words, or its notice setting is "
                "none); a case is told of only in the words of the pack it was decided under"
            )
        found = self.languages.get(code)
        if found is None:
            raise NoticeError(
                f"the policy pack has no notice in {code!r}; it has {', '.join(self.languages)} "
                "(a missing language is never replaced by another)"
            )
        return found

    def beside(self, language: NoticeLanguage) -> NoticeLanguage | None:
        """The source's words, printed beside an unofficial translation; None for the source or a certified one."""
        return self.languages[self.source] if language.status == UNOFFICIAL else None

    def text_sha256(self, code: str) -> str:
        """The hash of the pack text a notice in `code` prints: its words, the English beside them, the setting."""
        language = self.language(code)
        beside = self.beside(language)
        text = {
            "holds": self.holds,
            "language": language.to_dict(),
            "beside": beside.to_dict() if beside is not None else None,
        }
        canonical = json.dumps(text, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- reading a pack's [notice] --------------------------------------------------------------------------


def placeholders(text: str) -> frozenset[str] | None:
    """The named {placeholders} in `text`, or None when it is not valid (a stray brace, {0}, {x:>4})."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return None
    names: set[str] = set()
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            return None
        names.add(name)
    return frozenset(names)


def _words(placeholder_set: frozenset[str]) -> str:
    return ", ".join("{" + p + "}" for p in sorted(placeholder_set)) or "none"


def parse_notice(reader: _Reader, data: Mapping[str, Any]) -> NoticeSettings:
    """The pack's [notice], validated; a pack without one gives no notice (packs kept in old logs still load)."""
    if "notice" not in data:
        return NoticeSettings()
    table = reader.table(data, "notice")
    reader.only(table, NOTICE_KEYS, "notice")
    holds = reader.text(table, "holds", "notice")
    if holds not in HOLDS:
        raise reader.fail("notice.holds", f"unknown setting {holds!r}; expected one of {', '.join(HOLDS)}")
    languages_table = table.get("languages", {})
    if not isinstance(languages_table, Mapping):
        raise reader.fail("notice.languages", "expected a table of [notice.languages.CODE] tables")
    source = reader.text(table, "source", "notice", required=bool(languages_table) or holds != NONE)
    if holds != NONE and source not in languages_table:
        raise reader.fail("notice.source", f"no [notice.languages.{source}] table: the source language's words")
    languages: dict[str, NoticeLanguage] = {}
    if source:  # the source first: every translation is checked against it
        languages[source] = _language(reader, languages_table, source, holds, None)
    for code in languages_table:
        if code != source:
            languages[code] = _language(reader, languages_table, code, holds, languages[source])
    return NoticeSettings(
        holds=holds,
        reviewed_by=reader.text(table, "holds_reviewed_by", "notice", required=False),
        reviewed_on=reader.text(table, "holds_reviewed_on", "notice", required=False),
        source=source,
        languages=languages,
    )


def _language(
    reader: _Reader, languages: Mapping[str, Any], code: str, holds: str, source: NoticeLanguage | None
) -> NoticeLanguage:
    where = f"notice.languages.{code}"
    if not _LANGUAGE_CODE.match(code) or not _known_locale(code):
        raise reader.fail(where, f"{code!r} is not a language code like en, es or pt_BR")
    table = languages.get(code)
    if not isinstance(table, Mapping):
        raise reader.fail(where, "expected a table of the language's words")
    reader.only(table, (*META_KEYS, *LINES, *OPTIONAL_LINES, *TABLES), where)
    name = reader.text(table, "name", where)
    if source is None:
        if "status" in table:
            raise reader.fail(f"{where}.status", "the source language's words are the pack's own: no status")
        status, translator, certified_on = SOURCE, "", ""
    else:
        status = reader.text(table, "status", where)
        if status not in STATUSES:
            raise reader.fail(f"{where}.status", f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        translator = reader.text(table, "translator", where, required=status == CERTIFIED)
        certified_on = _day(reader, table, where) if status == CERTIFIED else ""
    wanted = [*LINES, *COPY_LINES[holds]]
    if source is None or status == UNOFFICIAL:
        wanted.append(BANNER)
    lines = {key: _line(reader, table, key, where, source) for key in wanted}
    tables = {name_: _table(reader, table, name_, where, source) for name_ in TABLES}
    return NoticeLanguage(
        code=code,
        name=name,
        status=status,
        lines=lines,
        codes=tables["codes"],
        papers_named=tables["papers_named"],
        senders=tables["senders"],
        channels=tables["channels"],
        translator=translator,
        certified_on=certified_on,
    )


def _known_locale(code: str) -> bool:
    """Whether Babel has the language's data (dates are written in it): "pt_BR" yes, "xx" no."""
    from babel import localedata

    return bool(localedata.exists(code))


def _day(reader: _Reader, table: Mapping[str, Any], where: str) -> str:
    import datetime as dt

    value = table.get("certified_on")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise reader.fail(
        f"{where}.certified_on", f"a certified translation needs its date, like 2026-03-01; got {value!r}"
    )


def _line(reader: _Reader, table: Mapping[str, Any], key: str, where: str, source: NoticeLanguage | None) -> str:
    text = reader.text(table, key, where)
    _check_sentence(reader, text, f"{where}.{key}")
    found = placeholders(text)
    if found is None:
        raise reader.fail(f"{where}.{key}", "a brace that is not a {placeholder}; write names like {case}")
    expected = LINES.get(key, frozenset())
    if source is not None and found != placeholders(source.lines[key]):
        theirs = placeholders(source.lines[key]) or frozenset()
        raise reader.fail(
            f"{where}.{key}", f"placeholders {_words(found)} differ from {source.name}'s {_words(theirs)}"
        )
    if found != expected:
        raise reader.fail(f"{where}.{key}", f"placeholders {_words(found)}; this line takes {_words(expected)}")
    return text


def _table(
    reader: _Reader, table: Mapping[str, Any], name: str, where: str, source: NoticeLanguage | None
) -> dict[str, str]:
    at = f"{where}.{name}"
    value = table.get(name)
    if not isinstance(value, Mapping):
        raise reader.fail(at, f"missing or not a table of {TABLE_WHAT[name]} = words")
    keys = TABLES[name]
    for key in value:
        if key not in keys:
            raise reader.fail(f"{at}.{key}", f"unknown {TABLE_WHAT[name]}; expected one of {', '.join(keys)}")
    missing = [k for k in keys if k not in value]
    if missing:
        raise reader.fail(at, f"no words for {', '.join(missing)} (every {TABLE_WHAT[name]} needs its own)")
    words: dict[str, str] = {}
    for key in keys:
        text = reader.text(value, key, at)
        _check_sentence(reader, text, f"{at}.{key}")
        if placeholders(text) != frozenset():
            raise reader.fail(f"{at}.{key}", "takes no {placeholders}")
        words[key] = text
    return words


@functools.cache
def _any_code() -> re.Pattern[str]:
    """Any response code as a word: one pattern, compiled once (a pack's notices hold thousands of lines)."""
    return re.compile(r"\b(?:" + "|".join(re.escape(code) for code in sorted(vocab.RESPONSE_CODES)) + r")\b")


def _check_sentence(reader: _Reader, text: str, key: str) -> None:
    """One line of words for the person: no line break, no response code or open-question id."""
    if "\n" in text:
        raise reader.fail(key, "expected one line")
    if _AMBIGUITY.search(text) or _any_code().search(text):
        raise reader.fail(key, "a notice names no response code or open question: it speaks to the person")


# --- a notice in words ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeWords:
    """One language's words of one notice, in the order they print."""

    language: NoticeLanguage
    heading: str
    title: str
    intro: str
    case_line: str
    person_line: str  # "" when no name was booked
    booking_line: str  # "" when no booking number was given
    received_heading: str
    papers_line: str
    sender_line: str
    received_line: str
    response_heading: str
    sentences: tuple[str, ...]  # one per response code given, in the order first given
    copy_line: str  # "" when the notice says nothing of a copy (none to say)
    closing: str
    served_line: str
    band: str
    code_label: str
    banner: str  # "" unless the language is an unofficial translation, or the source printed beside one

    def blocks(self) -> list[tuple[str, str]]:
        """(kind, text) in print order, the same kinds in every language, so two languages print side by side."""
        blocks = [("title", self.title), ("body", self.intro), ("fact", self.case_line)]
        blocks += [("fact", line) for line in (self.person_line, self.booking_line) if line]
        blocks += [("heading", self.received_heading), ("fact", self.papers_line), ("fact", self.sender_line)]
        blocks += [("fact", self.received_line), ("heading", self.response_heading)]
        blocks += [("sentence", s) for s in self.sentences]
        if self.copy_line:
            blocks.append(("body", self.copy_line))
        blocks += [("body", self.closing), ("fact", self.served_line)]
        return blocks


@dataclass(frozen=True)
class NoticeFacts:
    """What a notice is drawn from: the case version, who gives it and when, and (copy_and_intent) the copy."""

    case_number: str
    version: int
    intake: Intake
    decision: Decision
    drawn_at: dt.datetime  # on the pack's clock
    officer: str
    copy_pages: int | None = None  # pages of the copy that follow (copy_and_intent); None: no copy setting


@dataclass(frozen=True)
class ComposedNotice:
    """A notice in words: the person's language, and the English beside it when that is an unofficial translation."""

    holds: str
    words: NoticeWords
    beside: NoticeWords | None

    @property
    def language(self) -> NoticeLanguage:
        return self.words.language


def codes_in_order(decision: Decision) -> tuple[str, ...]:
    """The response codes of a decision, each once, in the order first given."""
    return tuple(dict.fromkeys(r.code for r in decision.responses))


def what_a_notice_says(intake: Intake, decision: Decision) -> tuple[object, ...]:
    """The facts a notice is written from: when they differ between two versions, a notice of one is not true
    of the other (whom it is about, the papers, who sent them, when and how, what the City will and will not do)."""
    return (
        intake.subject.name or "",
        intake.subject.booking_number or "",
        tuple(dict.fromkeys(d.kind for d in intake.documents)),
        intake.requester,
        intake.channel,
        intake.received_at.isoformat(),
        tuple((r.action, r.info, r.code) for r in decision.responses),
    )


def _words_in(language: NoticeLanguage, facts: NoticeFacts, holds: str, banner: str) -> NoticeWords:
    from desktop.dates import in_language

    intake = facts.intake
    kinds = list(dict.fromkeys(d.kind for d in intake.documents))
    papers = "; ".join(language.papers_named[k] for k in kinds)
    subject = intake.subject
    copy_line = ""
    if holds == INTENT_ONLY and kinds:
        copy_line = language.line("no_copy")
    elif holds == COPY_AND_INTENT:
        copy_line = language.line("copy" if facts.copy_pages else "copy_missing")
    return NoticeWords(
        language=language,
        heading=language.line("heading"),
        title=language.line("title"),
        intro=language.line("intro"),
        case_line=language.line("case", case=facts.case_number),
        person_line=language.line("person", name=subject.name) if subject.name else "",
        booking_line=language.line("booking", booking=subject.booking_number) if subject.booking_number else "",
        received_heading=language.line("received_heading"),
        papers_line=language.line("papers", papers=papers) if papers else language.line("no_paper"),
        sender_line=language.line("sender", sender=language.senders[intake.requester]),
        received_line=language.line(
            "received",
            when=in_language(_received_local(facts), language.code),
            channel=language.channels[intake.channel],
        ),
        response_heading=language.line("response_heading"),
        sentences=tuple(language.codes[code] for code in codes_in_order(facts.decision)),
        copy_line=copy_line,
        closing=language.line("closing"),
        served_line=language.line("served", date=in_language(facts.drawn_at, language.code), officer=facts.officer),
        band=language.line("band"),
        code_label=language.line("code_label"),
        banner=banner,
    )


def _received_local(facts: NoticeFacts) -> dt.datetime:
    """When the request was received, on the clock the notice is drawn on (the pack's)."""
    zone = facts.drawn_at.tzinfo
    return facts.intake.received_at.astimezone(zone) if zone is not None else facts.intake.received_at


def compose(settings: NoticeSettings, code: str, facts: NoticeFacts) -> ComposedNotice:
    """The notice of `facts` in the language `code`, with the source's words beside an unofficial translation.

    Raises NoticeError when the pack gives no notice, or none in that language, or holds a copy of the request
    and `facts` carry none (this desk does not yet print the copy: such a pack's notices are refused).
    """
    language = settings.language(code)
    if settings.holds == COPY_AND_INTENT and facts.copy_pages is None:
        raise NoticeError(
            "this policy pack's notice holds a copy of the request (copy_and_intent), and no copy was given: "
            "a notice that says it holds a copy is never printed without one"
        )
    beside = settings.beside(language)
    if beside is None:
        return ComposedNotice(settings.holds, _words_in(language, facts, settings.holds, ""), None)
    return ComposedNotice(
        settings.holds,
        _words_in(language, facts, settings.holds, language.line(BANNER)),
        _words_in(beside, facts, settings.holds, beside.line(BANNER)),
    )


def language_lines(settings: NoticeSettings) -> Sequence[str]:
    """Each language and its status, for `policy show`: "es Español: unofficial translation"."""
    return [f"{lang.code} {lang.name}: {lang.status_words}" for lang in settings.languages.values()]
