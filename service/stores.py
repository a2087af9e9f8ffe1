"""Opens the store adapter the settings choose."""

from __future__ import annotations

from graph.store import Store
from service.settings import Settings, StoreKind


def open_store(settings: Settings) -> Store:
    """Open (and prepare) the configured store: one per process."""
    if settings.store is StoreKind.NEO4J:
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore(
            uri=settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
        )
    from graph.embedded import EmbeddedStore

    return EmbeddedStore(settings.data_dir)
