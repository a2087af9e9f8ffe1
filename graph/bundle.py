"""Reading and writing graph bundles: a folder of CSV files (the seed format) or one JSON file.

Every row is validated as it is read; all problems are collected, each naming the file, the
line and the field, and reported together as one `Invalid`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from graph.errors import Invalid
from graph.kinds import KINDS
from graph.models import GraphData

SEED_DIR = Path(str(files("seed")))

# File of each GraphData list in a CSV bundle, in load order (from the registry of kinds).
CSV_FILES: dict[str, str] = {kind.section: kind.csv_file for kind in KINDS}
REQUIRED_FILES = tuple(kind.section for kind in KINDS if kind.required_file)
LIST_SEPARATOR = ";"
_LOCATION = re.compile(r"^(?P<kind>[a-z_]+)\[(?P<index>\d+)\]")

Progress = Callable[[Iterable[dict[str, str]], str], Iterable[dict[str, str]]]


def _no_progress(rows: Iterable[dict[str, str]], _: str) -> Iterable[dict[str, str]]:
    return rows


class Bundle:
    """A validated GraphData with where each record came from, to name it in later errors."""

    def __init__(self, data: GraphData, locate: Callable[[str, int], str]) -> None:
        self.data = data
        self._locate = locate

    def explain(self, problem: str) -> str:
        """Rewrite a store problem such as `collaborations[3]: ...` to name the file and line."""
        match = _LOCATION.match(problem)
        if not match:
            return problem
        where = self._locate(match["kind"], int(match["index"]))
        return where + problem[match.end() :]


def read_bundle(path: Path, progress: Progress = _no_progress) -> Bundle:
    """Read a CSV folder or a JSON file into a Bundle; Invalid lists every bad row."""
    if path.is_dir():
        return _read_csv_dir(path, progress)
    if path.suffix.lower() == ".json":
        return _read_json(path)
    raise Invalid(f"{path}: expected a folder of CSV files or a .json file")


def load_seed() -> GraphData:
    """The Banjar seed data shipped with the project."""
    return read_bundle(SEED_DIR).data


def _read_json(path: Path) -> Bundle:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Invalid(f"{path}: not readable JSON: {error}") from error
    try:
        data = GraphData.model_validate(raw)
    except ValidationError as error:
        problems = [f"{path}: {_field_path(e['loc'])}: {e['msg']}" for e in error.errors()]
        raise Invalid(f"{path}: {len(problems)} invalid value(s)", problems) from error
    return Bundle(data, lambda kind, index: f"{path}: {kind}[{index}]")


def _read_csv_dir(folder: Path, progress: Progress) -> Bundle:
    missing = [CSV_FILES[k] for k in REQUIRED_FILES if not (folder / CSV_FILES[k]).is_file()]
    if missing:
        raise Invalid(f"{folder}: missing file(s): {', '.join(missing)}")
    problems: list[str] = []
    lists: dict[str, list[Any]] = {}
    lines: dict[str, list[int]] = {}
    for kind, filename in CSV_FILES.items():
        file = folder / filename
        model = _record_model(kind)
        rows = list(_csv_rows(file, progress)) if file.is_file() else []
        lines[kind] = [line for line, _ in rows]
        try:
            # One validation call per file: much faster than one per row at national size.
            lists[kind] = TypeAdapter(list[model]).validate_python(  # type: ignore[valid-type]
                [_from_csv(row, model) for _, row in rows]
            )
        except ValidationError as error:
            for e in error.errors():
                index, *field = e["loc"]
                assert isinstance(index, int)
                line, row = rows[index]
                where = _field_path(tuple(field))
                problems.append(
                    f"{file} line {line}, field {where}: {e['msg']}" + _got(row, tuple(field))
                )
    if problems:
        raise Invalid(f"{folder}: {len(problems)} invalid value(s)", problems)
    return Bundle(
        GraphData.model_validate(lists),
        lambda kind, index: f"{folder / CSV_FILES[kind]} line {lines[kind][index]}",
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


def _got(row: dict[str, str], loc: tuple[int | str, ...]) -> str:
    if loc and isinstance(loc[0], str) and loc[0] in row:
        return f" (got {row[loc[0]]!r})"
    return ""


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
