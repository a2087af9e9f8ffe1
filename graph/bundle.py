"""Reading and writing graph bundles: a folder of CSV files (the seed format) or one JSON file.

Every row is validated as it is read. A bad row is kept out of the bundle and its problems (file,
line, the record's id, the field and the value) are kept on it, so that the integrity check
(duplicates, references) can run on the rest and every problem is reported in one pass.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from graph.errors import Invalid
from graph.integrity import bundle_problems
from graph.kinds import BY_SECTION, KINDS, NODE_SECTIONS, NodeKind, RecordKind
from graph.models import GraphData

SEED_DIR = Path(str(files("seed")))

# File of each GraphData list in a CSV bundle, in load order (from the registry of kinds).
CSV_FILES: dict[str, str] = {kind.section: kind.csv_file for kind in KINDS}
REQUIRED_FILES = tuple(kind.section for kind in KINDS if kind.required_file)
LIST_SEPARATOR = ";"
# `section[index]` in a problem of the integrity check or a store: a record of the bundle.
_LOCATION = re.compile(r"\b(?P<kind>" + "|".join(BY_SECTION) + r")\[(?P<index>\d+)\]")

Progress = Callable[[Iterable[dict[str, str]], str], Iterable[dict[str, str]]]
Existing = Callable[[NodeKind, set[str]], set[str]]
"""`existing(kind, ids)`: which of `ids` a store already holds."""


def _no_progress(rows: Iterable[dict[str, str]], _: str) -> Iterable[dict[str, str]]:
    return rows


class Bundle:
    """A GraphData read from a file, with where each record came from (to name it in later
    errors) and the problems of the records that could not be read (left out of `data`)."""

    def __init__(
        self,
        data: GraphData,
        locate: Callable[[str, int], str] = lambda kind, index: f"{kind}[{index}]",
        problems: Sequence[str] = (),
        total: int | None = None,
        unread: Mapping[NodeKind, set[str]] | None = None,
    ) -> None:
        self.data = data
        self._locate = locate
        self.problems = list(problems)
        """The problems of the records left out (the first ones, when there were many)."""
        self.total = max(total or 0, len(self.problems))
        self.unread: Mapping[NodeKind, set[str]] = unread or {}
        """Ids of nodes in the file that were left out: references to them are not broken."""

    def explain(self, problem: str) -> str:
        """Rewrite each `collaborations[3]` of a store problem as the file and line (or the
        node or edge) of that record."""
        return _LOCATION.sub(lambda m: self._locate(m["kind"], int(m["index"])), problem)

    def valid(self) -> Bundle:
        """This bundle, or Invalid listing the problems of the records that could not be read."""
        if self.problems:
            raise Invalid(f"{self.total} invalid value(s)", self.problems, self.total)
        return self

    def check(self, existing: Existing) -> Invalid | None:
        """Every problem of the bundle in one pass, or None: the values of the records left
        out, then duplicates and broken references among the rest (resolved in the file or
        by `existing`), each naming file, line, record, field and value."""
        unread = self.unread

        def known(kind: NodeKind, ids: set[str]) -> set[str]:
            left_out = ids & unread.get(kind, set())
            rest = ids - left_out
            return left_out | (existing(kind, rest) if rest else set())

        found = [self.explain(p) for p in bundle_problems(self.data, known)]
        total = self.total + len(found)
        if not total:
            return None
        return Invalid(
            f"the bundle has {total} problem(s); nothing was written",
            [*self.problems, *found],
            total,
        )


def read_bundle(path: Path, progress: Progress = _no_progress, *, partial: bool = False) -> Bundle:
    """Read a CSV folder or a JSON file into a Bundle; Invalid lists every bad row (with
    `partial`, the bad rows' problems are kept on the Bundle instead, see `Bundle.check`)."""
    if path.is_dir():
        bundle = _read_csv_dir(path, progress)
    elif path.suffix.lower() == ".json":
        bundle = _read_json(path)
    else:
        raise Invalid(f"{path}: expected a folder of CSV files or a .json file")
    return bundle if partial else bundle.valid()


def load_seed() -> GraphData:
    """The Banjar seed data shipped with the project."""
    return read_bundle(SEED_DIR).data


def _read_json(path: Path) -> Bundle:
    try:
        raw = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Invalid(f"{path}: not readable JSON: {error}") from error
    if not isinstance(raw, dict):
        raise Invalid(f"{path}: expected a JSON object of record lists")
    return bundle_from_object(raw, str(path))


def bundle_from_object(raw: Mapping[str, Any], label: str) -> Bundle:
    """A Bundle from a parsed JSON bundle (`{"actors": [...], ...}`); each bad record is left
    out, its problems naming `label`, `section[index]`, the record, the field and the value."""
    problems: list[str] = []
    for section in raw:
        if section not in BY_SECTION:
            problems.append(
                f"{label}: {section!r} is not a section of a bundle "
                f"(expected {', '.join(BY_SECTION)})"
            )
    lists: dict[str, list[Any]] = {}
    places: dict[str, list[int]] = {}
    unread: dict[NodeKind, set[str]] = {}
    for kind in KINDS:
        items = raw.get(kind.section, [])
        if not isinstance(items, list):
            problems.append(f"{label}: {kind.section}: expected a list of records")
            items = []
        lists[kind.section], places[kind.section] = _validate_records(
            kind, items, label, problems, unread
        )
    return Bundle(
        GraphData.model_validate(lists),
        lambda kind, index: f"{label}: {kind}[{places[kind][index]}]",
        problems,
        unread=unread,
    )


def _validate_records(
    kind: RecordKind,
    items: list[Any],
    label: str,
    problems: list[str],
    unread: dict[NodeKind, set[str]],
    rows: Sequence[tuple[int, Mapping[str, str]]] = (),
) -> tuple[list[Any], list[int]]:
    """Validate the records of one kind in one call (much faster than one per record at
    national size). Returns the valid records and their positions in `items`; each problem
    of the others goes to `problems`, naming `label` and the CSV line (`rows`: the lines and
    cells as written, to quote) or `section[index]`, the record, the field and the value; a
    left-out node's id goes to `unread`."""
    adapter: TypeAdapter[list[Any]] = TypeAdapter(list[kind.model])  # type: ignore[name-defined]
    try:
        return adapter.validate_python(items), list(range(len(items)))
    except ValidationError as error:
        bad: set[int] = set()
        for e in error.errors():
            index, *field = e["loc"]
            assert isinstance(index, int)
            bad.add(index)
            item = items[index]
            where = (
                f"{label} line {rows[index][0]}" if rows else f"{label}: {kind.section}[{index}]"
            )
            if isinstance(item, dict):
                where += f" ({kind.describe(item)})"
            text = f"{where}, field {_field_path(tuple(field))}: {e['msg']}"
            shown = rows[index][1].get(str(field[0])) if rows and field else e["input"]
            if field and e["type"] != "missing" and shown is not None:
                text += f" (got {quote(shown)})"
            problems.append(text)
        node = next((n for n, k in NODE_SECTIONS.items() if k is kind), None)
        if node is not None:
            unread.setdefault(node, set()).update(
                item["id"]
                for i in bad
                if isinstance(item := items[i], dict) and isinstance(item.get("id"), str)
            )
        kept = [i for i in range(len(items)) if i not in bad]
        return adapter.validate_python([items[i] for i in kept]), kept


def quote(value: Any) -> str:
    """A short quote of a refused value (a cell may be megabytes long).

    >>> quote("x" * 100)[-20:]
    "... (102 characters)"
    """
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:80]}... ({len(text)} characters)"


def _read_csv_dir(folder: Path, progress: Progress) -> Bundle:
    missing = [CSV_FILES[k] for k in REQUIRED_FILES if not (folder / CSV_FILES[k]).is_file()]
    if missing:
        raise Invalid(f"{folder}: missing file(s): {', '.join(missing)}")
    problems: list[str] = []
    lists: dict[str, list[Any]] = {}
    lines: dict[str, list[int]] = {}
    unread: dict[NodeKind, set[str]] = {}
    for kind in KINDS:
        file = folder / kind.csv_file
        rows = list(_csv_rows(file, progress)) if file.is_file() else []
        items = [_from_csv(row, kind.model) for _, row in rows]
        lists[kind.section], kept = _validate_records(
            kind, items, str(file), problems, unread, rows
        )
        lines[kind.section] = [rows[i][0] for i in kept]
    return Bundle(
        GraphData.model_validate(lists),
        lambda kind, index: f"{folder / CSV_FILES[kind]} line {lines[kind][index]}",
        problems,
        unread=unread,
    )


def _record_model(kind: str) -> type[BaseModel]:
    """The model of one GraphData list (`actors` → Actor)."""
    model: type[BaseModel] = GraphData.model_fields[kind].annotation.__args__[0]  # type: ignore[union-attr]
    return model


def _csv_rows(file: Path, progress: Progress) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise Invalid(f"{file}: not readable as UTF-8 text: {error}") from error
    reader = csv.DictReader(io.StringIO(text))
    for row in progress(reader, file.name):
        if None in row:
            raise Invalid(f"{file} line {reader.line_num}: more values than columns")
        yield reader.line_num, row


def _from_csv(row: dict[str, str], model: type[BaseModel]) -> dict[str, Any]:
    """CSV cells as model input: empty cells are absent, list fields split on `;`."""
    values: dict[str, Any] = {}
    for key, cell in row.items():
        text = (cell or "").strip()
        if text == "":
            continue
        field = model.model_fields.get(key)
        if field is not None and _is_list(field.annotation):
            values[key] = [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
        else:
            values[key] = text
    return values


def _is_list(annotation: Any) -> bool:
    return getattr(annotation, "__origin__", None) is list


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "row"


def write_json(data: GraphData, path: Path) -> None:
    """Write a bundle as one JSON file."""
    path.write_text(data.model_dump_json(indent=2), encoding="utf-8")


def write_csv_dir(data: GraphData, folder: Path) -> None:
    """Write a bundle as a folder of CSV files in the seed format."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind, filename in CSV_FILES.items():
        records: list[BaseModel] = getattr(data, kind)
        columns = list(_record_model(kind).model_fields)
        with (folder / filename).open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            for record in records:
                writer.writerow({k: _to_csv(v) for k, v in record.model_dump(mode="json").items()})


def _to_csv(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
