"""Synthetic Hexahelix graphs at the scale of one regency or of the whole country.

`generate(scale, seed)` returns a validated `GraphData` that `hexahelix import` loads through the
normal import path; `write(data, path)` writes it as a CSV folder (or one JSON file when the path
ends in `.json`). The same seed gives byte-identical files; numbers come only from
`numpy.random.default_rng(seed)` and the generation is vectorised (ties, dates, roles, pools).

Shape (the constants below are measured on the Banjar seed, `seed/*.csv`):
- regions: `national` = Indonesia (`id`), the 38 provinces (real names and BPS codes) and 508
  regencies and cities (`NN.01`.. for kabupaten, `NN.71`.. for kota, as many per province as the
  autonomous ones of 2025; generated names except where the seed names the code);
  `regional` = Indonesia, Kalimantan Selatan and one regency, `63.03`;
- innovations per regional government: lognormal (heavy tail), 15 of 546 with none (IGA 2025:
  531 of 546 took part), about 35,000 in all; every innovation has an owner with an `initiator`
  tie (a government unit, or a community group for `masyarakat` innovations);
- actors: about two per innovation, local to one region, with Banjar's helix and kind mix;
  provincial actors (of the province's own region) serve all its regencies; a few hundred
  national actors (region `id`: ministries, LAN, universities, national media, banks) span the
  country; each actor has a lognormal activity weight, so some become hubs;
- helix coverage of each innovation is drawn from Banjar's histogram, the team size from a
  negative binomial (about 5.5 ties per innovation regionally, about 8.8 nationally, for the
  ~300,000 ties of the national picture), and members from the pools of the chosen helix kinds;
  an actor no draw picked gets one tie to an innovation of its area where its kind takes part;
- partnerships mostly join actors who already work together, the rest join actors of one province.

Every record is `illustrative` with source `synthetic (hexahelix synth --seed N)`; the names of
national organisations are real, their ties are invented.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Sized
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.bundle import CSV_FILES, _to_csv, write_csv_dir
from graph.models import GraphData, slugify
from graph.vocab import Helix

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

HELIXES: tuple[Helix, ...] = tuple(Helix)
N_HELIX = len(HELIXES)
# The calibration below has figures per helix kind, in this order: PARTICIPATION, LEVEL_SHARE,
# ROLE_COUNTS, PROVINCE_HELIX_BOOST, NATIONAL_HELIX_SHARE, GENERATED_NATIONAL, each spec's
# extra_member_weight, and kinds of actor of the kind in KINDS (local and national pools must
# not be empty): a new helix kind needs its figures in each.
GOV, ACA, PRI, COM, NGO, MED = (
    HELIXES.index(h)
    for h in (
        Helix.GOVERNMENT,
        Helix.ACADEMIA,
        Helix.PRIVATE,
        Helix.COMMUNITY,
        Helix.NGO,
        Helix.MEDIA,
    )
)
LOCAL, PROVINCIAL, NATIONAL = range(3)
SCOPES = ("local", "provincial", "national")


class Scale(StrEnum):
    """How big a synthetic graph is."""

    REGIONAL = "regional"
    NATIONAL = "national"


@dataclass(frozen=True)
class ScaleSpec:
    """The knobs of one scale."""

    innovations: int  # target total (national) or mean (regional)
    region_sigma: float  # lognormal sigma of innovations per regional government
    absent: int  # regional governments without innovations
    actors_per_innovation: float  # local actors of a region per innovation
    actors_base: int  # local actors of a region besides those
    extra_members_mean: float  # mean team size beyond one member per covered helix kind
    partnerships: int
    national_actors: int
    extra_member_weight: tuple[float, ...]  # which kinds the extra members are of (by helix)
    max_region: int  # cap on innovations of one regional government


SPECS: dict[Scale, ScaleSpec] = {
    Scale.REGIONAL: ScaleSpec(
        55, 0.0, 0, 1.75, 4, 1.45, 36, 6, (4.2, 0.45, 0.6, 1.0, 0.35, 0.3), 60
    ),
    Scale.NATIONAL: ScaleSpec(
        35_000, 0.85, 15, 2.05, 11, 5.1, 50_000, 300, (2.0, 0.5, 0.65, 1.1, 0.4, 0.4), 800
    ),
}

# -- measured on the Banjar seed (55 innovations, 121 actors, 280 ties) ---------------------------
SEED_COVERAGE = {1: 6, 2: 16, 3: 9, 4: 13, 5: 7, 6: 4}  # innovations by helix kinds covered
# How often each kind takes part in an innovation (government: always), used as sampling weights.
PARTICIPATION = np.array([1.0, 0.44, 0.40, 0.62, 0.29, 0.45])
# Share of a kind's ties going to local, provincial and national actors.
LEVEL_SHARE = np.array(
    [
        [0.90, 0.05, 0.05],  # government
        [0.20, 0.65, 0.15],  # academia
        [0.62, 0.30, 0.08],  # private
        [0.97, 0.03, 0.00],  # community
        [0.85, 0.10, 0.05],  # ngo
        [0.55, 0.37, 0.08],  # media
    ]
)
ROLES = (
    "initiator",
    "implementer",
    "funder",
    "knowledge_partner",
    "advocate",
    "publicist",
    "beneficiary",
    "evaluator",
    "regulator",
)
# Roles of non-owner ties by kind, counted in the seed (columns in ROLES order).
ROLE_COUNTS = np.array(
    [
        [0, 46, 0, 26, 10, 0, 0, 1, 3],
        [0, 1, 0, 21, 0, 0, 0, 4, 0],
        [0, 12, 16, 0, 0, 0, 3, 0, 0],
        [0, 19, 0, 0, 12, 0, 4, 0, 0],
        [0, 6, 4, 3, 5, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 29, 0, 0, 0],
    ],
    dtype=np.float64,
)
NONOWNER_STRENGTH = np.array([0.62, 0.35, 0.03])  # strength 1, 2, 3 of non-owner ties
ENDED_SHARE = 0.05  # non-owner ties with `until`
START_YEARS = (np.arange(2019, 2026), np.array([0.02, 0.03, 0.05, 0.10, 0.12, 0.13, 0.55]))
ORIGINS = ("perangkat_daerah", "kecamatan", "puskesmas", "masyarakat")
ORIGIN_SHARE = np.array([33, 4, 7, 10], dtype=np.float64)
FORMS = (("pelayanan_publik", 29), ("lainnya", 16), ("tata_kelola", 10))
STAGES = (("uji_coba", 31), ("penerapan", 19), ("inisiatif", 5))
LABINOV = (("display", 31), ("", 13), ("deliver", 6), ("design", 5))
DIGITAL_SHARE = 18 / 55
SECTORS = (
    ("health", 12),
    ("population", 8),
    ("governance", 7),
    ("social", 5),
    ("economy", 4),
    ("environment", 4),
    ("tourism", 3),
    ("investment", 2),
    ("infrastructure", 2),
    ("education", 2),
    ("digital", 2),
    ("culture", 2),
    ("agriculture", 2),
)
PARTNERSHIP_KINDS = (("informal", 16), ("pks", 14), ("mou", 6))
COWORKER_PARTNERSHIP_SHARE = 0.78  # 28 of the seed's 36 partnerships join co-workers
BUILDS_ON_SHARE = 0.05
ACTIVITY_SIGMA = 1.0  # lognormal sigma of local actors' activity weights (hubs vs idle actors)

# -- kinds of actor: (code, helix, id prefix, name template, weight in a regency's random part) ----
# Templates: {place} a generated place name, {region} the region's name, {short} without its level.
KINDS: tuple[tuple[str, int, str, str, float], ...] = (
    ("regency", GOV, "pemda", "Pemerintah {region}", 0),
    ("agency", GOV, "dinas", "{agency} {region}", 16),
    ("district_office", GOV, "kec", "Kecamatan {place}", 20),
    ("puskesmas", GOV, "pkm", "Puskesmas {place}", 11),
    ("village", GOV, "desa", "Desa {place}", 4),
    ("secretariat_division", GOV, "bag", "Bagian {division} Setda {short}", 2),
    ("hospital", GOV, "rsud", "RSUD {place}", 1),
    ("university", ACA, "univ", "Universitas {place}", 3),
    ("health_college", ACA, "stikes", "STIKes {place}", 2),
    ("polytechnic", ACA, "poltek", "Politeknik {place}", 1),
    ("vocational_school", ACA, "smk", "SMK Negeri {n} {short}", 1),
    ("company", PRI, "pt", "PT {place} {firm}", 6),
    ("bank", PRI, "bank", "BPR {place}", 2),
    ("cooperative", PRI, "kop", "Koperasi {place}", 1),
    ("association", PRI, "asosiasi", "Asosiasi UMKM {place}", 1),
    ("village_enterprise", PRI, "bumdes", "BUMDes {place}", 1),
    ("community_group", COM, "kom", "Komunitas {place}", 5),
    ("farmer_group", COM, "poktan", "Gapoktan {place}", 4),
    ("youth_group", COM, "karta", "Karang Taruna {place}", 3),
    ("tourism_group", COM, "pokdarwis", "Pokdarwis {place}", 2),
    ("womens_org", COM, "pkk", "TP PKK {region}", 1),
    ("volunteer_group", COM, "relawan", "Relawan {place}", 1),
    ("health_volunteers", COM, "kader", "Kader Posyandu {place}", 1),
    ("religious_org", COM, "majelis", "Majelis Taklim {place}", 1),
    ("craft_group", COM, "perajin", "Kelompok Perajin {place}", 1),
    ("fisher_group", COM, "nelayan", "Kelompok Nelayan {place}", 1),
    ("association", NGO, "forum", "Forum Peduli {place}", 3),
    ("foundation", NGO, "yayasan", "Yayasan {place} {firm}", 2),
    ("zakat_agency", NGO, "baznas", "Baznas {region}", 1),
    ("professional_association", NGO, "ikatan", "Ikatan Profesi {place}", 1),
    ("humanitarian", NGO, "pmi", "PMI {region}", 1),
    ("think_tank", NGO, "lembaga", "Lembaga Kajian {place}", 1),
    ("newspaper", MED, "koran", "{place} Pos", 4),
    ("news_outlet", MED, "portal", "Warta {place}", 2),
    ("tv", MED, "tv", "{short} TV", 2),
    ("radio", MED, "radio", "Radio {place} FM", 1),
    ("government_media", MED, "mc", "MC {region}", 1),
    ("creator_community", MED, "kreator", "Kreator Konten {place}", 1),
)
KIND_INDEX = {(code, helix): k for k, (code, helix, *_) in enumerate(KINDS)}
K_ROOT, K_AGENCY, K_DISTRICT, K_PUSKESMAS = 0, 1, 2, 3
K_COMMUNITY, K_WOMENS = KIND_INDEX[("community_group", COM)], KIND_INDEX[("womens_org", COM)]
# Every regional government has these first (a regency's root, three agencies, ...).
FIXED_KINDS = (
    K_ROOT,
    K_AGENCY,
    K_AGENCY,
    K_AGENCY,
    K_DISTRICT,
    K_PUSKESMAS,
    K_WOMENS,
    KIND_INDEX[("bank", PRI)],
    KIND_INDEX[("zakat_agency", NGO)],
    KIND_INDEX[("newspaper", MED)],
    KIND_INDEX[("university", ACA)],
)
FIXED_WEIGHT = (1.5, 4.0, 3.0, 2.5, 1.0, 1.5, 4.0, 3.0, 1.5, 3.0, 3.0)
# A province's own actors lean to academia, media and the private sector.
PROVINCE_HELIX_BOOST = np.array([0.6, 4.0, 1.6, 0.4, 1.2, 1.6])
# Agencies in the order a region names them (sector in brackets after |).
AGENCIES = (
    "Dinas Kesehatan|health",
    "Bappeda|governance",
    "Dinas Komunikasi dan Informatika|digital",
    "Dinas Kependudukan dan Pencatatan Sipil|population",
    "Dinas Penanaman Modal dan PTSP|investment",
    "Dinas Pendidikan|education",
    "Dinas Pekerjaan Umum dan Penataan Ruang|infrastructure",
    "Dinas Sosial|social",
    "Dinas Lingkungan Hidup|environment",
    "Dinas Pertanian|agriculture",
    "Dinas Pariwisata|tourism",
    "Dinas Koperasi dan UKM|economy",
    "Dinas Pemberdayaan Masyarakat dan Desa|social",
    "BKPSDM|governance",
    "Badan Pendapatan Daerah|economy",
    "Dinas Perhubungan|infrastructure",
    "Dinas Perikanan|agriculture",
    "Dinas Perpustakaan dan Kearsipan|culture",
    "Dinas Ketahanan Pangan|agriculture",
    "Dinas Tenaga Kerja|economy",
    "Dinas Perdagangan|economy",
    "Dinas Kebudayaan|culture",
    "Dinas Pemuda dan Olahraga|social",
    "BPBD|environment",
    "Satpol PP|governance",
    "Inspektorat|governance",
    "Dinas Perumahan dan Permukiman|infrastructure",
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak|social",
)
DIVISIONS = ("Organisasi", "Hukum", "Perekonomian", "Pemerintahan", "Kesejahteraan Rakyat")
FIRMS = ("Sejahtera", "Mandiri", "Abadi", "Makmur", "Nusantara", "Lestari", "Jaya", "Sentosa")
PLACE_A = (
    "Sungai", "Tanjung", "Bukit", "Muara", "Pulau", "Batu", "Kuala", "Lubuk", "Teluk", "Air",
    "Gunung", "Padang", "Rantau", "Tanah", "Sumber", "Labuhan", "Pematang", "Kampung", "Karang",
    "Banyu", "Talang", "Danau", "Parit", "Ujung",
)  # fmt: skip
PLACE_B = (
    "Jaya", "Makmur", "Indah", "Baru", "Raya", "Sari", "Permai", "Mulia", "Agung", "Lestari",
    "Hilir", "Hulu", "Rejo", "Harapan", "Mekar", "Tengah", "Asri", "Damai", "Subur", "Sejahtera",
    "Bening", "Tinggi", "Panjang", "Kencana",
)  # fmt: skip
SYLLABLES = (
    "BA", "TA", "MA", "SI", "PA", "KA", "LA", "RA", "GE", "DU", "NI", "SA", "TU", "BU", "LU",
    "PI", "MU", "DA", "KU", "NA", "WA", "HA", "JA", "RI", "SE", "TI", "GA", "KO", "PU", "LI",
)  # fmt: skip
WORD_ENDS = ("N", "S", "K", "T", "NG", "R", "X", "", "", "")

# (code, name, kabupaten, kota): autonomous regencies and cities per province in 2025 (508 in all;
# DKI Jakarta's are administrative, so none). Papua's codes follow Kemendagri after the 2022 split.
PROVINCES: tuple[tuple[str, str, int, int], ...] = (
    ("11", "Aceh", 18, 5),
    ("12", "Sumatera Utara", 25, 8),
    ("13", "Sumatera Barat", 12, 7),
    ("14", "Riau", 10, 2),
    ("15", "Jambi", 9, 2),
    ("16", "Sumatera Selatan", 13, 4),
    ("17", "Bengkulu", 9, 1),
    ("18", "Lampung", 13, 2),
    ("19", "Kepulauan Bangka Belitung", 6, 1),
    ("21", "Kepulauan Riau", 5, 2),
    ("31", "DKI Jakarta", 0, 0),
    ("32", "Jawa Barat", 18, 9),
    ("33", "Jawa Tengah", 29, 6),
    ("34", "Daerah Istimewa Yogyakarta", 4, 1),
    ("35", "Jawa Timur", 29, 9),
    ("36", "Banten", 4, 4),
    ("51", "Bali", 8, 1),
    ("52", "Nusa Tenggara Barat", 8, 2),
    ("53", "Nusa Tenggara Timur", 21, 1),
    ("61", "Kalimantan Barat", 12, 2),
    ("62", "Kalimantan Tengah", 13, 1),
    ("63", "Kalimantan Selatan", 11, 2),
    ("64", "Kalimantan Timur", 7, 3),
    ("65", "Kalimantan Utara", 4, 1),
    ("71", "Sulawesi Utara", 11, 4),
    ("72", "Sulawesi Tengah", 12, 1),
    ("73", "Sulawesi Selatan", 21, 3),
    ("74", "Sulawesi Tenggara", 15, 2),
    ("75", "Gorontalo", 5, 1),
    ("76", "Sulawesi Barat", 6, 0),
    ("81", "Maluku", 9, 2),
    ("82", "Maluku Utara", 8, 2),
    ("91", "Papua", 8, 1),
    ("92", "Papua Barat", 7, 0),
    ("93", "Papua Selatan", 4, 0),
    ("94", "Papua Tengah", 8, 0),
    ("95", "Papua Pegunungan", 8, 0),
    ("96", "Papua Barat Daya", 5, 1),
)
# Region names the seed gives (kept so a synthetic import never renames them).
SEED_REGION_NAMES = {
    "63.03": "Kabupaten Banjar",
    "63.71": "Kota Banjarmasin",
    "63.72": "Kota Banjarbaru",
}
REGIONAL_CODE = "63.03"

# National actors: (name, helix, kind), most active first; the list is topped up with generated
# names to the scale's count.
NATIONAL_ACTORS: tuple[tuple[str, int, str], ...] = (
    ("Lembaga Administrasi Negara", GOV, "national_agency"),
    ("BSKDN Kementerian Dalam Negeri", GOV, "national_agency"),
    ("Kementerian PANRB", GOV, "ministry"),
    ("Badan Riset dan Inovasi Nasional", GOV, "national_agency"),
    ("Kementerian Kesehatan", GOV, "ministry"),
    ("Universitas Indonesia", ACA, "university"),
    ("Universitas Gadjah Mada", ACA, "university"),
    ("Bank Rakyat Indonesia", PRI, "bank"),
    ("Kantor Berita Antara", MED, "news_agency"),
    ("Badan Amil Zakat Nasional", NGO, "zakat_agency"),
    ("Kementerian Desa PDT", GOV, "ministry"),
    ("Institut Pertanian Bogor", ACA, "university"),
    ("Institut Teknologi Bandung", ACA, "university"),
    ("Bank Negara Indonesia", PRI, "bank"),
    ("Bank Mandiri", PRI, "bank"),
    ("TVRI", MED, "tv"),
    ("RRI", MED, "radio"),
    ("Kompas", MED, "newspaper"),
    ("Tim Penggerak PKK Pusat", COM, "womens_org"),
    ("Palang Merah Indonesia", NGO, "humanitarian"),
    ("Bappenas", GOV, "ministry"),
    ("Kementerian Komunikasi dan Digital", GOV, "ministry"),
    ("Badan Pusat Statistik", GOV, "national_agency"),
    ("BKKBN", GOV, "national_agency"),
    ("Kementerian Pendidikan Dasar dan Menengah", GOV, "ministry"),
    ("Kementerian Sosial", GOV, "ministry"),
    ("Kementerian Pertanian", GOV, "ministry"),
    ("Kementerian Keuangan", GOV, "ministry"),
    ("Kementerian Pariwisata", GOV, "ministry"),
    ("Kementerian Lingkungan Hidup", GOV, "ministry"),
    ("Kementerian Pekerjaan Umum", GOV, "ministry"),
    ("Kementerian Koperasi", GOV, "ministry"),
    ("BPKP", GOV, "national_agency"),
    ("BNPB", GOV, "national_agency"),
    ("Ombudsman RI", GOV, "national_agency"),
    ("Institut Teknologi Sepuluh Nopember", ACA, "university"),
    ("Universitas Airlangga", ACA, "university"),
    ("Universitas Padjadjaran", ACA, "university"),
    ("Universitas Diponegoro", ACA, "university"),
    ("Universitas Brawijaya", ACA, "university"),
    ("Universitas Hasanuddin", ACA, "university"),
    ("Universitas Sebelas Maret", ACA, "university"),
    ("Universitas Andalas", ACA, "university"),
    ("Universitas Sumatera Utara", ACA, "university"),
    ("Universitas Udayana", ACA, "university"),
    ("Universitas Syiah Kuala", ACA, "university"),
    ("Universitas Sriwijaya", ACA, "university"),
    ("Universitas Mulawarman", ACA, "university"),
    ("Universitas Sam Ratulangi", ACA, "university"),
    ("Universitas Cenderawasih", ACA, "university"),
    ("Politeknik STIA LAN", ACA, "polytechnic"),
    ("Bank Syariah Indonesia", PRI, "bank"),
    ("Bank Tabungan Negara", PRI, "bank"),
    ("Telkom Indonesia", PRI, "company"),
    ("PLN", PRI, "company"),
    ("Pertamina", PRI, "company"),
    ("Pupuk Indonesia", PRI, "company"),
    ("Astra International", PRI, "company"),
    ("Gojek", PRI, "company"),
    ("Tempo", MED, "newspaper"),
    ("Republika", MED, "newspaper"),
    ("Media Indonesia", MED, "newspaper"),
    ("Detikcom", MED, "news_outlet"),
    ("Kumparan", MED, "news_outlet"),
    ("CNN Indonesia", MED, "tv"),
    ("InfoPublik", MED, "government_media"),
    ("Katadata", MED, "news_outlet"),
    ("Dompet Dhuafa", NGO, "foundation"),
    ("Rumah Zakat", NGO, "zakat_agency"),
    ("Tanoto Foundation", NGO, "foundation"),
    ("Wahana Visi Indonesia", NGO, "foundation"),
    ("Save the Children Indonesia", NGO, "foundation"),
    ("KPPOD", NGO, "think_tank"),
    ("Seknas FITRA", NGO, "think_tank"),
    ("Ikatan Dokter Indonesia", NGO, "professional_association"),
    ("Muhammadiyah", COM, "religious_org"),
    ("Nahdlatul Ulama", COM, "religious_org"),
    ("Karang Taruna Nasional", COM, "youth_group"),
    ("Gerakan Pramuka", COM, "youth_group"),
    ("Forum Anak Nasional", COM, "community_group"),
)
GENERATED_NATIONAL: tuple[tuple[int, str, str], ...] = (
    (GOV, "national_agency", "Direktorat {place} Kementerian"),
    (ACA, "university", "Universitas Nusantara {place}"),
    (PRI, "company", "PT {place} {firm} Nusantara"),
    (COM, "community_group", "Gerakan {place} Nusantara"),
    (NGO, "foundation", "Yayasan {place} Indonesia"),
    (MED, "news_outlet", "Portal {place} Nasional"),
)
NATIONAL_HELIX_SHARE = np.array([0.22, 0.20, 0.20, 0.06, 0.18, 0.14])

FIRST_DAY = date(2010, 1, 1)
LAST_DAY = date(2025, 12, 1)  # no tie starts after this day
LAST_LAUNCH = date(2025, 12, 15)


def _iso_days(until: date = date(2030, 12, 31)) -> npt.NDArray[np.str_]:
    days = (until - FIRST_DAY).days + 1
    return np.array([(FIRST_DAY + timedelta(days=k)).isoformat() for k in range(days)])


def _day(d: date) -> int:
    return (d - FIRST_DAY).days


def _shares(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], FloatArray]:
    values = [v for v, _ in pairs]
    weights = np.array([w for _, w in pairs], dtype=np.float64)
    return values, weights / weights.sum()


def _source(seed: int) -> str:
    return f"synthetic (hexahelix synth --seed {seed})"


# -- regions --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegionRow:
    """One region of the layout: code, name, level and the index of its province region."""

    code: str
    name: str
    level: str
    province: int  # index into the layout (itself for a province, 0 for Indonesia)


def _place_names(rng: np.random.Generator, n: int) -> list[str]:
    a = rng.integers(0, len(PLACE_A), n)
    b = rng.integers(0, len(PLACE_B), n)
    return [f"{PLACE_A[x]} {PLACE_B[y]}" for x, y in zip(a.tolist(), b.tolist(), strict=True)]


def region_layout(scale: Scale, rng: np.random.Generator) -> list[RegionRow]:
    """Indonesia first, then each province followed by its regencies and cities."""
    rows = [RegionRow("id", "Indonesia", "national", 0)]
    provinces = PROVINCES if scale is Scale.NATIONAL else (("63", "Kalimantan Selatan", 0, 0),)
    combos = rng.permutation(len(PLACE_A) * len(PLACE_B))
    used = 0
    for code, name, kabupaten, kota in provinces:
        province = len(rows)
        rows.append(RegionRow(code, name, "province", province))
        subcodes = [(f"{code}.{k:02d}", "regency") for k in range(1, kabupaten + 1)]
        subcodes += [(f"{code}.{71 + k:02d}", "city") for k in range(kota)]
        if scale is Scale.REGIONAL:
            subcodes = [(REGIONAL_CODE, "regency")]
        for sub, level in subcodes:
            combo = int(combos[used % len(combos)])
            used += 1
            place = f"{PLACE_A[combo // len(PLACE_B)]} {PLACE_B[combo % len(PLACE_B)]}"
            generated = ("Kabupaten " if level == "regency" else "Kota ") + place
            rows.append(RegionRow(sub, SEED_REGION_NAMES.get(sub, generated), level, province))
    return rows


def region_sizes(
    rng: np.random.Generator,
    regions: int,
    total: int,
    sigma: float,
    absent: int,
    cap: int | None = None,
) -> IntArray:
    """Innovations per regional government: lognormal(0, sigma) scaled to about `total` (and
    at most `cap`), with `absent` governments (chosen at random) at zero, every other at one or
    more."""
    raw = rng.lognormal(0.0, sigma, regions) if sigma > 0 else np.ones(regions)
    missing = rng.choice(regions, size=absent, replace=False) if absent else np.array([], int)
    raw[missing] = 0.0
    scaled = raw * total / raw.sum()
    if cap is not None:  # cap the largest, then spread what was cut over the others
        for _ in range(5):
            over = scaled > cap
            cut = float((scaled[over] - cap).sum())
            scaled[over] = cap
            scaled[~over] *= 1 + cut / float(scaled[~over].sum())
    sizes = np.maximum(np.rint(scaled), 1).astype(np.int64)
    sizes[missing] = 0
    result: IntArray = sizes
    return result


# -- the generator ----------------------------------------------------------------------------------
@dataclass
class _Actors:
    region: IntArray
    kind: IntArray
    helix: IntArray
    level: IntArray
    weight: FloatArray
    ids: list[str]
    names: list[str]
    sectors: list[str | None]
    districts: list[str | None]


class _Generator:
    def __init__(self, scale: Scale, seed: int) -> None:
        self.scale = scale
        self.seed = seed
        self.spec = SPECS[scale]
        self.rng = np.random.default_rng(seed)
        self.source = _source(seed)
        self.iso = _iso_days()

    # regions and innovation counts
    def regions(self) -> None:
        self.layout = region_layout(self.scale, self.rng)
        self.region_province = np.array([r.province for r in self.layout], dtype=np.int64)
        governments = len(self.layout) - 1
        if self.scale is Scale.REGIONAL:
            sizes = np.zeros(governments, dtype=np.int64)
            sizes[-1] = int(self.rng.integers(50, 61))
        else:
            s = self.spec
            sizes = region_sizes(
                self.rng, governments, s.innovations, s.region_sigma, s.absent, s.max_region
            )
        self.inn_count = np.concatenate([[0], sizes]).astype(np.int64)

    def _short(self, region: int) -> str:
        name = self.layout[region].name
        for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
            name = name.removeprefix(prefix)
        return name

    def _region_title(self, region: int) -> str:
        row = self.layout[region]
        return f"Provinsi {row.name}" if row.level == "province" else row.name

    # actors
    def actors(self) -> None:
        rng, spec = self.rng, self.spec
        kind_weight = np.array([k[4] for k in KINDS], dtype=np.float64)
        kind_helix = np.array([k[1] for k in KINDS], dtype=np.int64)
        regency_p = kind_weight / kind_weight.sum()
        province_w = kind_weight * PROVINCE_HELIX_BOOST[kind_helix]
        province_p = province_w / province_w.sum()
        kinds: list[IntArray] = []
        weights: list[FloatArray] = []
        regions: list[IntArray] = []
        for region in range(1, len(self.layout)):
            n_inn = int(self.inn_count[region])
            is_province = self.layout[region].level == "province"
            if self.scale is Scale.REGIONAL and is_province:
                n_extra = int(rng.integers(4, 8))  # ULM, Bank Kalsel, provincial media ...
            else:
                n_extra = spec.actors_base + round(spec.actors_per_innovation * n_inn)
                n_extra = max(0, n_extra - len(FIXED_KINDS)) + (25 if is_province else 0)
            p = province_p if is_province else regency_p
            drawn = rng.choice(len(KINDS), size=n_extra, p=p)
            kinds.append(np.concatenate([np.array(FIXED_KINDS, dtype=np.int64), drawn]))
            weights.append(
                np.concatenate(
                    [np.array(FIXED_WEIGHT), rng.lognormal(0.0, ACTIVITY_SIGMA, n_extra)]
                )
            )
            regions.append(np.full(len(FIXED_KINDS) + n_extra, region, dtype=np.int64))
        kind = np.concatenate(kinds)
        region_arr = np.concatenate(regions)
        weight = np.concatenate(weights)
        helix = kind_helix[kind]
        level = np.where(self._is_province(region_arr), PROVINCIAL, LOCAL)
        ids, names, sectors, districts = self._local_labels(region_arr, kind)
        nat = self._national_actors()
        self.act = _Actors(
            region=np.concatenate([np.zeros(len(nat[0]), dtype=np.int64), region_arr]),
            kind=np.concatenate([np.full(len(nat[0]), -1, dtype=np.int64), kind]),
            helix=np.concatenate([np.array(nat[1], dtype=np.int64), helix]),
            level=np.concatenate([np.full(len(nat[0]), NATIONAL, dtype=np.int64), level]),
            weight=np.concatenate([1.0 / (np.arange(len(nat[0])) + 1.0) ** 0.9, weight]),
            ids=nat[0] + ids,
            names=nat[2] + names,
            sectors=[*([None] * len(nat[0])), *sectors],
            districts=[*([None] * len(nat[0])), *districts],
        )
        self.national_kinds = nat[3]

    def _is_province(self, region: IntArray) -> npt.NDArray[np.bool_]:
        result: npt.NDArray[np.bool_] = self.region_province[region] == region
        return result

    def _local_labels(
        self, region: IntArray, kind: IntArray
    ) -> tuple[list[str], list[str], list[str | None], list[str | None]]:
        rng = self.rng
        n = len(region)
        places = _place_names(rng, n)
        firms = rng.integers(0, len(FIRMS), n).tolist()
        divisions = rng.integers(0, len(DIVISIONS), n).tolist()
        ids: list[str] = []
        names: list[str] = []
        sectors: list[str | None] = []
        districts: list[str | None] = []
        counter = 0
        agency = 0
        previous = -1
        slug = ""
        title = short = ""
        for k, (r, kd) in enumerate(zip(region.tolist(), kind.tolist(), strict=True)):
            if r != previous:
                previous, counter, agency = r, 0, 0
                slug = self.layout[r].code.replace(".", "")
                title, short = self._region_title(r), self._short(r)
            counter += 1
            code, _, prefix, template, _ = KINDS[kd]
            sector: str | None = None
            district: str | None = None
            agency_name = ""
            if kd == K_AGENCY:
                label, sector = AGENCIES[agency % len(AGENCIES)].split("|")
                round_ = agency // len(AGENCIES)
                agency_name = label + (f" Unit {round_ + 1}" if round_ else "")
                agency += 1
            elif code in ("district_office", "puskesmas", "village"):
                district = places[k]
                sector = "health" if code == "puskesmas" else "governance"
            elif kd == K_ROOT:
                sector = "governance"
            names.append(
                template.format(
                    place=places[k],
                    region=title,
                    short=short,
                    agency=agency_name,
                    division=DIVISIONS[divisions[k]],
                    firm=FIRMS[firms[k]],
                    n=counter,
                )
            )
            ids.append(f"{prefix}-{slug}-{counter:03d}")
            sectors.append(sector)
            districts.append(district)
        return ids, names, sectors, districts

    def _national_actors(self) -> tuple[list[str], list[int], list[str], list[str]]:
        rng = self.rng
        count = self.spec.national_actors
        named = list(NATIONAL_ACTORS[: min(count, len(NATIONAL_ACTORS))])
        extra = count - len(named)
        helices = rng.choice(N_HELIX, size=max(extra, 0), p=NATIONAL_HELIX_SHARE).tolist()
        places = _place_names(rng, max(extra, 0))
        firms = rng.integers(0, len(FIRMS), max(extra, 0)).tolist()
        for k, h in enumerate(helices):
            _, kind, template = GENERATED_NATIONAL[h]
            named.append((template.format(place=places[k], firm=FIRMS[firms[k]]), h, kind))
        ids: list[str] = []
        seen: Counter[str] = Counter()
        for name, _, _ in named:
            base = "nas-" + slugify(name)[:52]
            seen[base] += 1
            ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
        return ids, [h for _, h, _ in named], [n for n, _, _ in named], [k for *_, k in named]

    # pools: actors grouped by (region, helix), each group a contiguous run with cumulative weights
    def pools(self) -> None:
        a = self.act
        n_regions = len(self.layout)
        self.pool_of_actor = a.region * N_HELIX + a.helix
        self.pool_order = np.argsort(self.pool_of_actor, kind="stable")
        sorted_pool = self.pool_of_actor[self.pool_order]
        bounds = np.arange(n_regions * N_HELIX + 1)
        edges = np.searchsorted(sorted_pool, bounds)
        self.pool_start, self.pool_end = edges[:-1], edges[1:]
        self.pool_cum = np.cumsum(a.weight[self.pool_order])

    def draw(self, pools: IntArray) -> IntArray:
        """One actor from each pool, with probability proportional to its weight."""
        start, end = self.pool_start[pools], self.pool_end[pools]
        base = np.where(start > 0, self.pool_cum[np.maximum(start - 1, 0)], 0.0)
        top = self.pool_cum[end - 1]
        target = base + self.rng.random(len(pools)) * (top - base)
        pos = np.clip(np.searchsorted(self.pool_cum, target, side="right"), start, end - 1)
        return self.pool_order[pos]

    # innovations and their owners
    def innovations(self) -> None:
        rng = self.rng
        n = int(self.inn_count.sum())
        self.n_inn = n
        region = np.repeat(np.arange(len(self.layout)), self.inn_count)
        self.inn_region = region
        origin = rng.choice(len(ORIGINS), size=n, p=ORIGIN_SHARE / ORIGIN_SHARE.sum())
        origin = np.where(self._is_province(region) & (origin > 0) & (origin < 3), 0, origin)
        self.inn_origin = origin
        # owners: an agency (perangkat daerah), a kecamatan office, a puskesmas, or a community group
        a = self.act
        owner_class = np.full(len(a.kind), -1, dtype=np.int64)
        owner_class[a.kind == K_AGENCY] = 0
        owner_class[a.kind == K_DISTRICT] = 1
        owner_class[a.kind == K_PUSKESMAS] = 2
        owner_class[(a.helix == COM) & (a.level != NATIONAL)] = 3
        key = np.where(owner_class >= 0, a.region * 4 + owner_class, -1)
        order = np.argsort(key, kind="stable")
        skey = key[order]
        cum = np.cumsum(np.where(skey >= 0, a.weight[order], 0.0))
        want = region * 4 + origin
        start = np.searchsorted(skey, want, side="left")
        end = np.searchsorted(skey, want, side="right")
        if np.any(end <= start):
            raise AssertionError("a region lacks an owner pool")
        base = np.where(start > 0, cum[np.maximum(start - 1, 0)], 0.0)
        target = base + rng.random(n) * (cum[end - 1] - base)
        self.owner = order[np.clip(np.searchsorted(cum, target, side="right"), start, end - 1)]
        years, year_p = START_YEARS
        year = rng.choice(years, size=n, p=year_p)
        first = np.array([_day(date(int(y), 1, 1)) for y in years])
        span = np.where(year == 2025, 300, 365)
        self.inn_start = first[year - years[0]] + rng.integers(0, 365, n) % span

    def ties(self) -> None:
        rng, spec = self.rng, self.spec
        n = self.n_inn
        owner_helix = self.act.helix[self.owner]
        cov_k = np.array(list(SEED_COVERAGE), dtype=np.int64)
        cov_p = np.array(list(SEED_COVERAGE.values()), dtype=np.float64)
        coverage = rng.choice(cov_k, size=n, p=cov_p / cov_p.sum())
        # helix kinds present: government and the owner's always, the rest by Gumbel top-k
        keys = np.log(PARTICIPATION)[None, :] + rng.gumbel(size=(n, N_HELIX))
        keys[:, GOV] = np.inf
        keys[np.arange(n), owner_helix] = np.inf
        rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
        forced = 1 + (owner_helix != GOV)
        coverage = np.maximum(coverage, forced)
        chosen = rank < coverage[:, None]  # (n, N_HELIX)
        # one member per chosen kind (the owner for its kind), then extra members by weight
        extra_mean = spec.extra_members_mean
        extra = rng.negative_binomial(2, 2 / (2 + extra_mean), n)
        w = chosen * np.array(spec.extra_member_weight)[None, :]
        cum = np.cumsum(w, axis=1) / w.sum(axis=1, keepdims=True)
        extra_inn = np.repeat(np.arange(n), extra)
        u = rng.random(len(extra_inn))
        extra_helix = np.minimum((cum[extra_inn] < u[:, None]).sum(axis=1), N_HELIX - 1)
        base_inn, base_helix = np.nonzero(
            chosen & (np.arange(N_HELIX)[None, :] != owner_helix[:, None])
        )
        slot_inn = np.concatenate([base_inn, extra_inn])
        slot_helix = np.concatenate([base_helix, extra_helix])
        # pool of each slot: local, provincial or national, moving up when a pool is empty
        level_cum = np.cumsum(LEVEL_SHARE, axis=1)
        level = (level_cum[slot_helix] < rng.random(len(slot_inn))[:, None]).sum(axis=1)
        level = np.minimum(level, NATIONAL)
        region = self.inn_region[slot_inn]
        pool_regions = np.stack(
            [region, self.region_province[region], np.zeros_like(region)], axis=1
        )
        pool = pool_regions * N_HELIX + slot_helix[:, None]
        size = self.pool_end[pool] - self.pool_start[pool]
        rows = np.arange(len(level))
        for lv in (LOCAL, PROVINCIAL):
            level[(level == lv) & (size[rows, lv] == 0)] = lv + 1
        # a small graph may lack national actors of a kind: fall back to the province's
        level[(level == NATIONAL) & (size[rows, NATIONAL] == 0)] = PROVINCIAL
        if np.any(size[rows, level] == 0):
            raise AssertionError("an empty actor pool was chosen")
        slot_pool = pool[np.arange(len(level)), level]
        # draw, dropping duplicates of a pair (the owner's tie comes first); redraw a few times
        n_act = len(self.act.ids)
        accepted = np.sort(np.arange(n) * n_act + self.owner)
        tie_inn = [np.arange(n)]
        tie_actor = [self.owner]
        pending = np.arange(len(slot_inn))
        for _ in range(4):
            if len(pending) == 0:
                break
            actor = self.draw(slot_pool[pending])
            key = slot_inn[pending] * n_act + actor
            _, first = np.unique(key, return_index=True)
            fresh = np.zeros(len(key), dtype=bool)
            fresh[first] = True
            at = np.minimum(np.searchsorted(accepted, key), len(accepted) - 1)
            fresh &= accepted[at] != key
            tie_inn.append(slot_inn[pending][fresh])
            tie_actor.append(actor[fresh])
            accepted = np.sort(np.concatenate([accepted, key[fresh]]))
            pending = pending[~fresh]
        inn = np.concatenate(tie_inn)
        actor = np.concatenate(tie_actor)
        idle_inn, idle_actor = self._idle_ties(inn, actor)
        inn = np.concatenate([inn, idle_inn])
        actor = np.concatenate([actor, idle_actor])
        is_owner = np.zeros(len(inn), dtype=bool)
        is_owner[:n] = True
        order = np.lexsort((actor, ~is_owner, inn))
        self.tie_inn, self.tie_actor, self.tie_owner = inn[order], actor[order], is_owner[order]

    def _idle_ties(self, inn: IntArray, actor: IntArray) -> tuple[IntArray, IntArray]:
        """One tie for each local or provincial actor the draws left idle, to an innovation of
        its region (its province, for a provincial actor) where its helix kind already takes
        part, so helix coverage stays as drawn (in the seed nearly every actor has a tie)."""
        a = self.act
        idle = np.ones(len(a.ids), dtype=bool)
        idle[actor] = False
        idle &= a.level != NATIONAL
        who = np.nonzero(idle)[0]
        region = self.inn_region[inn]
        helix = a.helix[actor]
        picked_inn: list[IntArray] = []
        picked_actor: list[IntArray] = []
        for level, inn_area in ((LOCAL, region), (PROVINCIAL, self.region_province[region])):
            mine = who[a.level[who] == level]
            keys = np.unique(inn_area * N_HELIX * self.n_inn + helix * self.n_inn + inn)
            group = keys // self.n_inn  # (area, helix) of each present (innovation, helix)
            want = a.region[mine] * N_HELIX + a.helix[mine]
            start = np.searchsorted(group, want, side="left")
            end = np.searchsorted(group, want, side="right")
            has = end > start
            pos = start + (self.rng.random(len(mine)) * (end - start)).astype(np.int64)
            picked_inn.append(keys[pos[has]] % self.n_inn)
            picked_actor.append(mine[has])
        return np.concatenate(picked_inn), np.concatenate(picked_actor)

    def tie_attributes(self) -> dict[str, Any]:
        rng = self.rng
        m = len(self.tie_inn)
        helix = self.act.helix[self.tie_actor]
        role_cum = np.cumsum(ROLE_COUNTS / ROLE_COUNTS.sum(axis=1, keepdims=True), axis=1)
        role = np.minimum((role_cum[helix] < rng.random(m)[:, None]).sum(axis=1), len(ROLES) - 1)
        role = np.where(self.tie_owner, 0, role)
        strength = rng.choice(3, size=m, p=NONOWNER_STRENGTH) + 1
        strength = np.where(self.tie_owner, 3, strength)
        offset = np.where(rng.random(m) < 0.3, 0, rng.integers(0, 240, m))
        since = np.minimum(self.inn_start[self.tie_inn] + offset * ~self.tie_owner, _day(LAST_DAY))
        ended = ~self.tie_owner & (rng.random(m) < ENDED_SHARE)
        until = since + rng.integers(120, 1000, m)
        return {"role": role, "strength": strength, "since": since, "ended": ended, "until": until}

    def partnerships(self) -> tuple[IntArray, IntArray]:
        rng, spec = self.rng, self.spec
        target = spec.partnerships
        draws = int(target * 1.4) + 10
        co = rng.random(draws) < COWORKER_PARTNERSHIP_SHARE
        # co-workers: a random tie, and another member of the same team
        team_start = np.searchsorted(self.tie_inn, np.arange(self.n_inn), side="left")
        team_size = np.searchsorted(self.tie_inn, np.arange(self.n_inn), side="right") - team_start
        ties = rng.integers(0, len(self.tie_inn), draws)
        inn = self.tie_inn[ties]
        size = team_size[inn]
        own = ties - team_start[inn]
        other = (rng.random(draws) * np.maximum(size - 1, 1)).astype(np.int64)
        other = other + (other >= own)
        mate = np.where(size > 1, self.tie_actor[team_start[inn] + np.minimum(other, size - 1)], -1)
        a = self.tie_actor[ties]
        # province neighbours: a random actor and one of its province (or the nation's actors)
        n_act = len(self.act.ids)
        group = self.region_province[self.act.region]
        order = np.argsort(group, kind="stable")
        sgroup = group[order]
        x = rng.integers(0, n_act, draws)
        gs = np.searchsorted(sgroup, group[x], side="left")
        ge = np.searchsorted(sgroup, group[x], side="right")
        y = order[gs + (rng.random(draws) * (ge - gs)).astype(np.int64)]
        src = np.where(co, a, x)
        dst = np.where(co, mate, y)
        ok = (dst >= 0) & (src != dst)
        src, dst = src[ok], dst[ok]
        key = np.minimum(src, dst) * n_act + np.maximum(src, dst)
        _, first = np.unique(key, return_index=True)
        keep = np.sort(rng.permutation(first)[:target])
        src, dst = src[keep], dst[keep]
        order2 = np.lexsort((dst, src))
        return src[order2], dst[order2]

    # assembly
    def build(self) -> dict[str, list[dict[str, Any]]]:
        self.regions()
        self.actors()
        self.pools()
        self.innovations()
        self.ties()
        return self.records()

    def records(self) -> dict[str, list[dict[str, Any]]]:
        rng, iso, source = self.rng, self.iso, self.source
        a = self.act
        description = f"Synthetic record generated by `hexahelix synth --seed {self.seed}`."
        helix_codes = [h.value for h in HELIXES]
        regions = [{"code": r.code, "name": r.name, "level": r.level} for r in self.layout]
        region_codes = [r.code for r in self.layout]
        kind_codes = [k[0] for k in KINDS]
        levels = [r.level for r in self.layout]
        actor_kind = [
            (levels[r] if k == K_ROOT else kind_codes[k]) if k >= 0 else self.national_kinds[j]
            for j, (k, r) in enumerate(zip(a.kind.tolist(), a.region.tolist(), strict=True))
        ]
        actors = [
            {
                "id": a.ids[k],
                "name": a.names[k],
                "helix": helix_codes[h],
                "kind": actor_kind[k],
                "region": region_codes[r],
                "district": a.districts[k],
                "scope": SCOPES[lv],
                "sector": a.sectors[k],
                "description": description,
                "provenance": "illustrative",
                "source": source,
            }
            for k, (h, r, lv) in enumerate(
                zip(a.helix.tolist(), a.region.tolist(), a.level.tolist(), strict=True)
            )
        ]
        n = self.n_inn
        forms, form_p = _shares(FORMS)
        stages, stage_p = _shares(STAGES)
        labinov, labinov_p = _shares(LABINOV)
        sectors, sector_p = _shares(SECTORS)
        form = rng.choice(len(forms), size=n, p=form_p).tolist()
        stage = rng.choice(len(stages), size=n, p=stage_p).tolist()
        lab = rng.choice(len(labinov), size=n, p=labinov_p).tolist()
        sector_draw = rng.choice(len(sectors), size=n, p=sector_p).tolist()
        digital = (rng.random(n) < DIGITAL_SHARE).tolist()
        launched = np.minimum(self.inn_start + rng.integers(60, 540, n), _day(LAST_LAUNCH))
        has_launch = (rng.random(n) < 0.9).tolist()
        syl = rng.integers(0, len(SYLLABLES), (n, 4)).tolist()
        ends = rng.integers(0, len(WORD_ENDS), (n, 2)).tolist()
        owner_sector = [a.sectors[o] for o in self.owner.tolist()]
        within = np.arange(n) - np.repeat(
            np.cumsum(self.inn_count) - self.inn_count, self.inn_count
        )
        self.inn_ids = [
            f"inov-{region_codes[r].replace('.', '')}-{j + 1:03d}"
            for r, j in zip(self.inn_region.tolist(), within.tolist(), strict=True)
        ]
        innovations = []
        for k in range(n):
            s = syl[k]
            name = (
                f"{SYLLABLES[s[0]]}{SYLLABLES[s[1]]}{WORD_ENDS[ends[k][0]]} "
                f"{SYLLABLES[s[2]]}{SYLLABLES[s[3]]}{WORD_ENDS[ends[k][1]]}"
            )
            sector = owner_sector[k] or sectors[sector_draw[k]]
            innovations.append(
                {
                    "id": self.inn_ids[k],
                    "name": name,
                    "description": description,
                    "origin": ORIGINS[self.inn_origin[k]],
                    "owner_id": a.ids[self.owner[k]],
                    "region": region_codes[self.inn_region[k]],
                    "district": None,
                    "sector": sector,
                    "form": forms[form[k]],
                    "digital": digital[k],
                    "stage": stages[stage[k]],
                    "labinov_stage": labinov[lab[k]] or None,
                    "launched_on": iso[launched[k]] if has_launch[k] else None,
                    "program": "IGA 2025",
                    "membership": None,
                    "tags": [sector, "digital"] if digital[k] else [sector],
                    "provenance": "illustrative",
                    "source": source,
                }
            )
        t = self.tie_attributes()
        since = iso[t["since"]].tolist()
        until = iso[t["until"]].tolist()
        ended = t["ended"].tolist()
        collaborations = [
            {
                "actor_id": a.ids[ac],
                "innovation_id": self.inn_ids[i],
                "role": ROLES[ro],
                "strength": st,
                "since": since[k],
                "until": until[k] if ended[k] else None,
                "source": source,
            }
            for k, (ac, i, ro, st) in enumerate(
                zip(
                    self.tie_actor.tolist(),
                    self.tie_inn.tolist(),
                    t["role"].tolist(),
                    t["strength"].tolist(),
                    strict=True,
                )
            )
        ]
        src, dst = self.partnerships()
        p_kinds, p_kind_p = _shares(PARTNERSHIP_KINDS)
        m = len(src)
        p_kind = rng.choice(len(p_kinds), size=m, p=p_kind_p).tolist()
        p_since = rng.integers(_day(date(2016, 1, 1)), _day(LAST_DAY), m)
        p_ended = (rng.random(m) < ENDED_SHARE).tolist()
        p_until = iso[p_since + rng.integers(180, 1400, m)].tolist()
        p_since_iso = iso[p_since].tolist()
        partnerships = [
            {
                "source_id": a.ids[s],
                "target_id": a.ids[d],
                "kind": p_kinds[p_kind[k]],
                "since": p_since_iso[k],
                "until": p_until[k] if p_ended[k] else None,
                "source": source,
            }
            for k, (s, d) in enumerate(zip(src.tolist(), dst.tolist(), strict=True))
        ]
        return {
            "regions": regions,
            "actors": actors,
            "innovations": innovations,
            "collaborations": collaborations,
            "partnerships": partnerships,
            "part_of": self.part_of(),
            "builds_on": self.builds_on(),
        }

    def part_of(self) -> list[dict[str, Any]]:
        """Government units of a region under its root; puskesmas under its Dinas Kesehatan."""
        a = self.act
        local = a.kind >= 0
        first = np.searchsorted(a.region, a.region, side="left")  # region runs are contiguous
        root = first  # FIXED_KINDS[0] is the root, FIXED_KINDS[1] the Dinas Kesehatan
        child = np.nonzero(local & (a.helix == GOV) & (a.kind != K_ROOT))[0]
        parent = np.where(a.kind[child] == K_PUSKESMAS, root[child] + 1, root[child])
        return [
            {"child_id": a.ids[c], "parent_id": a.ids[p]}
            for c, p in zip(child.tolist(), parent.tolist(), strict=True)
            if c != p
        ]

    def builds_on(self) -> list[dict[str, Any]]:
        """A few innovations extend one of their region or replicate one from elsewhere."""
        rng = self.rng
        n = self.n_inn
        chosen = np.nonzero(rng.random(n) < BUILDS_ON_SHARE)[0]
        same = rng.random(len(chosen)) < 0.4
        start = np.cumsum(self.inn_count) - self.inn_count
        region = self.inn_region[chosen]
        local = start[region] + (rng.random(len(chosen)) * self.inn_count[region]).astype(np.int64)
        anywhere = rng.integers(0, n, len(chosen))
        base = np.where(same, local, anywhere)
        rows = []
        for i, b in zip(chosen.tolist(), base.tolist(), strict=True):
            if i == b:
                continue
            kind = "extends" if self.inn_region[i] == self.inn_region[b] else "replicates"
            rows.append(
                {
                    "innovation_id": self.inn_ids[i],
                    "base_id": self.inn_ids[b],
                    "kind": kind,
                    "source": self.source,
                }
            )
        return rows


def generate_raw(scale: Scale | str, seed: int) -> dict[str, list[dict[str, Any]]]:
    """The synthetic graph as plain records (the input of `GraphData.model_validate`)."""
    per_kind: list[Sized] = [PARTICIPATION, LEVEL_SHARE, ROLE_COUNTS, PROVINCE_HELIX_BOOST]
    per_kind += [NATIONAL_HELIX_SHARE, GENERATED_NATIONAL]
    per_kind += [spec.extra_member_weight for spec in SPECS.values()]
    if any(len(figures) != N_HELIX for figures in per_kind):
        raise ValueError(
            f"the synthetic graph is calibrated for {len(PARTICIPATION)} helix kinds and the "
            f"vocabulary has {N_HELIX}: give the new kind its figures in graph/synth.py "
            "(see the note above GOV, ACA, ...)"
        )
    return _Generator(Scale(scale), seed).build()


def generate(scale: Scale | str, seed: int) -> GraphData:
    """A validated synthetic graph of the given scale; the same seed gives the same graph."""
    return GraphData.model_validate(generate_raw(scale, seed))


def write(data: GraphData, path: Path) -> None:
    """Write a bundle: one JSON file when `path` ends in `.json`, else a folder of CSV files."""
    if path.suffix.lower() == ".json":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data.model_dump_json(indent=1), encoding="utf-8")
    else:
        write_csv_dir(data, path)


# -- shape: what the comparison with the seed reports ---------------------------------------------
def shape(data: GraphData, region: str | None = None) -> dict[str, Any]:
    """Counts and distributions of a graph (or of one region's innovations and their ties)."""
    helix_of = {a.id: a.helix.value for a in data.actors}
    innovations = [i for i in data.innovations if region is None or i.region == region]
    ids = {i.id for i in innovations}
    ties = [c for c in data.collaborations if c.innovation_id in ids]
    team: dict[str, set[str]] = {}
    for c in ties:
        team.setdefault(c.innovation_id, set()).add(helix_of[c.actor_id])
    coverage = Counter(len(team.get(i, ())) for i in ids)
    per_region = Counter(i.region for i in innovations)
    sizes = np.array(sorted(per_region.values()), dtype=np.float64)
    actors = Counter(a.helix.value for a in data.actors)
    n_actors = max(len(data.actors), 1)
    return {
        "counts": data.counts(),
        "actors_by_helix_share": {
            h.value: round(actors.get(h.value, 0) / n_actors, 3) for h in Helix
        },
        "ties_by_helix_share": {
            h.value: round(
                sum(helix_of[c.actor_id] == h.value for c in ties) / max(len(ties), 1), 3
            )
            for h in Helix
        },
        "ties_per_innovation": round(len(ties) / max(len(ids), 1), 2),
        "coverage_share": {
            str(k): round(coverage.get(k, 0) / max(len(ids), 1), 3) for k in range(N_HELIX + 1)
        },
        "mean_coverage": round(sum(k * v for k, v in coverage.items()) / max(len(ids), 1), 2),
        "ended_tie_share": round(sum(c.until is not None for c in ties) / max(len(ties), 1), 3),
        "regions_with_innovations": len(per_region),
        "innovations_per_region": {
            "min": int(sizes.min()) if len(sizes) else 0,
            "median": float(np.median(sizes)) if len(sizes) else 0.0,
            "p90": float(np.percentile(sizes, 90)) if len(sizes) else 0.0,
            "max": int(sizes.max()) if len(sizes) else 0,
            "over_200": int((sizes > 200).sum()),
        },
    }


def shape_json(data: GraphData) -> str:
    """`shape` as indented JSON."""
    return json.dumps(shape(data), indent=2)


# -- writing ----------------------------------------------------------------------------------------
Records = dict[str, list[dict[str, Any]]]


def write_records(records: Records, path: Path) -> None:
    """Write plain records (from `generate_raw`) as `write` would write the validated bundle:
    one JSON file when `path` ends in `.json`, else a CSV folder in the seed format."""
    if path.suffix.lower() == ".json":
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            json.dump(records, out, indent=1, ensure_ascii=False)
            out.write("\n")
        return
    path.mkdir(parents=True, exist_ok=True)
    for kind, filename in CSV_FILES.items():
        model = GraphData.model_fields[kind].annotation.__args__[0]  # type: ignore[union-attr]
        columns = list(model.model_fields)
        with (path / filename).open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(columns)
            writer.writerows([_to_csv(row[c]) for c in columns] for row in records.get(kind, []))
