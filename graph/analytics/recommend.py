"""Partner recommendations: who could fill a missing or fragile helix kind of an innovation.

For each target kind (missing first, then fragile), every actor of that kind not already on the
innovation is scored (weights in `RecommendationWeights`)::

    score = network * AA/(1+AA) + sector * S + locality * L - load * P

- AA (Adamic-Adar style): sum over the candidate's projection neighbours z that are on the team
  or linked to it of 1 / ln(1 + deg z): shared partners count more when they are selective.
- S: share of the candidate's active innovations in this innovation's sector (its own sector
  when it has none).
- L: 1 same district, 0.5 same region, 0.25 same province, else 0.
- P: min(1, max(0, active ties - load_free) / load_free): actors already stretched drop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from graph.analytics.innovation_schemas import ActorRef
from graph.analytics.projection import HELIX_INDEX, HELIXES, IntArray, Projection
from graph.analytics.recommend_schemas import Gap, Recommendation, Recommendations, Target
from graph.analytics.text import name_list, plural
from graph.analytics.weights import RecommendationWeights
from graph.errors import NotFound
from graph.models import Actor, Innovation
from graph.vocab import Helix

EXAMPLES: dict[Helix, str] = {
    Helix.GOVERNMENT: "an agency, kecamatan or puskesmas",
    Helix.ACADEMIA: "a university, polytechnic or research centre",
    Helix.PRIVATE: "a bank, a local business or a CSR programme",
    Helix.COMMUNITY: "a village government, TP PKK, Karang Taruna or a farmer group",
    Helix.NGO: "an association, foundation or professional body",
    Helix.MEDIA: "a local newspaper, radio, TV station or news site",
}


def locality(actor: Actor, innovation: Innovation) -> float:
    """1 same district (and region), 0.5 same region, 0.25 same province, else 0.

    >>> from graph.vocab import Origin
    >>> inv = Innovation(id="x", name="X", origin=Origin.MASYARAKAT, region="63.03",
    ...                  district="Martapura")
    >>> a = Actor(id="a", name="A", helix=Helix.MEDIA, region="63.03", district="martapura")
    >>> locality(a, inv), locality(a.model_copy(update={"region": "63.71"}), inv)
    (1.0, 0.25)
    """
    if actor.region == innovation.region:
        same_district = (
            actor.district is not None
            and innovation.district is not None
            and actor.district.casefold() == innovation.district.casefold()
        )
        return 1.0 if same_district else 0.5
    if actor.region.split(".")[0] == innovation.region.split(".")[0] and actor.region != "id":
        return 0.25
    return 0.0


def load_penalty(active_ties: int, load_free: int) -> float:
    """min(1, max(0, ties - load_free) / load_free).

    >>> load_penalty(4, 6), load_penalty(9, 6), load_penalty(30, 6)
    (0.0, 0.5, 1.0)
    """
    return min(1.0, max(0, active_ties - load_free) / load_free)


def recommend(
    proj: Projection,
    innovation_id: str,
    weights: RecommendationWeights | None = None,
    limit: int = 5,
) -> Recommendations:
    """Candidate partners per missing or fragile kind of the innovation (`limit` per kind)."""
    weights = weights or RecommendationWeights()
    if innovation_id not in proj.innovation_index:
        raise NotFound(f"innovation {innovation_id!r} not found")
    i = proj.innovation_index[innovation_id]
    innovation = proj.innovations[i]
    team = proj.team(i)
    team_set = set(team)
    present = {int(proj.actor_helix[a]) for a in team}
    per_kind = np.bincount(proj.actor_helix[team], minlength=len(HELIXES)) if team else None
    targets = [Target(helix=h, why="missing") for h in HELIXES if HELIX_INDEX[h] not in present]
    if per_kind is not None:
        targets += [
            Target(helix=h, why="fragile") for h in HELIXES if per_kind[HELIX_INDEX[h]] == 1
        ]

    adj = proj.adjacency_binary
    degree = np.diff(adj.indptr)
    ring = set(team_set)
    for a in team:
        ring.update(proj.neighbours(a).tolist())
    load = np.bincount(proj.tie_actor, minlength=proj.n_actors)
    for p in proj.partnerships:
        load[proj.actor_index[p.source_id]] += 1
        load[proj.actor_index[p.target_id]] += 1
    sector = innovation.sector.casefold() if innovation.sector else None
    team_innovations = {a: proj.actor_innovation_set(a) for a in team}

    recommendations: list[Recommendation] = []
    gaps: list[Gap] = []
    for target in targets:
        h = HELIX_INDEX[target.helix]
        candidates = [
            c for c in np.flatnonzero(proj.actor_helix == h).tolist() if c not in team_set
        ]
        if not candidates:
            other = "other " if target.why == "fragile" else ""
            gaps.append(
                Gap(
                    helix=target.helix,
                    message=(
                        f"the graph has no {other}{target.helix.value} actor to propose; "
                        f"add one, e.g. {EXAMPLES[target.helix]}"
                    ),
                )
            )
            continue
        ranked = sorted(
            candidates,
            key=lambda c: (
                -_measure(proj, c, innovation, ring, degree, load, sector, weights).score,
                proj.actors[c].id,
            ),
        )
        scored = [
            _score(
                proj, c, i, target, team_set, team_innovations, ring, degree, load, sector, weights
            )
            for c in ranked[:limit]
        ]
        recommendations.extend(scored)
    return Recommendations(
        innovation_id=innovation.id,
        name=innovation.name,
        at=proj.at,
        targets=targets,
        recommendations=recommendations,
        gaps=gaps,
        weights=weights,
    )


@dataclass
class _Measure:
    shared: list[int]
    own: set[int]
    in_sector: int
    sector: float
    network: float
    locality: float
    penalty: float
    score: float


def _measure(
    proj: Projection,
    c: int,
    innovation: Innovation,
    ring: set[int],
    degree: IntArray,
    load: IntArray,
    sector: str | None,
    weights: RecommendationWeights,
) -> _Measure:
    """The numeric parts of a candidate's score."""
    actor = proj.actors[c]
    neighbours = proj.neighbours(c).tolist()
    shared = sorted((z for z in neighbours if z in ring), key=lambda z: proj.actors[z].id)
    aa = sum(1.0 / math.log(1 + int(degree[z])) for z in shared)
    network = aa / (1 + aa)
    own = proj.actor_innovation_set(c)
    if own:
        in_sector = sum(
            1 for j in own if sector and (proj.innovations[j].sector or "").casefold() == sector
        )
        sector_score = in_sector / len(own)
    else:
        in_sector = 0
        sector_score = 1.0 if sector and (actor.sector or "").casefold() == sector else 0.0
    local = locality(actor, innovation)
    penalty = load_penalty(int(load[c]), weights.load_free)
    score = (
        weights.network * network
        + weights.sector * sector_score
        + weights.locality * local
        - weights.load * penalty
    )
    return _Measure(shared, own, in_sector, sector_score, network, local, penalty, score)


def _score(
    proj: Projection,
    c: int,
    i: int,
    target: Target,
    team: set[int],
    team_innovations: dict[int, set[int]],
    ring: set[int],
    degree: IntArray,
    load: IntArray,
    sector: str | None,
    weights: RecommendationWeights,
) -> Recommendation:
    actor = proj.actors[c]
    innovation = proj.innovations[i]
    m = _measure(proj, c, innovation, ring, degree, load, sector, weights)
    shared, own, in_sector, sector_score = m.shared, m.own, m.in_sector, m.sector
    network, local, penalty, score = m.network, m.locality, m.penalty, m.score
    direct = [z for z in shared if z in team]
    together = sorted(
        {j for z in direct for j in own & team_innovations[z]},
        key=lambda j: proj.innovations[j].id,
    )

    parts: list[str] = []
    if target.why == "missing":
        parts.append(f"brings the missing {target.helix.value} kind")
    else:
        parts.append(f"backs up the {target.helix.value} kind, now carried by one actor")
    if direct:
        names = name_list([proj.actors[z].name for z in direct])
        if together:
            same = sum(
                1
                for j in together
                if sector and (proj.innovations[j].sector or "").casefold() == sector
            )
            if sector and same == len(together):
                what = plural(len(together), f"{innovation.sector} innovation")
            else:
                what = plural(len(together), "innovation")
            shown = name_list([proj.innovations[j].name for j in together])
            parts.append(f"works with {names} on {what} ({shown})")
        else:
            parts.append(f"partners with {names}")
    elif shared:
        parts.append(f"knows the team through {name_list([proj.actors[z].name for z in shared])}")
    else:
        parts.append("no tie to the team yet")
    if own and in_sector:
        parts.append(f"works in {innovation.sector} on {in_sector} of its {len(own)} innovations")
    elif not own and sector_score:
        parts.append(f"works in {innovation.sector}")
    if local == 1.0:
        parts.append(f"same district ({innovation.district})")
    elif local == 0.5:
        parts.append("same region")
    elif local == 0.25:
        parts.append("same province")
    if penalty > 0:
        parts.append(f"already stretched ({plural(int(load[c]), 'active tie')})")
    return Recommendation(
        actor_id=actor.id,
        name=actor.name,
        helix=actor.helix,
        score=round(score, 4),
        reason="; ".join(parts),
        why=target.why,
        shared_partners=[
            ActorRef(id=proj.actors[z].id, name=proj.actors[z].name, helix=proj.actors[z].helix)
            for z in shared
        ],
        shared_innovations=[proj.innovations[j].id for j in together],
        network=round(network, 4),
        sector=round(sector_score, 4),
        locality=local,
        load_penalty=round(penalty, 4),
    )
