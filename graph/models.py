"""Pydantic models of the graph: nodes, ties, the bundle that moves a whole graph, pages."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Generic, Self, TypeVar, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from graph.errors import Invalid
from graph.vocab import (
    BuildsOnKind,
    Form,
    Helix,
    LabinovStage,
    Membership,
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
# Characters refused in any text: C0 and C1 controls but tab and newline, lone surrogates and
# the XML non-characters (they break the GraphML and GEXF exports and the terminal); in names
# also tab, newline and the bidirectional overrides and isolates (they flip displayed text).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAME_ONLY = re.compile("[\t\n\u202a-\u202e\u2066-\u2069]")


def _refuse(pattern: re.Pattern[str], value: str, what: str) -> None:
    found = pattern.search(value)
    if found:
        raise ValueError(f"character U+{ord(found.group()):04X} is not allowed in {what}")


def plain_text(value: str) -> str:
    r"""`value` if it has no control characters other than tab and newline.

    >>> plain_text("Dua baris\nteks")
    'Dua baris\nteks'
    >>> plain_text("bell\a")
    Traceback (most recent call last):
    ...
    ValueError: character U+0007 is not allowed in text (tab and newline are)
    """
    _refuse(_CONTROL, value, "text (tab and newline are)")
    return value


def plain_name(value: str) -> str:
    r"""`value` if it has no control characters and no bidirectional overrides.

    >>> plain_name("abc\u202edef")
    Traceback (most recent call last):
    ...
    ValueError: character U+202E is not allowed in a name
    """
    _refuse(_CONTROL, value, "a name")
    _refuse(_NAME_ONLY, value, "a name")
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(plain_name),
]
Text = Annotated[str, StringConstraints(max_length=4000), AfterValidator(plain_text)]
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
    AfterValidator(plain_name),
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
    name: Name = Field(description="Official region name.", examples=["Kabupaten Banjar"])
    level: RegionLevel = Field(description="Administrative level.")


class HelixInfo(Model):
    """One of the Hexahelix kinds, as a first-class node."""

    code: Helix = Field(description="Helix kind code.")
    name_id: str = Field(description="Name in Indonesian.")
    name_en: str = Field(description="Name in English.")
    description: str = Field("", description="What the kind covers.")


class Innovation(Model):
    """A regional innovation (inovasi daerah)."""

    id: Slug
    name: Name = Field(description="Name of the innovation.", examples=["GEOLASTING"])
    description: Text = Field("", description="What the innovation does (up to 4000 characters).")
    origin: Origin = Field(description="Kind of unit that proposed it (IGA vocabulary).")
    owner_id: Slug | None = Field(None, description="Actor that owns (proposed) the innovation.")
    region: RegionCode = Field(description="BPS code of the region it belongs to.")
    district: Name | None = Field(
        None, description="Kecamatan (district) name.", examples=["Martapura"]
    )
    sector: Name | None = Field(
        None, description="Policy sector, free text (e.g. health, education).", examples=["health"]
    )
    form: Form = Field(Form.PELAYANAN_PUBLIK, description="IGA form (bentuk) of the innovation.")
    digital: bool = Field(False, description="Whether it is a digital innovation.")
    stage: Stage = Field(Stage.INISIATIF, description="IGA stage: initiative, trial or applied.")
    labinov_stage: LabinovStage | None = Field(
        None, description="Laboratorium Inovasi (LAN) 5D stage, if tracked."
    )
    launched_on: date | None = Field(None, description="Day it was launched, if known.")
    program: Name | None = Field(
        None, description="Programme it belongs to.", examples=["INTAN BANJAR 2025"]
    )
    membership: Membership | None = Field(
        None,
        description="Whether belonging to `program` is `reported` or only `assumed` "
        "(empty: not stated).",
    )
    tags: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,40}$")]] = Field(
        default_factory=list,
        max_length=20,
        description="Up to 20 free tags: lowercase letters, digits, `_` and `-`.",
    )
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE, description="Whether the record is reported or illustrative."
    )
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
                    "source": "bappedalitbang.banjarkab.go.id/?p=17229",
                }
            ]
        }
    )


class Actor(Model):
    """An organisation that works on innovations, typed by its Hexahelix kind."""

    id: Slug
    name: Name = Field(description="Name of the organisation.", examples=["Dinas Kesehatan"])
    helix: Helix = Field(description="Hexahelix kind of the actor.")
    kind: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")] = Field(
        "organisation", description="Sub-type within the helix kind.", examples=["puskesmas"]
    )
    region: RegionCode = Field(description="BPS code of the region where it is located.")
    district: Name | None = Field(None, description="Kecamatan (district) name, if local to one.")
    scope: Scope = Field(Scope.LOCAL, description="How far its work reaches.")
    sector: Name | None = Field(None, description="Main policy sector, free text.")
    description: Text = Field("", description="What the actor does (up to 4000 characters).")
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE, description="Whether the record is reported or illustrative."
    )
    source: Source = ILLUSTRATIVE

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "universitas-a",
                    "name": "Universitas A (contoh)",
                    "helix": "academia",
                    "kind": "university",
                    "region": "63.71",
                    "scope": "provincial",
                    "provenance": "illustrative",
                    "source": "illustrative",
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
        return active_between(self.since, self.until, day)


def active_between(since: date, until: date | None, day: date) -> bool:
    """Whether a tie from `since` to `until` (exclusive; None: open-ended) is active on `day`.

    >>> active_between(date(2024, 1, 1), date(2024, 2, 1), date(2024, 2, 1))
    False
    """
    return since <= day and (until is None or day < until)


class Collaboration(_Dated):
    """An actor's tie to an innovation (COLLABORATES_ON); one per actor and innovation."""

    actor_id: Slug
    innovation_id: Slug
    role: Role = Field(description="What the actor does on the innovation.")
    strength: Strength = 1
    source: Source = ILLUSTRATIVE

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "actor_id": "universitas-a",
                    "innovation_id": "geolasting",
                    "role": "knowledge_partner",
                    "strength": 2,
                    "since": "2022-09-05",
                    "until": None,
                    "source": "illustrative",
                }
            ]
        }
    )

    @property
    def key(self) -> tuple[str, str]:
        return (self.actor_id, self.innovation_id)


class Partnership(_Dated):
    """A partnership between two actors (PARTNERS_WITH); one per unordered pair."""

    source_id: Slug = Field(description="One actor of the pair.", examples=["pemkab-banjar"])
    target_id: Slug = Field(description="The other actor of the pair.", examples=["universitas-a"])
    kind: PartnershipKind = Field(
        PartnershipKind.INFORMAL,
        description="Formality: `pks` (cooperation agreement), `mou` (framework) or `informal`.",
    )
    source: Source = ILLUSTRATIVE

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source_id": "pemkab-banjar",
                    "target_id": "universitas-a",
                    "kind": "mou",
                    "since": "2019-02-11",
                    "until": None,
                    "source": "illustrative",
                }
            ]
        }
    )

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

    child_id: Slug = Field(description="The unit.", examples=["dinkes-banjar"])
    parent_id: Slug = Field(
        description="The organisation it is part of.", examples=["pemkab-banjar"]
    )

    @model_validator(mode="after")
    def _two_actors(self) -> Self:
        if self.child_id == self.parent_id:
            raise ValueError("an actor cannot be part of itself")
        return self


class BuildsOn(Model):
    """An innovation that replicates or extends another (BUILDS_ON)."""

    innovation_id: Slug = Field(description="The innovation that builds on another.")
    base_id: Slug = Field(description="The innovation it builds on.")
    kind: BuildsOnKind = Field(
        BuildsOnKind.EXTENDS, description="Whether it replicates or extends the base."
    )
    source: Source = ILLUSTRATIVE

    @model_validator(mode="after")
    def _two_innovations(self) -> Self:
        if self.innovation_id == self.base_id:
            raise ValueError("an innovation cannot build on itself")
        return self


class InnovationPatch(Model):
    """Fields of an innovation that can be changed; omitted fields stay as they are."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"stage": "penerapan", "digital": True}]}
    )

    name: Name | None = Field(None, description="New name.")
    description: Text | None = Field(None, description="New description.")
    origin: Origin | None = Field(None, description="New origin (IGA vocabulary).")
    owner_id: Slug | None = Field(None, description="New owning actor id; null clears it.")
    region: RegionCode | None = Field(None, description="New BPS region code.")
    district: Name | None = Field(None, description="New kecamatan name; null clears it.")
    sector: Name | None = Field(None, description="New sector; null clears it.")
    form: Form | None = Field(None, description="New IGA form.")
    digital: bool | None = Field(None, description="Whether it is digital.")
    stage: Stage | None = Field(None, description="New IGA stage.")
    labinov_stage: LabinovStage | None = Field(
        None, description="New Laboratorium Inovasi stage; null clears it."
    )
    launched_on: date | None = Field(None, description="New launch day; null clears it.")
    program: Name | None = Field(None, description="New programme; null clears it.")
    membership: Membership | None = Field(
        None, description="Whether belonging to the programme is reported or assumed."
    )
    tags: list[str] | None = Field(None, description="New tags, replacing the old list.")
    provenance: Provenance | None = Field(None, description="New provenance.")
    source: Source | None = Field(None, description="New source citation.")


class ActorPatch(Model):
    """Fields of an actor that can be changed; omitted fields stay as they are."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"scope": "provincial", "sector": "health"}]}
    )

    name: Name | None = Field(None, description="New name.")
    helix: Helix | None = Field(None, description="New Hexahelix kind.")
    kind: str | None = Field(None, description="New sub-type within the helix kind.")
    region: RegionCode | None = Field(None, description="New BPS region code.")
    district: Name | None = Field(None, description="New kecamatan name; null clears it.")
    scope: Scope | None = Field(None, description="New scope.")
    sector: Name | None = Field(None, description="New sector; null clears it.")
    description: Text | None = Field(None, description="New description.")
    provenance: Provenance | None = Field(None, description="New provenance.")
    source: Source | None = Field(None, description="New source citation.")


class CollaborationPatch(Model):
    """Fields of a collaboration that can be changed."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"strength": 3}, {"until": "2025-01-01"}]}
    )

    role: Role | None = Field(None, description="New role.")
    strength: Strength | None = Field(
        None, description="New strength: 1 occasional, 2 regular, 3 core with a formal agreement."
    )
    since: date | None = Field(None, description="New first active day.")
    until: date | None = Field(
        None, description="New end (first inactive day, exclusive); null: open-ended."
    )
    source: Source | None = Field(None, description="New source citation.")


class PartnershipPatch(Model):
    """Fields of a partnership that can be changed."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"kind": "pks"}]})

    kind: PartnershipKind | None = Field(None, description="New formality: pks, mou or informal.")
    since: date | None = Field(None, description="New first active day.")
    until: date | None = Field(
        None, description="New end (first inactive day, exclusive); null: open-ended."
    )
    source: Source | None = Field(None, description="New source citation.")


M = TypeVar("M", bound=BaseModel)


def apply_patch(record: M, patch: BaseModel) -> M:
    """Return `record` with the fields set in `patch`, validated as a whole; Invalid naming
    each broken field otherwise.

    Fields explicitly set to null in the patch are cleared.
    """
    changes: dict[str, Any] = patch.model_dump(exclude_unset=True)
    merged = record.model_dump() | changes
    try:
        return type(record).model_validate(merged)
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()]
        raise Invalid("; ".join(problems), problems) from exc


def describe_collaboration(actor_id: str, innovation_id: str) -> str:
    """How errors name a collaboration (the same words from every store)."""
    return f"collaboration of actor '{actor_id}' on innovation '{innovation_id}'"


def describe_partnership(a: str, b: str) -> str:
    """How errors name a partnership (the same words from every store)."""
    return f"partnership between actors '{a}' and '{b}'"


class GraphData(Model):
    """A whole graph (or part of one) in one piece: the seed, an import, an export, a snapshot."""

    regions: list[Region] = Field(default_factory=list, description="Regions.")
    actors: list[Actor] = Field(default_factory=list, description="Actors.")
    innovations: list[Innovation] = Field(default_factory=list, description="Innovations.")
    collaborations: list[Collaboration] = Field(
        default_factory=list, description="Actor–innovation ties."
    )
    partnerships: list[Partnership] = Field(
        default_factory=list, description="Actor–actor partnerships."
    )
    part_of: list[PartOf] = Field(default_factory=list, description="Unit-of-organisation links.")
    builds_on: list[BuildsOn] = Field(
        default_factory=list, description="Innovations building on others."
    )

    def counts(self) -> dict[str, int]:
        """Number of records of each kind."""
        return {name: len(getattr(self, name)) for name in type(self).model_fields}


T = TypeVar("T")


def model_examples(model: type[BaseModel]) -> list[Any]:
    """The model-level `examples` of a model's JSON schema (empty without), to build larger
    examples from."""
    extra = model.model_config.get("json_schema_extra")
    return list(cast(list[Any], extra.get("examples", []))) if isinstance(extra, dict) else []


def _page_example(schema: dict[str, Any], cls: type) -> None:
    """A model-level example of `Page[X]`: the first example of X as the only item."""
    args = getattr(cls, "__pydantic_generic_metadata__", {}).get("args", ())
    items = model_examples(args[0])[:1] if args and _is_model(args[0]) else []
    schema["examples"] = [{"items": items, "total": len(items), "limit": 50, "offset": 0}]


def _is_model(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, how many match in all, and the window asked for."""

    model_config = ConfigDict(json_schema_extra=_page_example)

    items: list[T] = Field(description="The items of this page, in the list's order.")
    total: int = Field(description="Items matching the filters, across all pages.")
    limit: int = Field(description="Page size asked for (1..500).")
    offset: int = Field(description="Items skipped before this page.")
