"""Where the service looks for the Neo4j store; the adapter lives in the `graph.neo4j` package."""

from graph.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]
