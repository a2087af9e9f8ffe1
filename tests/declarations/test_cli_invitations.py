"""`hexahelix invitations`: links for many innovations in a CSV that work on the API."""

from __future__ import annotations

import csv
from pathlib import Path

from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.declarations.conftest import API
from tests.test_cli import hexahelix


def test_invite_a_region_and_use_a_link(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert hexahelix(data, "seed").returncode == 0
    out = tmp_path / "links.csv"
    made = hexahelix(
        data,
        "invitations",
        "create",
        "--region",
        "63.03",
        "--days",
        "14",
        "--base-url",
        "https://hexahelix.example",
        "--out",
        str(out),
    )
    assert made.returncode == 0, made.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) > 40
    assert out.stat().st_mode & 0o077 == 0
    assert all(r["url"].startswith("https://hexahelix.example/declare/hxi_") for r in rows)
    geolasting = next(r for r in rows if r["innovation_id"] == "geolasting")
    token = geolasting["url"].rsplit("/", 1)[1]

    listed = hexahelix(data, "invitations", "list", "--innovation", "geolasting")
    assert listed.returncode == 0 and "open" in listed.stdout and token not in listed.stdout
    with TestClient(create_app(Settings(data_dir=data))) as client:
        form = client.get(
            f"{API}/declarations/current", headers={"Authorization": f"Bearer {token}"}
        )
        assert form.status_code == 200, form.text
        assert form.json()["innovation"]["id"] == "geolasting"

    invitation_id = token.split("_")[1]
    assert hexahelix(data, "invitations", "revoke", invitation_id).returncode == 0
    with TestClient(create_app(Settings(data_dir=data))) as client:
        refused = client.get(
            f"{API}/declarations/current", headers={"Authorization": f"Bearer {token}"}
        )
        assert refused.status_code == 401


def test_bad_arguments_exit_2_in_one_place(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert hexahelix(data, "seed").returncode == 0
    out = tmp_path / "links.csv"
    unknown = hexahelix(
        data,
        "invitations",
        "create",
        "--innovation",
        "nope",
        "--base-url",
        "https://x.example",
        "--out",
        str(out),
    )
    assert unknown.returncode == 2
    assert "nope" in unknown.stderr and "Traceback" not in unknown.stderr
    assert not out.exists()
    assert hexahelix(data, "invitations", "revoke", "nope").returncode == 2
