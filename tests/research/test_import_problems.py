"""A bad import is refused with every problem in one pass, on the command line and over HTTP,
on both stores: a bad value (file, line, the record's id, the field, the value), a duplicate
(both places and the id) and a broken reference (the record, the field and the value). Nothing
is written."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli_support import run_cli

from graph.bundle import SEED_DIR
from graph.models import GraphData
from graph.store import Store
from service.access import Role

API = "/api/v1"
MakeApp = Callable[..., Any]  # the make_app fixture (tests/research/conftest.py)


def _bad_seed_folder(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The seed's CSV folder with a bad helix on line 4 of actors.csv, line 6 repeated at the
    end, and line 3 of collaborations.csv pointing at an innovation nobody has."""
    folder = tmp_path / "bad"
    shutil.copytree(SEED_DIR, folder, ignore=shutil.ignore_patterns("*.py", "*.md", "__*"))
    actors = list(csv.reader((folder / "actors.csv").open(encoding="utf-8")))
    bad_actor = actors[3][0]
    actors[3][2] = "goverment"
    actors.append(list(actors[5]))
    with (folder / "actors.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(actors)
    ties = list(csv.reader((folder / "collaborations.csv").open(encoding="utf-8")))
    ties[2][1] = "no-such-innovation"
    with (folder / "collaborations.csv").open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(ties)
    facts = {
        "bad_actor": bad_actor,
        "duplicate": actors[5][0],
        "last_line": str(len(actors)),
        "tie_actor": ties[2][0],
    }
    return folder, facts


def test_cli_import_reports_every_problem_in_one_pass(
    store: Store, seed: GraphData, tmp_path: Path
) -> None:
    kind = "neo4j" if type(store).__name__.startswith("Neo4j") else "embedded"
    store.load(seed)
    before = store.snapshot()
    folder, facts = _bad_seed_folder(tmp_path)
    result = run_cli(kind, tmp_path / "data", "import", str(folder))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    problems = [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]
    assert "the bundle has 3 problem(s); nothing was written" in result.stderr
    assert problems == [
        f"{folder}/actors.csv line 4 (actor '{facts['bad_actor']}'), field helix: Input should "
        "be 'government', 'academia', 'private', 'community', 'ngo' or 'media' (got 'goverment')",
        f"{folder}/actors.csv line {facts['last_line']}: actor '{facts['duplicate']}' duplicates "
        f"{folder}/actors.csv line 6",
        f"{folder}/collaborations.csv line 3: collaborates_on '{facts['tie_actor']}' -> "
        "'no-such-innovation', field innovation_id: innovation 'no-such-innovation' not found",
    ]
    assert store.snapshot() == before


def test_cli_import_into_no_store_refuses_without_creating_one(tmp_path: Path) -> None:
    folder, facts = _bad_seed_folder(tmp_path)
    result = run_cli("embedded", tmp_path / "data", "import", str(folder))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "3 problem(s)" in result.stderr and facts["duplicate"] in result.stderr
    assert "does not exist yet (and is not created)" in result.stderr
    assert not (tmp_path / "data").exists()


def _bad_bundle(seed: GraphData) -> dict[str, Any]:
    """The seed as a JSON bundle with the same three kinds of problem."""
    bundle = json.loads(seed.model_dump_json())
    bundle["actors"][3]["helix"] = "goverment"
    bundle["actors"].append(dict(bundle["actors"][5]))
    bundle["collaborations"][1]["innovation_id"] = "no-such-innovation"
    return bundle


def test_http_import_reports_every_problem_in_one_pass(
    seeded_store: Store, seed: GraphData, make_app: MakeApp
) -> None:
    app = make_app()
    before = seeded_store.snapshot()
    bundle = _bad_bundle(seed)
    response = app.client.post(
        f"{API}/import", content=json.dumps(bundle), headers=app.auth(Role.ADMIN)
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert "3 problem(s); nothing was written" in body["detail"]
    last = len(bundle["actors"]) - 1
    tie = bundle["collaborations"][1]
    assert body["problems"] == [
        f"json: actors[3] (actor '{bundle['actors'][3]['id']}'), field helix: Input should be "
        "'government', 'academia', 'private', 'community', 'ngo' or 'media' (got 'goverment')",
        f"json: actors[{last}]: actor '{bundle['actors'][5]['id']}' duplicates json: actors[5]",
        f"json: collaborations[1]: collaborates_on '{tie['actor_id']}' -> 'no-such-innovation', "
        "field innovation_id: innovation 'no-such-innovation' not found",
    ]
    assert seeded_store.snapshot() == before


def test_http_import_of_a_csv_zip_names_line_and_node(store: Store, make_app: MakeApp) -> None:
    app = make_app()
    nodes = (
        "id,node_type,label,name,helix,region\n"
        "actor:a,actor,A,A,goverment,63.03\n"
        "actor:b,actor,B,B,media,63.03\n"
        "actor:b,actor,B,B,media,63.03\n"
    )
    edges = "source,target,edge_type,since\nactor:a,actor:ghost,partners_with,2024-01-01\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("nodes.csv", nodes)
        archive.writestr("edges.csv", edges)
    response = app.client.post(
        f"{API}/import", content=buffer.getvalue(), headers=app.auth(Role.ADMIN)
    )
    assert response.status_code == 422, response.text
    problems = response.json()["problems"]
    assert problems[0].startswith("nodes.csv line 2 (node 'actor:a'), field helix:")
    assert problems[0].endswith("(got 'goverment')")
    assert problems[1] == (
        "nodes.csv line 4 (node 'actor:b'): actor 'b' duplicates nodes.csv line 3 (node 'actor:b')"
    )
    # 'a' was left out for its bad helix, so only 'ghost' is a broken reference
    assert problems[2:] == [
        "edges.csv line 2 ('actor:a' -> 'actor:ghost'): partners_with 'a' -> 'ghost', field "
        "target_id: actor 'ghost' not found"
    ]
    assert store.is_empty()
