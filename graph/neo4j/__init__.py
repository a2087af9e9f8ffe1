"""The Neo4j adapter of the store port (`Neo4jStore`) and the read-only Cypher runner."""

from graph.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]
