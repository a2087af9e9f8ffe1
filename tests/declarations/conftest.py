"""Fixtures of the declaration tests: a small graph with illustrative ties, an app with access
control on and keys of each role, and helpers to invite and declare."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factories import actor, innovation, tie
from fastapi.testclient import TestClient

from graph.models import GraphData
from graph.store import Store
from graph.vocab import Helix, Role
from service.access import AccessStore
from service.access import Role as KeyRole
from service.app import create_app
from service.settings import Settings

API = "/api/v1"
INNOVATION = "posyandu-digital"


def small_graph() -> GraphData:
    """One innovation owned by a Dinas, with three illustrative ties, and spare actors."""
    return GraphData(
        actors=[
            actor("dinkes-banjar", name="Dinas Kesehatan Kabupaten Banjar"),
            actor("kampus-b", Helix.ACADEMIA, name="Universitas B"),
            actor("media-c", Helix.MEDIA, name="Media lokal C"),
            actor("bank-d", Helix.PRIVATE, name="Bank daerah D"),
            actor("other-owner"),
        ],
        innovations=[
            innovation(INNOVATION, name="Posyandu <Digital>", owner_id="dinkes-banjar"),
            innovation("other-innovation", owner_id="other-owner"),
        ],
        collaborations=[
            tie(
                "dinkes-banjar",
                INNOVATION,
                role=Role.INITIATOR,
                strength=3,
                source="Perbup 12/2023",
            ),
            tie("kampus-b", INNOVATION, role=Role.KNOWLEDGE_PARTNER, strength=2),
            tie("media-c", INNOVATION, role=Role.PUBLICIST),
            tie("other-owner", "other-innovation"),
        ],
    )


class App:
    """A test client with access control on, and a key of each role."""

    def __init__(self, client: TestClient, settings: Settings) -> None:
        self.client = client
        self.access = AccessStore(settings.access_db_path())
        self.keys = {role: self.access.create_key(f"{role.value}-key", role) for role in KeyRole}

    def auth(self, role: KeyRole) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}

    def invite(self, innovation_id: str = INNOVATION, **body: Any) -> dict[str, Any]:
        response = self.client.post(
            f"{API}/innovations/{innovation_id}/invitations",
            json=body or None,
            headers=self.auth(KeyRole.CURATOR),
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created


def token_auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def graph_store(store: Store) -> Store:
    """The parametrised store holding the small graph."""
    store.load(small_graph())
    return store


@pytest.fixture
def app(graph_store: Store, tmp_path: Path) -> Iterator[App]:
    """The app over the small graph, auth on."""
    settings = Settings(data_dir=tmp_path / "app")
    with TestClient(create_app(settings, store=graph_store)) as client:
        yield App(client, settings)


@pytest.fixture
def embedded_app(tmp_path: Path) -> Iterator[App]:
    """The app over an embedded store holding the small graph (for tests of the rules that do
    not depend on the store)."""
    from graph.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "data")
    store.load(small_graph())
    settings = Settings(data_dir=tmp_path / "app")
    try:
        with TestClient(create_app(settings, store=store)) as client:
            yield App(client, settings)
    finally:
        store.close()
