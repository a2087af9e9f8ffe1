"""The composition root: settings → store → shared results file → analytics engines (over the
store and over its reported part) → access store (keys, audit, invitations and declarations, all
in the access file) → the regions and the kept map answers the routes read.

The one place that opens a store from settings. The app builds its `Services` here in its
lifespan (or is given them by `hexahelix serve`, which opens them before the server starts so a
bad file is one line, not a traceback); the CLI, the tests and the benchmarks open their stores
through `open_store` too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from graph.analytics.engine import Analytics, SnapshotSource
from graph.analytics.results import ResultStore
from graph.store import Store
from service.access import AccessStore
from service.declarations import DeclarationStore
from service.invitations import InvitationStore
from service.regions import RegionBook
from service.reported import ReportedMirror
from service.settings import Settings, StoreKind, Switch
from service.shared import KeptAnswers


@dataclass(frozen=True)
class Services:
    """What one process serves from: its settings, its store and that store's reported part,
    the results file shared with the worker, an analytics engine over each graph, the kept map
    answers, the access store (with the invitations and declarations kept in it) and the
    regions the store knows."""

    settings: Settings
    store: Store
    reported: ReportedMirror
    results: ResultStore
    analytics: Analytics
    reported_analytics: Analytics
    kept: KeptAnswers
    access: AccessStore
    invitations: InvitationStore
    declarations: DeclarationStore
    regions: RegionBook


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


def build_analytics(
    store: SnapshotSource,
    settings: Settings,
    results: ResultStore | None = None,
    scope: str = "all",
) -> Analytics:
    """An analytics engine (of the app, the worker or the CLI), with the weights and threshold
    of the settings, its answers shared through `results` under `scope` (all, reported)."""
    return Analytics(
        store,
        weights=settings.index_weights,
        threshold=settings.under_connected_threshold,
        recommendation_weights=settings.recommendation_weights,
        sync_budget=settings.analytics_sync_budget_seconds,
        results=results,
        computes=settings.analytics_compute is Switch.ON,
        scope=scope,
    )


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
    from graph.mapview import MapData, Regions

    schemas = [kept.adapter.json_schema() for kept in PERSISTED.values()]
    schemas += [call.adapter.json_schema() for call in CALLS.values()]
    schemas += [model.model_json_schema() for model in (Layout, MapData, Regions)]
    text = json.dumps(schemas, sort_keys=True).encode()
    return hashlib.sha1(text, usedforsecurity=False).hexdigest()[:12]


def open_results(settings: Settings, store: Store) -> ResultStore:
    """The results file shared by the API processes and the worker of this store."""
    identity = f"{store_identity(store, settings)}; answers {results_schema()}"
    return ResultStore(settings.results_db_path(), identity=identity)


def open_access(settings: Settings) -> AccessStore:
    """The keys and audit trail (created on first use)."""
    return AccessStore(settings.access_db_path())


@contextmanager
def compose(settings: Settings, store: Store | None = None) -> Iterator[Services]:
    """The services of one process. With no `store`, the configured one is opened here and
    closed on exit; a given store stays open (its owner closes it). The engines and the
    reported mirror close first: a refresh still reading a closed store must not be."""
    with ExitStack() as stack:
        if store is None:
            store = open_store(settings)
            stack.callback(store.close)
        access = open_access(settings)
        results = open_results(settings, store)
        stack.callback(results.close)
        reported = ReportedMirror(store)
        stack.callback(reported.close)
        analytics = build_analytics(store, settings, results)
        stack.callback(analytics.close)
        reported_analytics = build_analytics(reported, settings, results, scope="reported")
        stack.callback(reported_analytics.close)
        yield Services(
            settings=settings,
            store=store,
            reported=reported,
            results=results,
            analytics=analytics,
            reported_analytics=reported_analytics,
            kept=KeptAnswers(
                results,
                computes=settings.analytics_compute is Switch.ON,
                sync_budget=settings.analytics_sync_budget_seconds,
            ),
            access=access,
            invitations=InvitationStore(access),
            declarations=DeclarationStore(access),
            regions=RegionBook(store),
        )


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
