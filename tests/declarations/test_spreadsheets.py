"""Spreadsheet templates: XLSX and CSV with the current ties and drop-down lists; a filled
template comes back as declarations to curate (never direct writes), with an error per row and
column; the round trip of an untouched template declares the ties as they are."""

from __future__ import annotations

import csv
import io
import re
import threading
import time
import zipfile
from collections.abc import Callable

import pytest
from openpyxl import load_workbook

from graph.store import Store
from service import spreadsheets
from service.access import Role as KeyRole
from tests.declarations.conftest import API, INNOVATION, App

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _template(app: App, fmt: str, **params: str) -> bytes:
    response = app.client.get(
        f"{API}/declarations/template",
        params={"format": fmt, **params},
        headers=app.auth(KeyRole.CURATOR),
    )
    assert response.status_code == 200, response.text
    return response.content


def _upload(app: App, content: bytes, fmt: str) -> tuple[int, object]:
    response = app.client.post(
        f"{API}/declarations/upload",
        params={"format": fmt, "declared_by": "Budi, Dinkes"},
        content=content,
        headers={
            **app.auth(KeyRole.CURATOR),
            "Content-Type": XLSX if fmt == "xlsx" else "text/csv",
        },
    )
    return response.status_code, response.json()


def test_xlsx_template_has_the_ties_and_drop_downs(embedded_app: App) -> None:
    book = load_workbook(io.BytesIO(_template(embedded_app, "xlsx", innovation_id=INNOVATION)))
    sheet = book["ties"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("innovation_id", "innovation_name", "actor_id", "actor_name")
    assert sorted(r[2] for r in rows[1:]) == ["dinkes-banjar", "kampus-b", "media-c"]
    lists = {
        str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
        for dv in sheet.data_validations.dataValidation
    }
    # helix (E), kind (F), role (H) and strength (I) have drop-down lists
    assert set(lists) == {"E", "F", "H", "I"}
    assert book["lists"].sheet_state == "hidden"
    roles = [c.value for c in book["lists"]["C"][1:] if c.value]
    assert "knowledge_partner" in roles
    assert "Petunjuk" in str(book["petunjuk"]["A1"].value)


def test_round_trip_of_a_filled_xlsx_template(app: App, graph_store: Store) -> None:
    embedded_app = app  # this one runs on both stores
    before = graph_store.snapshot()
    book = load_workbook(io.BytesIO(_template(embedded_app, "xlsx")))  # the portfolio
    sheet = book["ties"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in header}
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, col["actor_id"]).value == "media-c":
            sheet.cell(row, col["ended_on"]).value = "2025-06-30"
        if sheet.cell(row, col["innovation_id"]).value == "other-innovation":
            sheet.delete_rows(row)
    new_row = sheet.max_row + 1
    for name, value in {
        "innovation_id": INNOVATION,
        "actor_name": "Radio Komunitas Martapura",
        "helix": "media",
        "kind": "radio",
        "role": "publicist",
        "strength": 2,
        "since": "2025-01-15",
    }.items():
        sheet.cell(new_row, col[name]).value = value
    out = io.BytesIO()
    book.save(out)
    code, body = _upload(embedded_app, out.getvalue(), "xlsx")
    assert code == 201, body
    assert isinstance(body, list)
    [declaration] = body
    assert declaration["status"] == "proposed" and declaration["channel"] == "upload"
    assert graph_store.snapshot() == before  # never a direct write
    review = embedded_app.client.get(
        f"{API}/declarations/{declaration['id']}", headers=embedded_app.auth(KeyRole.CURATOR)
    ).json()
    changes = {d["actor_name"]: d["change"] for d in review["diff"]}
    assert changes == {
        "Dinas Kesehatan Kabupaten Banjar": "confirmed",
        "Universitas B": "confirmed",
        "Media lokal C": "ended",
        "Radio Komunitas Martapura": "added",
    }
    accepted = embedded_app.client.post(
        f"{API}/declarations/{declaration['id']}/accept", headers=embedded_app.auth(KeyRole.CURATOR)
    )
    assert accepted.status_code == 200, accepted.text
    assert graph_store.get_actor("radio-komunitas-martapura").kind == "radio"


def test_csv_template_round_trips_unchanged(embedded_app: App) -> None:
    content = _template(embedded_app, "csv", innovation_id=INNOVATION)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 3
    code, body = _upload(embedded_app, content, "csv")
    assert code == 201, body
    review = embedded_app.client.get(
        f"{API}/declarations/{body[0]['id']}",  # type: ignore[index]
        headers=embedded_app.auth(KeyRole.CURATOR),
    ).json()
    assert {d["change"] for d in review["diff"]} == {"confirmed"}


def test_every_bad_cell_is_named_and_nothing_is_kept(embedded_app: App) -> None:
    content = _template(embedded_app, "csv", innovation_id=INNOVATION).decode("utf-8-sig")
    lines = content.splitlines()
    lines[1] = lines[1].replace("initiator", "boss")  # row 2: a role that does not exist
    lines.append(f"{INNOVATION},,no-such-actor,,,,,funder,2,2025-01-01,,")  # row 5
    lines.append(f"{INNOVATION},,,Kelompok Tani,farmers,,,implementer,9,2025-13-01,,")  # row 6
    lines.append("nope,,kampus-b,,,,,funder,1,2025-01-01,,")  # row 7
    code, body = _upload(embedded_app, "\n".join(lines).encode(), "csv")
    assert code == 422
    assert isinstance(body, dict)
    problems = body["problems"]
    assert any(p.startswith("row 2, role:") and "allowed" in p for p in problems), problems
    assert "row 5, actor_id: no actor 'no-such-actor'" in problems
    assert any(p.startswith("row 6, helix:") for p in problems), problems
    assert any(p.startswith("row 6, strength:") for p in problems), problems
    assert any(p.startswith("row 6, since:") for p in problems), problems
    assert "row 7, innovation_id: no innovation 'nope'" in problems
    queue = embedded_app.client.get(
        f"{API}/declarations", headers=embedded_app.auth(KeyRole.CURATOR)
    ).json()
    assert queue["total"] == 0


def test_not_a_spreadsheet_and_wrong_headers(embedded_app: App) -> None:
    code, body = _upload(embedded_app, b"PK\x03\x04 not really", "xlsx")
    assert code == 422 and "not an XLSX workbook" in body["detail"]  # type: ignore[index]
    code, body = _upload(embedded_app, b"a,b\n1,2\n", "csv")
    assert code == 422 and "header lacks" in body["detail"]  # type: ignore[index]
    editor = embedded_app.client.get(
        f"{API}/declarations/template", headers=embedded_app.auth(KeyRole.EDITOR)
    )
    assert editor.status_code == 403


def _rezipped(xlsx: bytes, sheet: Callable[[str], str]) -> bytes:
    """The workbook with its `ties` sheet's XML changed by `sheet`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet(data.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, data)
    return out.getvalue()


def test_an_xlsx_zip_bomb_is_refused_before_unpacking(
    embedded_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limit lowered to 1 MB (32 MiB by default): one 2 MB cell packs into a few KB.
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED_BYTES", 1_000_000)
    template = _template(embedded_app, "xlsx", innovation_id=INNOVATION)
    cell = '<row r="9"><c r="L9" t="inlineStr"><is><t>' + "a" * 2_000_000 + "</t></is></c></row>"
    bomb = _rezipped(template, lambda xml: xml.replace("</sheetData>", cell + "</sheetData>"))
    assert len(bomb) < 50_000
    code, body = _upload(embedded_app, bomb, "xlsx")
    assert code == 422 and "unpacks to" in body["detail"], body  # type: ignore[index]
    assert _upload(embedded_app, template, "xlsx")[0] == 201  # the template itself still fits


def test_an_xlsx_claiming_a_million_rows_is_refused_quickly(embedded_app: App) -> None:
    # 7 KB claiming A1:XFD1048576: openpyxl alone would fill 17 billion empty cells (hours), so
    # the upload runs in a thread: a regression fails after 20 s instead of hanging the suite.
    template = _template(embedded_app, "xlsx", innovation_id=INNOVATION)
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'

    def huge(xml: str) -> str:
        xml = xml.replace("</sheetData>", far + "</sheetData>")
        return re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml, count=1)

    answers: list[tuple[int, object]] = []
    upload = threading.Thread(
        target=lambda: answers.append(_upload(embedded_app, _rezipped(template, huge), "xlsx")),
        daemon=True,
    )
    started = time.monotonic()
    upload.start()
    upload.join(timeout=20)
    assert answers, "the upload was still being read after 20 s"
    code, body = answers[0]
    assert code == 422 and "rows after row 20000" in body["detail"], body  # type: ignore[index]
    assert time.monotonic() - started < 5


def test_rows_past_the_sheet_limit_are_refused_not_dropped(embedded_app: App) -> None:
    # A partner row at row 25000, after empty ones: refused, never silently left out.
    template = _template(embedded_app, "xlsx", innovation_id=INNOVATION)
    row = (
        '<row r="25000"><c r="A25000" t="inlineStr"><is><t>'
        + INNOVATION
        + '</t></is></c><c r="D25000" t="inlineStr"><is><t>Koperasi Baru</t></is></c></row>'
    )
    far = _rezipped(template, lambda xml: xml.replace("</sheetData>", row + "</sheetData>"))
    code, body = _upload(embedded_app, far, "xlsx")
    assert code == 422 and "rows after row 20000" in body["detail"], body  # type: ignore[index]
