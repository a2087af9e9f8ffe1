"""Closed vocabularies of the Hexahelix graph: every code the API accepts comes from here."""

from enum import StrEnum


# Every count of helix kinds derives from len(Helix). A new kind is a member of Helix with its
# entries in HELIX_NAMES, HELIX_COLOURS, HELIX_SHORT_NAMES and VOCABULARY["helix_example"] (the
# page reads them from /api/v1/vocab); beyond this file it needs the IGA kind it counts as
# (innovation_metrics.IGA_BANDS), its figures in the synthetic calibration (graph/synth.py) and
# the tests' expectations.
class Helix(StrEnum):
    """The Hexahelix actor kinds (LAN RI's model has six)."""

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


HELIX_COLOURS: dict[Helix, tuple[str, str]] = {
    Helix.GOVERNMENT: ("#0072B2", "#005A8C"),
    Helix.ACADEMIA: ("#E69F00", "#7A4F00"),
    Helix.PRIVATE: ("#009E73", "#00684C"),
    Helix.COMMUNITY: ("#CC79A7", "#8E3F73"),
    Helix.NGO: ("#D55E00", "#A04400"),
    Helix.MEDIA: ("#56B4E9", "#1B6A94"),
}
"""Colour of each helix kind on the page: (fill, from the Okabe-Ito palette that colour-blind
readers tell apart; a darker variant that white text reads on with contrast 4.5:1 or more)."""


def rgb(colour: str) -> tuple[int, int, int]:
    """A `#rrggbb` colour as (red, green, blue), as file formats such as GEXF want it.

    >>> rgb(HELIX_COLOURS[Helix.GOVERNMENT][0])
    (0, 114, 178)
    """
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


HELIX_SHORT_NAMES: dict[Helix, tuple[str, str]] = {
    Helix.GOVERNMENT: ("Pem.", "Gov."),
    Helix.ACADEMIA: ("Akad.", "Acad."),
    Helix.PRIVATE: ("Swasta", "Private"),
    Helix.COMMUNITY: ("Masy.", "Comm."),
    Helix.NGO: ("Ornop", "NGO"),
    Helix.MEDIA: ("Media", "Media"),
}
"""Short (Indonesian, English) names of the helix kinds, for narrow table headers."""


class Origin(StrEnum):
    """Which kind of unit proposed an innovation."""

    PERANGKAT_DAERAH = "perangkat_daerah"
    KECAMATAN = "kecamatan"
    PUSKESMAS = "puskesmas"
    MASYARAKAT = "masyarakat"


ORIGIN_COLOURS: dict[Origin, str] = {
    Origin.PERANGKAT_DAERAH: "#3B2F80",
    Origin.KECAMATAN: "#7A5A00",
    Origin.PUSKESMAS: "#A3162B",
    Origin.MASYARAKAT: "#2E5E4E",
}
"""Colour of innovations by origin on the page: darker tones than the helix kinds, so an
innovation never reads as an actor."""


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


class Membership(StrEnum):
    """Whether an innovation's belonging to its programme is reported or an assumption."""

    REPORTED = "reported"
    ASSUMED = "assumed"


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


# -- labels: every code a reader sees, in Indonesian and English ------------------------------
Labels = dict[str, tuple[str, str]]
"""code -> (Indonesian, English)."""

LANGS: tuple[str, ...] = ("id", "en")
"""Languages the labels and rendered texts exist in; Indonesian first (the default)."""
DEFAULT_LANG = "id"

_SECTORS: Labels = {
    "agriculture": ("pertanian", "agriculture"),
    "culture": ("kebudayaan", "culture"),
    "digital": ("digital", "digital"),
    "economy": ("ekonomi", "economy"),
    "education": ("pendidikan", "education"),
    "environment": ("lingkungan hidup", "environment"),
    "governance": ("tata kelola pemerintahan", "governance"),
    "health": ("kesehatan", "health"),
    "infrastructure": ("infrastruktur", "infrastructure"),
    "investment": ("investasi", "investment"),
    "population": ("kependudukan", "population"),
    "social": ("sosial", "social"),
    "tourism": ("pariwisata", "tourism"),
}

_ACTOR_KINDS: Labels = {
    "agency": ("perangkat daerah", "regional agency"),
    "association": ("asosiasi", "association"),
    "bank": ("bank", "bank"),
    "community_group": ("kelompok masyarakat", "community group"),
    "company": ("perusahaan", "company"),
    "cooperative": ("koperasi", "cooperative"),
    "craft_group": ("kelompok perajin", "craft group"),
    "creator_community": ("komunitas kreator", "creator community"),
    "district_office": ("kantor kecamatan", "district office"),
    "farmer_group": ("kelompok tani", "farmer group"),
    "fisher_group": ("kelompok nelayan", "fisher group"),
    "foundation": ("yayasan", "foundation"),
    "government_media": ("media pemerintah", "government media"),
    "health_college": ("sekolah tinggi kesehatan", "health college"),
    "health_volunteers": ("kader kesehatan", "health volunteers"),
    "hospital": ("rumah sakit", "hospital"),
    "humanitarian": ("lembaga kemanusiaan", "humanitarian organisation"),
    "ministry": ("kementerian", "ministry"),
    "national_agency": ("lembaga nasional", "national agency"),
    "news_agency": ("kantor berita", "news agency"),
    "news_outlet": ("media daring", "news outlet"),
    "newspaper": ("surat kabar", "newspaper"),
    "organisation": ("organisasi", "organisation"),
    "polytechnic": ("politeknik", "polytechnic"),
    "professional_association": ("asosiasi profesi", "professional association"),
    "provincial_agency": ("perangkat daerah provinsi", "provincial agency"),
    "puskesmas": ("puskesmas", "community health centre"),
    "radio": ("radio", "radio"),
    "regency": ("pemerintah kabupaten", "regency government"),
    "religious_org": ("organisasi keagamaan", "religious organisation"),
    "secretariat": ("sekretariat daerah", "regional secretariat"),
    "secretariat_division": ("bagian sekretariat daerah", "secretariat division"),
    "think_tank": ("lembaga kajian", "think tank"),
    "tourism_group": ("kelompok sadar wisata", "tourism group"),
    "tv": ("televisi", "TV station"),
    "university": ("universitas", "university"),
    "village": ("desa", "village"),
    "village_enterprise": ("BUMDes", "village enterprise"),
    "vocational_school": ("sekolah kejuruan", "vocational school"),
    "volunteer_group": ("kelompok relawan", "volunteer group"),
    "womens_org": ("organisasi perempuan", "women's organisation"),
    "youth_group": ("karang taruna / kelompok pemuda", "youth group"),
}

VOCABULARY: dict[str, Labels] = {
    "helix": {h.value: names for h, names in HELIX_NAMES.items()},
    "helix_example": {
        Helix.GOVERNMENT: (
            "perangkat daerah, kecamatan atau puskesmas",
            "an agency, kecamatan or puskesmas",
        ),
        Helix.ACADEMIA: (
            "universitas, politeknik atau pusat riset",
            "a university, polytechnic or research centre",
        ),
        Helix.PRIVATE: (
            "bank, usaha lokal atau program CSR",
            "a bank, a local business or a CSR programme",
        ),
        Helix.COMMUNITY: (
            "pemerintah desa, TP PKK, Karang Taruna atau kelompok tani",
            "a village government, TP PKK, Karang Taruna or a farmer group",
        ),
        Helix.NGO: (
            "asosiasi, yayasan atau organisasi profesi",
            "an association, foundation or professional body",
        ),
        Helix.MEDIA: (
            "surat kabar, radio, stasiun TV atau situs berita lokal",
            "a local newspaper, radio, TV station or news site",
        ),
    },
    "origin": {
        Origin.PERANGKAT_DAERAH: ("Perangkat daerah", "Regional agency"),
        Origin.KECAMATAN: ("Kecamatan", "District office"),
        Origin.PUSKESMAS: ("Puskesmas", "Health centre"),
        Origin.MASYARAKAT: ("Masyarakat", "Community"),
    },
    "form": {
        Form.TATA_KELOLA: ("Tata kelola", "Governance"),
        Form.PELAYANAN_PUBLIK: ("Pelayanan publik", "Public service"),
        Form.LAINNYA: ("Lainnya", "Other"),
    },
    "stage": {
        Stage.INISIATIF: ("Inisiatif", "Initiative"),
        Stage.UJI_COBA: ("Uji coba", "Trial"),
        Stage.PENERAPAN: ("Penerapan", "Implemented"),
    },
    "labinov_stage": {
        LabinovStage.DRUM_UP: ("Drum up (menggalang)", "Drum up"),
        LabinovStage.DIAGNOSE: ("Diagnose (mendiagnosis)", "Diagnose"),
        LabinovStage.DESIGN: ("Design (merancang)", "Design"),
        LabinovStage.DELIVER: ("Deliver (menerapkan)", "Deliver"),
        LabinovStage.DISPLAY: ("Display (memamerkan)", "Display"),
    },
    "role": {
        Role.INITIATOR: ("Penggagas", "Initiator"),
        Role.IMPLEMENTER: ("Pelaksana", "Implementer"),
        Role.FUNDER: ("Penyandang dana", "Funder"),
        Role.KNOWLEDGE_PARTNER: ("Mitra pengetahuan", "Knowledge partner"),
        Role.ADVOCATE: ("Pendukung", "Advocate"),
        Role.PUBLICIST: ("Publikasi", "Publicist"),
        Role.BENEFICIARY: ("Penerima manfaat", "Beneficiary"),
        Role.EVALUATOR: ("Penilai", "Evaluator"),
        Role.REGULATOR: ("Regulator", "Regulator"),
    },
    "partnership_kind": {
        PartnershipKind.MOU: ("nota kesepahaman (MoU)", "memorandum of understanding (MoU)"),
        PartnershipKind.PKS: ("perjanjian kerja sama (PKS)", "cooperation agreement (PKS)"),
        PartnershipKind.INFORMAL: ("informal", "informal"),
    },
    "builds_on_kind": {
        BuildsOnKind.REPLICATES: ("mereplikasi", "replicates"),
        BuildsOnKind.EXTENDS: ("mengembangkan", "extends"),
    },
    "scope": {
        Scope.LOCAL: ("Lokal", "Local"),
        Scope.PROVINCIAL: ("Provinsi", "Provincial"),
        Scope.NATIONAL: ("Nasional", "National"),
    },
    "provenance": {
        Provenance.REPORTED: ("Dilaporkan", "Reported"),
        Provenance.ILLUSTRATIVE: ("Ilustrasi", "Illustrative"),
    },
    "region_level": {
        RegionLevel.NATIONAL: ("Nasional", "National"),
        RegionLevel.PROVINCE: ("Provinsi", "Province"),
        RegionLevel.REGENCY: ("Kabupaten", "Regency"),
        RegionLevel.CITY: ("Kota", "City"),
    },
    "sector": _SECTORS,
    "actor_kind": _ACTOR_KINDS,
}
"""Every vocabulary a reader sees: name -> code -> (Indonesian, English). Closed vocabularies
list every code; the open ones (`sector`, `actor_kind`: free text in the data) list the codes
in use, and `label` falls back to the code itself for the others."""


def label(vocabulary: str, code: str, lang: str = DEFAULT_LANG) -> str:
    """The label of `code` in `lang` (`id` or `en`); the code itself when it has none.

    >>> label("helix", "academia"), label("helix", "academia", "en")
    ('Akademisi', 'Academia')
    >>> label("sector", "health"), label("sector", "fisheries")
    ('kesehatan', 'fisheries')
    """
    names = VOCABULARY[vocabulary].get(str(code))
    if names is None:
        return str(code)
    return names[1] if lang == "en" else names[0]
