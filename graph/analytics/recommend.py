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

Equal scores are ordered by what the candidate shares with the innovation: its own sector, the
place, the kind of work (tags of its innovations), then the lighter load. When no candidate of a
kind has any evidence (no partner in common, no sector, district or kind of work), the kind is
listed in `gaps` with "no strong candidate yet" instead of a ranking that would only follow the
alphabet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from graph.analytics.helixes import HELIX_INDEX, HELIXES
from graph.analytics.innovation_schemas import ActorRef
from graph.analytics.projection import IntArray, Projection
from graph.analytics.recommend_schemas import Gap, Recommendation, Recommendations, Target
from graph.analytics.weights import RecommendationWeights
from graph.errors import NotFound
from graph.messages import Message, msg
from graph.models import Actor, Innovation
from graph.provenance import overall
from graph.regions import province
from graph.vocab import Provenance


def locality(actor: Actor, innovation: Innovation) -> float:
    """1 same district (and region), 0.5 same region, 0.25 same province, else 0.

    >>> from graph.vocab import Helix, Origin
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
    if province(actor.region) is not None and province(actor.region) == province(innovation.region):
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
    tags = set(innovation.tags)

    recommendations: list[Recommendation] = []
    gaps: list[Gap] = []
    for target in targets:
        h = HELIX_INDEX[target.helix]
        candidates = [
            c for c in np.flatnonzero(proj.actor_helix == h).tolist() if c not in team_set
        ]
        if not candidates:
            code = "gap_no_other_actor" if target.why == "fragile" else "gap_no_actor"
            gaps.append(
                Gap(helix=target.helix, why="no_actor", message=msg(code, helix=target.helix.value))
            )
            continue
        measures = {
            c: _measure(proj, c, innovation, ring, degree, load, sector, tags, weights)
            for c in candidates
        }
        if not any(measures[c].evidence for c in candidates):
            # Ranking by name would pass for a recommendation: say there is none instead.
            gaps.append(
                Gap(
                    helix=target.helix,
                    why="no_evidence",
                    message=msg(
                        "no_strong_candidate", helix=target.helix.value, candidates=len(candidates)
                    ),
                )
            )
            continue
        ranked = sorted(candidates, key=lambda c: measures[c].rank_key(proj.actors[c].id))
        recommendations.extend(
            _score(proj, c, i, target, team_set, team_innovations, measures[c], load, sector)
            for c in ranked[:limit]
        )
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
    own_sector: bool
    common_tags: list[str]
    load: int

    @property
    def evidence(self) -> bool:
        """Whether anything ties the candidate to this innovation beyond its kind and region:
        a partner in common, the sector, the district or the kind of work (tags)."""
        return bool(
            self.network > 0
            or self.sector > 0
            or self.own_sector
            or self.locality >= 1.0
            or self.common_tags
        )

    def rank_key(self, actor_id: str) -> tuple[float, int, float, int, int, str]:
        """Best score first; ties broken by what the candidate shares with the innovation
        (its own sector, the place, the kind of work), then the lighter load, then id."""
        return (
            -round(self.score, 9),
            -int(self.own_sector),
            -self.locality,
            -len(self.common_tags),
            self.load,
            actor_id,
        )


def _measure(
    proj: Projection,
    c: int,
    innovation: Innovation,
    ring: set[int],
    degree: IntArray,
    load: IntArray,
    sector: str | None,
    tags: set[str],
    weights: RecommendationWeights,
) -> _Measure:
    """The numeric parts of a candidate's score, and what breaks ties between equal scores."""
    actor = proj.actors[c]
    neighbours = proj.neighbours(c).tolist()
    shared = sorted((z for z in neighbours if z in ring), key=lambda z: proj.actors[z].id)
    aa = sum(1.0 / math.log(1 + int(degree[z])) for z in shared)
    network = aa / (1 + aa)
    own = proj.actor_innovation_set(c)
    own_sector = bool(sector and (actor.sector or "").casefold() == sector)
    if own:
        in_sector = sum(
            1 for j in own if sector and (proj.innovations[j].sector or "").casefold() == sector
        )
        sector_score = in_sector / len(own)
    else:
        in_sector = 0
        sector_score = 1.0 if own_sector else 0.0
    common_tags = sorted(tags & {t for j in own for t in proj.innovations[j].tags})
    local = locality(actor, innovation)
    penalty = load_penalty(int(load[c]), weights.load_free)
    score = (
        weights.network * network
        + weights.sector * sector_score
        + weights.locality * local
        - weights.load * penalty
    )
    return _Measure(
        shared,
        own,
        in_sector,
        sector_score,
        network,
        local,
        penalty,
        score,
        own_sector,
        common_tags,
        int(load[c]),
    )


def _score(
    proj: Projection,
    c: int,
    i: int,
    target: Target,
    team: set[int],
    team_innovations: dict[int, set[int]],
    m: _Measure,
    load: IntArray,
    sector: str | None,
) -> Recommendation:
    actor = proj.actors[c]
    innovation = proj.innovations[i]
    shared, own, in_sector = m.shared, m.own, m.in_sector
    direct = [z for z in shared if z in team]
    together = sorted(
        {j for z in direct for j in own & team_innovations[z]},
        key=lambda j: proj.innovations[j].id,
    )

    reasons: list[Message] = []
    helix = target.helix.value
    reasons.append(
        msg("rec_brings_missing" if target.why == "missing" else "rec_backs_up", helix=helix)
    )
    if direct:
        names = [proj.actors[z].name for z in direct]
        if together:
            same = sum(
                1
                for j in together
                if sector and (proj.innovations[j].sector or "").casefold() == sector
            )
            shown = [proj.innovations[j].name for j in together]
            if sector and same == len(together):
                reasons.append(
                    msg(
                        "rec_works_with_sector",
                        partners=names,
                        count=len(together),
                        sector=innovation.sector,
                        innovations=shown,
                    )
                )
            else:
                reasons.append(
                    msg("rec_works_with", partners=names, count=len(together), innovations=shown)
                )
        else:
            reasons.append(msg("rec_partners_with", partners=names))
    elif shared:
        reasons.append(msg("rec_knows_through", partners=[proj.actors[z].name for z in shared]))
    else:
        reasons.append(msg("rec_no_tie"))
    if own and in_sector:
        reasons.append(
            msg("rec_sector_record", sector=innovation.sector, in_sector=in_sector, total=len(own))
        )
    elif m.own_sector:
        reasons.append(msg("rec_sector_own", sector=innovation.sector))
    if m.common_tags:
        reasons.append(msg("rec_same_kind_of_work", tags=m.common_tags))
    if m.locality == 1.0:
        reasons.append(msg("rec_same_district", district=innovation.district))
    elif m.locality == 0.5:
        reasons.append(msg("rec_same_region"))
    elif m.locality == 0.25:
        reasons.append(msg("rec_same_province"))
    if m.penalty > 0:
        reasons.append(msg("rec_stretched", ties=int(load[c])))
    evidence = [fact for z in shared for fact in proj.link_evidence(c, z)]
    # A candidate with no tie to the team rests on no tie at all: nothing invented to flag.
    provenance = overall(evidence) if evidence else Provenance.REPORTED
    if provenance is Provenance.ILLUSTRATIVE:
        reasons.append(msg("rests_on_illustrative"))
    return Recommendation(
        actor_id=actor.id,
        name=actor.name,
        helix=actor.helix,
        score=round(m.score, 4),
        reasons=reasons,
        why=target.why,
        shared_partners=[ActorRef.of(proj.actors[z]) for z in shared],
        shared_innovations=[proj.innovations[j].id for j in together],
        evidence=evidence,
        provenance=provenance,
        network=round(m.network, 4),
        sector=round(m.sector, 4),
        locality=m.locality,
        load_penalty=round(m.penalty, 4),
    )
