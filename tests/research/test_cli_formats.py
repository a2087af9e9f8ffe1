"""`hexahelix export` and `hexahelix import` in every format, through the same functions as the
HTTP routes."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from graph.bundle import SEED_DIR
from graph.store import Store
from service import cli
from service.access import Role
from service.settings import Settings
from tests.research.conftest import MakeApp


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data: Path, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(data_dir=data))
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("graphml", "g.graphml"),
        ("gexf", "g.gexf"),
        ("csv", "g.zip"),
        ("json", "g.json"),
        ("bundle", "g.json"),
    ],
)
def test_cli_export_import_round_trip(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    fmt: str,
    name: str,
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(monkeypatch, capsys, one, "import", str(SEED_DIR))[0] == 0
    out = tmp_path / name
    assert run(monkeypatch, capsys, one, "export", "--format", fmt, "--out", str(out))[0] == 0
    code, stdout, err = run(monkeypatch, capsys, two, "import", str(out))  # format guessed
    assert code == 0, err
    assert "imported" in stdout
    for folder, target in ((one, "a.json"), (two, "b.json")):
        run(
            monkeypatch,
            capsys,
            folder,
            "export",
            "--format",
            "bundle",
            "--out",
            str(tmp_path / target),
        )
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()


def test_cli_export_with_metrics(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(monkeypatch, capsys, tmp_path / "d", "seed")
    out = tmp_path / "m.graphml"
    code, _, err = run(
        monkeypatch,
        capsys,
        tmp_path / "d",
        "export",
        "--format",
        "graphml",
        "--metrics",
        "--region",
        "63.03",
        "--out",
        str(out),
    )
    assert code == 0, err
    graph = nx.read_graphml(out)
    assert "sustainability_index" in graph.nodes["innovation:geolasting"]


def test_cli_bad_file_exits_2_naming_the_element_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "nodes": [
                    {
                        "id": "actor:a",
                        "node_type": "actor",
                        "name": "A",
                        "helix": "x",
                        "region": "63.03",
                    }
                ],
                "edges": [],
            }
        )
    )
    code, _, err = run(monkeypatch, capsys, tmp_path / "d", "import", str(bad))
    assert code == 2 and "json node 'actor:a', field helix" in err
    # Refused before any store was opened: none was even created.
    code, _, err = run(monkeypatch, capsys, tmp_path / "d", "stats", "--json")
    assert code == 2 and "no store at" in err


def test_the_bundle_is_one_format_on_the_command_line_and_over_http(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    store: Store,
    make_app: MakeApp,
) -> None:
    """`hexahelix export --format bundle` writes what `GET /export?format=bundle` answers, byte
    for byte, and each side imports what the other exported."""
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(monkeypatch, capsys, one, "import", str(SEED_DIR))[0] == 0
    from_cli = tmp_path / "cli.json"
    assert (
        run(monkeypatch, capsys, one, "export", "--format", "bundle", "--out", str(from_cli))[0]
        == 0
    )
    app = make_app()
    posted = app.client.post(
        "/api/v1/import", content=from_cli.read_bytes(), headers=app.auth(Role.ADMIN)
    )
    assert posted.status_code == 200, posted.text
    exported = app.client.get("/api/v1/export", params={"format": "bundle"})
    assert exported.status_code == 200
    assert exported.content == from_cli.read_bytes()
    from_http = tmp_path / "http.json"
    from_http.write_bytes(exported.content)
    code, _, err = run(monkeypatch, capsys, two, "import", str(from_http))
    assert code == 0, err
    again = tmp_path / "again.json"
    assert (
        run(monkeypatch, capsys, two, "export", "--format", "bundle", "--out", str(again))[0] == 0
    )
    assert again.read_bytes() == from_cli.read_bytes()
