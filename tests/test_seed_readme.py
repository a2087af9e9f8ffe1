"""The seed README states only true figures, and the seed keeps the audit's corrections.

Every figure is recomputed from the CSV files with the standard `csv` module (not the loader), and
read back from the README's own sentences, so a change to either without the other fails here.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from functools import cache

import pytest

from graph.bundle import SEED_DIR

ILLUSTRATIVE = "illustrative"
PORTFOLIO = "63.03"


@cache
def rows(name: str) -> list[dict[str, str]]:
    with (SEED_DIR / f"{name}.csv").open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


@cache
def readme() -> str:
    return (SEED_DIR / "README.md").read_text(encoding="utf-8")


def table_row(label: str) -> str:
    """The count cell of the README's figures table row `label`."""
    match = re.search(rf"^\| {re.escape(label)} \| (.+) \|$", readme(), re.MULTILINE)
    assert match, f"README has no figures row {label!r}"
    return match.group(1)


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def portfolio() -> list[dict[str, str]]:
    return [i for i in rows("innovations") if i["region"] == PORTFOLIO]


def test_simple_counts() -> None:
    for label, name in [
        ("regions", "regions"),
        ("part_of", "part_of"),
        ("builds_on", "builds_on"),
    ]:
        assert numbers(table_row(label)) == [len(rows(name))], label


def test_actor_figures() -> None:
    actors = rows("actors")
    helix = Counter(a["helix"] for a in actors)
    prov = Counter(a["provenance"] for a in actors)
    stated = table_row("actors")
    assert numbers(stated.split("(")[0]) == [len(actors)]
    for kind, count in re.findall(r"([a-z]+) (\d+)", stated.split("(")[1].split(")")[0]):
        assert helix[kind] == int(count), kind
    assert sum(int(c) for _, c in re.findall(r"([a-z]+) (\d+)", stated.split("(")[1])) == len(
        actors
    )
    assert re.search(rf"{prov['reported']} reported, {prov[ILLUSTRATIVE]} illustrative", stated)


def test_innovation_figures() -> None:
    innovations = rows("innovations")
    ours = portfolio()
    assert numbers(table_row("innovations"))[:3] == [len(innovations), len(ours), 63]
    assert all(i["program"] == "INTAN BANJAR 2025" for i in ours)
    by_origin = Counter(i["origin"] for i in ours)
    for origin, count in re.findall(r"([a-z_]+) (\d+)", table_row("Banjar innovations by origin")):
        assert by_origin[origin] == int(count), origin
    reported = [i for i in innovations if i["provenance"] == "reported"]
    assert numbers(table_row("innovations marked `reported`"))[:2] == [
        len(reported),
        len([i for i in reported if i["region"] == PORTFOLIO]),
    ]
    membership = Counter(i["membership"] for i in ours)
    assert numbers(table_row("membership of `INTAN BANJAR 2025`")) == [
        membership["reported"],
        2025,
        membership["assumed"],
        membership[""],
    ]


def test_tie_figures() -> None:
    ties = rows("collaborations")
    ended = sum(1 for t in ties if t["until"])
    cited = sum(1 for t in ties if t["source"] != ILLUSTRATIVE)
    assert numbers(table_row("collaborations (ties)")) == [len(ties), ended, cited]
    pairs = rows("partnerships")
    assert numbers(table_row("partnerships")) == [
        len(pairs),
        sum(1 for p in pairs if p["source"] != ILLUSTRATIVE),
    ]


def test_helix_coverage_and_busiest_actors() -> None:
    helix = {a["id"]: a["helix"] for a in rows("actors")}
    ours = {i["id"] for i in portfolio()}
    kinds: dict[str, set[str]] = defaultdict(set)
    members: dict[str, set[str]] = defaultdict(set)
    degree: Counter[str] = Counter()
    for tie in rows("collaborations"):
        if tie["innovation_id"] in ours:
            kinds[tie["innovation_id"]].add(helix[tie["actor_id"]])
            members[tie["innovation_id"]].add(tie["actor_id"])
            degree[tie["actor_id"]] += 1
    coverage = Counter(len(kinds[i]) for i in ours)
    stated = re.search(
        r"1 kind: (\d+),\s+2: (\d+), 3: (\d+), 4: (\d+), 5: (\d+), 6: (\d+)", readme()
    )
    assert stated, "README states no helix coverage histogram"
    assert [int(n) for n in stated.groups()] == [coverage[k] for k in range(1, 7)]
    alone = re.search(r"depend on their owner alone \(([^)]*)\)", readme())
    assert alone
    assert set(re.findall(r"`([a-z0-9-]+)`", alone.group(1))) == {
        i for i in ours if len(members[i]) == 1
    }
    busiest = re.search(r"most ties to the 54 are (.+?)\. These figures", readme(), re.DOTALL)
    assert busiest
    top = degree.most_common()
    assert {a for a, n in top if n == 12} == {"dinkes-banjar", "organisasi-perempuan-a"}
    assert {a for a, n in top if n == 10} == {"bank-daerah-a"}
    assert {a for a, n in top if n == 9} == {
        "bappedalitbang-banjar",
        "diskominfo-banjar",
        "mc-banjar",
    }
    assert max(n for a, n in top if n < 9) < 9
    stated_busiest = busiest.group(1)
    assert "(12 each)" in stated_busiest and "(10)" in stated_busiest
    assert "Bappedalitbang, Diskominfo and MC Banjar (9 each)" in " ".join(stated_busiest.split())


# -- the audit's corrections stay made -------------------------------------------------------

REAL_NAMES = [
    "Lambung Mangkurat",
    "Antasari",
    "Uniska",
    "Politeknik Negeri Banjarmasin",
    "Bank Kalsel",
    "klikkalsel",
    "Kalimantan Post",
    "Banjarmasin Post",
    "Radar Banjarmasin",
    "Duta TV",
    "Antara",
    "Mata Banua",
    "PWI",
    "Palang Merah",
    "Ikatan Bidan",
    "PKK",
    "Karang Taruna",
    "STIKes Intan Martapura",
    "BPR Martapura",
]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_no_real_organisation_has_an_invented_tie(name: str) -> None:
    """A real organisation is either absent or has only ties a page supports."""
    ids = {a["id"] for a in rows("actors") if name.lower() in a["name"].lower()}
    invented = [
        t for t in rows("collaborations") if t["actor_id"] in ids and t["source"] == ILLUSTRATIVE
    ]
    invented += [
        p
        for p in rows("partnerships")
        if ids & {p["source_id"], p["target_id"]} and p["source"] == ILLUSTRATIVE
    ]
    assert not invented


def test_example_actors_say_they_are_examples() -> None:
    for actor in rows("actors"):
        if actor["provenance"] == ILLUSTRATIVE and actor["helix"] != "government":
            assert actor["name"].endswith("(contoh)"), actor["id"]


def test_sources_are_pages_not_project_notes() -> None:
    for name in ("actors", "innovations", "collaborations", "partnerships"):
        for row in rows(name):
            assert "DOMAIN.md" not in row["source"], (name, row)


def test_the_2025_jurors_and_finalists() -> None:
    finalists = {"mitra-bungas-banjar", "batasbih-fukaha", "depe-cantix", "lapat-manis"}
    jurors: dict[str, set[str]] = defaultdict(set)
    for tie in rows("collaborations"):
        if tie["role"] == "evaluator" and tie["source"] != ILLUSTRATIVE:
            jurors[tie["innovation_id"]].add(tie["actor_id"])
    assert set(jurors) == finalists
    assert all(j == {"kemendagri", "lan-ri", "brida-kalsel"} for j in jurors.values())
    by_id = {i["id"]: i for i in rows("innovations")}
    for innovation in finalists:
        assert by_id[innovation]["stage"] == "penerapan"
        assert by_id[innovation]["membership"] == "reported"
    assert by_id["lapat-manis"]["owner_id"] != "bappedalitbang-banjar"


def test_geolasting_and_older_innovations() -> None:
    by_id = {i["id"]: i for i in rows("innovations")}
    assert by_id["geolasting"]["launched_on"] == "2025-10-07"
    signatories = {
        t["actor_id"]
        for t in rows("collaborations")
        if t["innovation_id"] == "geolasting" and t["source"] != ILLUSTRATIVE
    }
    assert {"baznas-banjar", "bkkbn-kalsel", "poltekkes-banjarmasin"} <= signatories
    assert all(
        t["since"] >= "2025-08-14"
        for t in rows("collaborations")
        if t["innovation_id"] == "geolasting"
    )
    owner_since = {
        t["innovation_id"]: t["since"] for t in rows("collaborations") if t["role"] == "initiator"
    }
    assert owner_since["gebraks"].startswith("2016")
    assert by_id["garis-karsa"]["sector"] == "environment"
    older = {i for i, row in by_id.items() if row["membership"] == "assumed"}
    assert {"geolasting", "gebraks", "jempol-pelanduk", "kawan-manis-best", "garis-karsa"} <= older
    assert all(by_id[i]["provenance"] == "reported" for i in older)
    sipelandukilat = {
        t["actor_id"]: t["source"]
        for t in rows("collaborations")
        if t["innovation_id"] == "sipelandukilat"
    }
    assert sipelandukilat["disdukcapil-kaltara"] != ILLUSTRATIVE


def test_every_owner_has_the_initiator_tie_and_only_owners_do() -> None:
    """The README's rule: each innovation's owner has an `initiator` tie of strength 3; an
    initiator tie of another actor would present it as the owner (the first seed gave LAPAT
    MANIS's owner tie, with Disdukcapil's citation, to Bappedalitbang)."""
    owners = {(i["owner_id"], i["id"]) for i in rows("innovations")}
    initiators = {
        (t["actor_id"], t["innovation_id"]): t
        for t in rows("collaborations")
        if t["role"] == "initiator"
    }
    assert set(initiators) == owners
    assert all(t["strength"] == "3" for t in initiators.values())
    lapat = initiators[("disdukcapil-banjar", "lapat-manis")]["source"]
    assert "newsway.co.id/inovasi-program-lapat-manis-disdukcapil-banjar" in lapat
    assert (
        "redaksi8.com/disdukcapil-banjar-perkuat-pelayanan-inklusif-lewat-inovasi-lapat-manis"
        in lapat
    )


def test_the_lan_mou_cites_its_real_sources_and_names_are_spelled_as_official_pages() -> None:
    """The 2017 MoU is stated by Bappedalitbang and MC Banjar (the 2025 article gives no date);
    the head of Bappedalitbang is "Nashrullah" on official pages."""
    mou = next(
        p
        for p in rows("partnerships")
        if {p["source_id"], p["target_id"]} == {"pemkab-banjar", "lan-ri"}
    )
    assert mou["since"] == "2017-03-16" and mou["kind"] == "mou"
    assert "bappedalitbang.banjarkab.go.id" in mou["source"] and "MC Banjar" in mou["source"]
    assert "klikkalsel" not in mou["source"]
    for name in ("actors", "innovations", "collaborations", "partnerships"):
        for row in rows(name):
            assert "Nasrullah" not in " ".join(row.values()), (name, row)
