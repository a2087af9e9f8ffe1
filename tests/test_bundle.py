"""Reading bundles: the seed, CSV folders and JSON files, with errors naming file, line, field."""

import shutil
from collections import Counter
from pathlib import Path

import pytest

from graph.bundle import SEED_DIR, read_bundle, write_csv_dir, write_json
from graph.errors import Invalid
from graph.vocab import Helix


def test_seed_has_the_banjar_portfolio() -> None:
    data = read_bundle(SEED_DIR).data
    banjar = [i for i in data.innovations if i.region == "63.03"]
    assert len(banjar) == 54
    assert Counter(i.origin.value for i in banjar) == {
        "perangkat_daerah": 33,
        "kecamatan": 4,
        "puskesmas": 7,
        "masyarakat": 10,
    }
    assert len(data.actors) >= 120
    assert {a.helix for a in data.actors} == set(Helix)
    assert any(
        p.kind.value == "mou" and {p.source_id, p.target_id} == {"pemkab-banjar", "lan-ri"}
        for p in data.partnerships
    )
    assert any(
        b.innovation_id == "jempol-pelanduk" and b.base_id == "sipelandukilat"
        for b in data.builds_on
    )


def test_seed_marks_reported_and_illustrative_records() -> None:
    data = read_bundle(SEED_DIR).data
    reported = {i.id for i in data.innovations if i.provenance.value == "reported"}
    assert {"geolasting", "jempol-pelanduk", "mitra-bungas-banjar"} <= reported
    assert all(i.source != "illustrative" for i in data.innovations if i.id in reported)
    assert all(i.source == "illustrative" for i in data.innovations if i.id not in reported)


def copy_seed(tmp_path: Path) -> Path:
    folder = tmp_path / "bundle"
    shutil.copytree(SEED_DIR, folder)
    return folder


def test_bad_rows_are_all_reported_with_file_line_and_field(tmp_path: Path) -> None:
    folder = copy_seed(tmp_path)
    actors = folder / "actors.csv"
    lines = actors.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index("helix")] = "church"
    lines[1] = ",".join(first)
    lines.append("bad id,Name,media,news_outlet,63.03,,local,,,illustrative,illustrative")
    actors.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(Invalid) as caught:
        read_bundle(folder)
    problems = caught.value.problems
    helix = f"actors.csv line 2 (actor '{first[0]}'), field helix"
    assert any(helix in p and "(got 'church')" in p for p in problems), problems
    assert any(
        f"actors.csv line {len(lines)} (actor 'bad id'), field id" in p and "(got 'bad id')" in p
        for p in problems
    ), problems


def test_missing_required_file_is_named(tmp_path: Path) -> None:
    folder = copy_seed(tmp_path)
    (folder / "actors.csv").unlink()
    with pytest.raises(Invalid, match=r"actors\.csv"):
        read_bundle(folder)


def test_csv_and_json_round_trip(tmp_path: Path) -> None:
    data = read_bundle(SEED_DIR).data
    write_csv_dir(data, tmp_path / "csv")
    write_json(data, tmp_path / "bundle.json")
    assert read_bundle(tmp_path / "csv").data == data
    assert read_bundle(tmp_path / "bundle.json").data == data


def test_broken_json_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"actors": [{"id": "x"}]}', encoding="utf-8")
    with pytest.raises(Invalid) as caught:
        read_bundle(path)
    assert caught.value.problems[0] == f"{path}: actors[0] (actor 'x'), field name: Field required"
    assert len(caught.value.problems) == 3  # name, helix and region are all missing


def test_store_problems_are_explained_with_file_and_line(tmp_path: Path) -> None:
    bundle = read_bundle(SEED_DIR)
    explained = bundle.explain("collaborations[0]: actor 'x' not found")
    assert explained.endswith("collaborations.csv line 2: actor 'x' not found")
