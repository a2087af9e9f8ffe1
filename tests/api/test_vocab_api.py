"""GET /api/v1/vocab: the one source of codes, names and colours the page reads."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from graph.vocab import Helix, Origin, Role


@pytest.mark.parametrize("store", ["embedded"], indirect=True)
def test_vocab_names_every_code_in_both_languages(client: TestClient) -> None:
    answer = client.get("/api/v1/vocab")
    assert answer.status_code == 200
    body = answer.json()
    assert body["languages"] == ["id", "en"]
    vocab = body["vocabularies"]
    helix = vocab["helix"]
    assert [term["code"] for term in helix] == [h.value for h in Helix]  # the API's order
    academia = next(term for term in helix if term["code"] == "academia")
    assert (academia["id"], academia["en"]) == ("Akademisi", "Academia")
    for term in helix:
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", term["colour"])
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", term["text_colour"])
        assert term["short"]["id"] and term["short"]["en"]
    assert len({term["colour"] for term in helix}) == len(Helix)  # kinds stay distinguishable
    assert {term["code"] for term in vocab["origin"]} == {o.value for o in Origin}
    assert all(term["colour"] for term in vocab["origin"])
    assert {term["code"] for term in vocab["role"]} == {r.value for r in Role}
    assert all(term["id"] and term["en"] for terms in vocab.values() for term in terms)
