"""Small builders of test records: only what a test cares about needs saying."""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.models import Actor, BuildsOn, Collaboration, Innovation, Partnership, PartOf, Region
from graph.vocab import Helix, Origin, RegionLevel, Role

DAY = date(2024, 1, 1)
REGENCY = "63.03"
SEED_INNOVATION = "geolasting"
SEED_NEW_TIE: dict[str, str] = {
    "actor_id": "media-lokal-c",
    "innovation_id": SEED_INNOVATION,
    "role": "publicist",
    "since": "2025-10-07",
}
"""A tie the Banjar seed does not have (a write that changes GEOLASTING's metrics), as posted."""


def innovation(id: str, **overrides: Any) -> Innovation:
    """An innovation in Kabupaten Banjar with no owner."""
    fields: dict[str, Any] = {
        "id": id,
        "name": id.replace("-", " ").title(),
        "origin": Origin.PERANGKAT_DAERAH,
        "region": REGENCY,
    }
    return Innovation.model_validate(fields | overrides)


def actor(id: str, helix: Helix = Helix.GOVERNMENT, **overrides: Any) -> Actor:
    """An actor in Kabupaten Banjar."""
    fields: dict[str, Any] = {
        "id": id,
        "name": id.replace("-", " ").title(),
        "helix": helix,
        "region": REGENCY,
    }
    return Actor.model_validate(fields | overrides)


def tie(actor_id: str, innovation_id: str, **kw: Any) -> Collaboration:
    """An implementer tie of strength 1 from DAY on."""
    fields: dict[str, Any] = {
        "actor_id": actor_id,
        "innovation_id": innovation_id,
        "role": Role.IMPLEMENTER,
        "since": DAY,
    }
    return Collaboration.model_validate(fields | kw)


def partnership(source_id: str, target_id: str, **kw: Any) -> Partnership:
    """An informal partnership from DAY on."""
    fields: dict[str, Any] = {"source_id": source_id, "target_id": target_id, "since": DAY}
    return Partnership.model_validate(fields | kw)


def part_of(child_id: str, parent_id: str) -> PartOf:
    return PartOf(child_id=child_id, parent_id=parent_id)


def builds_on(innovation_id: str, base_id: str, **kw: Any) -> BuildsOn:
    return BuildsOn.model_validate({"innovation_id": innovation_id, "base_id": base_id} | kw)


def region(code: str, name: str | None = None, level: RegionLevel = RegionLevel.REGENCY) -> Region:
    return Region(code=code, name=name or f"Region {code}", level=level)
