"""The app over HTTP: checks (password, failure, cancel, closing the server), results, exports, triage, hunts."""

from __future__ import annotations

import json
import re
import signal
import time
from html import escape
from pathlib import Path

import pytest

from spyscan.cases.store import CaseStore
from spyscan.report import html
from spyscan.report import terminal_text as words
from spyscan.report.i18n import gettext_for
from spyscan.verdict import verdict_of
from tests.builders.android_backup import TELEPHONY, sms_backup, tar_bytes, write_ab
from tests.web import live
from tests.web.conftest import NEW_APK, NEW_APP, big_sample, stix_file, user_env

PASSWORD = "correct horse 7fQ!"  # the test's own


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _process_texts(pids: list[int]) -> bytes:
    data = b""
    for pid in pids:
        for name in ("cmdline", "environ"):
            try:
                data += (Path("/proc") / str(pid) / name).read_bytes()
            except OSError:
                continue
    return data


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_an_encrypted_input_asks_for_its_password_which_goes_nowhere(world: tuple[live.Server, Path]) -> None:
    server, base = world
    client = server.client()
    root = server.roots[0]
    sms = sms_backup([{"address": "+15550100", "body": "hello", "date": "1700000000000", "type": "1"}])
    write_ab(root / "locked.ab", tar_bytes([(f"{TELEPHONY}/000000_sms_backup", sms)]), password=PASSWORD)
    case_id = client.create_case("encrypted")
    detected = client.get(f"/detect?path={root / 'locked.ab'}").text
    assert "android-backup" in detected
    job = client.start_check(case_id, root / "locked.ab", "android-backup-1")
    assert client.wait_job(f"/checks/{job}") == "password"
    page = client.get(f"/checks/{job}").text
    assert 'type="password"' in page and "Password of the Android backup" in page
    assert not (server.results / f"case-{case_id}").exists() or not list((server.results / f"case-{case_id}").iterdir())

    wrong = client.post(f"/checks/{job}/password", {"password": "not it"})
    wrong_job = int(wrong.headers["hx-redirect"].rsplit("/", 1)[1])
    assert client.wait_job(f"/checks/{wrong_job}") == "failed"
    assert "not it" not in client.get(f"/checks/{wrong_job}").text

    reply = client.post(f"/checks/{job}/password", {"password": PASSWORD})
    retry = int(reply.headers["hx-redirect"].rsplit("/", 1)[1])
    seen = b""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and b"spawn_main" not in seen:
        seen += _process_texts(_children(server.process.pid))
    assert b"spawn_main" in seen  # the runner was seen ...
    assert PASSWORD.encode() not in seen  # ... and the password is neither in its command line nor its environment
    assert client.wait_job(f"/checks/{retry}") == "done"
    run_id = client.run_of_check(retry)
    pages = client.get(f"/checks/{retry}").text + client.get(f"/runs/{run_id}").text + client.get(
        f"/runs/{run_id}/report").text + client.get(f"/checks/{job}").text
    assert PASSWORD not in pages
    for folder in (server.results, server.store.parent, base / "data"):
        assert PASSWORD.encode() not in _all_bytes(folder), folder
    assert PASSWORD not in "".join(server.output)
    with CaseStore(server.store) as store:
        assert store.run(run_id).device == "android-backup-1"


def test_a_failing_check_shows_its_error_and_leaves_nothing(world: tuple[live.Server, Path]) -> None:
    server, _ = world
    client = server.client()
    not_an_acquisition = server.roots[0] / "holiday-photos"
    not_an_acquisition.mkdir(exist_ok=True)
    (not_an_acquisition / "beach.jpg").write_bytes(b"\xff\xd8\xff")
    case_id = client.create_case("failing")
    job = client.start_check(case_id, not_an_acquisition, "camera")
    assert client.wait_job(f"/checks/{job}") == "failed"
    page = client.get(f"/checks/{job}").text
    assert 'id="job-error"' in page and "does not recognise" in page
    assert not (server.results / f"case-{case_id}").exists() or not list((server.results / f"case-{case_id}").iterdir())
    assert not list((server.results / ".work").glob(f"job-{job}-*"))  # its private temporary folder is gone
    with CaseStore(server.store) as store:
        assert store.runs("failing") == []


def test_results_in_four_languages_with_exports(world: tuple[live.Server, Path]) -> None:
    server, _ = world
    client = server.client()
    case_id = client.create_case("languages")
    job = client.start_check(case_id, server.roots[0] / "phone-a", "phone-a")
    assert client.wait_job(f"/checks/{job}") == "done"
    run_id = client.run_of_check(job)
    with CaseStore(server.store) as store:
        folder = html.load_output(Path(store.run(run_id).output))
    for lang in ("en", "es", "fr", "pt"):
        # the verdict of the run (verdict_of) as its report words it (present), in each language
        titles = {aid: gettext_for(lang).gettext(s.title) for aid, s in folder.run.artifacts.items()}
        headline = escape(words.headline(gettext_for(lang), words.present(
            verdict_of(folder.run, folder.detections), folder.detections, titles, folder.run.indicators)))
        assert "NoviSpy" in headline
        assert client.post("/lang", {"lang": lang}).status == 204
        page = client.get(f"/runs/{run_id}").text
        assert f'<html lang="{lang}"' in page and headline in page
        report = client.get(f"/runs/{run_id}/report")
        assert f'<html lang="{lang}"' in report.text and headline in report.text
        assert "sandbox allow-scripts" in report.headers["content-security-policy"]
    client.post("/lang", {"lang": "en"})
    pdf = client.get(f"/runs/{run_id}/export/report.pdf")
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]
    redacted = client.get(f"/runs/{run_id}/export/report-redacted.html")
    assert 'id="redacted-banner"' in redacted.text and redacted.status == 200
    assert client.get(f"/runs/{run_id}/export/report-redacted.pdf").body.startswith(b"%PDF")
    assert client.get(f"/runs/{run_id}/export/run.json").status == 404
    assert not list(server.results.rglob("*.pdf"))  # exports are made in memory, nothing is left on disk


def _detection_id(page: str, marker: str) -> str:
    for row in re.findall(r'<tr data-detection="([0-9a-f]+)">(.*?)</tr>', page, re.S):
        if marker in row[1]:
            return str(row[0])
    raise AssertionError(f"no detection row with {marker!r}")


def test_triage_hunt_and_exports(world: tuple[live.Server, Path], tmp_path: Path) -> None:
    server, _ = world
    client = server.client()
    case_id = client.create_case("triage-and-hunt")
    job = client.start_check(case_id, server.roots[0] / "phone-b", "phone-b")
    assert client.wait_job(f"/checks/{job}") == "done"
    run_id = client.run_of_check(job)
    run_page = client.get(f"/runs/{run_id}").text
    assert "app: com.serv.services" in run_page and "InertText" not in run_page
    det = _detection_id(run_page, "NoviSpy")
    before = live.store_counts(server.store)
    assert client.post(f"/runs/{run_id}/detections/{det}/triage", {"state": "confirmed", "note": "n",
                                                                   "analyst": ""}).status == 400
    assert client.post(f"/runs/{run_id}/detections/nope/triage", {"state": "confirmed", "analyst": "Ana"}).status == 400
    assert live.store_counts(server.store) == before
    saved = client.post(f"/runs/{run_id}/detections/{det}/triage",
                        {"state": "confirmed", "note": "The owner never installed it.", "analyst": "Ana"})
    assert saved.status == 200 and 'id="triage-saved"' in saved.text
    report = client.get(f"/runs/{run_id}/report").text
    assert "Triage:</strong> confirmed" in report and "The owner never installed it." in report
    assert "by Ana" in client.get(f"/runs/{run_id}/detections/{det}").text
    stix = json.loads(client.get(f"/cases/{case_id}/export/stix").text)
    assert [o["labels"] for o in stix["objects"] if o["type"] == "sighting"] == [["triage:confirmed"]]
    misp = json.loads(client.get(f"/cases/{case_id}/export/misp").text)
    assert "triage: phone-b (P-" in misp["Event"]["Attribute"][0]["comment"]
    assert misp["Event"]["Attribute"][0]["comment"].endswith(") confirmed")

    feed = stix_file(tmp_path / "later.stix2", "LaterSpy", [("41", f"[file:hashes.sha256 = '{NEW_APK}']")])
    assert client.upload("/indicators/upload", "later.stix2", feed.read_bytes(), {"action": "add"}).status == 200
    reply = client.post("/hunt", {"case": str(case_id)})
    hunt_job = int(reply.headers["hx-redirect"].rsplit("/", 1)[1])
    assert client.wait_job(f"/hunts/jobs/{hunt_job}") == "done"
    hunt_id = int(re.search(r'href="/hunts/(\d+)" id="open-hunt"', client.get(f"/hunts/jobs/{hunt_job}").text)[1])
    page = client.get(f"/hunts/{hunt_id}").text
    rows = re.findall(r'<tr data-detection="[0-9a-f]+">(.*?)</tr>', page, re.S)
    assert len(rows) == 1 and NEW_APK in rows[0] and "LaterSpy" in rows[0]
    assert "device phone-b" in page
    overview = client.get("/").text
    assert re.search(rf'href="/hunts/{hunt_id}">1</a>', overview)


def test_a_hunt_can_update_the_feeds_first(tmp_path_factory: pytest.TempPathFactory) -> None:
    base = tmp_path_factory.mktemp("feeds")
    root = base / "root"
    big_sample(root / "phone", 10)
    feed = stix_file(base / "feed.stix2", "FeedSpy", [("51", f"[app:id = '{NEW_APP}']")])
    index = base / "index.yaml"
    index.write_text(f"indicators:\n  - name: local test feed\n    download_url: {feed.as_uri()}\n", encoding="utf-8")
    server = live.start(base, [root], env=user_env(base), extra=["--feed-index", str(index)])
    try:
        client = server.client()
        case_id = client.create_case("feeds")
        job = client.start_check(case_id, root / "phone", "phone")
        assert client.wait_job(f"/checks/{job}") == "done"
        reply = client.post("/hunt", {"case": "all", "update": "yes"})
        hunt_job = int(reply.headers["hx-redirect"].rsplit("/", 1)[1])
        assert client.wait_job(f"/hunts/jobs/{hunt_job}") == "done"
        page = client.get(f"/hunts/jobs/{hunt_job}").text
        assert "Feeds updated: 1 files" in page
        hunt_id = int(re.search(r'href="/hunts/(\d+)"', page)[1])
        assert "FeedSpy" in client.get(f"/hunts/{hunt_id}").text
        assert "updated feed" in client.get("/indicators").text
    finally:
        server.stop()


def _runner_pids(server: live.Server) -> list[int]:
    return [pid for pid in _children(server.process.pid)
            if b"spawn_main" in _process_texts([pid])]


def test_cancel_and_closing_the_server_stop_checks_cleanly(tmp_path_factory: pytest.TempPathFactory) -> None:
    base = tmp_path_factory.mktemp("closing")
    root = base / "root"
    big_sample(root / "big-1", 300_000)
    big_sample(root / "big-2", 300_000)
    server = live.start(base, [root], env=user_env(base))
    try:
        client = server.client()
        case_id = client.create_case("closing")
        first = client.start_check(case_id, root / "big-1", "big-1")
        assert client.wait_job(f"/checks/{first}", until=("running",)) == "running"
        assert client.post(f"/jobs/{first}/cancel").status == 204
        assert client.wait_job(f"/checks/{first}") == "cancelled"

        second = client.start_check(case_id, root / "big-2", "big-2")
        deadline = time.monotonic() + 60
        while 'class="status-pending"' not in client.get(f"/checks/{second}").text or "status-ok" not in \
                client.get(f"/checks/{second}").text:
            assert time.monotonic() < deadline, "the check never got going"
            time.sleep(0.1)
        runners = _runner_pids(server)
        assert runners
        started = time.monotonic()
        assert server.stop(signal.SIGINT) == 0
        assert time.monotonic() - started < 40
    finally:
        if server.process.poll() is None:
            server.process.kill()
    assert "spyscan serve stopped." in "".join(server.output)
    for pid in runners:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
    case_folder = server.results / f"case-{case_id}"
    assert not case_folder.exists() or list(case_folder.iterdir()) == []  # no folder, complete or not
    assert not (server.results / ".work").exists()  # the engine's work folders were inside, in each runner's TMPDIR
    with CaseStore(server.store) as store:
        assert store.runs("closing") == []
