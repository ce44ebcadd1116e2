"""Each refusal names the real problem: a long user name is a failed sign-in (recorded), a long search says how
long a search may be; neither says "detail is longer than 500 characters"."""

from __future__ import annotations

import json

from tests.unit.cli_run import invoke
from tests.unit.conftest import as_user


def test_a_long_user_name_is_a_failed_sign_in_and_is_recorded(env: dict[str, str]) -> None:
    long_name = "u" * 600
    refused = invoke({**env, "SAFEDESK_USER": long_name}, "log")
    assert refused.returncode == 2 and "user name or password is wrong" in refused.stderr, refused
    assert "500 characters" not in refused.stderr
    audit = json.loads(invoke(as_user(env, "admin"), "--json", "audit", "--kind", "sign_in_failed").stdout)
    entries = audit["entries"] if isinstance(audit, dict) else audit
    details = [entry["detail"] for entry in entries]
    assert any("u" * 64 in d and "(600 characters)" in d for d in details), details


def test_a_long_search_says_how_long_a_search_may_be(env: dict[str, str]) -> None:
    refused = invoke(env, "log", "--search", "x" * 600)
    assert refused.returncode == 2, refused
    assert "the search is 600 characters long; a search may be at most 200" in refused.stderr
    assert "detail is longer" not in refused.stderr
