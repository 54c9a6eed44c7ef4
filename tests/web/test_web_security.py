"""The guard at the HTTP level, against a real `spyscan serve`: each bad request is refused with the right
status and changes nothing in the case store (or the indicator sets, or the results folder)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.web import live
from tests.web.conftest import NEW_APP, stix_file


@pytest.fixture(scope="module")
def client(world: tuple[live.Server, Path]) -> live.Client:
    return world[0].client()


def test_binds_to_loopback_only_and_prints_the_token(world: tuple[live.Server, Path]) -> None:
    server, _ = world
    assert any(f"http://127.0.0.1:{server.port}/?token={server.token}" in line for line in server.output)
    listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
    ours = [line.split()[1] for line in listening if line.split()[1].endswith(f":{server.port:04X}")
            and line.split()[3] == "0A"]
    assert ours == [f"0100007F:{server.port:04X}"]  # 127.0.0.1 only, not 0.0.0.0


def test_no_token_no_access(world: tuple[live.Server, Path]) -> None:
    server, _ = world
    anonymous = live.Client(server.port)
    for path in ("/", "/cases/1", "/indicators", "/static/htmx.min.js", "/browse?path=/"):
        assert anonymous.get(path).status == 401, path
    before = live.store_counts(server.store)
    assert anonymous.post("/cases", {"name": "x"}, csrf=False).status == 401
    assert live.store_counts(server.store) == before


def test_wrong_token_or_session_is_forbidden(world: tuple[live.Server, Path]) -> None:
    server, _ = world
    stranger = live.Client(server.port)
    assert stranger.get("/?token=not-the-token").status == 403
    assert stranger.get(f"/?token={server.token[:-1]}").status == 403
    stranger.cookie = f"spyscan_session_{server.port}=forged"
    assert stranger.get("/").status == 403


def test_the_token_becomes_a_strict_session_cookie(world: tuple[live.Server, Path]) -> None:
    server, _ = world
    reply = live.Client(server.port).get(f"/cases?x=1&token={server.token}")
    assert reply.status == 303
    assert reply.headers["location"] == "/cases?x=1"  # the token leaves the address bar and the history
    cookie = reply.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and server.token not in cookie


def test_foreign_host_header_is_refused(world: tuple[live.Server, Path], client: live.Client) -> None:
    server, _ = world
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1", f"127.0.0.2:{server.port}",
                 f"localhost.evil.example:{server.port}", ""):
        other = live.Client(server.port, host=host)
        other.cookie = client.cookie
        assert other.get("/").status == 403, host
        assert other.get(f"/?token={server.token}").status == 403, host  # even with the token
    same = live.Client(server.port, host=f"localhost:{server.port}")
    same.cookie = client.cookie
    assert same.get("/").status == 200


def test_state_changes_need_the_csrf_token(world: tuple[live.Server, Path], client: live.Client) -> None:
    server, _ = world
    before = live.store_counts(server.store)
    assert client.post("/cases", {"name": "no-csrf"}, csrf=False).status == 403
    assert client.post("/cases", {"name": "bad-csrf"}, csrf=False, headers={"X-CSRF-Token": "x" * 43}).status == 403
    assert client.post("/cases", {"name": "cross-site"},
                       headers={"Origin": "http://evil.example"}).status == 403
    assert client.post("/cases", {"name": "cross-site"}, headers={"Sec-Fetch-Site": "cross-site"}).status == 403
    assert client.post("/lang", {"lang": "es"}, csrf=False).status == 403
    assert live.store_counts(server.store) == before
    assert client.post("/cases", {"name": "with-csrf"}, headers={"Origin": f"http://{server.host}"}).status == 204
    assert live.store_counts(server.store)["cases"] == before["cases"] + 1


def test_paths_outside_the_roots_are_refused(world: tuple[live.Server, Path], client: live.Client) -> None:
    server, base = world
    root = server.roots[0]
    outside = base / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("not for the app", encoding="utf-8")
    link = root / "escape"
    if not link.exists():
        os.symlink(outside, link)
    for path in ("/etc", str(outside), f"{root}/../outside", f"{root}/escape", f"{root}/escape/secret.txt", "~",
                 "/", f"{root}/does-not-exist"):
        assert client.get(f"/browse?path={path}").status == 403, path
        assert client.get(f"/detect?path={path}").status == 403, path
    listing = client.get(f"/browse?path={root}").text
    assert "escape" not in listing and "secret.txt" not in listing  # a link out of the roots is not even shown
    case_id = client.create_case("roots")
    before = live.store_counts(server.store)
    reply = client.post(f"/cases/{case_id}/check", {"path": str(outside), "device": "x"})
    assert reply.status == 403
    assert client.post(f"/cases/{case_id}/check", {"path": f"{root}/escape", "device": "x"}).status == 403
    assert live.store_counts(server.store) == before
    assert not (server.results / f"case-{case_id}").exists()
    inside = client.get(f"/browse?path={root}")
    assert inside.status == 200 and "phone-a" in inside.text


def test_oversized_requests_are_refused(world: tuple[live.Server, Path], client: live.Client) -> None:
    server, base = world
    added = base / "data" / "iocs-added"
    big = b'{"type": "bundle", "objects": [' + b" " * (33 * 1024 * 1024) + b"]}"
    assert client.upload("/indicators/upload", "big.json", big, {"action": "add"}).status == 413
    assert client.post("/cases", {"name": "x" * 100_000}).status == 413
    # without a Content-Length (chunked), the body is counted while it is read
    data = b"name=" + b"y" * 100_000
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data)
    reply = client.request("POST", "/cases", chunked, {
        "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": client.csrf,
        "Transfer-Encoding": "chunked"})
    assert reply.status == 413
    assert not added.exists() or not list(added.iterdir())
    assert "x" * 200 not in json.dumps(live.store_counts(server.store))


def test_malformed_stix_is_refused_and_nothing_is_added(world: tuple[live.Server, Path], client: live.Client,
                                                        tmp_path: Path) -> None:
    _, base = world
    added = base / "data" / "iocs-added"
    for name, data in (("notjson.json", b"{not json"), ("notbundle.json", b'{"type": "indicator"}'),
                       ("empty.json", b'{"type": "bundle", "objects": []}'),
                       ("badpattern.json", json.dumps({"type": "bundle", "objects": [{
                           "type": "indicator", "id": "indicator--1", "pattern": "[domain-name:value = ",
                           "pattern_type": "stix"}]}).encode())):
        reply = client.upload("/indicators/upload", name, data, {"action": "add"})
        assert reply.status == 422, (name, reply.text)
        assert "was not added" in reply.text
    assert not added.exists() or not list(added.iterdir())
    good = stix_file(tmp_path / "good.stix2", "NewSpy", [("21", f"[app:id = '{NEW_APP}']")]).read_bytes()
    assert client.upload("/indicators/upload", "good.stix2", good, {"action": "validate"}).status == 200
    assert not added.exists() or not list(added.iterdir())  # validated only
    assert client.upload("/indicators/upload", "good.stix2", good, {"action": "add"}, csrf=False).status == 403
    reply = client.upload("/indicators/upload", "good.stix2", good, {"action": "add", "platform": "android"})
    assert reply.status == 200 and 'id="added"' in reply.text
    manifest = json.loads((added / "added.json").read_text())
    assert [(m["name"], m["platform"]) for m in manifest] == [("good.stix2", "android")]
    listing = client.get("/indicators").text
    assert "good.stix2" in listing and "added by you" in listing


def test_pages_carry_a_strict_policy(world: tuple[live.Server, Path], client: live.Client) -> None:
    reply = client.get("/")
    csp = reply.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe" not in csp
    assert "http" not in csp.replace("'self'", "")
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["referrer-policy"] == "no-referrer"
    assert reply.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'self'" in csp
    for marker in ("https://", "http://", "//cdn", "fonts.googleapis"):
        assert marker not in reply.text
    assert client.get("/static/htmx.min.js").status == 200
    assert client.get("/static/../config.py").status == 404
    assert client.get("/static/config.py").status == 404


def test_every_file_the_server_wrote_is_owner_only(world: tuple[live.Server, Path], client: live.Client) -> None:
    server, base = world
    case_id = client.create_case("modes")
    job = client.start_check(case_id, server.roots[0] / "phone-b", "phone-b")
    assert client.wait_job(f"/checks/{job}") == "done"
    for folder in (server.results, server.store.parent, base / "data"):
        assert live.private_files(folder) == [], folder


def test_vendored_scripts_are_the_published_files() -> None:
    """htmx and its SSE extension are vendored unchanged (the hashes docs/web.md gives)."""
    import hashlib

    from spyscan.web.app import STATIC

    docs = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
    for name in ("htmx.min.js", "htmx-sse.js"):
        digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()
        assert digest in docs, name
