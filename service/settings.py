"""Settings from the environment (and an optional `.env`), with the names docs and scripts use."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from graph.analytics.weights import IndexWeights, RecommendationWeights
from graph.vocab import Helix


class StoreKind(StrEnum):
    """Which store adapter serves the graph."""

    EMBEDDED = "embedded"
    NEO4J = "neo4j"


class Switch(StrEnum):
    """On or off."""

    ON = "on"
    OFF = "off"


class ReadAccess(StrEnum):
    """Whether reading the API needs a key."""

    OPEN = "open"
    KEY = "key"


class Settings(BaseSettings):
    """Everything configurable, read once per process."""

    model_config = SettingsConfigDict(
        env_file=".env", env_prefix="HEXAHELIX_", env_nested_delimiter="__", extra="ignore"
    )

    store: StoreKind = Field(StoreKind.EMBEDDED, description="Store adapter: embedded or neo4j.")
    data_dir: Path = Field(Path("data"), description="Where the embedded store keeps its files.")
    new_store: bool = Field(
        False,
        description="Accept a 0-byte database file as a new empty store (`hexahelix --new`); "
        "else it is refused as damaged.",
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    log_level: str = "info"

    neo4j_uri: str = Field(
        "bolt://127.0.0.1:7687", validation_alias=AliasChoices("NEO4J_URI", "HEXAHELIX_NEO4J_URI")
    )
    neo4j_user: str = Field(
        "neo4j", validation_alias=AliasChoices("NEO4J_USER", "HEXAHELIX_NEO4J_USER")
    )
    neo4j_password: SecretStr = Field(
        SecretStr(""), validation_alias=AliasChoices("NEO4J_PASSWORD", "HEXAHELIX_NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(
        "neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "HEXAHELIX_NEO4J_DATABASE")
    )
    neo4j_connection_timeout: float = Field(
        0.4,
        gt=0,
        le=60,
        description="Seconds to wait for a connection to Neo4j: while it is unreachable, a "
        "request fails (503) within about this time, then at once until a probe write succeeds.",
    )

    version_check_seconds: float | None = Field(
        None,
        ge=0,
        le=5,
        description=(
            "How long a read may reuse the graph version it last read before asking the store "
            "again (the response cache's freshness bound for writes made by other processes). "
            "Default: 0 on the embedded store (a local read), 0.1 s on Neo4j (a round trip)."
        ),
    )

    analytics_sync_budget_seconds: float = Field(
        1.0,
        ge=0,
        description=(
            "After a write, analytics whose last computation took longer than this are answered "
            "from that last result (marked stale) while the new one is computed in the "
            "background; quicker ones are recomputed on the request."
        ),
    )
    analytics_compute: Switch = Field(
        Switch.ON,
        description=(
            "`on`: the global analytics (every innovation's and actor's metrics, the "
            "portfolio, communities) and map layouts are computed by this deployment's own "
            "process: `hexahelix serve` runs `hexahelix worker` as its child (an app built "
            "without the CLI computes them in a background thread of its process) and keeps "
            "them in the results file. `off`: an API process beside the deployment's "
            "`hexahelix worker`. A server reads them from the results file only (stale while "
            "the worker recomputes; 503 until a first one exists) and never holds the national "
            "projection for them."
        ),
    )
    results_db: Path | None = Field(
        None,
        description="SQLite file of computed analytics and map layouts (default "
        "`<data_dir>/results.sqlite3`); the API processes and the worker of a deployment "
        "share it, and a restarted process answers from it at once.",
    )

    under_connected_threshold: int = Field(
        4,
        ge=1,
        le=len(Helix),
        description="Coverage below this marks an innovation under-connected.",
    )
    portfolio_region: str | None = Field(
        "63.03",
        description="The portfolio: the region analytics lists, rankings and `hexahelix analyze` "
        "cover when a request names none (`id` or empty: the whole graph; ignored when the graph "
        "has no such region). Records outside it, kept for reference, rank only when asked.",
    )
    retry_after_seconds: int = Field(5, ge=1, description="Retry-After sent with a 503.")
    require_if_match: bool = Field(
        False,
        description="Refuse (428) a PATCH or DELETE of a record that sends no `If-Match`, so no "
        "client can overwrite a change it has not seen.",
    )
    cypher_timeout_seconds: float = Field(
        10.0,
        gt=0,
        le=300,
        description="Time limit of a read-only Cypher query (admins may ask more).",
    )
    cypher_max_rows: int = Field(
        1000,
        ge=1,
        le=100_000,
        description="Row cap of a read-only Cypher query (admins may ask more).",
    )
    cypher_access: ReadAccess = Field(
        ReadAccess.KEY,
        description="`key` (default): POST /cypher needs a reader key, so its limits apply per "
        "key and every query is attributable; `open`: anonymous callers too (per client IP).",
    )
    cypher_workers: int = Field(
        4, ge=1, le=64, description="Research Cypher queries running at once (worker processes)."
    )
    cypher_per_caller: int = Field(
        2, ge=1, le=64, description="Research Cypher queries one key (or client IP) runs at once."
    )
    cypher_worker_memory_mb: int = Field(
        768, ge=128, description="Address space of one Cypher worker process (MiB)."
    )
    index_weights: IndexWeights = Field(
        default_factory=IndexWeights,
        description="Sustainability index weights, e.g. HEXAHELIX_INDEX_WEIGHTS__COVERAGE=0.4.",
    )
    recommendation_weights: RecommendationWeights = Field(
        default_factory=RecommendationWeights,
        description="Partner recommendation weights, e.g. HEXAHELIX_RECOMMENDATION_WEIGHTS__LOAD=0.5.",
    )

    # -- access control and limits (service/security.py, service/access.py) ------------------
    auth: Switch = Field(
        Switch.ON,
        description="`on`: writes need an editor key, admin routes an admin key. `off` (local "
        "development only): every request acts as admin.",
    )
    read_access: ReadAccess = Field(
        ReadAccess.OPEN, description="`open`: reads need no key; `key`: reads need a reader key."
    )
    access_db: Path | None = Field(
        None,
        description="SQLite file of API keys and the audit trail (default "
        "`<data_dir>/access.sqlite3`); every API process of a deployment must share it.",
    )
    max_body_bytes: int = Field(1_048_576, ge=1, description="Largest request body (413 above).")
    max_import_bytes: int = Field(
        10_485_760, ge=1, description="Largest body of POST /api/v1/import (413 above)."
    )
    max_import_unpacked_bytes: int = Field(
        104_857_600,
        ge=1,
        description="Most bytes an imported CSV zip may unpack to (422 above; checked while "
        "unpacking).",
    )
    max_import_rows: int = Field(
        1_000_000, ge=1, description="Most nodes, edges or CSV rows of one HTTP import (422)."
    )
    rate_limit_per_minute: int = Field(
        1200, ge=0, description="Requests per minute per API key (or client IP); 0 turns it off."
    )
    auth_failures_per_minute: int = Field(
        10,
        ge=1,
        description="Failed authentications a client address may make per minute (bursts up "
        "to this); then 429 until its bucket refills.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated addresses or CIDR blocks of reverse proxies whose "
        "`X-Forwarded-For` names the client (none: the peer address is the client).",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated origins allowed by CORS (none)."
    )
    trusted_hosts: Annotated[list[str] | None, NoDecode] = Field(
        None,
        description="Comma-separated Host names served (default 127.0.0.1, localhost and "
        "HEXAHELIX_HOST); `*` accepts any.",
    )

    @field_validator("portfolio_region", mode="before")
    @classmethod
    def _whole_graph(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().casefold() in ("", "id"):
            return None
        return value

    @field_validator("cors_origins", "trusted_hosts", "trusted_proxies", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    def version_ttl(self) -> float:
        """`version_check_seconds`, or its default for the store."""
        if self.version_check_seconds is not None:
            return self.version_check_seconds
        return 0.1 if self.store is StoreKind.NEO4J else 0.0

    def results_db_path(self) -> Path:
        """Where computed analytics and layouts are kept."""
        return self.results_db or self.data_dir / "results.sqlite3"

    def access_db_path(self) -> Path:
        """Where the keys and the audit trail live."""
        return self.access_db or self.data_dir / "access.sqlite3"

    def allowed_hosts(self) -> list[str]:
        """Host names the TrustedHostMiddleware accepts."""
        if self.trusted_hosts is not None:
            return self.trusted_hosts
        # Not `testserver` (the Host of Starlette's test client): the test suite adds it itself.
        hosts = ["127.0.0.1", "localhost"]
        return hosts if self.host in hosts else [*hosts, self.host]


ENV_PREFIX = "HEXAHELIX_"


def env_name(loc: tuple[int | str, ...]) -> str:
    """The environment variable that sets the setting at `loc` (as a validation error names it).

    >>> env_name(("store",))
    'HEXAHELIX_STORE'
    >>> env_name(("index_weights", "coverage"))
    'HEXAHELIX_INDEX_WEIGHTS__COVERAGE'
    """
    return ENV_PREFIX + "__".join(str(part) for part in loc).upper()


def settings_problems(error: ValidationError) -> list[str]:
    """One line per bad setting, naming its environment variable and the value given."""
    problems = []
    for item in error.errors(include_url=False):
        name = env_name(item["loc"])
        given = item.get("input")
        shown = f"={given}" if isinstance(given, str | int | float) else ""
        message = str(item["msg"])
        if "expected" in item.get("ctx", {}):
            message = f"must be one of {item['ctx']['expected']}"
        problems.append(f"{name}{shown}: {message}")
    return problems


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings."""
    return Settings()
