from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from spyscan.commands.iocs import iocs
from spyscan.indicators.sources import load_indicator_set


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    root.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()


def _index(root: Path, entries: list[dict[str, Any]]) -> None:
    lines = ["indicators:"]
    for entry in entries:
        lines.append("  -")
        lines.extend(f"    {k}: {json.dumps(v)}" for k, v in entry.items())
    (root / "index.yaml").write_text("\n".join(lines) + "\n")


def test_validate(write_bundle: Callable[..., Path], tmp_path: Path) -> None:
    runner = CliRunner()
    good = write_bundle("good.stix2", ["[domain-name:value='a.com']"])
    result = runner.invoke(iocs, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 usable comparisons, 0 problems (TestFamily)" in result.output

    bad = write_bundle("bad.stix2", ["[domain-name:value='a.com']", "[domain-name:value LIKE '%x']",
                                     "[ipv4-addr:value='999.1.1.1']"])
    result = runner.invoke(iocs, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "indicator--1: operator LIKE is not supported" in result.output
    assert "indicator--2: value '999.1.1.1' cannot be used as ipv4-addr:value" in result.output

    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "type": "bundle",\n  "objects": [,]\n}')
    result = runner.invoke(iocs, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "invalid JSON at line 3, column" in result.output
    assert "Traceback" not in result.output

    result = runner.invoke(iocs, ["validate", str(tmp_path / "missing.json")])
    assert result.exit_code == 1 and "cannot read" in result.output


def test_list_plain(write_bundle: Callable[..., Path]) -> None:
    extra = write_bundle("extra.stix2", ["[domain-name:value='a.com']", "[file:size > 3]"], "Extra")
    result = CliRunner().invoke(iocs, ["list", "--iocs", str(extra)])
    assert result.exit_code == 0, result.output
    assert "[bundled] mvt-project/mvt-indicators/candiru/candiru.stix2" in result.output
    assert "Candiru (DevilsTongue) Indicators of Compromise" in result.output
    assert f"[cli] {extra}" in result.output
    assert "domain-name:value:" in result.output
    # 1 unusable pattern in the extra file, 6 domain values of the bundled feeds rejected at load
    assert "18 files" in result.output and "7 unsupported patterns" in result.output
    pegasus = result.output.split("[bundled] AmnestyTech/investigations/2021-07-18_nso/pegasus.stix2")[1]
    assert "threat: mercenary  platforms: any 1467, ios 82" in pegasus.split("[bundled]")[0]
    echap = result.output.split("[bundled] AssoEchap/stalkerware-indicators/generated/stalkerware.stix2")[1]
    assert "threat: stalkerware  platforms: android 3576, any 1430  roles: c2 974, distribution 18, website 437" \
        in echap.split("[bundled]")[0]
    assert "threat: unknown  platforms: any 1" in result.output.split(f"[cli] {extra}")[1]

    only = CliRunner().invoke(iocs, ["list", "--no-bundled-iocs", "--iocs", str(extra)])
    assert "1 files, 1 indicators, 1 malware families" in only.output

    missing = CliRunner().invoke(iocs, ["list", "--iocs", "/nonexistent/x.stix2"])
    assert missing.exit_code == 1 and "not found: /nonexistent/x.stix2" in missing.output


def test_update(server: tuple[str, Path], make_bundle: Callable[..., dict[str, Any]], tmp_path: Path) -> None:
    base, root = server
    (root / "feeds").mkdir()
    (root / "feeds" / "one.stix2").write_text(json.dumps(make_bundle(["[domain-name:value='one.example']"], "One")))
    (root / "feeds" / "two.stix2").write_text(json.dumps(make_bundle(["[app:id='com.two']"], "Two")))
    _index(root, [
        {"name": "Feed one", "download_url": f"{base}/feeds/one.stix2"},
        {"name": "Feed two", "type": "github", "download_url": f"{base}/feeds/two.stix2"},
    ])
    runner = CliRunner()
    result = runner.invoke(iocs, ["update", "--index", f"{base}/index.yaml"])
    assert result.exit_code == 0, result.output
    assert "updated 2 feeds (2 indicators)" in result.output

    user_dir = tmp_path / "data" / "iocs"
    manifest = json.loads((user_dir / "manifest.json").read_text())
    assert [f["name"] for f in manifest["feeds"]] == ["Feed one", "Feed two"]
    assert all(f["fetched"].endswith("Z") and len(f["sha256"]) == 64 for f in manifest["feeds"])
    loaded = load_indicator_set([], bundled=False)
    assert {(f.source, i.value) for f in loaded.files for i in loaded.indicators if i.file == f.file} == {
        ("user", "one.example"), ("user", "com.two")
    }
    assert (user_dir.stat().st_mode & 0o777) == 0o700

    # a failing feed keeps the previous set
    before = (user_dir / "manifest.json").read_bytes()
    _index(root, [
        {"name": "Feed one", "download_url": f"{base}/feeds/one.stix2"},
        {"name": "Gone", "download_url": f"{base}/feeds/missing.stix2"},
        {"name": "Not STIX", "download_url": f"{base}/index.yaml"},
    ])
    result = runner.invoke(iocs, ["update", "--index", f"{base}/index.yaml"])
    assert result.exit_code == 1
    assert "error: Gone: " in result.output and "HTTP 404" in result.output
    assert "error: Not STIX: " in result.output
    assert "previous indicator set is kept" in result.output
    assert (user_dir / "manifest.json").read_bytes() == before
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["iocs"]  # no staging folder left behind


def test_update_file_url_and_github_entries(tmp_path: Path, make_bundle: Callable[..., dict[str, Any]]) -> None:
    feed = tmp_path / "local.stix2"
    feed.write_text(json.dumps(make_bundle(["[domain-name:value='local.example']"])))
    (tmp_path / "index.yaml").write_text(
        f"indicators:\n  - name: Local\n    download_url: {feed.as_uri()}\n"
    )
    result = CliRunner().invoke(iocs, ["update", "--index", str(tmp_path / "index.yaml")])
    assert result.exit_code == 0, result.output
    assert [i.value for i in load_indicator_set([], bundled=False).indicators] == ["local.example"]


def test_update_bad_index(tmp_path: Path) -> None:
    (tmp_path / "index.yaml").write_text("indicators: [\n")
    result = CliRunner().invoke(iocs, ["update", "--index", str(tmp_path / "index.yaml")])
    assert result.exit_code == 1 and "invalid YAML" in result.output
    result = CliRunner().invoke(iocs, ["update", "--index", "gopher://example.invalid/x"])
    assert result.exit_code == 1 and "only http, https and file URLs" in result.output
