"""The first hour of a new user: each command run as they would run it (the installed
`hexahelix` in a fresh folder, no HEXAHELIX_ settings), and every mistake answered with exit 2 and
one line naming the problem, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEXAHELIX = str(Path(sys.executable).with_name("hexahelix"))


def run(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`hexahelix ARGS` in `folder` with the user's environment minus any Hexahelix setting."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HEXAHELIX_", "NEO4J_"))}
    return subprocess.run(
        [HEXAHELIX, *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=120,
    )


def refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Assert exit 2 with one line on stderr naming each of `words`; returns the line."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr
    # The note naming the store is context, not part of the message.
    lines = [line for line in result.stderr.strip().splitlines() if not line.startswith("store:")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("user")
    result = run(folder, "seed")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["analyze", "--limit", "0"], ["--limit", "0"]),
        (["analyze", "--limit", "-3"], ["--limit", "-3"]),
        (["analyze", "--limit", "many"], ["--limit", "many"]),
        (["export", "--out", "/nonexistent/dir/x.json"], ["/nonexistent/dir", "does not exist"]),
        (["export", "--out", "."], ["is a folder"]),
        (["export", "--format", "bundle", "--out", "seed.json/x.json"], ["does not exist"]),
        (["export", "--format", "bundle", "--out", "mine"], ["one JSON file", "mine.json"]),
        (["analyze", "--out", "/nonexistent/x.csv"], ["/nonexistent"]),
        (["import", "/no/such/bundle.json"], ["/no/such/bundle.json", "no such file"]),
        (["frobnicate"], ["frobnicate"]),
        (["export", "--format", "csv", "--out", "out.csv"], ["zip", "out.zip", "--table"]),
        (["export", "--table", "nodes", "--out", "n.json"], ["--format csv"]),
        (["analyze", "--region", "64"], ["--region", "unknown region '64'"]),
        (
            ["export", "--region", "kabupaten banjr", "--out", "x.json"],
            ["did you mean", "Kabupaten Banjar"],
        ),
    ],
)
def test_a_mistake_is_one_line_and_exit_2(seeded: Path, args: list[str], words: list[str]) -> None:
    refused(run(seeded, *args), *words)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HEXAHELIX_STORE", "neo5j"),
        ("HEXAHELIX_PORT", "abc"),
        ("HEXAHELIX_UNDER_CONNECTED_THRESHOLD", "9"),
        ("HEXAHELIX_INDEX_WEIGHTS__COVERAGE", "lots"),
    ],
)
def test_a_bad_setting_names_its_environment_variable(
    seeded: Path, variable: str, value: str
) -> None:
    line = refused(run(seeded, "stats", **{variable: value}), f"{variable}={value}")
    assert "store" not in line.split(":")[0].lower() or variable == "HEXAHELIX_STORE"


def test_a_region_without_under_connected_innovations_is_an_empty_answer(seeded: Path) -> None:
    result = run(seeded, "analyze", "--region", "63.71", "--limit", "5")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "no under-connected innovations in region 63.71" in result.stderr
    named = run(seeded, "analyze", "--region", "Kabupaten Banjar", "--limit", "3")
    assert named.returncode == 0 and len(named.stdout.splitlines()) == 4


def test_reading_a_store_that_is_not_there_is_refused_not_created(tmp_path: Path) -> None:
    refused(run(tmp_path, "stats"), "no store", str(tmp_path / "data"), "HEXAHELIX_DATA_DIR")
    assert not (tmp_path / "data").exists()


def test_commands_say_which_store_and_the_counts_around_a_write(
    seeded: Path, tmp_path: Path
) -> None:
    stats = run(seeded, "stats")
    assert f"store: embedded {seeded / 'data'}" in stats.stderr
    bundle = tmp_path / "bundle.json"
    assert run(seeded, "export", "--format", "bundle", "--out", str(bundle)).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    imported = run(elsewhere, "import", str(bundle))
    assert imported.returncode == 0, imported.stderr
    assert "does not exist yet: creating a new, empty store" in imported.stderr
    assert "before: 0 innovations" in imported.stderr
    held = run(seeded, "stats", "--json")
    innovations = sum(json.loads(held.stdout)["innovations by origin"].values())
    assert f"now holds {innovations} innovations" in imported.stdout


def test_keys_list_has_a_header(tmp_path: Path) -> None:
    assert run(tmp_path, "keys", "create", "ana", "--role", "editor").returncode == 0
    lines = run(tmp_path, "keys", "list").stdout.splitlines()
    assert lines[0].split() == ["name", "role", "key", "created", "state"]
    assert lines[1].split()[:2] == ["ana", "editor"]


def test_analyze_covers_the_portfolio_region_unless_asked(seeded: Path) -> None:
    portfolio = run(seeded, "analyze", "--all", "--limit", "100", "--format", "csv")
    assert "portfolio: region 63.03" in portfolio.stderr
    assert "sipelandukilat" not in portfolio.stdout
    everything = run(
        seeded, "analyze", "--all", "--limit", "100", "--format", "csv", "--region", "id"
    )
    assert "portfolio: the whole graph" in everything.stderr
    assert "sipelandukilat" in everything.stdout


def test_export_one_plain_csv_table(seeded: Path) -> None:
    result = run(seeded, "export", "--format", "csv", "--table", "edges", "--out", "edges.csv")
    assert result.returncode == 0, result.stderr
    assert (seeded / "edges.csv").read_text().startswith("source,target,edge_type")
