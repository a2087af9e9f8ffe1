"""The synthetic graph generator (`graph/synth.py`) and `hexahelix synth`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from graph.bundle import read_bundle, write_csv_dir
from graph.models import GraphData
from graph.synth import (
    SPECS,
    Scale,
    generate,
    generate_raw,
    region_sizes,
    shape,
    write,
    write_records,
)
from service.cli import main

Records = dict[str, list[dict[str, Any]]]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def check_structure(records: Records) -> None:
    """References resolve, one tie per pair, one partnership per unordered pair, owners lead."""
    actors = {a["id"] for a in records["actors"]}
    innovations = {i["id"]: i for i in records["innovations"]}
    regions = {r["code"] for r in records["regions"]}
    assert len(actors) == len(records["actors"])
    assert len(innovations) == len(records["innovations"])
    assert {a["region"] for a in records["actors"]} <= regions
    assert {i["region"] for i in innovations.values()} <= regions
    pairs = [(c["actor_id"], c["innovation_id"]) for c in records["collaborations"]]
    assert len(set(pairs)) == len(pairs)
    assert {a for a, _ in pairs} <= actors and {i for _, i in pairs} <= set(innovations)
    ties = {(c["actor_id"], c["innovation_id"]): c for c in records["collaborations"]}
    for inv in innovations.values():
        owner_tie = ties[(inv["owner_id"], inv["id"])]
        assert owner_tie["role"] == "initiator" and owner_tie["until"] is None
    for c in records["collaborations"]:
        assert c["until"] is None or c["until"] > c["since"]
    unordered = [frozenset((p["source_id"], p["target_id"])) for p in records["partnerships"]]
    assert all(len(pair) == 2 for pair in unordered)
    assert len(set(unordered)) == len(unordered)
    assert set().union(*unordered) <= actors
    for p in records["part_of"]:
        assert p["child_id"] in actors and p["parent_id"] in actors
    for b in records["builds_on"]:
        assert b["innovation_id"] in innovations and b["base_id"] in innovations
    assert {c["source"] for c in records["collaborations"]} == {records["actors"][0]["source"]}


def test_same_seed_same_bytes_and_different_seed_differs(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        seed = 2 if name == "c" else 1
        write_records(generate_raw(Scale.REGIONAL, seed), tmp_path / name)
        write_records(generate_raw(Scale.REGIONAL, seed), tmp_path / f"{name}.json")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert _files(tmp_path / "a") != _files(tmp_path / "c")
    assert (tmp_path / "a.json").read_bytes() != (tmp_path / "c.json").read_bytes()


def test_regional_counts_are_banjar_like() -> None:
    for seed in range(5):
        counts = generate(Scale.REGIONAL, seed).counts()
        assert 50 <= counts["innovations"] <= 60
        assert 100 <= counts["actors"] <= 150
        assert 230 <= counts["collaborations"] <= 380
        assert counts["partnerships"] == SPECS[Scale.REGIONAL].partnerships
        assert counts["regions"] == 3


def test_records_pass_the_models_and_write_like_the_bundle_writer(tmp_path: Path) -> None:
    records = generate_raw(Scale.REGIONAL, 7)
    data = GraphData.model_validate(records)
    write_records(records, tmp_path / "fast")
    write_csv_dir(data, tmp_path / "models")
    assert _files(tmp_path / "fast") == _files(tmp_path / "models")
    assert read_bundle(tmp_path / "fast").data == data
    write(data, tmp_path / "bundle.json")
    assert read_bundle(tmp_path / "bundle.json").data == data


def test_regional_structure_and_shape() -> None:
    records = generate_raw(Scale.REGIONAL, 11)
    check_structure(records)
    figures = shape(GraphData.model_validate(records))
    assert 2.5 <= figures["mean_coverage"] <= 4.2
    assert 4.0 <= figures["ties_per_innovation"] <= 7.0
    assert 0.4 <= figures["actors_by_helix_share"]["government"] <= 0.6
    assert all(share > 0 for share in figures["actors_by_helix_share"].values())
    tied = {c["actor_id"] for c in records["collaborations"]}
    assert len(tied) >= 0.9 * len(records["actors"])  # as in the seed, nearly every actor works


def test_region_sizes_are_heavy_tailed_with_absent_governments() -> None:
    spec = SPECS[Scale.NATIONAL]
    rng = np.random.default_rng(3)
    sizes = region_sizes(
        rng, 546, spec.innovations, spec.region_sigma, spec.absent, spec.max_region
    )
    assert len(sizes) == 546
    assert (sizes == 0).sum() == 15
    assert 33_000 <= sizes.sum() <= 37_000
    taking_part = sizes[sizes > 0]
    median = float(np.median(taking_part))
    assert 10 <= median <= 100  # many with tens
    assert 3 <= (sizes >= 200).sum() <= 60  # a handful with hundreds
    assert sizes.max() <= spec.max_region and sizes.max() >= 5 * median


@pytest.mark.slow
def test_national_graph_has_the_national_shape() -> None:
    records = generate_raw(Scale.NATIONAL, 1)
    counts = {kind: len(rows) for kind, rows in records.items()}
    assert counts["regions"] == 547  # Indonesia, 38 provinces, 508 regencies and cities
    assert 33_000 <= counts["innovations"] <= 37_000
    assert 70_000 <= counts["actors"] <= 90_000
    assert 270_000 <= counts["collaborations"] <= 330_000
    assert counts["partnerships"] == 50_000
    check_structure(records)
    per_region = Counter(i["region"] for i in records["innovations"])
    assert len(per_region) == 531
    levels = Counter(r["level"] for r in records["regions"])
    assert levels["province"] == 38 and levels["regency"] + levels["city"] == 508
    national = [a for a in records["actors"] if a["scope"] == "national"]
    assert 200 <= len(national) <= 400
    ties = Counter(c["actor_id"] for c in records["collaborations"])
    # the most active national actor spans many regions
    region_of = {i["id"]: i["region"] for i in records["innovations"]}
    lan = "nas-lembaga-administrasi-negara"
    lan_regions = {
        region_of[c["innovation_id"]] for c in records["collaborations"] if c["actor_id"] == lan
    }
    assert ties[lan] >= 100 and len(lan_regions) >= 50


def test_cli_synth_writes_an_importable_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "regional"
    assert main(["synth", "--scale", "regional", "--seed", "5", "--out", str(out)]) == 0
    assert "hexahelix import" in capsys.readouterr().out
    data = read_bundle(out).data
    assert data.counts() == GraphData.model_validate(generate_raw(Scale.REGIONAL, 5)).counts()
