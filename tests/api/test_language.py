"""Indonesian first: every text the analytics write is a code with parameters plus the text in
the language asked; with `lang=id` no English sentence comes back (on every store kind)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.messages import CATALOGUE, render

ENGLISH = {
    "the", "and", "of", "with", "on", "works", "work", "kind", "kinds", "covers", "missing",
    "only", "same", "already", "no", "yet", "add", "partner", "partners", "innovation",
    "innovations", "actor", "actors", "through", "region", "district", "province", "loses",
    "gains", "becomes", "together", "have", "partnership", "nobody", "carries", "every",
    "brings", "backs", "stretched", "index", "launched", "introduction", "hops", "hop",
    "others", "other", "score", "strong", "candidate", "government", "academia", "private",
    "community", "health",
}  # fmt: skip
"""Words that appear in the English texts and in no Indonesian one."""


def messages(value: Any) -> Iterator[dict[str, Any]]:
    """Every message object ({code, params, text}) anywhere in a JSON answer."""
    if isinstance(value, dict):
        if {"code", "params", "text"} <= value.keys():
            yield value
        for item in value.values():
            yield from messages(item)
    elif isinstance(value, list):
        for item in value:
            yield from messages(item)


def english_words(text: str, params: dict[str, Any]) -> set[str]:
    """English marker words of `text`, names given as parameters left out."""
    for value in params.values():
        for name in value if isinstance(value, list) else [value]:
            if isinstance(name, str) and len(name) > 3:
                text = text.replace(name, " ")
    return {w for w in re.findall(r"[a-z]+", text.lower())} & ENGLISH


def answers(client: TestClient, lang: str) -> Iterator[tuple[str, Any]]:
    """Every analytics endpoint, asked in `lang`, on the seed."""
    q: dict[str, str] = {"lang": lang}
    gets = [
        "/api/v1/analytics/innovations",
        "/api/v1/analytics/innovations/mitra-bungas-banjar",
        "/api/v1/analytics/actors",
        "/api/v1/analytics/portfolio",
        "/api/v1/analytics/communities",
        "/api/v1/innovations/under-connected",
        "/api/v1/actors/universitas-a/ego",
        "/api/v1/innovations/geolasting/ego",
    ]
    for path in gets:
        yield path, client.get(path, params=q)
    yield (
        "history",
        client.get(
            "/api/v1/analytics/portfolio/history",
            params=q | {"from": "2018-01-01", "to": "2026-01-01"},
        ),
    )
    for innovation in client.get("/api/v1/analytics/innovations?limit=500&region=id").json()[
        "items"
    ]:
        path = f"/api/v1/innovations/{innovation['id']}/recommendations"
        yield path, client.get(path, params=q)
    for source, target in [
        ("bappedalitbang-banjar", "media-lokal-h"),
        ("universitas-a", "bank-daerah-a"),
    ]:
        yield (
            "paths",
            client.get("/api/v1/paths", params=q | {"source": source, "target": target, "k": 5}),
        )
    yield "iga", client.get("/api/v1/analytics/iga-gain", params=q | {"limit": 60})
    yield "iga one", client.get("/api/v1/innovations/geolasting/iga-gain", params=q)
    yield "duty", client.get("/api/v1/analytics/yearly-duty", params=q | {"year": 2025})
    for actor in ["universitas-a", "dinkes-banjar", "bank-daerah-a"]:
        yield (
            "what-if",
            client.post("/api/v1/analytics/what-if", params=q, json={"remove_actors": [actor]}),
        )


def test_no_english_text_in_indonesian_answers(seeded: TestClient) -> None:
    seen: set[str] = set()
    for path, response in answers(seeded, "id"):
        assert response.status_code == 200, (path, response.text)
        assert response.headers["content-language"] == "id"
        body = response.json()
        for m in messages(body):
            seen.add(m["code"])
            assert m["text"] == render(m["code"], m["params"], "id"), path
            assert not english_words(m["text"], m["params"]), (path, m["text"])
        for rec in body.get("recommendations", []) if isinstance(body, dict) else []:
            assert rec["reason"] == "; ".join(r["text"] for r in rec["reasons"])
    # the walk reached the texts that matter (so an endpoint silently empty would fail)
    assert {"missing_kinds", "rec_brings_missing", "hop_shared", "path_direct"} <= seen
    assert {"whatif_loses_kinds", "no_strong_candidate", "iga_add_kind", "iga_uncertain"} <= seen
    assert {"duty_missing", "duty_met"} <= seen


def test_english_when_asked(seeded: TestClient) -> None:
    header = seeded.get(
        "/api/v1/innovations/under-connected", headers={"Accept-Language": "en-GB,en;q=0.8"}
    )
    query = seeded.get("/api/v1/innovations/under-connected", params={"lang": "en"})
    default = seeded.get("/api/v1/innovations/under-connected")
    for response, lang in [(header, "en"), (query, "en"), (default, "id")]:
        assert response.headers["content-language"] == lang
        reasons = [m for m in messages(response.json())]
        assert reasons
        assert all(m["text"] == render(m["code"], m["params"], lang) for m in reasons)
    assert header.json() == query.json() != default.json()
    text = query.json()["items"][0]["reasons"][0]["text"]
    assert re.search(r"covers \d of 6 helix kinds", text)


def test_unknown_language_is_refused(seeded: TestClient) -> None:
    response = seeded.get("/api/v1/analytics/innovations", params={"lang": "fr"})
    assert response.status_code == 422
    assert "lang" in response.text


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_text_exists_in_both_languages(code: str) -> None:
    id_text, en_text = CATALOGUE[code]
    assert id_text and en_text and id_text != en_text
    fields = set(re.findall(r"\{(\w+)", id_text))
    assert fields == set(re.findall(r"\{(\w+)", en_text)), code
