"""The `hexahelix` command line, run as a user runs it: a subprocess with its own data folder."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.bundle import SEED_DIR


def hexahelix(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEXAHELIX_STORE": "embedded", "HEXAHELIX_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_seed_twice_gives_the_same_graph(data_dir: Path, tmp_path: Path) -> None:
    assert hexahelix(data_dir, "seed").returncode == 0
    assert hexahelix(data_dir, "export", "--out", str(tmp_path / "one.json")).returncode == 0
    assert hexahelix(data_dir, "seed").returncode == 0
    assert hexahelix(data_dir, "export", "--out", str(tmp_path / "two.json")).returncode == 0
    assert (tmp_path / "one.json").read_text() == (tmp_path / "two.json").read_text()


def test_seed_if_empty_skips_a_filled_store(data_dir: Path) -> None:
    assert "seeded" in hexahelix(data_dir, "seed", "--if-empty").stdout
    assert "skipped" in hexahelix(data_dir, "seed", "--if-empty").stdout


def test_stats_counts_the_seed(data_dir: Path) -> None:
    hexahelix(data_dir, "seed")
    result = hexahelix(data_dir, "stats", "--json")
    assert result.returncode == 0
    stats = json.loads(result.stdout)
    assert stats["innovations by origin"]["masyarakat"] == 10
    assert sum(stats["innovations by coverage"].values()) == 55
    assert all(count > 0 for count in stats["actors by helix"].values())


def test_import_csv_export_round_trip(data_dir: Path, tmp_path: Path) -> None:
    assert hexahelix(data_dir, "import", str(SEED_DIR)).returncode == 0
    out = tmp_path / "csv"
    assert hexahelix(data_dir, "export", "--format", "csv", "--out", str(out)).returncode == 0
    other = tmp_path / "other"
    assert hexahelix(other, "import", str(out)).returncode == 0
    hexahelix(data_dir, "export", "--out", str(tmp_path / "a.json"))
    hexahelix(other, "export", "--out", str(tmp_path / "b.json"))
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()


def test_bad_import_exits_2_names_the_row_and_writes_nothing(
    data_dir: Path, tmp_path: Path
) -> None:
    bundle = {
        "actors": [{"id": "a", "name": "A", "helix": "government", "region": "63.03"}],
        "innovations": [{"id": "i", "name": "I", "origin": "kecamatan", "region": "63.03"}],
        "collaborations": [
            {"actor_id": "a", "innovation_id": "i", "role": "initiator", "since": "2025-01-01"},
            {"actor_id": "ghost", "innovation_id": "i", "role": "funder", "since": "2025-01-01"},
        ],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bundle))
    result = hexahelix(data_dir, "import", str(path))
    assert result.returncode == 2
    assert "collaborations[1]" in result.stderr and "ghost" in result.stderr
    stats = hexahelix(data_dir, "stats", "--json")  # the refusal did not even create a store
    assert stats.returncode == 2 and "no store" in stats.stderr, stats.stderr


def test_missing_file_exits_2(data_dir: Path) -> None:
    result = hexahelix(data_dir, "import", "/no/such/bundle.json")
    assert result.returncode == 2 and "no such file" in result.stderr


def test_unknown_command_exits_2(data_dir: Path) -> None:
    assert hexahelix(data_dir, "frobnicate").returncode == 2


def test_analyze_lists_under_connected_innovations_most_urgent_first(data_dir: Path) -> None:
    hexahelix(data_dir, "seed")
    result = hexahelix(data_dir, "analyze", "--format", "json", "--limit", "100")
    assert result.returncode == 0
    rows = json.loads(result.stdout)
    assert rows and all(row["under_connected"] and row["reasons"] for row in rows)
    indexes = [row["sustainability_index"] for row in rows]
    assert indexes == sorted(indexes)
    table = hexahelix(data_dir, "analyze", "--limit", "3").stdout.splitlines()
    assert table[0].split()[:3] == ["id", "index", "coverage"]
    assert [line.split()[0] for line in table[1:]] == [row["id"] for row in rows[:3]]
    # what is invented or only assumed shows beside each innovation
    assert {"provenance", "membership", "completeness"} <= set(table[0].split())
    listed = hexahelix(data_dir, "analyze", "--all", "--format", "csv", "--limit", "100")
    marks = {row["id"]: row for row in csv.DictReader(io.StringIO(listed.stdout))}
    assert marks["geolasting"]["provenance"] == "reported"
    assert marks["geolasting"]["membership"] == "assumed"
    assert marks["lapat-manis"]["membership"] == "reported"
    assert marks["si-rantang"]["provenance"] == "illustrative"
    assert marks["si-rantang"]["membership"] == "-"
    assert 0 <= float(marks["geolasting"]["completeness"]) < 1


def test_import_replace_with_a_broken_bundle_keeps_the_store(
    data_dir: Path, tmp_path: Path
) -> None:
    hexahelix(data_dir, "seed")
    path = tmp_path / "partial.json"
    only_ties = {
        "collaborations": [
            {
                "actor_id": "universitas-a",
                "innovation_id": "geolasting",
                "role": "funder",
                "since": "2025-01-01",
            }
        ]
    }
    path.write_text(json.dumps(only_ties))
    result = hexahelix(data_dir, "import", "--replace", str(path))
    assert result.returncode == 2 and "nothing was written" in result.stderr
    stats = json.loads(hexahelix(data_dir, "stats", "--json").stdout)
    assert stats["innovations by origin"]["masyarakat"] == 10
