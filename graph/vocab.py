"""Closed vocabularies of the Hexahelix graph: every code the API accepts comes from here."""

from enum import StrEnum


class Helix(StrEnum):
    """The six Hexahelix actor kinds."""

    GOVERNMENT = "government"
    ACADEMIA = "academia"
    PRIVATE = "private"
    COMMUNITY = "community"
    NGO = "ngo"
    MEDIA = "media"


HELIX_NAMES: dict[Helix, tuple[str, str]] = {
    Helix.GOVERNMENT: ("Pemerintah", "Government"),
    Helix.ACADEMIA: ("Akademisi", "Academia"),
    Helix.PRIVATE: ("Swasta", "Private sector"),
    Helix.COMMUNITY: ("Masyarakat", "Community"),
    Helix.NGO: ("Organisasi non-pemerintah", "Non-governmental organisations"),
    Helix.MEDIA: ("Media", "Media"),
}


class Origin(StrEnum):
    """Which kind of unit proposed an innovation."""

    PERANGKAT_DAERAH = "perangkat_daerah"
    KECAMATAN = "kecamatan"
    PUSKESMAS = "puskesmas"
    MASYARAKAT = "masyarakat"


class Form(StrEnum):
    """IGA form (bentuk) of an innovation."""

    TATA_KELOLA = "tata_kelola"
    PELAYANAN_PUBLIK = "pelayanan_publik"
    LAINNYA = "lainnya"


class Stage(StrEnum):
    """IGA stage of an innovation."""

    INISIATIF = "inisiatif"
    UJI_COBA = "uji_coba"
    PENERAPAN = "penerapan"


class LabinovStage(StrEnum):
    """LAN's Laboratorium Inovasi stage (5D)."""

    DRUM_UP = "drum_up"
    DIAGNOSE = "diagnose"
    DESIGN = "design"
    DELIVER = "deliver"
    DISPLAY = "display"


class Role(StrEnum):
    """What an actor does on an innovation."""

    INITIATOR = "initiator"
    IMPLEMENTER = "implementer"
    FUNDER = "funder"
    KNOWLEDGE_PARTNER = "knowledge_partner"
    ADVOCATE = "advocate"
    PUBLICIST = "publicist"
    BENEFICIARY = "beneficiary"
    EVALUATOR = "evaluator"
    REGULATOR = "regulator"


class PartnershipKind(StrEnum):
    """Formality of a partnership between two actors."""

    MOU = "mou"
    PKS = "pks"
    INFORMAL = "informal"


class BuildsOnKind(StrEnum):
    """How one innovation builds on another."""

    REPLICATES = "replicates"
    EXTENDS = "extends"


class Scope(StrEnum):
    """How far an actor's work reaches."""

    LOCAL = "local"
    PROVINCIAL = "provincial"
    NATIONAL = "national"


class Provenance(StrEnum):
    """Whether a record comes from a public report or is an illustrative stand-in."""

    REPORTED = "reported"
    ILLUSTRATIVE = "illustrative"


class RegionLevel(StrEnum):
    """Administrative level of a region."""

    NATIONAL = "national"
    PROVINCE = "province"
    REGENCY = "regency"
    CITY = "city"


class Label(StrEnum):
    """Node labels of the graph (closed: Cypher labels only ever come from here)."""

    INNOVATION = "Innovation"
    ACTOR = "Actor"
    REGION = "Region"
    HELIX = "Helix"


class RelType(StrEnum):
    """Relationship types of the graph (closed, like Label)."""

    COLLABORATES_ON = "COLLABORATES_ON"
    PARTNERS_WITH = "PARTNERS_WITH"
    PART_OF = "PART_OF"
    BUILDS_ON = "BUILDS_ON"
    IN_HELIX = "IN_HELIX"
    IN_REGION = "IN_REGION"
