"""Settings from the environment (and an optional `.env`), with the names docs and scripts use."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class StoreKind(StrEnum):
    """Which store adapter serves the graph."""

    EMBEDDED = "embedded"
    NEO4J = "neo4j"


class Settings(BaseSettings):
    """Everything configurable, read once per process."""

    model_config = SettingsConfigDict(env_file=".env", env_prefix="HEXAHELIX_", extra="ignore")

    store: StoreKind = Field(StoreKind.EMBEDDED, description="Store adapter: embedded or neo4j.")
    data_dir: Path = Field(Path("data"), description="Where the embedded store keeps its files.")
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

    under_connected_threshold: int = Field(
        4, ge=1, le=6, description="Coverage below this marks an innovation under-connected."
    )
    retry_after_seconds: int = Field(5, ge=1, description="Retry-After sent with a 503.")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings."""
    return Settings()
