"""A generated graph of a given size (for benchmarks and property tests, not for users).

Shape loosely follows a regional portfolio: government actors are over-represented and every
innovation has an owner agency; team sizes vary from 1 to about 8; some ties have ended.
"""

from __future__ import annotations

import random
from datetime import date

from graph.models import Actor, Collaboration, GraphData, Innovation, Partnership, Region
from graph.vocab import Helix, Origin, PartnershipKind, RegionLevel, Role

HELIX_SHARE: dict[Helix, float] = {
    Helix.GOVERNMENT: 0.45,
    Helix.ACADEMIA: 0.1,
    Helix.PRIVATE: 0.12,
    Helix.COMMUNITY: 0.18,
    Helix.NGO: 0.07,
    Helix.MEDIA: 0.08,
}
SECTORS = ["health", "education", "population", "economy", "environment", "governance"]
DISTRICTS = ["Martapura", "Gambut", "Sungai Tabuk", "Astambul", "Karang Intan", "Aluh-Aluh"]


def synthetic_graph(
    innovations: int = 55,
    actors: int = 130,
    ties: int = 300,
    partnerships: int = 40,
    region: str = "63.03",
    seed: int = 7,
) -> GraphData:
    """A random graph with the given counts (ties and partnerships are at most these)."""
    rng = random.Random(seed)
    helices = list(HELIX_SHARE)
    actor_list = [
        Actor(
            id=f"actor-{k}",
            name=f"Actor {k}",
            helix=rng.choices(helices, weights=list(HELIX_SHARE.values()))[0],
            region=region,
            district=rng.choice(DISTRICTS),
            sector=rng.choice(SECTORS),
        )
        for k in range(actors)
    ]
    innovation_list = [
        Innovation(
            id=f"innovation-{k}",
            name=f"Innovation {k}",
            origin=rng.choice(list(Origin)),
            region=region,
            district=rng.choice(DISTRICTS),
            sector=rng.choice(SECTORS),
        )
        for k in range(innovations)
    ]
    seen: set[tuple[int, int]] = set()
    collaborations: list[Collaboration] = []
    popularity = [1.0 / (1 + k) ** 0.7 for k in range(actors)]
    for _ in range(ties):
        a = rng.choices(range(actors), weights=popularity)[0]
        i = rng.randrange(innovations)
        if (a, i) in seen:
            continue
        seen.add((a, i))
        since = date(rng.randint(2019, 2025), rng.randint(1, 12), 1)
        until = None if rng.random() > 0.15 else date(since.year + rng.randint(1, 3), 6, 30)
        collaborations.append(
            Collaboration(
                actor_id=actor_list[a].id,
                innovation_id=innovation_list[i].id,
                role=rng.choice(list(Role)),
                strength=rng.randint(1, 3),
                since=since,
                until=until,
            )
        )
    pairs: set[frozenset[int]] = set()
    partnership_list: list[Partnership] = []
    for _ in range(partnerships):
        a, b = rng.sample(range(actors), 2)
        if frozenset((a, b)) in pairs:
            continue
        pairs.add(frozenset((a, b)))
        partnership_list.append(
            Partnership(
                source_id=actor_list[a].id,
                target_id=actor_list[b].id,
                kind=rng.choice(list(PartnershipKind)),
                since=date(rng.randint(2017, 2025), 1, 1),
            )
        )
    return GraphData(
        regions=[Region(code=region, name="Kabupaten Banjar", level=RegionLevel.REGENCY)],
        actors=actor_list,
        innovations=innovation_list,
        collaborations=collaborations,
        partnerships=partnership_list,
    )
