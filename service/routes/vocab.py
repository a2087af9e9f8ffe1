"""GET /vocab: every code vocabulary with its Indonesian and English names, and the colours the
page draws the helix kinds and innovation origins in. The page reads these instead of keeping
its own copies, so a new code is added in `graph/vocab.py` only."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from graph.vocab import (
    HELIX_COLOURS,
    HELIX_SHORT_NAMES,
    LANGS,
    ORIGIN_COLOURS,
    VOCABULARY,
    Helix,
    Origin,
)
from service.errors import ERRORS

router = APIRouter(tags=["vocabulary"])


class Term(BaseModel):
    """One code of a vocabulary with its names (and colours, where the page draws it)."""

    code: str = Field(description="The code the API uses.", examples=["academia"])
    id: str = Field(description="Indonesian name.", examples=["Akademisi"])
    en: str = Field(description="English name.", examples=["Academia"])
    short: dict[str, str] | None = Field(
        None, description="Short names by language (helix kinds only), for narrow headers."
    )
    colour: str | None = Field(
        None, description="Fill colour on the page (helix kinds, origins); `#rrggbb`."
    )
    text_colour: str | None = Field(
        None,
        description="Darker variant that white text reads on (helix kinds only); `#rrggbb`.",
    )


class Vocabularies(BaseModel):
    """Every vocabulary by name, each in its order (helix kinds in the order of the API)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "languages": ["id", "en"],
                    "vocabularies": {
                        "helix": [
                            {
                                "code": "academia",
                                "id": "Akademisi",
                                "en": "Academia",
                                "short": {"id": "Akad.", "en": "Acad."},
                                "colour": "#E69F00",
                                "text_colour": "#7A4F00",
                            }
                        ]
                    },
                }
            ]
        }
    )

    languages: list[str] = Field(description="Languages of the names; the first is the default.")
    vocabularies: dict[str, list[Term]] = Field(
        description="Vocabulary name -> its terms: helix, origin, form, stage, role, "
        "partnership_kind, scope, provenance, region_level, sector, actor_kind and more."
    )


def vocabularies() -> Vocabularies:
    """The vocabularies of `graph.vocab`, with the page's colours."""
    out: dict[str, list[Term]] = {}
    for name, labels in VOCABULARY.items():
        terms = []
        for code, (indonesian, english) in labels.items():
            term = Term(code=str(code), id=indonesian, en=english)
            if name == "helix":
                helix = Helix(code)
                short = HELIX_SHORT_NAMES[helix]
                term.short = {"id": short[0], "en": short[1]}
                term.colour, term.text_colour = HELIX_COLOURS[helix]
            elif name == "origin":
                term.colour = ORIGIN_COLOURS[Origin(code)]
            terms.append(term)
        out[name] = terms
    return Vocabularies(languages=list(LANGS), vocabularies=out)


_VOCABULARIES = vocabularies()  # fixed for the life of the process


@router.get(
    "/vocab",
    summary="Code vocabularies with names and colours",
    # Fixed data that reads no store: only an unknown query parameter (422) can go wrong here;
    # the access errors are added with the other operations' (service.security).
    responses={422: ERRORS[422]},
)
def vocab() -> Vocabularies:
    """Every code the API uses, per vocabulary, with its Indonesian and English names; the
    helix kinds also carry their short names and colours, the origins their colours."""
    return _VOCABULARIES
