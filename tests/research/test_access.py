"""Who may do what: API keys and roles, the audit trail, body and rate limits, CORS, hosts."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph.store import Store
from service import cli
from service.access import AccessStore, Role
from service.security import TokenBucket
from service.settings import Settings

API = "/api/v1"
MakeApp = Callable[..., Any]  # the make_app fixture (tests/research/conftest.py)
ACTOR = {"id": "dinas-uji", "name": "Dinas Uji", "helix": "government", "region": "63.03"}


# -- keys on the command line --------------------------------------------------------------
def run_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data: Path, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(data_dir=data))
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_keys_create_list_revoke(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run_cli(
        monkeypatch, capsys, tmp_path, "keys", "create", "ana", "--role", "editor"
    )
    key = out.strip()
    assert code == 0 and key.startswith("hxh_") and "shown only now" in err
    access = AccessStore(tmp_path / "access.sqlite3")
    assert access.authenticate(key) is not None

    code, out, _ = run_cli(monkeypatch, capsys, tmp_path, "keys", "list", "--json")
    listed = json.loads(out)
    assert code == 0 and [(k["name"], k["role"]) for k in listed] == [("ana", "editor")]
    secret = key.split("_", 2)[2]  # hxh_<prefix>_<secret>; the secret may hold "_" itself
    assert key not in out and secret not in out

    code, _, err = run_cli(
        monkeypatch, capsys, tmp_path, "keys", "create", "ana", "--role", "admin"
    )
    assert code == 1 and "exists" in err
    with pytest.raises(SystemExit) as bad_role:  # argparse: usage error, exit 2
        run_cli(monkeypatch, capsys, tmp_path, "keys", "create", "x", "--role", "root")
    assert bad_role.value.code == 2

    code, out, _ = run_cli(monkeypatch, capsys, tmp_path, "keys", "revoke", "ana")
    assert code == 0 and access.authenticate(key) is None
    code, out, _ = run_cli(monkeypatch, capsys, tmp_path, "keys", "list")
    assert "revoked" in out
    code, _, err = run_cli(monkeypatch, capsys, tmp_path, "keys", "revoke", "nobody")
    assert code == 1 and "nobody" in err


def test_keys_are_stored_hashed(tmp_path: Path) -> None:
    access = AccessStore(tmp_path / "access.sqlite3")
    key = access.create_key("ana", Role.READER)
    with sqlite3.connect(tmp_path / "access.sqlite3") as conn:
        dump = "\n".join(conn.iterdump())
    assert key not in dump and key.split("_", 2)[2] not in dump  # the secret may hold "_"
    assert access.authenticate(key + "x") is None
    assert access.authenticate("hxh_" + key.split("_")[1] + "_wrong") is None
    assert access.authenticate("not-a-key") is None


# -- roles ---------------------------------------------------------------------------------
def test_writes_need_an_editor_key(store: Store, make_app: MakeApp) -> None:
    app = make_app()
    client = app.client
    anonymous = client.post(f"{API}/actors", json=ACTOR)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert "editor" in anonymous.json()["detail"]
    reader = client.post(f"{API}/actors", json=ACTOR, headers=app.auth(Role.READER))
    assert reader.status_code == 403 and "editor" in reader.json()["detail"]
    assert store.is_empty()
    editor = client.post(f"{API}/actors", json=ACTOR, headers=app.auth(Role.EDITOR))
    assert editor.status_code == 201
    patched = client.patch(
        f"{API}/actors/dinas-uji", json={"name": "Dinas"}, headers=app.auth(Role.ADMIN, "x-api-key")
    )
    assert patched.status_code == 200
    assert client.delete(f"{API}/actors/dinas-uji").status_code == 401
    assert (
        client.delete(f"{API}/actors/dinas-uji", headers=app.auth(Role.EDITOR)).status_code == 204
    )


def test_import_and_audit_need_an_admin_key(store: Store, make_app: MakeApp) -> None:
    app = make_app()
    body = json.dumps({"actors": [ACTOR]})
    for role in (Role.READER, Role.EDITOR):
        response = app.client.post(f"{API}/import", content=body, headers=app.auth(role))
        assert response.status_code == 403 and "admin" in response.json()["detail"]
        assert app.client.get(f"{API}/audit", headers=app.auth(role)).status_code == 403
    assert app.client.get(f"{API}/audit").status_code == 401
    assert store.is_empty()
    response = app.client.post(f"{API}/import", content=body, headers=app.auth(Role.ADMIN))
    assert response.status_code == 200 and response.json()["written"]["actors"] == 1


def test_reads_are_open_by_default_or_need_a_reader_key(store: Store, make_app: MakeApp) -> None:
    assert make_app().client.get(f"{API}/actors").status_code == 200
    keyed = make_app(read_access="key")
    response = keyed.client.get(f"{API}/actors")
    assert response.status_code == 401 and "reader" in response.json()["detail"]
    assert keyed.client.get(f"{API}/actors", headers=keyed.auth(Role.READER)).status_code == 200
    assert keyed.client.get("/healthz").status_code == 200  # operations stay open
    # The code vocabularies hold no data; the owners' declaration page reads them with no key.
    vocab = keyed.client.get(f"{API}/vocab")
    assert vocab.status_code == 200 and vocab.json()["vocabularies"]["helix"]


def test_unknown_or_revoked_key_is_401(store: Store, make_app: MakeApp) -> None:
    app = make_app()
    bad = app.client.get(f"{API}/actors", headers={"Authorization": "Bearer hxh_0000_nope"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    app.access.revoke("reader-key")
    assert app.client.get(f"{API}/actors", headers=app.auth(Role.READER)).status_code == 401


def test_auth_off_lets_every_request_write(store: Store, make_app: MakeApp) -> None:
    app = make_app(auth="off")
    assert app.client.post(f"{API}/actors", json=ACTOR).status_code == 201
    assert app.client.get(f"{API}/audit").status_code == 200


def test_openapi_documents_roles_and_access_errors(store: Store, make_app: MakeApp) -> None:
    spec = make_app().client.get("/openapi.json").json()
    create = spec["paths"]["/api/v1/innovations"]["post"]
    assert {"401", "403", "413", "429"} <= set(create["responses"])
    assert create["security"] == [{"bearer": ["editor"]}, {"apiKey": ["editor"]}]
    assert "security" not in spec["paths"]["/api/v1/innovations"]["get"]
    assert spec["paths"]["/api/v1/import"]["post"]["security"][0] == {"bearer": ["admin"]}
    assert set(spec["components"]["securitySchemes"]) == {"bearer", "apiKey"}


@pytest.mark.parametrize("store", ["embedded"], indirect=True)
@pytest.mark.parametrize("read_access", ["open", "key"])
def test_vocab_documents_exactly_the_access_errors_it_answers(
    store: Store, make_app: MakeApp, read_access: str
) -> None:
    app = make_app(read_access=read_access)
    vocab = f"{API}/vocab"
    assert app.client.get(vocab).status_code == 200  # no key: open, whatever read_access says
    assert app.client.get(vocab, headers=app.auth(Role.READER)).status_code == 200
    bad = app.client.get(vocab, headers={"X-API-Key": "hxh_0000_nope"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    invitation = app.client.get(vocab, headers={"Authorization": "Bearer hxi_0000_nope"})
    assert invitation.status_code == 403
    assert app.client.get(vocab, params={"lang": "en"}).status_code == 422

    operation = app.client.get("/openapi.json").json()["paths"][vocab]["get"]
    assert set(operation["responses"]) == {"200", "401", "403", "422", "429", "503"}
    assert "without a key this read is open" in operation["responses"]["401"]["description"]
    assert "invitation token" in operation["responses"]["403"]["description"]
    assert "security" not in operation and "Needs an API key" not in operation["description"]
    # Every other read does need a key when reads are keyed.
    actors = app.client.get("/openapi.json").json()["paths"][f"{API}/actors"]["get"]
    assert ("security" in actors) is (read_access == "key")


# -- audit ---------------------------------------------------------------------------------
def test_every_write_is_in_the_audit_trail(store: Store, make_app: MakeApp) -> None:
    app = make_app()
    client = app.client
    client.post(f"{API}/actors", json=ACTOR, headers=app.auth(Role.EDITOR))
    client.patch(f"{API}/actors/dinas-uji", json={"name": "X"}, headers=app.auth(Role.READER))
    client.delete(f"{API}/actors/dinas-uji", headers=app.auth(Role.ADMIN))
    client.post(f"{API}/actors", json=ACTOR)
    client.get(f"{API}/actors", headers=app.auth(Role.EDITOR))  # reads are not audited
    page = client.get(f"{API}/audit", params={"limit": 10}, headers=app.auth(Role.ADMIN)).json()
    assert page["total"] == 4 and page["limit"] == 10
    rows = [(e["key_name"], e["method"], e["path"], e["status"], e["ids"]) for e in page["items"]]
    assert rows == [
        (None, "POST", "/api/v1/actors", 401, []),
        ("admin-key", "DELETE", "/api/v1/actors/dinas-uji", 204, ["dinas-uji"]),
        ("reader-key", "PATCH", "/api/v1/actors/dinas-uji", 403, ["dinas-uji"]),
        ("editor-key", "POST", "/api/v1/actors", 201, ["dinas-uji"]),
    ]
    assert all(e["at"] and e["client"] for e in page["items"])
    second = client.get(
        f"{API}/audit", params={"limit": 1, "offset": 3}, headers=app.auth(Role.ADMIN)
    ).json()
    assert second["items"][0]["seq"] == page["items"][3]["seq"]


# -- limits --------------------------------------------------------------------------------
def test_bodies_over_the_limit_are_413(store: Store, make_app: MakeApp) -> None:
    app = make_app(max_body_bytes=200, max_import_bytes=5000)
    big = {**ACTOR, "description": "x" * 300}
    response = app.client.post(f"{API}/actors", json=big, headers=app.auth(Role.EDITOR))
    assert response.status_code == 413 and "200 bytes" in response.json()["detail"]

    def chunks() -> Any:  # no Content-Length: counted while streaming
        yield b'{"id": "a", "description": "'
        yield b"x" * 400
        yield b'"}'

    streamed = app.client.post(
        f"{API}/actors",
        content=chunks(),
        headers={**app.auth(Role.EDITOR), "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    bundle = json.dumps({"actors": [big]})  # over 200 bytes, within the import limit
    imported = app.client.post(f"{API}/import", content=bundle, headers=app.auth(Role.ADMIN))
    assert imported.status_code == 200
    huge = app.client.post(f"{API}/import", content=b"x" * 6000, headers=app.auth(Role.ADMIN))
    assert huge.status_code == 413


def test_rate_limit_is_429_with_retry_after_per_key(store: Store, make_app: MakeApp) -> None:
    app = make_app(rate_limit_per_minute=3)
    statuses = [app.client.get(f"{API}/actors").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = app.client.get(f"{API}/actors")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    # a key has its own bucket
    assert app.client.get(f"{API}/actors", headers=app.auth(Role.READER)).status_code == 200


def test_token_bucket_refills_over_time() -> None:
    now = [0.0]
    bucket = TokenBucket(60, clock=lambda: now[0])
    assert all(bucket.take("a") == 0 for _ in range(60))
    assert bucket.take("a") == pytest.approx(1.0)
    assert bucket.take("b") == 0
    now[0] += 2.5
    assert bucket.take("a") == 0 and bucket.take("a") == 0 and bucket.take("a") > 0


def test_cors_only_for_configured_origins(store: Store, make_app: MakeApp) -> None:
    preflight = {"Origin": "https://peta.example.org", "Access-Control-Request-Method": "POST"}
    closed = make_app()
    response = closed.client.get(f"{API}/actors", headers={"Origin": "https://peta.example.org"})
    assert "access-control-allow-origin" not in response.headers
    app = make_app(cors_origins="https://peta.example.org")
    response = app.client.options(f"{API}/actors", headers=preflight)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://peta.example.org"
    other = app.client.get(f"{API}/actors", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_untrusted_host_is_refused(store: Store, make_app: MakeApp) -> None:
    app = make_app()
    assert app.client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
    assert app.client.get("/healthz", headers={"Host": "localhost:8000"}).status_code == 200
    assert Settings(host="0.0.0.0", trusted_hosts=None).allowed_hosts()[-1] == "0.0.0.0"


def test_testserver_is_trusted_only_in_tests(store: Store, make_app: MakeApp) -> None:
    # The default (no HEXAHELIX_TRUSTED_HOSTS; tests/conftest.py sets it for the suite) serves
    # the loopback names and HEXAHELIX_HOST, never the test client's `testserver`.
    default = Settings(trusted_hosts=None)
    assert default.allowed_hosts() == ["127.0.0.1", "localhost"]
    assert "testserver" not in Settings(trusted_hosts=None, host="0.0.0.0").allowed_hosts()
    production = make_app(trusted_hosts=None)
    assert production.client.get("/healthz").status_code == 400  # Host: testserver
    loopback = {"Host": "127.0.0.1:8000"}
    assert production.client.get("/healthz", headers=loopback).status_code == 200
    assert "testserver" in Settings().allowed_hosts()  # the suite's own setting


def test_rate_limit_leaves_operations_alone(store: Store, make_app: MakeApp) -> None:
    app = make_app(rate_limit_per_minute=1)
    assert [app.client.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]


def test_an_unreadable_access_file_is_503_json_for_keyed_requests(
    store: Store, make_app: MakeApp
) -> None:
    # The data folder removed under a running server: the key cannot be checked right now.
    app = make_app()
    folder = app.settings.access_db_path().parent
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    answer = app.client.post(f"{API}/actors", json=ACTOR, headers=app.auth(Role.EDITOR))
    assert answer.status_code == 503
    assert "access file" in answer.json()["detail"]
    assert answer.headers["retry-after"] == str(app.settings.retry_after_seconds)
    assert store.is_empty()
