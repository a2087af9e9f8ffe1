"""The machine and the library versions a benchmark ran with."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from typing import Any


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float | None:
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """Cores, RAM, CPU model, OS and the load average when the run started."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cores": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "cpu_model": _cpu_model(),
        "os": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in load] if load else None,
    }


def versions() -> dict[str, str | None]:
    """Versions of Python and the libraries that do the work."""
    return {
        "python": sys.version.split()[0],
        "networkx": _version("networkx"),
        "python-igraph": _version("igraph") or _version("python-igraph"),
        "numpy": _version("numpy"),
        "scipy": _version("scipy"),
        "neo4j driver": _version("neo4j"),
        "fastapi": _version("fastapi"),
        "uvicorn": _version("uvicorn"),
    }
