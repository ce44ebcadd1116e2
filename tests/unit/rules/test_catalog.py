"""The catalog: each pack read and validated once per process, seen again when its file changes, chosen by date."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from desktop import cli
from desktop.desk import Desk, system_clock
from desktop.rules import catalog
from desktop.rules.catalog import Catalog, choose_pack, forget_packs, load_pack, pack_from_bytes
from desktop.rules.pack import NotInForceError, PackError
from tests.conftest import EXAMPLES_DIR, PACK_DIR, ROOT


class Counter:
    """Counts the catalog's reads of pack files and the reader's validations, for one test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reads = 0
        self.parses = 0
        read, parse = catalog._read, catalog.parse_pack

        def counted_read(path: Path) -> bytes:
            self.reads += 1
            return read(path)

        def counted_parse(raw: bytes, path: Path):  # type: ignore[no-untyped-def]
            self.parses += 1
            return parse(raw, path)

        monkeypatch.setattr(catalog, "_read", counted_read)
        monkeypatch.setattr(catalog, "parse_pack", counted_parse)


@pytest.fixture
def counter(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter]:
    forget_packs()
    yield Counter(monkeypatch)
    forget_packs()


def intake_file(tmp_path: Path, received_at: str = "2026-01-13T22:18:00-05:00") -> Path:
    data = json.loads((EXAMPLES_DIR / "S01.json").read_text(encoding="utf-8"))["intake"]
    data["received_at"] = received_at
    path = tmp_path / f"intake-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run_decide(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["decide", *args])
    return code, out.getvalue(), err.getvalue()


def test_one_decide_reads_and_validates_its_pack_exactly_once(tmp_path: Path, counter: Counter) -> None:
    code, out, err = run_decide(str(intake_file(tmp_path)))
    assert code == 0, err
    assert json.loads(out)["policy"]["version"]
    assert (counter.reads, counter.parses) == (1, 1)
    # more decisions in the same process, on other days, read nothing again
    for day in ("2020-02-02T10:00:00-05:00", "2031-07-04T12:30:00-04:00", "2026-01-13T22:18:00-05:00"):
        assert run_decide(str(intake_file(tmp_path, day)))[0] == 0
    assert (counter.reads, counter.parses) == (1, 1)


def test_a_named_pack_is_read_once_too(tmp_path: Path, counter: Counter) -> None:
    for _ in range(3):
        code, _, err = run_decide("--policy", str(PACK_DIR), str(intake_file(tmp_path)))
        assert code == 0, err
    assert (counter.reads, counter.parses) == (1, 1)


def test_the_desk_deciding_many_requests_validates_once(tmp_path: Path, counter: Counter) -> None:
    desk = Desk(tmp_path / "data", clock=system_clock, create=False)
    start = dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)
    data = json.loads((EXAMPLES_DIR / "S01.json").read_text(encoding="utf-8"))["intake"]
    for hours in range(0, 24 * 200, 7):  # a different received_at every time
        data["received_at"] = (start + dt.timedelta(hours=hours)).isoformat()
        assert desk.decide(data).decision.responses[0].code == "NO_HOLD"
    desk.active_pack()
    assert counter.parses == 1


def test_a_fresh_decide_process_validates_its_pack_once(tmp_path: Path) -> None:
    # The whole command in its own process: every validation, by whatever path, goes through the reader.
    probe = (
        "import runpy, sys\n"
        "import desktop.rules.reader as reader\n"
        "count = [0]\n"
        "parse = reader.parse_pack\n"
        "def counted(*a, **k):\n"
        "    count[0] += 1\n"
        "    return parse(*a, **k)\n"
        "reader.parse_pack = counted\n"
        "sys.argv = ['main.py', 'decide', sys.argv[1]]\n"
        "try:\n"
        "    runpy.run_path('main.py', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "sys.stderr.write(f'validations={count[0]}\\n')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(intake_file(tmp_path))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["responses"]
    assert done.stderr.strip().splitlines()[-1] == "validations=1"


def pack_copy(tmp_path: Path, name: str = "one") -> Path:
    folder = tmp_path / "policies" / name
    folder.mkdir(parents=True)
    (folder / "pack.toml").write_bytes((PACK_DIR / "pack.toml").read_bytes())
    return folder / "pack.toml"


def test_an_edited_pack_is_seen_at_once_and_a_touched_one_is_not_parsed_again(tmp_path: Path, counter: Counter) -> None:
    path = pack_copy(tmp_path)
    first = load_pack(path)
    assert load_pack(path) is first and counter.reads == 1
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))  # touched: read, not parsed
    assert load_pack(path) is first and (counter.reads, counter.parses) == (2, 1)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('reviewed_by = ""', 'reviewed_by = "J. Doe, City Solicitor"'), encoding="utf-8")
    edited = load_pack(path)
    assert edited is not first and edited.reviewed_by == "J. Doe, City Solicitor" and counter.parses == 2
    assert edited.sha256 != first.sha256


def test_a_bad_pack_is_not_kept(tmp_path: Path, counter: Counter) -> None:
    path = pack_copy(tmp_path)
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("[definitions]", "[definitionz]"), encoding="utf-8")
    for _ in range(2):  # refused each time, never from a cache
        with pytest.raises(PackError, match="definitionz"):
            load_pack(path)
    path.write_text(good, encoding="utf-8")
    assert load_pack(path).id == "northampton-2019"
    assert counter.parses == 3
    path.unlink()
    with pytest.raises(PackError, match="cannot be read"):
        load_pack(path)


def test_a_pack_from_the_log_is_validated_once_per_content(counter: Counter) -> None:
    raw = (PACK_DIR / "pack.toml").read_bytes()
    label = Path("<log: pack northampton-2019>")
    first = pack_from_bytes(raw, label)
    assert pack_from_bytes(raw, label) is first and counter.parses == 1
    other = pack_from_bytes(raw.replace(b'reviewed_on = ""', b'reviewed_on = "2026-01-01"'), label)
    assert other is not first and counter.parses == 2


def test_threads_asking_at_once_parse_once(tmp_path: Path, counter: Counter) -> None:
    path = pack_copy(tmp_path)
    found: list[object] = []
    threads = [threading.Thread(target=lambda: found.append(load_pack(path))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter.parses == 1 and len({id(p) for p in found}) == 1


def two_packs(tmp_path: Path, second_zone: str = "America/New_York") -> Path:
    old = (PACK_DIR / "pack.toml").read_text(encoding="utf-8")
    root = tmp_path / "policies"
    (root / "a").mkdir(parents=True)
    (root / "a" / "pack.toml").write_text(old.replace('effective_to = ""', "effective_to = 2024-06-30"), "utf-8")
    (root / "b").mkdir()
    newer = old.replace("effective_from = 2019-12-05", "effective_from = 2024-07-01")
    (root / "b" / "pack.toml").write_text(newer.replace("America/New_York", second_zone), "utf-8")
    return root


def test_packs_of_one_folder_must_name_one_time_zone(tmp_path: Path) -> None:
    # LEGAL.md 3C version 2.1, item 7: a change of zone at a changeover opens a gap or an overlap.
    root = two_packs(tmp_path, "America/Chicago")
    with pytest.raises(PackError) as caught:
        Catalog(root).packs()
    assert caught.value.key == "time_zone" and "America/Chicago" in str(caught.value)
    assert "\n" not in str(caught.value)
    same = two_packs(tmp_path / "same")
    assert [p.effective_from.isoformat() for p in Catalog(same).packs()] == ["2019-12-05", "2024-07-01"]


@pytest.mark.parametrize(
    ("received_at", "version_from"),
    [
        ("2024-06-30T23:59:59-04:00", "2019-12-05"),
        ("2024-07-01T00:00:00-04:00", "2024-07-01"),  # local midnight belongs to the new day
        ("2024-07-01T03:59:59Z", "2019-12-05"),
        ("2024-07-01T04:00:00Z", "2024-07-01"),
    ],
)
def test_the_pack_in_force_is_picked_by_the_local_date(tmp_path: Path, received_at: str, version_from: str) -> None:
    pack = Catalog(two_packs(tmp_path)).at(dt.datetime.fromisoformat(received_at))
    assert pack.effective_from.isoformat() == version_from


@pytest.mark.parametrize(
    ("received_at", "decided"),
    [("2019-12-04T21:00:00-08:00", True), ("2019-12-05T04:59:59Z", False)],  # LEGAL.md 3C v2.1, item 7
)
def test_the_first_day_edge_of_version_2_1(received_at: str, decided: bool) -> None:
    moment = dt.datetime.fromisoformat(received_at)
    if decided:
        assert choose_pack(moment, None, PACK_DIR.parent).id == "northampton-2019"
        return
    with pytest.raises(NotInForceError) as caught:
        choose_pack(moment, None, PACK_DIR.parent)
    assert str(caught.value) == (
        f"received_at {received_at.replace('Z', '+00:00')} is 2019-12-04 in America/New_York, "
        "before the first policy pack is in force (2019-12-05)"
    )


def test_an_empty_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="no policy pack found"):
        choose_pack(dt.datetime.now(dt.UTC), None, tmp_path)
