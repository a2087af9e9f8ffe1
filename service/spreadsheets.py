"""Spreadsheet templates of the declaration form, and reading them back as declarations.

Many offices answer in a spreadsheet. A template (XLSX, or CSV) lists the current ties of one
innovation or of the portfolio, one row per tie, with drop-down lists for helix, kind and role in
the XLSX; offices correct, end or add rows and send it back. Reading a filled template gives
declarations (one per innovation) to curate, never direct writes; every invalid cell is reported
with its row and column, and nothing is kept unless the whole file is valid.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from graph.errors import Invalid, NotFound
from graph.models import Collaboration, Innovation
from graph.store import Store
from graph.vocab import HELIX_NAMES, Helix, Role
from service.declarations import DeclarationIn, DeclaredTie

COLUMNS = [
    "innovation_id",
    "innovation_name",
    "actor_id",
    "actor_name",
    "helix",
    "kind",
    "region",
    "role",
    "strength",
    "since",
    "ended_on",
    "evidence",
]
"""Columns of a template, in order. `innovation_name` is for reading only."""
HEADERS_ID = {
    "innovation_id": "id inovasi",
    "innovation_name": "nama inovasi",
    "actor_id": "id aktor (kosong: aktor baru)",
    "actor_name": "nama aktor",
    "helix": "unsur",
    "kind": "jenis",
    "region": "kode wilayah",
    "role": "peran",
    "strength": "kekuatan 1-3",
    "since": "sejak (YYYY-MM-DD)",
    "ended_on": "berakhir (YYYY-MM-DD)",
    "evidence": "bukti",
}
MAX_ROWS = 5000
MAX_SHEET_ROWS = 4 * MAX_ROWS
"""Rows read from a sheet, empty ones included (a sheet may claim a million rows)."""
MAX_SHEET_COLUMNS = 64
"""Columns read from a sheet (the template has 12; a sheet may claim 16,384)."""
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
"""What an XLSX file may unpack to (a 5000-row template is a few MB): a zip bomb of 300 KB
would otherwise unpack a 300 MB cell into memory."""
SHEET = "ties"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTIONS = [
    ("Petunjuk", "Instructions"),
    (
        "Satu baris untuk setiap mitra inovasi. Benarkan atau ubah baris yang ada; isi kolom "
        "'berakhir' bila kemitraan sudah selesai; tambahkan baris untuk mitra baru.",
        "One row per partner of an innovation. Confirm or correct the rows; fill 'ended_on' when "
        "the partnership has ended; add a row for each missing partner.",
    ),
    (
        "Mitra yang sudah terdaftar: isi actor_id. Mitra baru: kosongkan actor_id, isi nama, "
        "unsur (helix), jenis (kind) dan kode wilayah.",
        "A partner already listed: fill actor_id. A new partner: leave actor_id empty, fill "
        "actor_name, helix, kind and region.",
    ),
    (
        "Hapus baris mitra yang tidak Anda ketahui. Kirim berkas ke Bappedalitbang: isinya "
        "diverifikasi dahulu sebelum data berubah.",
        "Delete the rows of partners you do not know about. Send the file to Bappedalitbang: it "
        "is verified before any data changes.",
    ),
]


def template_rows(store: Store, innovations: list[Innovation]) -> list[dict[str, Any]]:
    """One row per current tie of the innovations (and one empty row for an innovation without
    ties), in the template's columns."""
    from service.curation import current_ties

    rows: list[dict[str, Any]] = []
    for innovation in innovations:
        ties = sorted(current_ties(store, innovation.id).values(), key=lambda t: t.actor_id)
        for tie in ties:
            rows.append(_tie_row(store, innovation, tie))
        if not ties:
            rows.append({"innovation_id": innovation.id, "innovation_name": innovation.name})
    return rows


def _tie_row(store: Store, innovation: Innovation, tie: Collaboration) -> dict[str, Any]:
    actor = store.get_actor(tie.actor_id)
    return {
        "innovation_id": innovation.id,
        "innovation_name": innovation.name,
        "actor_id": actor.id,
        "actor_name": actor.name,
        "helix": actor.helix.value,
        "kind": actor.kind,
        "region": actor.region,
        "role": tie.role.value,
        "strength": tie.strength,
        "since": tie.since.isoformat(),
        "ended_on": tie.until.isoformat() if tie.until else "",
        "evidence": "",
    }


def template_csv(rows: list[dict[str, Any]]) -> bytes:
    """The template as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read it)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: _defused(v) for k, v in row.items()} for row in rows)
    return out.getvalue().encode("utf-8-sig")


FORMULA_STARTS = ("=", "+", "-", "@")


def _defused(value: Any) -> Any:
    """A text cell a spreadsheet program would run as a formula, quoted with `'` (read back
    without it); other values as they are.

    >>> _defused("=HYPERLINK(1)"), _defused("Dinas"), _defused(3)
    ("'=HYPERLINK(1)", 'Dinas', 3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def template_xlsx(rows: list[dict[str, Any]], kinds: Iterable[str]) -> bytes:
    """The template as XLSX: the ties sheet with drop-down lists for helix, kind, role and
    strength (from a `lists` sheet), and bilingual instructions."""
    # openpyxl on first use: most processes never write or read a spreadsheet
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F3")
        cell.comment = None
    for row in rows:
        sheet.append([_cell(row.get(column, "")) for column in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a name is text, never a formula
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            12, len(HEADERS_ID[column]) + 2
        )
    sheet.freeze_panes = "A2"

    lists = book.create_sheet("lists")
    vocab = {
        "helix": [h.value for h in Helix],
        "kind": sorted(set(kinds) | {"organisation"}),
        "role": [r.value for r in Role],
        "strength": ["1", "2", "3"],
    }
    last = max(len(rows) + 200, 500)
    for offset, (name, values) in enumerate(vocab.items(), start=1):
        letter = get_column_letter(offset)
        lists.cell(row=1, column=offset, value=name)
        for position, value in enumerate(values, start=2):
            lists.cell(row=position, column=offset, value=value)
        target = get_column_letter(COLUMNS.index(name) + 1)
        rule = DataValidation(
            type="list",
            formula1=f"=lists!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            # kind is open (a new sub-type may be typed), the others are closed lists
            errorStyle="warning" if name == "kind" else "stop",
            showErrorMessage=True,
        )
        rule.add(f"{target}2:{target}{last}")
        sheet.add_data_validation(rule)
    lists.sheet_state = "hidden"

    guide = book.create_sheet("petunjuk")
    for indonesian, english in INSTRUCTIONS:
        guide.append([indonesian, english])
    guide.append([])
    guide.append(["kolom", "column"])
    for column in COLUMNS:
        guide.append([HEADERS_ID[column], column])
    guide.append([])
    guide.append(["unsur", "helix"])
    for helix, (name_id, name_en) in HELIX_NAMES.items():
        guide.append([f"{helix.value}: {name_id}", name_en])
    guide.column_dimensions["A"].width = 70
    guide.column_dimensions["B"].width = 70
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A value XLSX can hold: control characters (which a name may contain) removed."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


# -- reading a filled template ---------------------------------------------------------------
def read_rows(content: bytes, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number as the office sees it, cells by column) of a filled template."""
    from openpyxl import load_workbook

    if fmt == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise Invalid(f"the CSV file is not UTF-8 text (byte {error.start})") from error
        reader = csv.DictReader(io.StringIO(text))
        _check_header(reader.fieldnames or [])
        for number, row in enumerate(reader, start=2):
            yield number, {k: v for k, v in row.items() if k in COLUMNS}
        return
    _check_unpacked_size(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise Invalid(f"the file is not an XLSX workbook: {error}") from error
    if SHEET not in book.sheetnames:
        raise Invalid(f"the workbook has no sheet named {SHEET!r} (use the template)")
    sheet = book[SHEET]
    # The sheet's own size claim is not trusted: openpyxl fills every row and column it claims
    # (A1:XFD1048576 in a 7 KB file is 17 billion empty cells). Rows and columns are bounded here.
    sheet.reset_dimensions()
    values = sheet.iter_rows(max_col=MAX_SHEET_COLUMNS, values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(values, ())]
    _check_header(header)
    for number, cells in enumerate(values, start=2):
        if number > MAX_SHEET_ROWS:
            raise Invalid(
                f"the sheet has rows after row {MAX_SHEET_ROWS} (empty ones count): "
                "delete them or split the file"
            )
        yield number, {h: c for h, c in zip(header, cells, strict=False) if h in COLUMNS}
    book.close()


def _check_unpacked_size(content: bytes) -> None:
    """Invalid if the XLSX (a zip) says it unpacks to more than MAX_UNPACKED_BYTES. Its own
    size fields suffice: Python's zipfile never unpacks more than a member declares."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise Invalid(f"the file is not an XLSX workbook: {error}") from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise Invalid(
            f"the XLSX file unpacks to {unpacked} bytes, more than {MAX_UNPACKED_BYTES}: "
            "split the file"
        )


def _check_header(header: Sequence[str]) -> None:
    missing = [c for c in COLUMNS if c not in header and c != "innovation_name"]
    if missing:
        raise Invalid(f"the header lacks column(s) {', '.join(missing)} (use the template)")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # quoted by `_defused`
    return text


def _day(value: Any) -> Any:
    """A cell as a day: spreadsheets give datetimes; text stays text for the model to check."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    return text or None


def declarations_from(
    store: Store, content: bytes, fmt: str, declared_by: str
) -> dict[str, DeclarationIn]:
    """The declarations of a filled template, by innovation; Invalid listing every bad cell
    ("row 5, role: ...") and nothing returned if any."""
    problems: list[str] = []
    items: dict[str, list[DeclaredTie]] = {}
    regions: dict[str, str] = {}
    count = 0
    for number, row in read_rows(content, fmt):
        cells = {k: _text(v) for k, v in row.items()}
        if not any(v for k, v in cells.items() if k != "innovation_name"):
            continue  # an empty row
        count += 1
        if count > MAX_ROWS:
            raise Invalid(f"more than {MAX_ROWS} rows: split the file")
        innovation_id = cells.get("innovation_id", "")
        if innovation_id not in regions:
            try:
                regions[innovation_id] = store.get_innovation(innovation_id).region
            except NotFound:
                problems.append(f"row {number}, innovation_id: no innovation {innovation_id!r}")
                continue
        if not cells.get("actor_id") and not cells.get("actor_name"):
            continue  # the empty row of an innovation without ties
        fields: dict[str, Any] = {
            "role": cells.get("role") or None,
            "strength": cells.get("strength") or 1,
            "since": _day(row.get("since")),
            "ended_on": _day(row.get("ended_on")),
            "evidence": cells.get("evidence") or None,
        }
        if cells.get("actor_id"):
            fields["actor_id"] = cells["actor_id"]
            try:
                store.get_actor(cells["actor_id"])
            except NotFound:
                problems.append(f"row {number}, actor_id: no actor {cells['actor_id']!r}")
                continue
        else:
            fields["new_actor"] = {
                "name": cells.get("actor_name"),
                "helix": cells.get("helix") or None,
                "kind": cells.get("kind") or "organisation",
                "region": cells.get("region") or regions[innovation_id],
            }
        try:
            tie = DeclaredTie.model_validate(fields)
        except ValidationError as error:
            problems.extend(_cell_problems(number, error))
            continue
        items.setdefault(innovation_id, []).append(tie)
    if not problems and not items:
        problems.append("the file has no partner rows")
    declarations: dict[str, DeclarationIn] = {}
    for innovation_id, ties in items.items():
        try:
            declarations[innovation_id] = DeclarationIn(declared_by=declared_by, items=ties)
        except ValidationError as error:
            problems.extend(f"innovation {innovation_id}: {e['msg']}" for e in error.errors())
    if problems:
        raise Invalid(f"the file has {len(problems)} problem(s); nothing was kept", problems)
    return declarations


def _cell_problems(number: int, error: ValidationError) -> list[str]:
    """Each validation error as "row N, <column>: message" in the template's column names."""
    found = []
    for e in error.errors():
        loc = [str(part) for part in e["loc"]]
        if loc[:1] == ["new_actor"]:
            column = {"name": "actor_name"}.get(loc[1], loc[1]) if len(loc) > 1 else "actor_name"
        else:
            column = loc[0] if loc else "row"
        message = e["msg"]
        expected = (e.get("ctx") or {}).get("expected")
        if expected:
            message = f"{message} (allowed: {expected})"
        found.append(f"row {number}, {column}: {message}")
    return found
