"""One meaning of "as of a day": what of a graph counts on `at`.

- an innovation counts once launched (`launched_on <= at`; an unknown launch day counts);
- a collaboration counts while active (`since <= at < until`) and its innovation counts;
- the owner carries its innovation: an innovation with an `owner_id` and no recorded tie of
  its owner gets an implicit initiator tie (strength 2, from its launch day). A recorded tie of
  the owner, even an ended one, says otherwise and is the only word. The implicit tie is as
  known as what it is derived from: reported only when the innovation and its owner are (the
  owner of an invented innovation is not known, so neither is its tie);
- a partnership counts while active.

The analytics (every metric, the under-connected list, counts, history, what-if) and the map
read the graph through `active_view`, so they agree on one active set.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from graph.models import Collaboration, GraphData
from graph.vocab import Provenance, Role

OWNER_STRENGTH = 2
"""Strength of the owner's implicit tie: regular (it proposed and runs the innovation)."""
OWNER_SOURCE = "implicit: the innovation's owner carries it"
ILLUSTRATIVE_OWNER_SOURCE = "illustrative (implicit: the owner of an invented record carries it)"
"""Source of an implicit tie derived from an illustrative innovation or owner: it begins with
`illustrative`, so `graph.provenance.tie_provenance` reads it as invented."""


class Launching(Protocol):
    """Anything with a launch day: an innovation, or one read in brief."""

    @property
    def launched_on(self) -> date | None: ...


def launched(innovation: Launching, at: date) -> bool:
    """Whether the innovation counts on `at` (launched by then, or launch day unknown).

    >>> from graph.models import Innovation
    >>> from graph.vocab import Origin
    >>> inv = Innovation(id="x", name="X", origin=Origin.MASYARAKAT, region="63.03",
    ...                  launched_on=date(2025, 12, 11))
    >>> launched(inv, date(2025, 12, 10)), launched(inv, date(2025, 12, 11))
    (False, True)
    """
    return innovation.launched_on is None or innovation.launched_on <= at


def owner_ties(data: GraphData) -> list[Collaboration]:
    """The implicit initiator tie of each owner with no recorded tie to its innovation (owners
    missing from `data`, e.g. outside a region's snapshot, are left to the caller's filter).

    Its source says whether it is known: reported when the innovation and its owner both are.

    >>> from graph.models import Actor, Innovation
    >>> owner = Actor(id="o", name="O", helix="government", region="63",
    ...               provenance="reported", source="page")
    >>> known = Innovation(id="k", name="K", origin="masyarakat", region="63", owner_id="o",
    ...                    provenance="reported", source="page")
    >>> invented = Innovation(id="x", name="X", origin="masyarakat", region="63", owner_id="o")
    >>> ties = owner_ties(GraphData(actors=[owner], innovations=[known, invented]))
    >>> [(t.innovation_id, t.source == OWNER_SOURCE) for t in ties]
    [('k', True), ('x', False)]
    """
    recorded = {(c.actor_id, c.innovation_id) for c in data.collaborations}
    reported_actors = {a.id for a in data.actors if a.provenance is Provenance.REPORTED}
    return [
        Collaboration(
            actor_id=inv.owner_id,
            innovation_id=inv.id,
            role=Role.INITIATOR,
            strength=OWNER_STRENGTH,
            since=inv.launched_on or date.min,
            source=(
                OWNER_SOURCE
                if inv.provenance is Provenance.REPORTED and inv.owner_id in reported_actors
                else ILLUSTRATIVE_OWNER_SOURCE
            ),
        )
        for inv in data.innovations
        if inv.owner_id is not None and (inv.owner_id, inv.id) not in recorded
    ]


def active_view(data: GraphData, at: date) -> GraphData:
    """The part of `data` that counts on `at` (see the module docstring): launched innovations,
    their active ties (recorded and implicit owner ties), active partnerships; every actor."""
    innovations = [i for i in data.innovations if launched(i, at)]
    ids = {i.id for i in innovations}
    ties = [
        c
        for c in [*data.collaborations, *owner_ties(data)]
        if c.innovation_id in ids and c.active_on(at)
    ]
    return data.model_copy(
        update={
            "innovations": innovations,
            "collaborations": ties,
            "partnerships": [p for p in data.partnerships if p.active_on(at)],
        }
    )


def implicit(tie: Collaboration) -> bool:
    """Whether a tie is an owner's implicit tie (not recorded)."""
    return tie.source in (OWNER_SOURCE, ILLUSTRATIVE_OWNER_SOURCE)
