"""Validation rules of the models."""

from datetime import date

import pytest
from pydantic import ValidationError

from graph.errors import Invalid
from graph.models import (
    Actor,
    Collaboration,
    CollaborationPatch,
    GraphData,
    Innovation,
    Partnership,
    apply_patch,
    slugify,
)


def test_ids_must_be_slugs() -> None:
    with pytest.raises(ValidationError, match="id"):
        Actor(id="Dinas Kesehatan", name="x", helix="government", region="63.03")
    assert (
        Actor(id="dinkes-banjar", name="x", helix="government", region="63.03").id
        == "dinkes-banjar"
    )


@pytest.mark.parametrize("region", ["63.03", "63", "id", "63.03.01"])
def test_region_codes_accepted(region: str) -> None:
    assert Actor(id="a", name="A", helix="media", region=region).region == region


@pytest.mark.parametrize("region", ["banjar", "6303", "63.3", ""])
def test_region_codes_refused(region: str) -> None:
    with pytest.raises(ValidationError, match="region"):
        Actor(id="a", name="A", helix="media", region=region)


def test_strength_is_one_to_three() -> None:
    tie = dict(actor_id="a", innovation_id="b", role="funder", since="2025-01-01")
    assert Collaboration(**tie, strength=3).strength == 3
    for bad in (0, 4):
        with pytest.raises(ValidationError, match="strength"):
            Collaboration(**tie, strength=bad)


def test_until_must_follow_since_and_bounds_activity() -> None:
    with pytest.raises(ValidationError, match="until must be after since"):
        Collaboration(
            actor_id="a", innovation_id="b", role="funder", since="2025-01-01", until="2025-01-01"
        )
    tie = Collaboration(
        actor_id="a", innovation_id="b", role="funder", since="2024-01-01", until="2025-01-01"
    )
    assert not tie.active_on(date(2023, 12, 31))
    assert tie.active_on(date(2024, 1, 1))
    assert tie.active_on(date(2024, 12, 31))
    assert not tie.active_on(date(2025, 1, 1))


def test_self_partnership_refused() -> None:
    with pytest.raises(ValidationError, match="itself"):
        Partnership(source_id="a", target_id="a", since="2020-01-01")


def test_unknown_fields_refused() -> None:
    with pytest.raises(ValidationError, match="colour"):
        Innovation.model_validate(
            {"id": "x", "name": "X", "origin": "kecamatan", "region": "63.03", "colour": "red"}
        )


def test_patch_revalidates_the_whole_record() -> None:
    tie = Collaboration(actor_id="a", innovation_id="b", role="funder", since="2024-01-01")
    assert apply_patch(tie, CollaborationPatch(strength=2)).strength == 2
    with pytest.raises(Invalid, match="until must be after since") as caught:
        apply_patch(tie, CollaborationPatch(until=date(2023, 1, 1)))
    assert len(caught.value.problems) == 1
    cleared = apply_patch(
        apply_patch(tie, CollaborationPatch(until=date(2025, 1, 1))),
        CollaborationPatch.model_validate({"until": None}),
    )
    assert cleared.until is None


def test_slugify() -> None:
    assert slugify("  Puskesmas Martapura 2 ") == "puskesmas-martapura-2"


def test_graph_data_counts() -> None:
    assert GraphData().counts()["actors"] == 0
