"""Opens the store adapter the settings choose, and names it for people."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from graph.analytics.results import ResultStore
from graph.store import Store
from service.settings import Settings, StoreKind


def open_store(settings: Settings) -> Store:
    """Open (and prepare) the configured store: one per process."""
    if settings.store is StoreKind.NEO4J:
        from graph.neo4j import Neo4jStore

        return Neo4jStore(
            uri=settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
            connection_timeout=settings.neo4j_connection_timeout,
        )
    from graph.embedded import EmbeddedStore

    return EmbeddedStore(settings.data_dir, new=settings.new_store)


def describe_store(settings: Settings) -> str:
    """Which store the settings choose: its kind and its absolute file or its URI and database."""
    if settings.store is StoreKind.NEO4J:
        return f"neo4j {settings.neo4j_uri} (database {settings.neo4j_database})"
    return f"embedded {embedded_file(settings)}"


def embedded_file(settings: Settings) -> str:
    """The absolute path of the embedded store's file (whether or not it exists yet)."""
    from graph.embedded import DB_FILE

    return str((settings.data_dir / DB_FILE).resolve())


def store_exists(settings: Settings) -> bool:
    """False only for an embedded store whose file is not there yet (opening creates it)."""
    if settings.store is StoreKind.NEO4J:
        return True
    return Path(embedded_file(settings)).exists()


def store_identity(store: Store, settings: Settings) -> str:
    """Names the graph a results file describes: the embedded file (its inode too: a file
    restored or created anew is another graph), or the Neo4j address and database."""
    path = getattr(store, "path", None)
    if isinstance(path, Path) and path.exists():
        return f"embedded {path.resolve()} inode {path.stat().st_ino}"
    return f"neo4j {settings.neo4j_uri} (database {settings.neo4j_database})"


def results_schema() -> str:
    """A digest of the JSON schemas of every kept answer: results kept by a version of the code
    whose answers had another shape are forgotten, not misread."""
    from graph.analytics.engine import CALLS, PERSISTED
    from graph.layout import Layout
    from service.routes.web import MapData, Regions

    schemas = [kept.adapter.json_schema() for kept in PERSISTED.values()]
    schemas += [call.adapter.json_schema() for call in CALLS.values()]
    schemas += [model.model_json_schema() for model in (Layout, MapData, Regions)]
    text = json.dumps(schemas, sort_keys=True).encode()
    return hashlib.sha1(text, usedforsecurity=False).hexdigest()[:12]


def open_results(settings: Settings, store: Store) -> ResultStore:
    """The results file shared by the API processes and the worker of this store."""
    identity = f"{store_identity(store, settings)}; answers {results_schema()}"
    return ResultStore(settings.results_db_path(), identity=identity)
