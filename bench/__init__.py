"""Benchmarks of Hexahelix at regional and national scale: `python -m bench` (or `make bench`).

Sections: analytics (project vs python-igraph), API under load, import, peak memory. Results go to
`bench/results/results.json` and `bench/results/RESULTS.md`.
"""
