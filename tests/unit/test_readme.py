"""The README's list of commands matches the parser (in the style of sqlite-utils' test_docs.py)."""

from __future__ import annotations

import argparse
import re

import pytest

from desktop.cli import build_parser
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# Each documented call is a line like `    .venv/bin/python main.py --user ME record INTAKE.json ...`.
CALLS = re.findall(r"^\s+\.venv/bin/python main\.py (.+?)(?:\s{2,}#.*)?$", README, flags=re.MULTILINE)


GLOBAL_WITH_VALUE = {"--user", "--data-dir", "--policy"}  # may come before the command


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def documented() -> list[tuple[str, argparse.ArgumentParser, list[str]]]:
    """(the command as written, its parser, the option names used) for every documented call."""
    parser = build_parser()
    found = []
    for call in CALLS:
        words = call.split()
        target, name = parser, []
        skip = False
        for word in words:
            if skip:  # the value of a global option
                skip = False
                continue
            if word in GLOBAL_WITH_VALUE and not name or word == "--json" and not name:
                skip = word != "--json"
                continue
            if word.startswith("-"):
                break
            children = subcommands(target)
            if word not in children:
                break
            target, name = children[word], [*name, word]
        # An optional option is written in brackets ("[--since DATE]"): it is checked like any other.
        options = [w.lstrip("[").split("=")[0].rstrip("]") for w in words if w.lstrip("[").startswith("--")]
        found.append((" ".join(name) or "(window)", target, options))
    return found


def test_the_readme_documents_calls() -> None:
    assert len(CALLS) >= 15


def test_every_documented_command_and_option_exists() -> None:
    for name, target, options in documented():
        known = {option for action in target._actions for option in action.option_strings}
        for option in options:
            assert option in known, f"README: `{name} {option}` is not an option of the parser"


def test_every_command_is_documented() -> None:
    names = {name for name, _target, _options in documented()}
    parser = build_parser()
    for command, sub in subcommands(parser).items():
        nested = subcommands(sub)
        for full in [f"{command} {n}" for n in nested] if nested else [command]:
            assert full in names, f"README does not document `main.py {full}`"


@pytest.mark.parametrize("command", ["--self-test", "--demo"])
def test_window_options_are_documented(command: str) -> None:
    assert f"main.py {command}" in README or f"scripts/start.sh {command}" in README
