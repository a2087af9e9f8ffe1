"""The language of an answer: `lang=` or Accept-Language, Indonesian by default, and the JSON
response that renders every message (`graph.messages.Message`) of a result in it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import Header, Query
from fastapi.responses import Response
from pydantic import BaseModel

from graph.vocab import DEFAULT_LANG, LANGS


def accepted_lang(header: str | None) -> str | None:
    """The first supported language of an Accept-Language header, by preference (q).

    >>> accepted_lang("en-GB,en;q=0.9,id;q=0.8"), accepted_lang("fr, id;q=0.5")
    ('en', 'id')
    >>> accepted_lang("fr") is None, accepted_lang(None) is None
    (True, True)
    """
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for k, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and q > 0:
            ranked.append((-q, k, primary))
    return min(ranked)[2] if ranked else None


def lang_param(
    lang: Annotated[
        Literal["id", "en"] | None,
        Query(description="Language of the texts: `id` (Indonesian, the default) or `en`."),
    ] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    """`lang=` if given, else the preferred supported language of Accept-Language, else `id`."""
    return lang or accepted_lang(accept_language) or DEFAULT_LANG


def localized(value: BaseModel | Sequence[BaseModel], lang: str) -> Response:
    """The JSON of a result with every message text rendered in `lang` (the serialisation
    context the messages read), so one cached result answers in both languages."""
    context = {"lang": lang}
    if isinstance(value, BaseModel):
        body = value.model_dump_json(context=context)
    else:
        body = "[" + ",".join(item.model_dump_json(context=context) for item in value) + "]"
    return Response(
        content=body,
        media_type="application/json",
        headers={"Content-Language": lang, "Vary": "Accept-Language"},
    )
