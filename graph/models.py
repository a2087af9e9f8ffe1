"""Pydantic models of the graph: nodes, ties, the bundle that moves a whole graph, pages."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Generic, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from graph.vocab import (
    BuildsOnKind,
    Form,
    Helix,
    LabinovStage,
    Origin,
    PartnershipKind,
    Provenance,
    RegionLevel,
    Role,
    Scope,
    Stage,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
REGION_PATTERN = r"^(?:id|\d{2}(?:\.\d{2}){0,3})$"

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=64),
    Field(
        description="Lowercase slug: letters, digits and single hyphens.",
        examples=["dinkes-banjar"],
    ),
]
RegionCode = Annotated[
    str,
    StringConstraints(pattern=REGION_PATTERN, max_length=16),
    Field(description="BPS region code, or `id` for Indonesia.", examples=["63.03"]),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=4000)]
Strength = Annotated[
    int,
    Field(
        ge=1,
        le=3,
        description="Tie strength: 1 occasional, 2 regular, 3 core with a formal agreement.",
    ),
]
Source = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    Field(description="Provenance of the record: a citation, or `illustrative`."),
]
ILLUSTRATIVE = "illustrative"


def slugify(text: str) -> str:
    """Turn a name into an id slug.

    >>> slugify("Dinas Kesehatan (Banjar)")
    'dinas-kesehatan-banjar'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64].strip("-")


class Model(BaseModel):
    """Base of all domain models: unknown fields are refused, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)


class Region(Model):
    """An administrative region (national, province, regency or city)."""

    code: RegionCode
    name: Name
    level: RegionLevel


class HelixInfo(Model):
    """One of the six Hexahelix kinds, as a first-class node."""

    code: Helix
    name_id: str
    name_en: str
    description: str = ""


class Innovation(Model):
    """A regional innovation (inovasi daerah)."""

    id: Slug
    name: Name
    description: Text = ""
    origin: Origin
    owner_id: Slug | None = Field(None, description="Actor that owns (proposed) the innovation.")
    region: RegionCode
    district: Name | None = Field(
        None, description="Kecamatan (district) name.", examples=["Martapura"]
    )
    sector: Name | None = Field(None, examples=["health"])
    form: Form = Form.PELAYANAN_PUBLIK
    digital: bool = False
    stage: Stage = Stage.INISIATIF
    labinov_stage: LabinovStage | None = None
    launched_on: date | None = None
    program: Name | None = Field(None, examples=["INTAN BANJAR 2025"])
    tags: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,40}$")]] = Field(
        default_factory=list, max_length=20
    )
    provenance: Provenance = Provenance.ILLUSTRATIVE
    source: Source = ILLUSTRATIVE

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "geolasting",
                    "name": "GEOLASTING",
                    "description": "Geospatial collaboration against stunting.",
                    "origin": "perangkat_daerah",
                    "owner_id": "bappedalitbang-banjar",
                    "region": "63.03",
                    "district": "Martapura",
                    "sector": "health",
                    "form": "tata_kelola",
                    "digital": True,
                    "stage": "penerapan",
                    "program": "INTAN BANJAR 2025",
                    "tags": ["stunting"],
                    "provenance": "reported",
                    "source": "DOMAIN.md",
                }
            ]
        }
    )


class Actor(Model):
    """An organisation that works on innovations, typed by its Hexahelix kind."""

    id: Slug
    name: Name
    helix: Helix
    kind: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")] = Field(
        "organisation", description="Sub-type within the helix kind.", examples=["puskesmas"]
    )
    region: RegionCode
    district: Name | None = None
    scope: Scope = Scope.LOCAL
    sector: Name | None = None
    description: Text = ""
    provenance: Provenance = Provenance.ILLUSTRATIVE
    source: Source = ILLUSTRATIVE

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "ulm",
                    "name": "Universitas Lambung Mangkurat",
                    "helix": "academia",
                    "kind": "university",
                    "region": "63.71",
                    "scope": "provincial",
                    "provenance": "reported",
                    "source": "DOMAIN.md",
                }
            ]
        }
    )


class _Dated(Model):
    since: date = Field(description="First day the tie is active.")
    until: date | None = Field(
        None, description="First day the tie is no longer active (exclusive)."
    )

    @model_validator(mode="after")
    def _until_after_since(self) -> Self:
        if self.until is not None and self.until <= self.since:
            raise ValueError("until must be after since")
        return self

    def active_on(self, day: date) -> bool:
        """Whether the tie is active on `day` (since <= day < until)."""
        return self.since <= day and (self.until is None or day < self.until)


class Collaboration(_Dated):
    """An actor's tie to an innovation (COLLABORATES_ON); one per actor and innovation."""

    actor_id: Slug
    innovation_id: Slug
    role: Role
    strength: Strength = 1
    source: Source = ILLUSTRATIVE

    @property
    def key(self) -> tuple[str, str]:
        return (self.actor_id, self.innovation_id)


class Partnership(_Dated):
    """A partnership between two actors (PARTNERS_WITH); one per unordered pair."""

    source_id: Slug
    target_id: Slug
    kind: PartnershipKind = PartnershipKind.INFORMAL
    source: Source = ILLUSTRATIVE

    @model_validator(mode="after")
    def _two_actors(self) -> Self:
        if self.source_id == self.target_id:
            raise ValueError("an actor cannot partner with itself")
        return self

    @property
    def key(self) -> tuple[str, str]:
        return (self.source_id, self.target_id)


class PartOf(Model):
    """A unit of an organisation (PART_OF), e.g. a puskesmas of the Dinas Kesehatan."""

    child_id: Slug
    parent_id: Slug

    @model_validator(mode="after")
    def _two_actors(self) -> Self:
        if self.child_id == self.parent_id:
            raise ValueError("an actor cannot be part of itself")
        return self


class BuildsOn(Model):
    """An innovation that replicates or extends another (BUILDS_ON)."""

    innovation_id: Slug
    base_id: Slug
    kind: BuildsOnKind = BuildsOnKind.EXTENDS

    @model_validator(mode="after")
    def _two_innovations(self) -> Self:
        if self.innovation_id == self.base_id:
            raise ValueError("an innovation cannot build on itself")
        return self


class InnovationPatch(Model):
    """Fields of an innovation that can be changed; omitted fields stay as they are."""

    name: Name | None = None
    description: Text | None = None
    origin: Origin | None = None
    owner_id: Slug | None = None
    region: RegionCode | None = None
    district: Name | None = None
    sector: Name | None = None
    form: Form | None = None
    digital: bool | None = None
    stage: Stage | None = None
    labinov_stage: LabinovStage | None = None
    launched_on: date | None = None
    program: Name | None = None
    tags: list[str] | None = None
    provenance: Provenance | None = None
    source: Source | None = None


class ActorPatch(Model):
    """Fields of an actor that can be changed; omitted fields stay as they are."""

    name: Name | None = None
    helix: Helix | None = None
    kind: str | None = None
    region: RegionCode | None = None
    district: Name | None = None
    scope: Scope | None = None
    sector: Name | None = None
    description: Text | None = None
    provenance: Provenance | None = None
    source: Source | None = None


class CollaborationPatch(Model):
    """Fields of a collaboration that can be changed."""

    role: Role | None = None
    strength: Strength | None = None
    since: date | None = None
    until: date | None = None
    source: Source | None = None


class PartnershipPatch(Model):
    """Fields of a partnership that can be changed."""

    kind: PartnershipKind | None = None
    since: date | None = None
    until: date | None = None
    source: Source | None = None


M = TypeVar("M", bound=BaseModel)


def apply_patch(record: M, patch: BaseModel) -> M:
    """Return `record` with the fields set in `patch`, validated as a whole.

    Fields explicitly set to null in the patch are cleared.
    """
    changes: dict[str, Any] = patch.model_dump(exclude_unset=True)
    merged = record.model_dump() | changes
    return type(record).model_validate(merged)


class GraphData(Model):
    """A whole graph (or part of one) in one piece: the seed, an import, an export, a snapshot."""

    regions: list[Region] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    innovations: list[Innovation] = Field(default_factory=list)
    collaborations: list[Collaboration] = Field(default_factory=list)
    partnerships: list[Partnership] = Field(default_factory=list)
    part_of: list[PartOf] = Field(default_factory=list)
    builds_on: list[BuildsOn] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of records of each kind."""
        return {name: len(getattr(self, name)) for name in type(self).model_fields}


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, how many match in all, and the window asked for."""

    items: list[T]
    total: int
    limit: int
    offset: int
