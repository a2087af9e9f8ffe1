"""Collaboration analytics of the Hexahelix graph: pure functions over a `Projection` of a
snapshot (`projection`, `innovation_metrics`, `actor_metrics`, ...), and the cached `Analytics`
engine the service and the CLI use (`engine`).

The formulas are in docs/METRICS.md. This package imports nothing by itself: importing a schema
module must not import numpy, scipy, networkx and igraph (an API process that answers from the
results file starts without them).
"""
