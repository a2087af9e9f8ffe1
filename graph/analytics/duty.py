"""The yearly duty: which perangkat daerah, kecamatan and puskesmas launched no innovation in a
given year.

Units are the government actors below an organisation in the PART_OF hierarchy (e.g. the
agencies, kecamatan offices and hospital of the regency government, the puskesmas of the Dinas
Kesehatan, the divisions of the Setda), at any depth. Their type comes from the actor's kind:
`puskesmas`, `district_office` (kecamatan), anything else a perangkat daerah. A unit meets the
duty when it owns (`owner_id`) an innovation launched in the year; innovations without a launch
day cannot be placed in a year and are counted apart.
"""

from __future__ import annotations

from graph.analytics.duty_schemas import DutyCount, DutyUnit, UnitType, YearlyDuty
from graph.messages import msg
from graph.models import Actor, GraphData
from graph.vocab import Helix

TYPE_ORDER: tuple[UnitType, ...] = ("perangkat_daerah", "kecamatan", "puskesmas")


def unit_type(actor: Actor) -> UnitType:
    """The origin type of a government unit, from its kind.

    >>> a = Actor(id="pkm", name="PKM", helix=Helix.GOVERNMENT, kind="puskesmas", region="63.03")
    >>> unit_type(a), unit_type(a.model_copy(update={"kind": "agency"}))
    ('puskesmas', 'perangkat_daerah')
    """
    if actor.kind == "puskesmas":
        return "puskesmas"
    if actor.kind == "district_office":
        return "kecamatan"
    return "perangkat_daerah"


def yearly_duty(data: GraphData, year: int, region: str | None = None) -> YearlyDuty:
    """For every government unit of the PART_OF hierarchy in `data`: what it launched in `year`."""
    actors = {a.id: a for a in data.actors}
    parent = {p.child_id: p.parent_id for p in data.part_of if p.child_id in actors}
    launched: dict[str, list[str]] = {}
    undated = 0
    for inv in sorted(data.innovations, key=lambda i: i.id):
        if inv.owner_id not in parent:
            continue
        if inv.launched_on is None:
            undated += 1
        elif inv.launched_on.year == year:
            launched.setdefault(inv.owner_id, []).append(inv.id)
    units: list[DutyUnit] = []
    for child, up in parent.items():
        actor = actors[child]
        if actor.helix is not Helix.GOVERNMENT:
            continue
        mine = launched.get(child, [])
        note = (
            msg("duty_met", unit=actor.name, year=year, count=len(mine))
            if mine
            else msg("duty_missing", unit=actor.name, year=year)
        )
        units.append(
            DutyUnit(
                id=child,
                name=actor.name,
                type=unit_type(actor),
                parent_id=up,
                launched=mine,
                met=bool(mine),
                note=note,
            )
        )
    units.sort(key=lambda u: (u.met, TYPE_ORDER.index(u.type), u.name.casefold(), u.id))
    by_type = {
        t: DutyCount(
            units=sum(1 for u in units if u.type == t),
            met=sum(1 for u in units if u.type == t and u.met),
            missing=sum(1 for u in units if u.type == t and not u.met),
        )
        for t in TYPE_ORDER
    }
    return YearlyDuty(year=year, region=region, by_type=by_type, undated=undated, units=units)
