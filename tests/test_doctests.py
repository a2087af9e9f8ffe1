"""Runs the doctest examples of the public functions in the normal suite."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "graph.models",
    "graph.errors",
    "service.errors",
    "service.security",
    "graph.integrity",
    "service.observe",
    "service.settings",
    "service.errors",
    "service.cli",
    "graph.analytics.innovation_metrics",
    "graph.analytics.actor_metrics",
    "graph.analytics.portfolio",
    "graph.analytics.recommend",
    "graph.analytics.history",
    "graph.messages",
    "graph.asof",
    "graph.vocab",
    "service.lang",
    "graph.analytics.triangles",
    "graph.analytics.gcpause",
    "graph.revision",
    "graph.analytics.results",
    "graph.regions",
    "graph.mapcommunities",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no doctest examples"
    assert result.failed == 0
