from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.bundle import load_seed
from graph.store import Store
from service.app import create_app
from service.settings import Settings


@pytest.fixture
def client(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the test's (empty) store."""
    # Auth off: these tests are about the records; access control is tested in tests/research.
    settings = Settings(data_dir=tmp_path_factory.mktemp("unused"), auth="off")
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client


@pytest.fixture
def seeded(client: TestClient, store: Store) -> TestClient:
    """The app over a store holding the Banjar seed."""
    store.load(load_seed())
    return client
