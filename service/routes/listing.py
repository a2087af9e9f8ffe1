"""Lists computed in memory (analytics, collaboration queries) served as pages: sorted on request,
then windowed, so every list answers `{items, total, limit, offset}` like the record lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from types import UnionType
from typing import Annotated, TypeVar, Union, get_args, get_origin

from fastapi import Query
from pydantic import BaseModel

from graph.errors import Invalid
from graph.models import Page
from graph.store import PageRequest

M = TypeVar("M", bound=BaseModel)

SortQuery = Annotated[
    str | None,
    Query(
        description="Order by these fields (comma-separated; `-` first for descending), e.g. "
        "`-betweenness` or `coverage,-reach`; ties keep the list's own order.",
        examples=["-betweenness"],
    ),
]


def sortable_fields(model: type[BaseModel]) -> list[str]:
    """The fields of `model` holding one number, text, day or flag (what `sort=` may name)."""
    names = []
    for name, field in model.model_fields.items():
        kinds = [field.annotation]
        if get_origin(field.annotation) in (Union, UnionType):  # an optional value
            kinds = [k for k in get_args(field.annotation) if k is not type(None)]
        if all(isinstance(k, type) and issubclass(k, int | float | str | date) for k in kinds):
            names.append(name)
    return names


def sort_keys(model: type[BaseModel], sort: str | None) -> list[tuple[str, bool]]:
    """`sort=` as (field, descending) pairs; Invalid names an unknown field and the choices."""
    if not sort:
        return []
    allowed = sortable_fields(model)
    keys = []
    for part in (p.strip() for p in sort.split(",")):
        name = part.removeprefix("-")
        if name not in allowed:
            raise Invalid(f"sort: {name!r} is not a field to sort by; one of: {', '.join(allowed)}")
        keys.append((name, part.startswith("-")))
    return keys


def sort_items(items: Sequence[M], keys: list[tuple[str, bool]]) -> list[M]:
    """`items` ordered by `keys` (stable; empty values last in either direction)."""
    rows = list(items)
    for name, descending in reversed(keys):
        present = [row for row in rows if getattr(row, name) is not None]
        absent = [row for row in rows if getattr(row, name) is None]
        present.sort(key=lambda row: getattr(row, name), reverse=descending)
        rows = present + absent
    return rows


def page_of(
    model: type[M], items: Sequence[M], page: PageRequest, sort: str | None = None
) -> Page[M]:
    """One page of `items` (of `model`) after sorting them by `sort`."""
    rows = sort_items(items, sort_keys(model, sort)) if sort else items
    window = list(rows[page.offset : page.offset + page.limit])
    return Page[M](items=window, total=len(rows), limit=page.limit, offset=page.offset)
