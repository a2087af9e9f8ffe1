"""The store port: everything the service asks of a graph store, whichever adapter serves it.

Two adapters implement it, `graph.embedded.EmbeddedStore` (SQLite on disk) and
`graph.neo4j.Neo4jStore`; one contract test suite holds both to the same behaviour.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, ClassVar, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field

from graph import revision
from graph.asof import launched
from graph.errors import Conflict, Invalid, NotFound
from graph.integrity import bundle_problems
from graph.kinds import (
    ACTOR,
    COLLABORATION,
    INNOVATION,
    KINDS,
    NODE_SECTIONS,
    PARTNERSHIP,
    REGION,
    NodeKind,
    RecordKind,
)
from graph.models import (
    Actor,
    ActorPatch,
    Collaboration,
    CollaborationPatch,
    GraphData,
    Innovation,
    InnovationPatch,
    Model,
    Page,
    Partnership,
    PartnershipPatch,
    Region,
    active_between,
    apply_patch,
    describe_collaboration,
    describe_partnership,
)
from graph.provenance import (
    PROVENANCE_FIELD,
    REPORTED_EVIDENCE_EXAMPLE,
    TieEvidence,
    TieProvenance,
    illustrative_evidence_example,
    link_evidence,
    overall,
    reported_part,
)
from graph.regions import region_contains
from graph.revision import IfMatch
from graph.vocab import Form, Helix, Origin, PartnershipKind, Provenance, Role, Scope, Stage

MAX_PAGE = 500
MAX_OFFSET = 2**63 - 1 - MAX_PAGE  # Neo4j adds SKIP and LIMIT in a 64-bit integer


@dataclass(frozen=True)
class TieSpan:
    """An actor's tie to an innovation in brief: when it is active."""

    actor_id: str
    innovation_id: str
    since: date
    until: date | None

    def active_on(self, day: date) -> bool:
        """Whether the tie is active on `day` (the rule of `Collaboration.active_on`)."""
        return active_between(self.since, self.until, day)


@dataclass(frozen=True)
class InnovationSpan:
    """An innovation in brief: where it is, from when it counts, who owns it."""

    id: str
    region: str
    launched_on: date | None
    owner_id: str | None


@dataclass(frozen=True)
class SourcedInnovation:
    """An innovation with the sources of its ties active on a day, each with how many ties
    cite it (by source): what the progress of collecting the real network counts."""

    id: str
    name: str
    sources: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Around:
    """Ties of some actors and the innovations they are tied to or own, in brief (by key)."""

    ties: list[TieSpan]
    innovations: list[InnovationSpan]

    def reach(
        self, innovation_id: str, actor_ids: Collection[str], day: date, region: str | None
    ) -> int:
        """How many innovations other than `innovation_id`, launched on `day` and in `region`,
        have an active tie from one of `actor_ids` (those this was read around): a recorded
        one, or an owner's implicit one (an owner with no recorded tie carries its innovation
        from its launch: `graph.asof.owner_ties`). The count `Projection.reach` makes on the
        whole graph.

        >>> tie = TieSpan("a", "j", date(2024, 1, 1), None)
        >>> spans = [InnovationSpan(i, "63.03", None, o) for i, o in (("i", "a"), ("k", "a"))]
        >>> around = Around([tie], [*spans, InnovationSpan("j", "63.71", None, "b")])
        >>> around.reach("i", ["a"], date(2025, 1, 1), None)  # j by its tie, k as its owner
        2
        >>> around.reach("i", ["a"], date(2023, 1, 1), "63")  # the tie to j not begun yet
        1
        """
        recorded = {(t.actor_id, t.innovation_id) for t in self.ties}
        linked = {
            t.innovation_id for t in self.ties if t.actor_id in actor_ids and t.active_on(day)
        }
        linked.update(
            i.id
            for i in self.innovations
            if i.owner_id in actor_ids and (i.owner_id, i.id) not in recorded
        )
        return sum(
            1
            for i in self.innovations
            if i.id in linked
            and i.id != innovation_id
            and launched(i, day)
            and region_contains(region, i.region)
        )


class PageRequest(BaseModel):
    """The window of a list: `limit` items starting at `offset`."""

    limit: int = Field(50, ge=1, le=MAX_PAGE, description="Items per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


CASELESS_FIELDS = frozenset({"district"})
"""Filters that match whatever the case (names people type: `martapura` finds `Martapura`)."""


def same_name(stored: str | None, wanted: str) -> bool:
    """Whether a stored name matches a caseless filter's value (as the stores compare).

    >>> same_name("Martapura", "MARTAPURA"), same_name(None, "x")
    (True, False)
    """
    return stored is not None and stored.lower() == wanted.lower()


class InnovationFilter(BaseModel):
    """Filters for listing innovations; all given filters must match."""

    origin: Origin | None = Field(None, description="Kind of unit that proposed it.")
    sector: str | None = Field(None, description="Sector, exactly.")
    district: str | None = Field(None, description="Kecamatan name, in any case.")
    stage: Stage | None = Field(None, description="IGA stage.")
    form: Form | None = Field(None, description="IGA form.")
    region: str | None = Field(
        None, description="Region code; also matches regions inside it (`63` matches `63.03`)."
    )
    owner_id: str | None = Field(None, description="Id of the owning actor.")
    program: str | None = Field(None, description="Programme, exactly.")
    q: str | None = Field(None, description="Case-insensitive text search in the name.")


class ActorFilter(BaseModel):
    """Filters for listing actors; all given filters must match."""

    helix: Helix | None = Field(None, description="Hexahelix kind.")
    kind: str | None = Field(None, description="Sub-type within the helix kind, exactly.")
    region: str | None = Field(None, description="Region code; also matches regions inside it.")
    district: str | None = Field(None, description="Kecamatan name, in any case.")
    scope: Scope | None = Field(None, description="How far its work reaches.")
    sector: str | None = Field(None, description="Sector, exactly.")
    q: str | None = Field(None, description="Case-insensitive text search in the name.")


class CollaborationFilter(BaseModel):
    """Filters for listing collaborations."""

    innovation_id: str | None = Field(None, description="Ties to this innovation.")
    actor_id: str | None = Field(None, description="Ties of this actor.")
    role: Role | None = Field(None, description="Ties with this role.")


class ProvenanceFilter(BaseModel):
    """Nodes of one provenance: how `Store.reported_records` reads (not an API list filter)."""

    provenance: Provenance


class PartnershipFilter(BaseModel):
    """Filters for listing partnerships; `actor_id` matches either end."""

    actor_id: str | None = Field(None, description="Partnerships with this actor at either end.")
    kind: PartnershipKind | None = Field(None, description="Partnerships of this formality.")


class CollaboratorTie(TieProvenance):
    """An actor on an innovation, with its tie."""

    actor_id: str = Field(description="Actor id.", examples=["universitas-a"])
    name: str = Field(description="Actor name.")
    helix: Helix = Field(description="Actor's Hexahelix kind.")
    role: Role = Field(description="What the actor does on the innovation.")
    strength: int = Field(
        description="Tie strength: 1 occasional, 2 regular, 3 core with a formal agreement."
    )
    since: date = Field(description="First day the tie is active.")
    until: date | None = Field(
        description="First day the tie is no longer active (exclusive); null: open-ended."
    )
    source: str = Field(description="The tie's source: a citation, or `illustrative`.")
    provenance: Provenance = PROVENANCE_FIELD

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "actor_id": "universitas-a",
                    "name": "Universitas A (contoh)",
                    "helix": "academia",
                    "role": "knowledge_partner",
                    "strength": 2,
                    "since": "2022-09-05",
                    "until": "2027-01-01",
                    "source": "illustrative",
                    "provenance": "illustrative",
                }
            ]
        }
    )


class ActorInnovation(TieProvenance):
    """An innovation an actor works on, with the actor's tie."""

    innovation_id: str = Field(description="Innovation id.", examples=["geolasting"])
    name: str = Field(description="Innovation name.")
    origin: Origin = Field(description="Kind of unit that proposed the innovation.")
    role: Role = Field(description="What the actor does on the innovation.")
    strength: int = Field(
        description="Tie strength: 1 occasional, 2 regular, 3 core with a formal agreement."
    )
    since: date = Field(description="First day the tie is active.")
    until: date | None = Field(
        description="First day the tie is no longer active (exclusive); null: open-ended."
    )
    source: str = Field(description="The tie's source: a citation, or `illustrative`.")
    provenance: Provenance = PROVENANCE_FIELD

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "innovation_id": "geolasting",
                    "name": "GEOLASTING",
                    "origin": "perangkat_daerah",
                    "role": "knowledge_partner",
                    "strength": 2,
                    "since": "2022-09-05",
                    "until": "2027-01-01",
                    "source": "illustrative",
                    "provenance": "illustrative",
                }
            ]
        }
    )


class Partner(BaseModel):
    """An actor's partner: a co-collaborator on shared innovations, a formal partner, or both."""

    actor_id: str = Field(description="The partner's id.", examples=["dinkes-banjar"])
    name: str = Field(description="The partner's name.")
    helix: Helix = Field(description="The partner's Hexahelix kind.")
    shared_innovations: list[str] = Field(description="Innovations both actors work on, sorted.")
    partnership: PartnershipKind | None = Field(
        None, description="Kind of direct partnership, if any."
    )
    evidence: list[TieEvidence] = Field(
        default_factory=list,
        description="What the link rests on: each shared innovation and the partnership.",
    )
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE,
        description="`reported` when at least one fact of `evidence` is reported.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "actor_id": "bank-daerah-a",
                    "name": "Bank daerah A (contoh)",
                    "helix": "private",
                    "shared_innovations": ["desa-wisata-riam-kanan", "tani-bauntung"],
                    "partnership": "mou",
                    "evidence": [
                        illustrative_evidence_example(
                            "universitas-a", "bank-daerah-a", "desa-wisata-riam-kanan"
                        ),
                        illustrative_evidence_example(
                            "universitas-a", "bank-daerah-a", "tani-bauntung"
                        ),
                        illustrative_evidence_example(
                            "universitas-a", "bank-daerah-a", None, "mou"
                        ),
                    ],
                    "provenance": "illustrative",
                }
            ]
        }
    )


class CommonGround(BaseModel):
    """What two actors have in common."""

    innovations: list[str] = Field(description="Innovations both work on, sorted.")
    partners: list[str] = Field(
        description="Actors both work with (co-collaborators or partners), sorted."
    )
    partnership: PartnershipKind | None = Field(
        None, description="Their direct partnership, if any."
    )
    evidence: list[TieEvidence] = Field(
        default_factory=list,
        description="The ties behind `innovations` and `partnership`, with their provenance.",
    )
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE,
        description="`reported` when at least one fact of `evidence` is reported.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "innovations": ["geolasting"],
                    "partners": ["bappedalitbang-banjar", "dinkes-banjar", "poltekkes-banjarmasin"],
                    "partnership": None,
                    "evidence": [REPORTED_EVIDENCE_EXAMPLE],
                    "provenance": "reported",
                }
            ]
        }
    )


class CoverageGap(BaseModel):
    """An innovation with its helix coverage and the kinds it lacks."""

    innovation_id: str = Field(description="Innovation id.", examples=["geolasting"])
    name: str = Field(description="Innovation name.")
    coverage: int = Field(description=f"Distinct helix kinds among active actors, 0..{len(Helix)}.")
    missing: list[Helix] = Field(description="Helix kinds with no active actor.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "innovation_id": "geolasting",
                    "name": "GEOLASTING",
                    "coverage": 3,
                    "missing": ["private", "ngo", "media"],
                }
            ]
        }
    )


Key = tuple[str, ...]
"""A record's key: the values of its kind's key fields (`("geolasting",)`, `("a", "i")`)."""
Tx = Any
"""An adapter's transaction handle (a SQLite connection, a Neo4j managed transaction)."""
T = TypeVar("T")
R = TypeVar("R", bound=Model)
N = TypeVar("N", Innovation, Actor)

_HELIX_RANK = {h: i for i, h in enumerate(Helix)}
_DESCRIBE: dict[str, Callable[[Key], str]] = {
    INNOVATION.section: lambda key: f"innovation '{key[0]}'",
    ACTOR.section: lambda key: f"actor '{key[0]}'",
    COLLABORATION.section: lambda key: describe_collaboration(*key),
    PARTNERSHIP.section: lambda key: describe_partnership(*key),
}
"""How errors name a record of each kind that has its own create/get/update/delete."""


def key_of(kind: RecordKind, record: BaseModel) -> Key:
    """The key of a record of `kind`.

    >>> key_of(ACTOR, Actor(id="a", name="A", helix="media", region="63"))
    ('a',)
    """
    return tuple(getattr(record, field) for field in kind.key)


def _attachments(node: NodeKind) -> list[tuple[str, RecordKind, tuple[str, ...]]]:
    """What may refer to a node of this kind, as (name, kind, fields), in the order a refused
    delete names it: ties of each kind first (registry order), then nodes naming it in a field
    (an innovation's owner)."""
    found = []
    for tie in (True, False):
        for kind in KINDS:
            fields = tuple(
                r.field for r in (kind.ends if tie else kind.references) if r.node == node
            )
            if kind.tie == tie and fields:
                name = kind.section if tie else f"{kind.section} ({', '.join(fields)})"
                found.append(
                    ("owned innovations" if fields == ("owner_id",) else name, kind, fields)
                )
    return found


class Store(ABC):
    """A graph store. Every write is one transaction that bumps the graph version.

    The domain rules (references must exist, one record per key, a partnership is one per
    unordered pair, what a delete refuses or cascades, `If-Match`, patches, paging) live here,
    once. An adapter implements only the abstract methods: transactions (`_run`), five record
    primitives keyed by the record-kind registry (`graph.kinds`), `snapshot`, `close`, `ping`
    and `version`. It may override a public query of SPEED_OVERRIDES for speed, never to change
    its meaning.
    """

    SPEED_OVERRIDES: ClassVar[frozenset[str]] = frozenset(
        {"coverage_gaps", "around", "reach", "_partner_ties", "tie_sources"}
    )
    """Reads an adapter may answer with one query of its own instead of the rule's several (or
    its reading of the whole graph); the contract suite compares each with the rule here."""

    # -- primitives (each adapter implements these) ------------------------------------------
    @abstractmethod
    def close(self) -> None:
        """Release connections."""

    @abstractmethod
    def ping(self) -> None:
        """Return only if a write would succeed now (readiness): StoreUnavailable for an outage
        or a disk that cannot take writes, StoreDamaged for damaged data, StoreFailed else."""

    @abstractmethod
    def version(self) -> int:
        """The graph version: a number every committed write increases."""

    @abstractmethod
    def _run(self, work: Callable[[Tx], T], *, write: bool = False) -> T:
        """`work(tx)` in one transaction, with the store's errors translated to the domain's.
        A write is serialised with every other write and, once committed, bumps the version;
        an exception from `work` rolls it back."""

    @abstractmethod
    def _fetch_many(self, tx: Tx, kind: RecordKind, keys: Collection[Key]) -> dict[Key, Any]:
        """The stored records of `kind` with these keys, by key (missing ones left out). A
        symmetric key matches only the direction it is stored in."""

    @abstractmethod
    def _put(self, tx: Tx, kind: RecordKind, records: Sequence[Any]) -> None:
        """Insert or replace records of `kind` by key (references are checked by the caller).
        A symmetric record stored in the other direction is replaced in place (its direction
        kept)."""

    @abstractmethod
    def _remove(self, tx: Tx, kind: RecordKind, keys: Collection[Key]) -> None:
        """Delete the records of `kind` with these keys, as stored (the caller removes what
        refers to them first)."""

    @abstractmethod
    def _scan(
        self, tx: Tx, kind: RecordKind, filters: BaseModel | None, page: PageRequest | None
    ) -> tuple[list[Any], int]:
        """Records of `kind` matching a list filter (`InnovationFilter`, ...; None: all), in key
        order, the `page` of them (None: all), and how many match in all."""

    @abstractmethod
    def _find(
        self, tx: Tx, kind: RecordKind, match: Mapping[str, Collection[str]], at: date | None = None
    ) -> list[Any]:
        """Records of `kind` whose value of any field of `match` is one of its values (fields
        are references: tie ends or an innovation's owner), in any order; with `at`, only ties
        active on `at`."""

    @abstractmethod
    def _clear(self, tx: Tx, *, whole: bool) -> bool:
        """Delete the graph's records (ties, nodes, regions); True once none is left. Unless
        `whole`, an adapter may delete only a batch (and return False) so that `clear`
        never needs one huge transaction."""

    @abstractmethod
    def snapshot(self, region: str | None = None) -> GraphData:
        """The whole graph, or a region's part of it: its innovations, every actor tied to
        them, owning them or located there, and the ties among those. Lists are sorted by key."""

    # -- the rules, over the primitives ------------------------------------------------------
    def _get(self, tx: Tx, kind: RecordKind, key: Key) -> Any:
        """The record, in whichever direction a symmetric one is stored, or NotFound."""
        keys = [key, key[::-1]] if kind.symmetric else [key]
        found = self._fetch_many(tx, kind, keys)
        for wanted in keys:
            if wanted in found:
                return found[wanted]
        raise NotFound(f"{_DESCRIBE[kind.section](key)} not found")

    def _require(self, tx: Tx, record: BaseModel, kind: RecordKind, *, ends: bool) -> None:
        """NotFound for the first node the record names that is not stored (its tie ends only
        with `ends`: they cannot change after a create)."""
        for ref in kind.references:
            value = getattr(record, ref.field)
            if value is None or (ref in kind.ends and not ends):
                continue
            if not self._fetch_many(tx, NODE_SECTIONS[ref.node], [(value,)]):
                raise NotFound(f"{ref.node} '{value}' not found")

    def _create(self, kind: RecordKind, record: R) -> R:
        key = key_of(kind, record)

        def work(tx: Tx) -> None:
            self._require(tx, record, kind, ends=True)
            keys = [key, key[::-1]] if kind.symmetric else [key]
            if self._fetch_many(tx, kind, keys):
                raise Conflict(f"{_DESCRIBE[kind.section](key)} already exists")
            self._put(tx, kind, [record])

        self._run(work, write=True)
        return record

    def _read(self, kind: RecordKind, key: Key) -> Any:
        return self._run(lambda tx: self._get(tx, kind, key))

    def _list(self, kind: RecordKind, filters: BaseModel, page: PageRequest) -> Page[Any]:
        items, total = self._run(lambda tx: self._scan(tx, kind, filters, page))
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    def _update(
        self, kind: RecordKind, key: Key, patch: BaseModel, if_match: IfMatch | None
    ) -> Any:
        def work(tx: Tx) -> Any:
            stored = self._get(tx, kind, key)
            revision.check(if_match, stored, _DESCRIBE[kind.section](key))
            updated = apply_patch(stored, patch)
            self._require(tx, updated, kind, ends=False)
            self._put(tx, kind, [updated])
            return updated

        return self._run(work, write=True)

    def _delete(
        self, kind: RecordKind, key: Key, if_match: IfMatch | None, cascade: bool = False
    ) -> None:
        """Delete a record; a node refuses while something refers to it (Conflict naming what),
        unless `cascade` removes the ties and clears the fields naming it."""

        def work(tx: Tx) -> None:
            stored = self._get(tx, kind, key)
            what = _DESCRIBE[kind.section](key)
            revision.check(if_match, stored, what)
            node = next((n for n, k in NODE_SECTIONS.items() if k is kind), None)
            attached = []
            for label, other, fields in _attachments(node) if node else []:
                found = self._find(tx, other, dict.fromkeys(fields, (key[0],)))
                if found and cascade and other.tie:
                    self._remove(tx, other, [key_of(other, r) for r in found])
                elif found and cascade:
                    cleared = dict.fromkeys(fields)
                    self._put(tx, other, [r.model_copy(update=cleared) for r in found])
                elif found:
                    attached.append(f"{len(found)} {label}")
            if attached:
                raise Conflict(
                    f"{what} still has {', '.join(attached)}; remove them first or delete with"
                    " cascade"
                )
            self._remove(tx, kind, [key_of(kind, stored)])

        self._run(work, write=True)

    # -- innovations -----------------------------------------------------------------------
    def create_innovation(self, innovation: Innovation) -> Innovation:
        """Add an innovation; Conflict if the id exists, NotFound if its owner does not."""
        return self._create(INNOVATION, innovation)

    def get_innovation(self, innovation_id: str) -> Innovation:
        """The innovation with this id, or NotFound."""
        return cast(Innovation, self._read(INNOVATION, (innovation_id,)))

    def list_innovations(self, filters: InnovationFilter, page: PageRequest) -> Page[Innovation]:
        """Innovations matching the filters, ordered by id."""
        return self._list(INNOVATION, filters, page)

    def update_innovation(
        self, innovation_id: str, patch: InnovationPatch, *, if_match: IfMatch | None = None
    ) -> Innovation:
        """Change the given fields; NotFound for an unknown id or owner. With `if_match`,
        PreconditionFailed unless the stored record matches it (checked in the write's own
        transaction; the same for every update and delete below)."""
        return cast(Innovation, self._update(INNOVATION, (innovation_id,), patch, if_match))

    def delete_innovation(
        self, innovation_id: str, cascade: bool = False, *, if_match: IfMatch | None = None
    ) -> None:
        """Delete; Conflict while ties remain unless `cascade` removes them too."""
        self._delete(INNOVATION, (innovation_id,), if_match, cascade)

    # -- actors ----------------------------------------------------------------------------
    def create_actor(self, actor: Actor) -> Actor:
        """Add an actor; Conflict if the id exists."""
        return self._create(ACTOR, actor)

    def get_actor(self, actor_id: str) -> Actor:
        """The actor with this id, or NotFound."""
        return cast(Actor, self._read(ACTOR, (actor_id,)))

    def list_actors(self, filters: ActorFilter, page: PageRequest) -> Page[Actor]:
        """Actors matching the filters, ordered by id."""
        return self._list(ACTOR, filters, page)

    def update_actor(
        self, actor_id: str, patch: ActorPatch, *, if_match: IfMatch | None = None
    ) -> Actor:
        """Change the given fields; NotFound for an unknown id."""
        return cast(Actor, self._update(ACTOR, (actor_id,), patch, if_match))

    def delete_actor(
        self, actor_id: str, cascade: bool = False, *, if_match: IfMatch | None = None
    ) -> None:
        """Delete; Conflict while ties (or owned innovations) remain unless `cascade`.

        A cascade removes the actor's ties and clears it as owner of its innovations.
        """
        self._delete(ACTOR, (actor_id,), if_match, cascade)

    # -- collaborations --------------------------------------------------------------------
    def create_collaboration(self, tie: Collaboration) -> Collaboration:
        """Add a tie; NotFound if either end is missing, Conflict if the pair has one."""
        return self._create(COLLABORATION, tie)

    def get_collaboration(self, actor_id: str, innovation_id: str) -> Collaboration:
        """The tie between this actor and innovation, or NotFound."""
        return cast(Collaboration, self._read(COLLABORATION, (actor_id, innovation_id)))

    def list_collaborations(
        self, filters: CollaborationFilter, page: PageRequest
    ) -> Page[Collaboration]:
        """Ties matching the filters, ordered by (actor_id, innovation_id)."""
        return self._list(COLLABORATION, filters, page)

    def update_collaboration(
        self,
        actor_id: str,
        innovation_id: str,
        patch: CollaborationPatch,
        *,
        if_match: IfMatch | None = None,
    ) -> Collaboration:
        """Change the given fields of a tie."""
        key = (actor_id, innovation_id)
        return cast(Collaboration, self._update(COLLABORATION, key, patch, if_match))

    def delete_collaboration(
        self, actor_id: str, innovation_id: str, *, if_match: IfMatch | None = None
    ) -> None:
        """Remove a tie, or NotFound."""
        self._delete(COLLABORATION, (actor_id, innovation_id), if_match)

    # -- partnerships ----------------------------------------------------------------------
    def create_partnership(self, partnership: Partnership) -> Partnership:
        """Add a partnership; Conflict if the pair (either direction) has one."""
        return self._create(PARTNERSHIP, partnership)

    def get_partnership(self, source_id: str, target_id: str) -> Partnership:
        """The partnership between the two actors (either direction), or NotFound."""
        return cast(Partnership, self._read(PARTNERSHIP, (source_id, target_id)))

    def list_partnerships(self, filters: PartnershipFilter, page: PageRequest) -> Page[Partnership]:
        """Partnerships matching the filters, ordered by (source_id, target_id)."""
        return self._list(PARTNERSHIP, filters, page)

    def update_partnership(
        self,
        source_id: str,
        target_id: str,
        patch: PartnershipPatch,
        *,
        if_match: IfMatch | None = None,
    ) -> Partnership:
        """Change the given fields of a partnership (either direction)."""
        key = (source_id, target_id)
        return cast(Partnership, self._update(PARTNERSHIP, key, patch, if_match))

    def delete_partnership(
        self, source_id: str, target_id: str, *, if_match: IfMatch | None = None
    ) -> None:
        """Remove a partnership (either direction), or NotFound."""
        self._delete(PARTNERSHIP, (source_id, target_id), if_match)

    # -- whole graph -----------------------------------------------------------------------
    def load(self, data: GraphData, *, replace: bool = False) -> dict[str, int]:
        """Upsert a whole bundle in one transaction (idempotent); returns rows written per kind.

        Every reference must resolve within the bundle or the store, and no key may appear
        twice in the bundle, else Invalid and nothing is written. A partnership stored in the
        other direction is updated in place. With `replace` the bundle replaces the whole graph
        in that same transaction: whatever fails or is killed when, the store holds the old
        graph or the new one, never a mix and never nothing (references must then resolve
        within the bundle alone).
        """

        def work(tx: Tx) -> None:
            def existing(node: NodeKind, ids: set[str]) -> set[str]:
                return set() if replace else self._existing(tx, node, ids)

            problems = bundle_problems(data, existing)
            if problems:
                raise Invalid(
                    f"the bundle has {len(problems)} problem(s); nothing was written", problems
                )
            if replace:
                self._clear(tx, whole=True)
            for kind in KINDS:  # load order: what a record refers to is written before it
                records = getattr(data, kind.section)
                if records:
                    self._put(tx, kind, records)

        self._run(work, write=True)
        return data.counts()

    def _existing(self, tx: Tx, node: NodeKind, ids: Collection[str]) -> set[str]:
        return {key[0] for key in self._fetch_many(tx, NODE_SECTIONS[node], [(i,) for i in ids])}

    def existing_ids(self, kind: NodeKind, ids: set[str]) -> set[str]:
        """Which of `ids` are stored nodes of `kind` (a bundle's references are checked against
        them)."""
        return self._run(lambda tx: self._existing(tx, kind, ids))

    # -- bulk reads (a neighbourhood in a few queries, whatever the degrees) -----------------
    def records(self, model: type[N], ids: Collection[str]) -> list[N]:
        """The stored nodes of `model` (Innovation or Actor) among `ids`, by id; ids not stored
        are left out."""
        kind = ACTOR if model is Actor else INNOVATION
        found = self._run(lambda tx: self._fetch_many(tx, kind, [(i,) for i in ids]))
        return [found[key] for key in sorted(found)]

    def ties_touching(
        self, *, innovation_ids: Collection[str] = (), actor_ids: Collection[str] = ()
    ) -> list[Collaboration]:
        """Every tie to one of `innovation_ids` or of one of `actor_ids` (each once), ordered by
        (actor_id, innovation_id)."""
        match = {"innovation_id": innovation_ids, "actor_id": actor_ids}
        ties: list[Collaboration] = self._run(lambda tx: self._find(tx, COLLABORATION, match))
        return sorted(ties, key=lambda t: t.key)

    def around(self, actor_ids: Collection[str]) -> Around:
        """In brief, every tie of `actor_ids` and every innovation they are tied to or own: what
        counting an innovation's reach needs, without reading the full records (a ministry has
        thousands). The rule reads them; the adapters' speed overrides read only these fields."""

        def work(tx: Tx) -> tuple[list[Collaboration], list[Innovation]]:
            ties = self._find(tx, COLLABORATION, {"actor_id": actor_ids})
            tied = self._fetch_many(tx, INNOVATION, {(t.innovation_id,) for t in ties})
            owned = self._find(tx, INNOVATION, {"owner_id": actor_ids})
            return ties, [*tied.values(), *owned]

        ties, innovations = self._run(work)
        found = {
            i.id: InnovationSpan(i.id, i.region, i.launched_on, i.owner_id) for i in innovations
        }
        return Around(
            ties=[
                TieSpan(t.actor_id, t.innovation_id, t.since, t.until)
                for t in sorted(ties, key=lambda t: t.key)
            ],
            innovations=[found[key] for key in sorted(found)],
        )

    def tie_sources(self, region: str | None, at: date) -> list[SourcedInnovation]:
        """Each innovation of `region` (None: all), by id, with the sources of its ties active
        on `at`. The rule reads the region's snapshot; the adapters' speed overrides read only
        these fields, counted per source (a national snapshot takes 15-19 s and 760 MiB in an
        API process)."""
        data = self.snapshot(region)
        sources: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for tie in data.collaborations:
            if tie.active_on(at):
                sources[tie.innovation_id][tie.source] += 1
        return [
            SourcedInnovation(i.id, i.name, tuple(sorted(sources[i.id].items())))
            for i in data.innovations
        ]

    def reported_records(self) -> GraphData:
        """`graph.provenance.reported_part(self.snapshot())`, read without the invented
        records: the reported nodes, then the ties at them. What the reported view of a
        national graph needs (`provenance=reported`): its snapshot decodes every record
        (16 s, 700 MiB in an API process), where the reported part is a few hundred."""
        reported = ProvenanceFilter(provenance=Provenance.REPORTED)

        def work(tx: Tx) -> GraphData:
            actors: list[Actor] = self._scan(tx, ACTOR, reported, None)[0]
            innovations: list[Innovation] = self._scan(tx, INNOVATION, reported, None)[0]
            ids: dict[NodeKind, set[str]] = {
                "actor": {a.id for a in actors},
                "innovation": {i.id for i in innovations},
            }
            ties = {  # a reported tie has both ends reported: found from either
                kind.section: sorted(
                    self._find(tx, kind, {kind.ends[0].field: ids[kind.ends[0].node]}),
                    key=partial(key_of, kind),
                )
                for kind in KINDS
                if kind.tie
            }
            return GraphData(
                regions=self._scan(tx, REGION, None, None)[0],
                actors=actors,
                innovations=innovations,
                **ties,
            )

        return reported_part(self._run(work))

    def reach(
        self, innovation_id: str, actor_ids: Collection[str], day: date, region: str | None
    ) -> int:
        """How many other innovations, launched on `day` and in `region`, have an active tie
        (recorded, or an owner's implicit one) from one of `actor_ids` (`Around.reach`): an
        innovation's reach, given the actors active on it. The rule reads `around`; an
        adapter's speed override counts in the store and answers one number."""
        return self.around(actor_ids).reach(innovation_id, actor_ids, day, region)

    def regions(self) -> list[Region]:
        """Every region the store holds, by code."""
        return self._run(lambda tx: self._scan(tx, REGION, None, None)[0])

    def clear(self) -> None:
        """Delete everything (tests and imports into an empty store); the version keeps
        increasing."""
        while not self._run(lambda tx: self._clear(tx, whole=False), write=True):
            pass

    def is_empty(self) -> bool:
        """Whether the store holds no innovation and no actor."""
        one = PageRequest(limit=1)
        return self._run(
            lambda tx: not any(self._scan(tx, kind, None, one)[0] for kind in (INNOVATION, ACTOR))
        )

    # -- collaboration queries (ties active on `at`) ---------------------------------------
    def collaborators(self, innovation_id: str, at: date) -> list[CollaboratorTie]:
        """Actors with a tie to the innovation active on `at`, by helix (in the order of
        `Helix`) then id."""

        def work(tx: Tx) -> list[tuple[Collaboration, Actor]]:
            innovation = self._get(tx, INNOVATION, (innovation_id,))
            if not launched(innovation, at):
                return []
            ties = self._find(tx, COLLABORATION, {"innovation_id": [innovation_id]}, at)
            actors = self._fetch_many(tx, ACTOR, {(t.actor_id,) for t in ties})
            return [(t, actors[(t.actor_id,)]) for t in ties if (t.actor_id,) in actors]

        found = self._run(work)
        found.sort(key=lambda pair: (_HELIX_RANK[pair[1].helix], pair[1].id))
        return [
            CollaboratorTie.model_validate(
                tie.model_dump() | {"name": actor.name, "helix": actor.helix}
            )
            for tie, actor in found
        ]

    def actor_innovations(self, actor_id: str, at: date) -> list[ActorInnovation]:
        """Innovations the actor has a tie to active on `at`, by id."""

        def work(tx: Tx) -> list[tuple[Collaboration, Innovation]]:
            self._get(tx, ACTOR, (actor_id,))
            ties = self._find(tx, COLLABORATION, {"actor_id": [actor_id]}, at)
            innovations = self._fetch_many(tx, INNOVATION, {(t.innovation_id,) for t in ties})
            return [
                (t, innovations[(t.innovation_id,)])
                for t in ties
                if (t.innovation_id,) in innovations
            ]

        found = [(t, i) for t, i in self._run(work) if launched(i, at)]
        found.sort(key=lambda pair: pair[1].id)
        return [
            ActorInnovation.model_validate(
                tie.model_dump() | {"name": inv.name, "origin": inv.origin}
            )
            for tie, inv in found
        ]

    def _partner_ties(self, tx: Tx, actor_id: str, at: date) -> PartnerTies:
        """The actor's co-collaborators with their shared innovations (sorted, with both ties'
        sources), its active partnerships (kind, source) by partner id, and the actors named;
        NotFound unless the actor exists."""
        self._get(tx, ACTOR, (actor_id,))
        mine = {
            t.innovation_id: t.source
            for t in self._find(tx, COLLABORATION, {"actor_id": [actor_id]}, at)
        }
        others = self._find(tx, COLLABORATION, {"innovation_id": mine}, at) if mine else []
        shared: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for tie in sorted(others, key=lambda t: (t.actor_id, t.innovation_id)):
            if tie.actor_id != actor_id:
                shared[tie.actor_id].append(
                    (tie.innovation_id, mine[tie.innovation_id], tie.source)
                )
        formal = {
            (p.target_id if p.source_id == actor_id else p.source_id): (p.kind, p.source)
            for p in self._find(
                tx, PARTNERSHIP, {"source_id": [actor_id], "target_id": [actor_id]}, at
            )
        }
        return dict(shared), formal

    def _partners(self, tx: Tx, actor_id: str, at: date) -> list[Partner]:
        shared, formal = self._partner_ties(tx, actor_id, at)
        ids = sorted(shared.keys() | formal.keys(), key=lambda a: (-len(shared.get(a, [])), a))
        actors = self._fetch_many(tx, ACTOR, [(a,) for a in ids])
        result = []
        for a in ids:
            evidence = link_evidence(actor_id, a, shared.get(a, []), formal.get(a))
            result.append(
                Partner(
                    actor_id=a,
                    name=actors[(a,)].name,
                    helix=actors[(a,)].helix,
                    shared_innovations=[i for i, _, _ in shared.get(a, [])],
                    partnership=formal[a][0] if a in formal else None,
                    evidence=evidence,
                    provenance=overall(evidence),
                )
            )
        return result

    def partners(self, actor_id: str, at: date) -> list[Partner]:
        """Co-collaborators and partners of the actor on `at`, most shared innovations first."""
        return self._run(lambda tx: self._partners(tx, actor_id, at))

    def common(self, actor_a: str, actor_b: str, at: date) -> CommonGround:
        """Innovations and partners two actors share on `at`."""
        found = self._run(
            lambda tx: [self._partner_ties(tx, actor, at) for actor in (actor_a, actor_b)]
        )
        partners = [shared.keys() | formal.keys() for shared, formal in found]
        shared_a, formal_a = found[0]
        evidence = link_evidence(actor_a, actor_b, shared_a.get(actor_b, []), formal_a.get(actor_b))
        direct = formal_a.get(actor_b)
        return CommonGround(
            innovations=sorted(i for i, _, _ in shared_a.get(actor_b, [])),
            partners=sorted((partners[0] & partners[1]) - {actor_a, actor_b}),
            partnership=direct[0] if direct is not None else None,
            evidence=evidence,
            provenance=overall(evidence),
        )

    def coverage_gaps(
        self, threshold: int, at: date, region: str | None = None
    ) -> list[CoverageGap]:
        """Innovations whose active ties cover fewer than `threshold` helix kinds,
        fewest first, then by id."""

        def work(tx: Tx) -> list[CoverageGap]:
            filters = InnovationFilter(region=region)
            innovations = [
                i for i in self._scan(tx, INNOVATION, filters, None)[0] if launched(i, at)
            ]
            ties = self._find(tx, COLLABORATION, {"innovation_id": [i.id for i in innovations]})
            recorded = {t.key for t in ties}
            carriers = {(t.innovation_id, t.actor_id) for t in ties if t.active_on(at)}
            # the owner carries its innovation unless it has a recorded tie (graph.asof)
            carriers |= {
                (i.id, i.owner_id)
                for i in innovations
                if i.owner_id is not None and (i.owner_id, i.id) not in recorded
            }
            actors = self._fetch_many(tx, ACTOR, {(a,) for _, a in carriers})
            present: dict[str, set[Helix]] = defaultdict(set)
            for inv, actor in carriers:
                if (actor,) in actors:
                    present[inv].add(actors[(actor,)].helix)
            return [
                CoverageGap(
                    innovation_id=i.id,
                    name=i.name,
                    coverage=len(present[i.id]),
                    missing=[h for h in Helix if h not in present[i.id]],
                )
                for i in innovations
                if len(present[i.id]) < threshold
            ]

        return sorted(self._run(work), key=lambda g: (g.coverage, g.innovation_id))


PartnerTies = tuple[dict[str, list[tuple[str, str, str]]], dict[str, tuple[PartnershipKind, str]]]
"""Co-collaborators -> [(innovation, my source, their source)], partners -> (kind, source)."""
