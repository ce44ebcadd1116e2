"""The scenario format: codes, rule and wording, and (pack 2.2) the say line and the warnings, each able to fail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.rules.checks import load_scenario, run_scenario
from tests.conftest import PACK_DIR

SCENARIO = PACK_DIR / "scenarios" / "D11-detainer-by-fax-bail-posted-no-hold.json"


def scenario_with(tmp_path: Path, expect: dict[str, Any] | None = None, **top: Any) -> Path:
    data = json.loads(SCENARIO.read_text(encoding="utf-8"))
    data["expect"][0] = {"action": "hold", "info": None, "codes": ["NO_HOLD"], "rule": "D11", **(expect or {})}
    data.update(top)
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def problems(pack, path: Path) -> tuple[str, ...]:
    return run_scenario(load_scenario(path), pack).problems


def test_the_words_that_pass(pack, tmp_path: Path) -> None:
    path = scenario_with(
        tmp_path,
        {
            "wording": {
                "lacks": ["released at the normal time."],
                "has_any": ["NOT EVEN FOR MINUTES", "no such words"],
            },
            "say": {"equals": "The City does not hold anyone on an immigration request.", "lacks": ["released"]},
        },
        warnings={"has_all": ["I-200", "awaits legal review"], "lacks": ["under 18"]},
    )
    assert problems(pack, path) == ()


@pytest.mark.parametrize(
    ("expect", "top", "found"),
    [
        ({"wording": {"lacks": ["Do not call ICE"]}}, {}, "'Do not call ICE' is in the wording"),
        ({"wording": {"has_any": ["hold for 48 hours"]}}, {}, "none of ['hold for 48 hours'] is in the wording"),
        ({"say": {"equals": "The person will be released at the normal time."}}, {}, "the say line is"),
        ({"say": {"lacks": ["immigration request"]}}, {}, "'immigration request' is in the say line"),
        ({"say": {"has_any": ["this request"]}}, {}, "is in the say line"),
        ({}, {"warnings": {"has_all": ["I-200", "under 18"]}}, "'under 18' is not in the warnings"),
        ({}, {"warnings": {"lacks": ["I-200"]}}, "'I-200' is in the warnings"),
    ],
)
def test_each_expectation_can_fail(pack, tmp_path: Path, expect, top, found: str) -> None:
    result = problems(pack, scenario_with(tmp_path, expect, **top))
    assert any(found in p for p in result), result


@pytest.mark.parametrize(
    ("expect", "top", "error"),
    [
        ({"says": {"lacks": ["x"]}}, {}, "expect[0].says: unknown key"),
        ({"wording": {"equals": "x"}}, {}, "expect[0].wording must be an object with lacks and/or has_any"),
        ({"wording": {"lacks": "x"}}, {}, "expect[0].wording.lacks must be a list of phrases"),
        ({"wording": {}}, {}, "expect[0].wording must be an object"),
        ({"say": {"equals": 3}}, {}, "expect[0].say.equals must be the exact words"),
        ({"say": {"has_any": [""]}}, {}, "expect[0].say.has_any must be a list of phrases"),
        ({}, {"warnings": ["I-200"]}, "warnings must be an object with lacks and/or has_any and/or has_all"),
    ],
)
def test_a_bad_expectation_is_refused_naming_it(tmp_path: Path, expect, top, error: str) -> None:
    with pytest.raises(ValueError) as caught:
        load_scenario(scenario_with(tmp_path, expect, **top))
    assert error in str(caught.value) and "scenario.json" in str(caught.value)
