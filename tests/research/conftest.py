"""Fixtures of the research tests: apps with access control on, keys of each role, the seed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.bundle import load_seed
from graph.models import GraphData
from graph.store import Store
from service.access import AccessStore, Role
from service.app import create_app
from service.settings import Settings

API = "/api/v1"


@pytest.fixture(scope="session")
def seed() -> GraphData:
    """The Banjar seed bundle."""
    return load_seed()


@pytest.fixture
def seeded_store(store: Store, seed: GraphData) -> Store:
    """The parametrised store (one per store kind) holding the Banjar seed."""
    store.load(seed)
    return store


class App:
    """A test client over an app with the given settings, and keys of each role."""

    def __init__(self, client: TestClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self.access = AccessStore(settings.access_db_path())
        self.keys: dict[Role, str] = {
            role: self.access.create_key(f"{role.value}-key", role) for role in Role
        }

    def auth(self, role: Role, header: str = "bearer") -> dict[str, str]:
        """Headers sending the key of `role`."""
        key = self.keys[role]
        return {"Authorization": f"Bearer {key}"} if header == "bearer" else {"X-API-Key": key}


MakeApp = Callable[..., App]


@pytest.fixture
def make_app(store: Store, tmp_path: Path) -> Iterator[MakeApp]:
    """Build apps over the test's store with settings overrides (auth on unless told)."""
    numbers = count()
    with ExitStack() as stack:

        def make(**overrides: Any) -> App:
            folder = tmp_path / f"app{next(numbers)}"
            settings = Settings(data_dir=folder, **overrides)
            client = stack.enter_context(TestClient(create_app(settings, store=store)))
            return App(client, settings)

        yield make
