"""Acceptance of issue 19, "Verdicts that hold on real phones": one test per bullet, each reproducing the issue's
scenario end to end through ``spyscan check`` (in process, ``cli.main``) on acquisitions built with
``tests/builders/`` in the real shapes the issue describes, with the bundled indicators, asserting the required
outcome in ``run.json``, ``detections.json`` and the report. Each acquisition carries the scenarios of several
bullets (one check each keeps this file fast); each bullet has its own test.

Where another test already proves a bullet end to end (most "built from the real shape" tests live next to the
code they test), the bullet's comment names it instead of repeating it.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from spyscan.cli import main
from tests.builders.androidqf import build_androidqf, package
from tests.builders.bugreport import (
    DEFAULT_PROPERTIES,
    DUMPSTATE,
    dumpstate,
    proto_tombstone,
    text_tombstone,
    write_bugreport_zip,
)
from tests.builders.intrusion_logs import ndjson, write_folder
from tests.builders.ios_backup import BackupBuilder
from tests.builders.ios_fs import FsDumpBuilder, shutdown_log
from tests.builders.sqlite import EMPTY_DATAUSAGE_DB, EMPTY_SMS_DB
from tests.builders.sysdiagnose import SysdiagnoseBuilder, ips_text, ps_text
from tests.conftest import shared_path
from tests.core.stix_helpers import write_bundle

REPO = Path(__file__).resolve().parents[2]
Detections = list[dict[str, Any]]

# bundled indicators (public feeds)
PEGASUS_DOMAIN = "weather4free.com"  # AmnestyTech 2021-07-18_nso/pegasus.stix2
PEGASUS_PROCESS = "fservernetd"  # same file
STALKERWARE_APP = "com.apspy.app"  # AssoEchap stalkerware-indicators (TheTruthSpy), an Android app id
STALKERWARE_WEBSITE = "2mata.net"  # same feed, role "website" in its ioc.yaml
STALKERWARE_C2 = "www.e-spy.org"  # same feed, role "c2"
CELLEBRITE_APP = "com.client.appA"  # mvt-indicators cellebrite/cellebrite.stix2, an app id of any platform
UUID = "0C4A9B2E-1111-2222-3333-444455556666"
UUID2 = "9F8E7D6C-5B4A-4938-8271-605F4E3D2C1B"


def _run(path: Path, out: Path, *extra: str) -> tuple[int, Any, Detections]:
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        try:
            main(["check", str(path), "-o", str(out), "-j", "2", "--quiet", *extra])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    if not (out / "run.json").is_file():
        raise AssertionError(f"no results (exit {code}): {sink.getvalue()}")
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    data = json.loads((out / "detections.json").read_text(encoding="utf-8"))
    return code, run, data if isinstance(data, list) else list(data["detections"])


def _by(detections: Detections, **match: Any) -> Detections:
    return [d for d in detections if all(_get(d, k) == v for k, v in match.items())]


def _get(d: dict[str, Any], key: str) -> Any:
    if key == "value":
        return (d.get("observable") or {}).get("value")
    if key == "indicator":
        return (d.get("indicator") or {}).get("value")
    return d.get(key)


def _medium_or_higher(detections: Detections) -> Detections:
    return [d for d in detections if d["severity"] in ("medium", "high", "critical")]


def _report(out: Path) -> str:
    html = (out / "report.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.find("<body"):]))


# ------------------------------------------------------------------------------------------------ an iPhone

def _history_db(conn: Any) -> None:
    conn.execute("CREATE TABLE history_items (id INTEGER PRIMARY KEY, url TEXT, domain_expansion TEXT, "
                 "visit_count INTEGER)")
    conn.execute("CREATE TABLE history_visits (id INTEGER PRIMARY KEY, history_item INTEGER, visit_time REAL, "
                 "title TEXT, load_successful BOOLEAN, redirect_source INTEGER, redirect_destination INTEGER, "
                 "origin INTEGER)")
    items = [(1, "http://foxnew.com/", "foxnew"), (2, "https://www.foxnews.com/", "foxnews"),
             (3, f"https://{STALKERWARE_WEBSITE}/pricing", "2mata"), (4, f"https://{STALKERWARE_C2}/api", "espy"),
             (5, "https://www.foxnews.com/politics", "foxnews")]
    conn.executemany("INSERT INTO history_items VALUES (?, ?, ?, 1)", items)
    # a brand's typo domain redirected at once to the brand (the real sample of plaso has this very pair)
    conn.executemany("INSERT INTO history_visits VALUES (?, ?, ?, ?, 1, ?, ?, 0)", [
        (10, 1, 750_000_000.0, "Fox", None, 11), (11, 2, 750_000_000.4, "Fox News", 10, None),
        (12, 3, 750_001_000.0, "Pricing", None, None), (13, 4, 750_002_000.0, "", None, None),
        (14, 5, 750_090_000.0, "Politics", None, None)])  # the brand's site is visited again later


def _observations_db(conn: Any) -> None:
    conn.execute("CREATE TABLE ObservedDomains (domainID INTEGER PRIMARY KEY, registrableDomain TEXT, lastSeen REAL, "
                 "hadUserInteraction INTEGER, mostRecentUserInteractionTime REAL)")
    conn.execute("INSERT INTO ObservedDomains VALUES (1, 'wikipedia.org', 1.7e9, 0, -1)")  # -1: never
    conn.execute("INSERT INTO ObservedDomains VALUES (2, 'example.org', 0, 0, 0)")  # 0: not set


def _tcc_db(conn: Any) -> None:
    conn.execute("CREATE TABLE access (service TEXT, client TEXT, client_type INTEGER, auth_value INTEGER, "
                 "auth_reason INTEGER, last_modified INTEGER)")
    conn.execute(f"INSERT INTO access VALUES ('kTCCServiceMicrophone', '{PEGASUS_PROCESS}', 0, 2, 4, 1730000000)")
    conn.execute("INSERT INTO access VALUES ('kTCCServiceCamera', 'net.whatsapp.WhatsApp', 0, 2, 2, 1730000000)")


def _datausage_db(conn: Any) -> None:
    for statement in EMPTY_DATAUSAGE_DB:
        conn.execute(statement)
    # recent iOS names an app's process "<UUID>/<bundle id>" in ZPROCNAME (field research, format rule 4)
    conn.executemany("INSERT INTO ZPROCESS VALUES (?, 1, 1, 7.5e8, 7.5e8, ?, ?)", [
        (1, CELLEBRITE_APP, f"{UUID}/{CELLEBRITE_APP}"),
        (2, "com.apple.mobilesafari", f"{UUID}/com.apple.mobilesafari"), (3, None, "mDNSResponder"),
        (4, None, f"{UUID2}/{CELLEBRITE_APP}")])  # the same app under another UUID, no ZBUNDLENAME


WHATSAPP_GROUP = "AppDomainGroup-group.net.whatsapp.WhatsApp.shared"
LID = "74333133234289@lid"  # WhatsApp's 2025-26 account ids, no phone number (mvt-project/mvt PR #882)
WHATSAPP_LID_CHAT = (
    "CREATE TABLE ZWACHATSESSION (Z_PK INTEGER PRIMARY KEY, ZCONTACTJID VARCHAR, ZPARTNERNAME VARCHAR)",
    "CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, ZTEXT VARCHAR, ZMESSAGEDATE TIMESTAMP, ZSENTDATE TIMESTAMP,"
    " ZISFROMME INTEGER, ZFROMJID VARCHAR, ZTOJID VARCHAR, ZCHATSESSION INTEGER, ZMESSAGETYPE INTEGER)",
    f"INSERT INTO ZWACHATSESSION VALUES (1, '{LID}', 'Ana')",
    f"INSERT INTO ZWAMESSAGE VALUES (1, 'mira https://{PEGASUS_DOMAIN}/news', 750000000, 750000000, 0, '{LID}',"
    " NULL, 1, 0)",
)


INSTALLERS = {  # app -> the sourceApp its store metadata records
    "com.example.store": "com.apple.AppStore", "com.example.productpage": "com.apple.AppStore.ProductPageExtension",
    "com.example.managed": "dmd", "com.example.beta": "com.apple.TestFlight",
    "com.example.synced": "com.apple.datausage.atc", "com.example.altstore": "com.rileytestut.AltStore",
    "com.example.unknown": "com.unknown.installer",
}
NO_METADATA = ("net.whatsapp.WhatsApp", "com.google.Gmail", "com.google.chrome.ios")


@pytest.fixture(scope="module")
def iphone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, Any, Detections]:
    """An iPhone X on the newest iOS its model runs, Lockdown Mode on, its normal apps listed without store
    metadata, plus planted traces in the places the issue names."""
    base = tmp_path_factory.mktemp("iphone")
    b = BackupBuilder(base / "backup", product_type="iPhone10,3", product_version="16.7.10", build_version="20H350")
    b.backup_date = b.backup_date.replace(year=2025, month=1, day=15)
    b.add_sqlite("HomeDomain", "Library/SMS/sms.db", EMPTY_SMS_DB)
    b.add_sqlite("WirelessDomain", "Library/Databases/DataUsage.sqlite", _datausage_db)
    for app in NO_METADATA:
        b.add_app(app)
    for app, source in INSTALLERS.items():
        metadata: dict[str, Any] = {"sourceApp": source, "itemId": 1}
        if source == "com.rileytestut.AltStore":
            metadata["distributorInfo"] = {"DistributorID": source}
        b.add_app(app, itunes_metadata=metadata)
    b.add_plist("HomeDomain", "Library/Preferences/.GlobalPreferences.plist", {"LDMGlobalEnabled": True})
    b.add_sqlite("HomeDomain", "Library/Safari/History.db", _history_db)
    b.add_sqlite("AppDomain-com.apple.mobilesafari",
                 "Library/WebKit/WebsiteData/ResourceLoadStatistics/observations.db", _observations_db)
    b.add_sqlite("HomeDomain", "Library/TCC/TCC.db", _tcc_db)
    b.add_sqlite(WHATSAPP_GROUP, "ChatStorage.sqlite", WHATSAPP_LID_CHAT)
    # website data named after its origin, listed by Manifest.db (Safari's IndexedDB, an app's LocalStorage,
    # SafariViewService inside another app)
    b.add_directory("AppDomain-com.apple.mobilesafari",
                    f"Library/WebKit/WebsiteData/IndexedDB/v1/https_{PEGASUS_DOMAIN}_0")
    b.add_file("AppDomain-com.google.Gmail",
               "Library/WebKit/WebsiteData/LocalStorage/https_smscentro.com_0.localstorage", b"SQLite format 3\x00")
    b.add_directory("AppDomain-com.example.store", "SystemData/com.apple.SafariViewService/Library/WebKit/WebsiteData/"
                                                   "IndexedDB/v1/https_tookcheckout.com_0")
    out = base / "out"
    return (out, *_run(b.build(), out))


def test_apps_without_store_metadata_are_no_finding_and_installers_are_classified(
        iphone: tuple[Path, int, Any, Detections]) -> None:
    """Bullet "Apps installed outside the App Store on a normal iPhone": no finding for apps the backup holds no
    store metadata for, said under "what could not be checked"; App Store, its product-page extension, MDM,
    TestFlight and Apple device sync raise nothing; an EU marketplace is INFO naming it; only the unknown
    installer is MEDIUM. (The real shape without any Applications entry: ``tests/ios_backup/``.)"""
    out, _, run, detections = iphone
    sideloaded = {d["observable"]["value"]: (d["severity"], d["category"]) for d in
                  _by(detections, rule="ios.sideloaded_app")}
    assert sideloaded == {"com.example.unknown": ("medium", "compromise"),
                          "com.example.altstore": ("info", "context")}
    assert "AltStore PAL" in next(d["message"] for d in _by(detections, value="com.example.altstore"))
    installed = run["artifacts"]["ios.installed_apps"]
    [note] = [w for w in installed["warnings"] if "how apps were installed could not be checked" in w]
    assert all(app in note for app in NO_METADATA)
    report = _report(out)
    assert report.index("What could not be checked") < report.index("how apps were installed could not be checked")


def test_platform_scoped_indicators_and_system_process_names(tmp_path: Path) -> None:
    """Bullet "A Pegasus iOS process name on a genuine Android daemon": ``gatekeeperd`` at its AOSP location on an
    Android phone raises nothing (Pegasus process names are iOS indicators); the platform is recorded in the
    compiled set and shown by ``iocs list`` (Pegasus process names iOS, stalkerware package ids Android, domains
    any). (A collision at a system location on the same platform is INFO with
    the reason: ``tests/indicators/test_ind_scope.py``.)"""
    acq = build_androidqf(tmp_path / "acq", processes=[("system", 900, 1, "gatekeeperd")])
    code, run, detections = _run(acq, tmp_path / "out")
    assert code == 0 and run["verdict"]["state"] == "clean"
    assert _by(detections, value="gatekeeperd") == []
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.suppress(SystemExit):
        main(["iocs", "list"])
    assert re.search(r"2021-07-18_nso/pegasus\.stix2.*?platforms: any \d+, ios \d+", sink.getvalue(), re.S)
    assert re.search(r"generated/stalkerware\.stix2.*?platforms: android \d+, any \d+", sink.getvalue(), re.S)


def test_webkit_origins_are_read_from_the_backup_listing(iphone: tuple[Path, int, Any, Detections]) -> None:
    """Bullet "Website data in backups": origins named in Manifest.db paths (Safari IndexedDB, an app's
    LocalStorage, SafariViewService) are matched."""
    _, _, _, detections = iphone
    hosts = {d["observable"]["value"] for d in _by(detections, artifact="ios.backup_webkit_origins")}
    assert hosts == {PEGASUS_DOMAIN, "smscentro.com", "tookcheckout.com"}
    assert all(d["severity"] == "high" for d in _by(detections, artifact="ios.backup_webkit_origins"))


def test_a_tcc_identifier_that_is_no_reverse_dns_is_also_a_process_name(
        iphone: tuple[Path, int, Any, Detections]) -> None:
    """Bullet "Identifiers that can be a process": a TCC client of type 0 named ``fservernetd`` is matched as a
    process; a reverse-DNS identifier is an app id only. (The Android direction:
    ``test_android_processes_named_after_packages_are_checked_against_app_ids`` and the bugreport tests below; other
    fields that can hold either, receivers' components and the App Privacy Report's accessors:
    ``tests/indicators/test_ind_cross_types.py``.)"""
    _, _, _, detections = iphone
    [hit] = _by(detections, artifact="ios.tcc")
    assert (hit["observable"], hit["severity"]) == ({"type": "process", "value": PEGASUS_PROCESS}, "high")


def test_datausage_uuid_bundle_names_are_read_as_the_app(iphone: tuple[Path, int, Any, Detections]) -> None:
    """Field-reported format "DataUsage process names of the form ``UUID/bundle.id``": the app is read as the
    bundle id (with or without ``ZBUNDLENAME``), the UUID is no process name; the app in ``ZPROCNAME`` and in
    ``ZBUNDLENAME`` of one row is one occurrence, its two rows one finding; a normal app in the same shape raises
    nothing."""
    out, _, _, detections = iphone
    [hit] = _by(detections, artifact="ios.datausage")
    assert (hit["observable"], hit["indicator"]["value"], hit["severity"], hit["count"]) == (
        {"type": "app_id", "value": CELLEBRITE_APP}, CELLEBRITE_APP, "high", 2)
    rows = {r["process_pk"]: r for r in map(json.loads, (out / "records" / "ios.datausage.jsonl").read_text()
                                                  .splitlines())}
    assert [(rows[pk]["process"], rows[pk]["bundle_id"]) for pk in (1, 2, 4)] == [
        (None, CELLEBRITE_APP), (None, "com.apple.mobilesafari"), (None, CELLEBRITE_APP)]
    assert not [d for d in detections if d["observable"] and (UUID in d["observable"]["value"]
                                                              or UUID2 in d["observable"]["value"])]


def test_a_whatsapp_message_from_a_lid_identifier_is_read_and_matched(
        iphone: tuple[Path, int, Any, Detections]) -> None:
    """Field-reported format "WhatsApp ``@lid`` identifiers": a message from a ``…@lid`` account is read (the
    identifier kept verbatim, never taken for a phone number) and its link matched. (Contacts and redaction of
    ``@lid``: ``tests/ios_artifacts/test_messages.py::test_whatsapp_lid_identifiers_are_kept_as_identifiers``,
    ``tests/report/test_report_redact.py``.)"""
    out, _, run, detections = iphone
    assert run["artifacts"]["ios.whatsapp_messages"]["status"] == "ok"
    [hit] = _by(detections, artifact="ios.whatsapp_messages")
    assert (hit["indicator"]["value"], hit["severity"]) == (PEGASUS_DOMAIN, "high")
    [row] = [json.loads(line) for line in (out / "records" / "ios.whatsapp_messages.jsonl").read_text().splitlines()]
    assert (row["from_jid"], row["chat_jid"]) == (LID, LID) and not row.get("phone")


def test_stalkerware_website_is_medium_and_its_servers_high(iphone: tuple[Path, int, Any, Detections]) -> None:
    """Field-reported pattern "stalkerware feed categories": a visit to the vendor's website is MEDIUM ("someone
    looked at this product"), contact with its servers HIGH. The feed's ``ioc.yaml`` lists ``2mata.net`` only
    under ``websites``; it lists ``www.e-spy.org`` and ``e-spy.org`` under ``c2`` (``e-spy.org`` also under
    ``websites`` and ``distribution``: the server heading wins), and a domain indicator also matches its
    subdomains, so the one visit to ``www.e-spy.org`` matches two indicators, each its own detection (the
    output contract groups by indicator value), both HIGH."""
    _, _, _, detections = iphone
    assert {(d["indicator"]["value"], d["observable"]["value"], d["severity"], d["indicator"]["role"])
            for d in _by(detections, artifact="ios.safari_history") if d["kind"] == "indicator"} == {
        (STALKERWARE_WEBSITE, f"https://{STALKERWARE_WEBSITE}/pricing", "medium", "website"),
        (STALKERWARE_C2, f"https://{STALKERWARE_C2}/api", "high", "c2"),
        (STALKERWARE_C2.removeprefix("www."), f"https://{STALKERWARE_C2}/api", "high", "c2")}


def test_a_typo_domain_redirected_to_its_brand_is_low_context(iphone: tuple[Path, int, Any, Detections]) -> None:
    """Bullet "Fast cross-domain redirect in Safari": ``http://foxnew.com`` to ``www.foxnews.com`` at once, the
    brand's site visited again later, is LOW context. (The real History.db of plaso: ``tests/real_ios/``;
    exploit-server shapes, a destination seen nowhere else in the history among them, MEDIUM:
    ``tests/ios_artifacts/test_safari_history.py``.)"""
    _, _, _, detections = iphone
    [redirect] = _by(detections, rule="ios.safari_fast_redirect")
    assert (redirect["severity"], redirect["category"]) == ("low", "context")


def test_timestamps_that_cannot_be_true_are_empty_with_the_raw_value(
        iphone: tuple[Path, int, Any, Detections]) -> None:
    """Bullet "Timestamps that cannot be true": WebKit's -1 and 0 are empty fields with the raw value kept, never
    1969-12-31T23:59:59Z or 1970-01-01 in the timeline."""
    out, _, run, _ = iphone
    rows = [json.loads(line) for line in
            (out / "records" / "ios.webkit_resource_load_statistics.jsonl").read_text().splitlines()]
    by_domain = {r["domain"]: r for r in rows}
    assert by_domain["wikipedia.org"]["most_recent_user_interaction"] is None
    assert by_domain["wikipedia.org"]["most_recent_user_interaction_raw"] == -1
    assert by_domain["example.org"]["last_seen"] is None and by_domain["example.org"]["last_seen_raw"] == 0
    timeline = (out / "timeline.csv").read_text(encoding="utf-8")
    assert "1969-12-31" not in timeline and "1970-01-01" not in timeline
    assert run["artifacts"]["ios.webkit_resource_load_statistics"]["warnings"] == []


def test_the_device_and_its_protection_are_stated(iphone: tuple[Path, int, Any, Detections]) -> None:
    """Section "What the phone's protection says": run.json ``device`` (platform, model and marketing name, OS and
    build, acquisition date, encryption, Lockdown Mode) and the report's top. Field-reported pattern "Outdated OS":
    an iPhone X on iOS 16.7.10 in January 2025 runs the newest iOS its model can: no finding. (Android's Advanced
    Protection: ``tests/androidqf/test_aqf_advanced_protection.py``; older branches' security releases:
    ``tests/ios_backup/test_backup_heuristics.py``.)"""
    out, _, run, detections = iphone
    device = run["device"]
    assert {k: device[k] for k in ("platform", "model", "marketing_name", "os_version", "build", "encrypted",
                                   "lockdown_mode")} == {
        "platform": "ios", "model": "iPhone10,3", "marketing_name": "iPhone X", "os_version": "16.7.10",
        "build": "20H350", "encrypted": False, "lockdown_mode": True}
    assert device["acquired"].startswith("2025-01-15")
    assert _by(detections, rule="ios.outdated") == []
    top = _report(out)[:1500]
    assert "iPhone X" in top and "Lockdown Mode" in top


# ------------------------------------------------------------------------------------------ an Android phone

RECEIVERS = """\
      android.intent.action.PHONE_STATE:
        5a6b7c8 com.facebook.katana/com.facebook.confirmation.util.BackgroundVoiceCallReceiver
"""
OPS = ("CAMERA", "RECORD_AUDIO", "READ_SMS", "READ_CALL_LOG", "FINE_LOCATION", "READ_CONTACTS",
       "SYSTEM_ALERT_WINDOW", "WAKE_LOCK")
# dumpsys appops: the stalkerware in eight lines, one per operation it used
APPOPS = f"""\
  Uid u0a200:
    state=cch
    Package {STALKERWARE_APP}:
""" + "".join(f"""\
      {op} (allow):
          Access: [bg-s] 2024-03-20 0{i}:00:00.000 (-1d) duration=+1s
""" for i, op in enumerate(OPS))


@pytest.fixture(scope="module")
def android(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, Any, Detections]:
    base = tmp_path_factory.mktemp("android")
    acq = build_androidqf(
        base / "acq",
        packages=[package("com.facebook.katana"), package("com.vendor.preinstalled", installer=None, system=True),
                  package(STALKERWARE_APP, installer=None)],
        processes=[("system", 900, 1, "gatekeeperd"), ("u0_a200", 5000, 700, STALKERWARE_APP),
                   ("u0_a200", 5001, 700, f"{STALKERWARE_APP}:remote")],
        getprop={"ro.build.version.sdk": "34", "ro.build.id": "UQ1A.240305.002"},
        settings={"global": {"package_verifier_state": "-1", "samsung_errorlog_agree": "0",
                             "send_security_reports": "0"},
                  "secure": {"accessibility_enabled": "1", "install_non_market_apps": "1"}},
        dumpsys_receivers=RECEIVERS, dumpsys_appops=APPOPS)
    out = base / "out"
    return (out, *_run(acq, out))


def test_android_processes_named_after_packages_are_checked_against_app_ids(
        android: tuple[Path, int, Any, Detections]) -> None:
    """Bullet "processes named after apps": ``com.apspy.app`` and ``com.apspy.app:remote`` in the process lists
    match the stalkerware app id; bullet "One finding, many detections": both processes are one detection per
    artifact with two occurrences. (Old runs' ids mapped in the case store: ``tests/cases/test_store_migration.py``;
    STIX/MISP and the report follow: ``tests/core/test_detection_grouping.py``.)"""
    _, code, _, detections = android
    assert code == 3
    for artifact in ("android.androidqf.processes", "android.androidqf.ps"):
        [hit] = _by(detections, artifact=artifact, indicator=STALKERWARE_APP)
        assert hit["severity"] == "high" and hit["count"] == 2 and hit["match"] in ("exact", "app-process")


def test_one_app_in_eight_appops_lines_is_one_detection(android: tuple[Path, int, Any, Detections]) -> None:
    """Bullet "One finding, many detections": the stalkerware in eight app-ops lines is one detection with eight
    occurrences (each line's source and time). (Old stored ids mapped in the case store, so that they do not come
    back as new in a hunt: ``tests/cases/test_store_migration.py``; a value listed by two feeds is one detection
    naming both: ``tests/core/test_detection_grouping.py``.)"""
    out, _, _, detections = android
    [hit] = _by(detections, artifact="android.dumpsys.appops", indicator=STALKERWARE_APP)
    assert hit["count"] == 8 and len(hit["occurrences"]) == 8
    assert len({o["source"] for o in hit["occurrences"]}) == 8 and all(o["timestamp"] for o in hit["occurrences"])
    assert hit["timestamp"].startswith("2024-03-20") and hit["last_seen"] > hit["timestamp"]
    assert _report(out).count("Seen 8 times") == 1  # the report shows one finding seen eight times


def test_grouped_detections_in_the_case_store_and_its_exports(
        android: tuple[Path, int, Any, Detections], tmp_path: Path) -> None:
    """Bullet "One finding, many detections", "the case store and STIX/MISP export follow": the run registered in a
    case is exported as one STIX indicator and one sighting of the app whose count is the occurrences of its
    detections (8 app-ops lines, the package, two processes in each of the two process lists), one MISP
    attribute."""
    out, _, _, detections = android
    store = ["--store", str(tmp_path / "cases.sqlite")]
    sink = io.StringIO()
    for argv in (["case", "new", "verify"], ["case", "add", "verify", str(out)],
                 ["case", "export", "verify", "--format", "stix", "-o", str(tmp_path / "c.stix2")],
                 ["case", "export", "verify", "--format", "misp", "-o", str(tmp_path / "c.misp")]):
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), contextlib.suppress(SystemExit):
            main([*argv, *store])
    objects = json.loads((tmp_path / "c.stix2").read_text())["objects"]
    indicators = {o["id"] for o in objects if o["type"] == "indicator" and STALKERWARE_APP in o["pattern"]}
    assert len(indicators) == 1, sink.getvalue()
    [sighting] = [o for o in objects if o["type"] == "sighting" and o["sighting_of_ref"] in indicators]
    assert sighting["count"] == sum(d["count"] for d in _by(detections, indicator=STALKERWARE_APP)) == 13
    [appops] = _by(detections, artifact="android.dumpsys.appops", indicator=STALKERWARE_APP)
    assert sighting["last_seen"][:19] == max(d["last_seen"] or d["timestamp"] for d in
                                             _by(detections, indicator=STALKERWARE_APP) if d["timestamp"])[:19]
    assert sighting["last_seen"][:19] >= appops["last_seen"][:19]
    attributes = json.loads((tmp_path / "c.misp").read_text())["Event"]["Attribute"]
    assert [a["value"] for a in attributes].count(STALKERWARE_APP) == 1


def test_the_android_device_is_stated(android: tuple[Path, int, Any, Detections]) -> None:
    """Section "What the phone's protection says", on Android: platform, model, OS version and build, the
    acquisition date (androidqf's ``acquisition.json``), not encrypted; Advanced Protection unknown when the
    evidence does not say (with it: ``tests/androidqf/test_aqf_advanced_protection.py``)."""
    out, _, run, _ = android
    device = run["device"]
    assert (device["platform"], device["model"], device["os_version"]) == ("android", "Pixel 7", "14")
    assert (device["build"], device["acquired"], device["encrypted"]) == ("UQ1A.240305.002", "2024-03-21T11:07:22Z",
                                                                          False)
    assert device.get("advanced_protection") is None
    assert "Pixel 7" in _report(out)[:1500]


def test_a_phone_state_receiver_alone_is_information(android: tuple[Path, int, Any, Detections]) -> None:
    """Bullet "Mainstream apps flagged as interception": the Facebook app's PHONE_STATE receiver is INFO context
    (with another stalkerware trait it is not: ``tests/androidqf/test_aqf_run_rules.py``)."""
    _, _, _, detections = android
    facebook = [d for d in detections if "com.facebook.katana" in json.dumps(d.get("observable"))]
    assert facebook and {(d["severity"], d["category"]) for d in facebook} == {("info", "context")}


def test_android_settings_with_their_severity(android: tuple[Path, int, Any, Detections]) -> None:
    """Bullet "Android settings": ``package_verifier_state`` off is MEDIUM; ``samsung_errorlog_agree`` and
    ``send_security_reports`` off are privacy choices (INFO); ``accessibility_enabled`` 1 only says a service is on
    (INFO); ``install_non_market_apps`` 1 on Android 14 is nothing (field-reported pattern)."""
    _, _, _, detections = android
    found = {re.search(r"\((\w+)=", d["message"]).group(1): (d["severity"], d["category"])  # type: ignore[union-attr]
             for d in _by(detections, rule="android.risky_setting")}
    assert found == {"package_verifier_state": ("medium", "compromise"),
                     "samsung_errorlog_agree": ("info", "context"), "send_security_reports": ("info", "context"),
                     "accessibility_enabled": ("info", "context")}


def test_normal_android_things_stay_quiet(android: tuple[Path, int, Any, Detections]) -> None:
    """Field-reported patterns "Android": a preinstalled vendor app without installer and the acquisition tool's own
    collector raise nothing of medium or higher; the only MEDIUM+ findings are the planted ones. (The collector
    outside the acquisition window, the shell's app-ops and the examiner's ADB key, end to end:
    ``tests/androidqf/test_aqf_run_rules.py::test_the_acquisitions_own_traces_are_information``; a maker's preload
    in ``/data/app/<Name>/``: ``tests/dumpsys/test_vendor_package_shapes.py``.)"""
    _, _, _, detections = android
    assert {(d["rule"] or d["indicator"]["value"]) for d in _medium_or_higher(detections)} == {
        STALKERWARE_APP, "android.risky_setting", "android.sideloaded_package"}
    assert _by(detections, value="com.vendor.preinstalled") == []
    # "Outdated": a 2024-03-05 patch on a 2024-03-21 acquisition is current, whatever today's date
    assert _by(detections, rule="android.security_patch_old") == []
    collector = _by(detections, rule="android.data_local_tmp")
    assert [(d["severity"], d["category"], d["observable"]["value"]) for d in collector] == [
        ("info", "context", "/data/local/tmp/collector")]
    assert "left by the acquisition" in collector[0]["message"]


def test_partial_androidqf_inputs_are_read_and_say_what_is_missing(tmp_path: Path) -> None:
    """Bullet "Inputs refused that the reference tool reads": an androidqf zip holding only ``getprop.txt`` and a
    folder holding only ``backup.ab`` are recognised by content (no ``--kind``), read, and the check is incomplete
    naming what is missing. (An unpacked Android backup folder: ``tests/real_android/``.)"""
    only = tmp_path / "only-getprop.zip"
    with zipfile.ZipFile(only, "w") as zf:
        zf.writestr("getprop.txt", "[ro.product.model]: [Pixel 7]\n[ro.build.version.release]: [14]\n"
                                   "[ro.build.version.security_patch]: [2024-03-05]\n")
    code, run, detections = _run(only, tmp_path / "out1")
    # no acquisition.json, so no acquisition date: the 2024 patch level is not judged against today's date
    # (field-reported pattern "Outdated OS")
    assert _by(detections, rule="android.security_patch_old") == [] and run["device"]["security_patch"]
    assert (code, run["kind"], run["artifacts"]["android.androidqf.getprop"]["status"]) == (4, "androidqf", "ok")
    missing = {r.get("detail") for r in run["verdict"]["reasons"] if r["code"] == "key_artifact_missing"}
    assert "packages.json" in missing
    folder = tmp_path / "ab-only"
    folder.mkdir()
    from tests.builders.android_backup import sms_backup, tar_bytes, write_ab

    sms = sms_backup([{"address": "+100", "body": f"https://{STALKERWARE_C2}/x", "date": "1700000000000", "type": "1"}])
    write_ab(folder / "backup.ab", tar_bytes([("apps/com.android.providers.telephony/d_f/000000_sms_backup", sms)]))
    code, run, detections = _run(folder, tmp_path / "out2")
    assert run["kind"] == "androidqf" and code == 3
    assert _by(detections, indicator=STALKERWARE_C2)


# ----------------------------------------------------------------------------------- shutdown.log, sysdiagnose

def _apple_double() -> Callable[[str], bytes]:
    header = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        "  # AppleDouble magic, version 2
    return lambda name: header + name.encode() + b"\x00" * 64


@pytest.fixture(scope="module")
def sysdiagnose(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, Any, Detections]:
    base = tmp_path_factory.mktemp("sysdiagnose")
    slow = [(101, "/usr/libexec/locationd"), (102, "/usr/sbin/mDNSResponder"), (103, "/usr/libexec/nsurlsessiond")]
    planted = f"/private/var/db/com.apple.xpc.roleaccountd.staging/helperd/{UUID}"
    log = shutdown_log([
        (1_700_000_000, slow, [(1.0, slow)]),  # three slow clients in one notice: a benign reboot
        (1_700_100_000, slow[:1], [(1.0, slow[:1]), (2.0, slow[:1]), (3.0, slow[:1])]),  # three notices: LOW
        (1_700_200_000, [(7, planted)], [(1.0, [(7, planted)])]),  # a client in /private/var/db/: HIGH
        (1_700_300_000, [(8, "/private/var/tmp/launchd-helper")], [(1.0, [(8, "/private/var/tmp/launchd-helper")])]),
    ])
    apple_double = _apple_double()
    b = SysdiagnoseBuilder()
    b.add_text("ps.txt", ps_text([("root", 1, 0, "/sbin/launchd"), ("mobile", 300, 1, "/usr/libexec/locationd")]))
    b.add_file("._ps.txt", apple_double("ps.txt"))  # AppleDouble twins of a Mac's copy
    b.add_text("system_logs.logarchive/Extra/shutdown.log", log)
    b.add_file("system_logs.logarchive/Extra/._shutdown.log", apple_double("shutdown.log"))
    crash = ips_text({"app_name": "MobileSafari", "timestamp": "2023-11-14 23:13:20.00 +0100", "bug_type": "309",
                      "os_version": "iPhone OS 17.1 (21B80)", "name": "MobileSafari"},
                     {"procName": "MobileSafari", "pid": 300, "parentProc": "launchd",
                      "procPath": "/Applications/MobileSafari.app/MobileSafari"})
    b.add_text("crashes_and_spins/MobileSafari-2023-11-14-231320.ips", crash)
    b.add_file("crashes_and_spins/._MobileSafari-2023-11-14-231320.ips", apple_double("MobileSafari.ips"))  # *.ips
    out = base / "out"
    return (out, *_run(b.build(base), out))


def test_shutdown_log_counts_notices_and_keeps_paths_that_matter(
        sysdiagnose: tuple[Path, int, Any, Detections]) -> None:
    """Bullet "shutdown.log delays": three slow clients in one notice raise nothing; three notices before one
    SIGTERM are LOW context naming the process and the reboot; clients under /private/var/db/ and
    /private/var/tmp/ are HIGH with their path, the iOS 26 trailing UUID stripped; the log's coverage (first and
    last reboot) is stated."""
    _, code, _, detections = sysdiagnose
    assert code == 3
    [delayed] = _by(detections, rule="ios.shutdown_delayed_clients")
    assert (delayed["severity"], delayed["category"]) == ("low", "context")
    assert "locationd (pid 101, 3 notice(s))" in delayed["message"] and "2023-11-16T02:00:00Z" in delayed["message"]
    unusual = _by(detections, rule="ios.shutdown_unusual_client")
    assert {d["severity"] for d in unusual} == {"high"} and len(unusual) == 2
    assert any("from /private/var/db/com.apple.xpc.roleaccountd.staging/helperd (written" in d["message"]
               for d in unusual)
    assert {d["observable"]["value"] for d in unusual} == {  # matched without the trailing UUID
        "/private/var/db/com.apple.xpc.roleaccountd.staging/helperd", "/private/var/tmp/launchd-helper"}
    [coverage] = _by(detections, rule="ios.shutdown_log_coverage")
    assert "the first at 2023-11-14T22:13:20Z, the last at 2023-11-18T09:33:20Z" in coverage["message"]


def test_appledouble_members_are_skipped(sysdiagnose: tuple[Path, int, Any, Detections]) -> None:
    """Field-reported format "sysdiagnose tarballs carry AppleDouble ._* members": skipped, basenames matched
    exactly (``._ps.txt`` is not ``ps.txt``). (Also: ``tests/sysdiagnose/test_sysdiagnose.py``.)"""
    _, _, run, _ = sysdiagnose
    assert run["device"]["details"]["appledouble_skipped"] == "3"
    # crashes_and_spins/*.ips would take the sidecar ._MobileSafari-….ips for a crash report: it is skipped
    assert (run["artifacts"]["ios.crash_reports"]["records"], run["artifacts"]["ios.crash_reports"]["warnings"]) == (
        1, [])
    assert run["artifacts"]["ios.sysdiagnose.ps"]["records"] == 2
    assert run["artifacts"]["ios.sysdiagnose.ps"]["warnings"] == []
    assert run["artifacts"]["ios.shutdown_log"]["warnings"] == []


# -------------------------------------------------------------------------------------- an Android bugreport

PS_THREADS = (REPO / "tests" / "bugreport" / "shapes" / "ps_threads.txt").read_text(encoding="utf-8")
SPY_APP = "com.ttsapp.catchcheating"  # bundled stalkerware app id (TheTruthSpy), longer than the 15 characters of ps
# dumpsys package as MIUI prints it: blank lines and an unindented "<name> overlay paths:" inside blocks, the
# stalkerware listed after them (MVT before PR #871 stopped at the first blank line: 10 of 388 packages)
MIUI_PACKAGES = f"""\
    userId=10100
    installerPackageName=com.android.vending
  Package [com.miui.compass] (4d2c1a0):
    userId=10150
    codePath=/data/app/MIUICompassGlobal
    versionCode=31100 minSdk=29 targetSdk=34

    flags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ]
    installerPackageName=null
com.miui.compass overlay paths:
      /product/overlay/MiuiCompassOverlay.apk

  Package [{SPY_APP}] (5d6e7f8):
    userId=10139
    codePath=/data/app/~~Xy==/{SPY_APP}-Zw==
    flags=[ HAS_CODE ]
    installerPackageName=null
"""
# /proc/<pid>/mountinfo with Xiaomi's read-only mi_ext overlay on a writable file system (mvt-project/mvt#936)
MOUNTINFO = (
    "1 0 253:0 / / ro,relatime shared:1 - ext4 /dev/block/dm-0 ro,seclabel\n"
    "30 1 0:25 / /product/usr ro,relatime shared:40 - overlay overlay "
    "rw,seclabel,lowerdir=/mnt/vendor/mi_ext/product/usr:/product/usr\n"
    "31 1 253:5 / /data rw,nosuid,nodev,noatime shared:30 - f2fs /dev/block/dm-5 rw,lazytime,seclabel\n")
THREAD = "SpyWorker-upload"[:15]  # a crashing thread named in an indicator (thread names are kernel names: 15 chars)


@pytest.fixture(scope="module")
def bugreport(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, Any, Detections]:
    """A bugreport of a phone running the stalkerware as two processes, one of which crashed."""
    base = tmp_path_factory.mktemp("bugreport")
    assert "example.spyware" in PS_THREADS and ".spyware:remote" in PS_THREADS
    # ps -T shows an app's processes by their last 15 characters (AndroidRuntime::setArgv0): p.catchcheating and
    # cheating:remote
    processes = PS_THREADS.replace("example.spyware", SPY_APP[-15:]).replace(
        ".spyware:remote", f"{SPY_APP}:remote"[-15:])
    text = dumpstate({**DEFAULT_PROPERTIES, "ro.build.version.sdk": "34"}, processes=processes, package=MIUI_PACKAGES)
    tombstone = text_tombstone(process=f"{SPY_APP}:remote", pid=12400, uid=10139).replace(
        "name: Binder:12400_2  >>>", f"name: {THREAD}  >>>")
    report = write_bugreport_zip(base / "bugreport.zip", {
        "main_entry.txt": DUMPSTATE.encode(), DUMPSTATE: text.encode(), "FS/proc/1/mountinfo": MOUNTINFO.encode(),
        "FS/data/tombstones/tombstone_00": tombstone.encode(),
        "FS/data/tombstones/tombstone_00.pb": proto_tombstone(  # the same crash, the protobuf twin
            process=f"{SPY_APP}:remote", pid=12400, tid=12401, uid=10139, signal=6, signal_name="SIGABRT",
            thread=THREAD, timestamp="2024-04-29 08:00:00+0000")})
    threads = write_bundle(base / "threads.stix2", "ThreadSpy", [f"[process:name = '{THREAD}']"])
    out = base / "out"
    return (out, *_run(report, out, "--iocs", str(threads)))


def test_a_bugreport_process_list_is_read_and_matched(bugreport: tuple[Path, int, Any, Detections]) -> None:
    """Bullet "A bugreport's process list is never read": ``PROCESSES AND THREADS`` (toybox ``ps -A -T``, app names
    cut to their last 15 characters, completed from the package list) is matched against the bundled app ids:
    the app's two processes (``p.catchcheating`` and ``cheating:remote``) are one detection with two occurrences.
    (Thread names of the list, settings of a bugreport: ``tests/bugreport/test_bugreport_device_state.py``.)"""
    out, code, run, detections = bugreport
    assert code == 3 and run["artifacts"]["android.bugreport.processes"]["status"] == "ok"
    assert (run["device"]["platform"], run["device"]["model"], run["device"]["encrypted"]) == (
        "android", "Pixel Sample", False)
    [hit] = _by(detections, artifact="android.bugreport.processes", indicator=SPY_APP)
    assert (hit["observable"]["value"], hit["count"], hit["severity"]) == (SPY_APP, 2, "high")
    rows = [json.loads(line) for line in
            (out / "records" / "android.bugreport.processes.jsonl").read_text().splitlines()]
    assert {(r["name"], r["kernel_name"]) for r in rows if r["pid"] in (12345, 12400)} == {
        (SPY_APP, "p.catchcheating"), (f"{SPY_APP}:remote", "cheating:remote")}


def test_a_tombstone_thread_name_is_matched_as_a_process(bugreport: tuple[Path, int, Any, Detections]) -> None:
    """Bullet "Crash reports": the crashing thread's name of an Android tombstone is matched as a process name;
    the crashed process named after the app (``…:remote``) is matched as the app id; the crash's text and
    protobuf twins are one record. (An empty protobuf twin is normal:
    ``tests/bugreport/test_bugreport_device_state.py``.)"""
    _, _, run, detections = bugreport
    hits = _by(detections, artifact="android.bugreport.tombstones", kind="indicator")
    assert {(d["indicator"]["value"], d["observable"]["value"], d["count"]) for d in hits} == {
        (THREAD, THREAD, 1), (SPY_APP, f"{SPY_APP}:remote", 1)}
    # field-reported format "tombstones as text + protobuf twins counted once"
    assert run["artifacts"]["android.bugreport.tombstones"]["records"] == 1


def test_package_blocks_with_blank_lines_are_read_whole(bugreport: tuple[Path, int, Any, Detections]) -> None:
    """Field-reported format "package blocks in ``dumpsys package`` with blank lines inside": every package is
    read, the stalkerware listed after the blank lines is found; the vendor's preload with no installer is no
    MEDIUM finding."""
    _, _, run, detections = bugreport
    assert run["artifacts"]["android.dumpsys.packages"]["records"] == 3
    [hit] = _by(detections, artifact="android.dumpsys.packages", indicator=SPY_APP)
    assert hit["severity"] == "high"
    assert [d for d in _medium_or_higher(detections) if "com.miui.compass" in json.dumps(d)] == []


def test_a_read_only_vendor_overlay_is_no_writable_system_partition(
        bugreport: tuple[Path, int, Any, Detections]) -> None:
    """Field-reported pattern "read-only vendor overlays are not writable system partitions": Xiaomi's ``mi_ext``
    overlay (read-only mount of a writable overlay) raises nothing. (A really writable ``/system_ext``:
    ``tests/bugreport/test_bugreport_device_state.py::test_mountinfo_needs_both_option_layers_to_be_writable``.)"""
    _, _, run, detections = bugreport
    assert run["artifacts"]["android.bugreport.mounts"]["records"] == 3
    assert _by(detections, rule="android.system_mount_rw") == []


# ------------------------------------------------------------------------------------ Android intrusion logs

def test_a_user_ca_certificate_is_medium_naming_its_subject(tmp_path: Path) -> None:
    """Bullet "User CA certificate installed": an Android 16 intrusion-logging export with
    ``cert_authority_installed`` is MEDIUM naming the certificate subject (the verdict asks for review); the
    benign key failure every Pixel logs (``PinStorage_crossReboot_key``, uid 1001) raises nothing."""
    ns = 1_717_236_000_000_000_000
    subject = "CN=Interception Root CA,O=Example"
    items = [{"dns_event": {"hostname": "example.org", "ip_addresses": ["/192.0.2.10"], "event_time": ns // 10**6,
                            "package_name": "com.android.chrome", "ip_addresses_count": 1}},
             {"security_event": {"event_id": 1, "event_time": ns + 1,
                                 "cert_authority_installed": {"success": True, "subject": subject, "user": 0}}},
             {"security_event": {"event_id": 2, "event_time": ns + 2, "key_generated": {
                 "success": False, "key_id": "PinStorage_crossReboot_key", "uid": 1001}}}]
    export = write_folder(tmp_path / "export", {"2024-06-01.txt": ndjson(items)})
    code, run, detections = _run(export, tmp_path / "out")
    assert run["kind"] == "intrusion-logs"
    assert [(d["rule"], d["severity"], d["category"]) for d in _medium_or_higher(detections)] == [
        ("android.intrusion_ca_installed", "medium", "compromise")]
    assert subject in _by(detections, rule="android.intrusion_ca_installed")[0]["message"]
    assert _by(detections, rule="android.intrusion_key_generation_failed") == []
    assert (code, run["verdict"]["state"]) == (0, "review")


# ------------------------------------------------------------------------------- indicators, as the issue asks

def test_a_file_name_indicator_given_as_a_path_matches_as_a_path(tmp_path: Path) -> None:
    """Bullet "A file:name indicator given as a path": ``/var/foobar/txt`` matches that path, never any file
    named ``txt``. (Unit level: ``tests/indicators/test_ind_file_names.py``.)"""
    b = FsDumpBuilder().system_volume().add_system_databases()
    b.add_file("private/var/mobile/Documents/txt", b"notes")
    b.add_file("private/var/foobar/txt", b"planted")
    dump = b.build_folder(tmp_path / "dump")
    bundle = write_bundle(tmp_path / "f.stix2", "PathSpy", ["[file:name = '/var/foobar/txt']"])
    _, _, detections = _run(dump, tmp_path / "out", "--no-bundled-iocs", "--iocs", str(bundle))
    hits = [d for d in detections if d["kind"] == "indicator"]
    assert hits and all("foobar" in o["source"] or "foobar" in d["observable"]["value"]
                        for d in hits for o in d["occurrences"])
    assert not [d for d in hits if "Documents" in json.dumps(d)]


def test_indicator_quality_rules_at_load(tmp_path: Path) -> None:
    """Field-reported patterns "Indicators": a domain without a public suffix and a shared-hosting parent are
    rejected at load, with the reason (``iocs validate``). (Never widened to a parent, app ids exact, the PSL
    snapshot: ``tests/indicators/test_ind_quality.py``, ``tests/core/test_domains.py``,
    ``tests/indicators/test_ind_cross_types.py``.)"""
    bundle = write_bundle(tmp_path / "q.stix2", "Quality", ["[domain-name:value = 'evilhost']",
                                                            "[domain-name:value = 'firebaseio.com']",
                                                            "[domain-name:value = 'spy.firebaseio.com']"])
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), contextlib.suppress(SystemExit):
        main(["iocs", "validate", str(bundle)])
    text = " ".join(sink.getvalue().split())
    assert "rejected: domain without a public suffix" in text
    assert "rejected: the name of shared hosting or a public suffix" in text
    assert "1 usable comparisons" in text


# ------------------------------------------------------------------------------------ proof on real material

def _sample_names() -> list[str]:
    fixtures = shared_path() / "fixtures"
    return sorted(str(p.relative_to(fixtures)) for folder in ("mvt-samples", "plaso-samples")
                  for p in (fixtures / folder).rglob("*") if p.is_file())


def test_every_real_sample_is_placed_by_a_test() -> None:
    """Section "Proof on real material": each real file of ``../shared/fixtures/`` is used by a test that checks
    an acquisition holding it (its name appears in ``tests/real_ios/`` or ``tests/real_android/`` or this file);
    folders read as a whole (MVT's androidqf sample and bugreport) count for their files."""
    fixtures = shared_path() / "fixtures"
    if not fixtures.is_dir():
        pytest.skip(f"real samples not present at {fixtures}")
    sources = "\n".join(p.read_text(encoding="utf-8") for folder in ("real_ios", "real_android", "acceptance")
                        for p in (REPO / "tests" / folder).glob("*.py"))
    whole = ("mvt-samples/androidqf/", "mvt-samples/android_data/bugreport/")
    not_evidence = ("README.md", "plaso-samples/LICENSE", "mvt-samples/stix2/")  # indicator bundles, texts
    unused = [name for name in _sample_names()
              if not name.startswith(whole + not_evidence) and not name.endswith(("-shm", "-wal"))
              and Path(name).name not in sources]
    assert unused == []


def test_the_adb_wifi_sample_in_an_androidqf_acquisition(tmp_path: Path) -> None:
    """Real sample ``dumpsys_adb_wifi.txt`` (MVT android_data: a phone with wireless debugging set up, off),
    placed as androidqf's ``dumpsys.txt`` adb section: no MEDIUM or higher finding (the trusted computer is LOW
    context). The other samples: ``tests/real_ios/``, ``tests/real_android/``."""
    sample = shared_path() / "fixtures" / "mvt-samples" / "android_data" / "dumpsys_adb_wifi.txt"
    if not sample.is_file():
        pytest.skip(f"MVT android_data sample not present at {sample}")
    body = sample.read_text(errors="replace").split("DUMP OF SERVICE adb:\n", 1)[1].split("--------- 0.")[0]
    acq = build_androidqf(tmp_path / "acq", dumpsys_sections={"adb": body})
    code, run, detections = _run(acq, tmp_path / "out")
    assert code == 0 and _medium_or_higher(detections) == []
    assert run["artifacts"]["android.dumpsys.adb"]["records"] == 1
    assert {(d["rule"], d["severity"]) for d in detections if d["artifact"] == "android.dumpsys.adb"} == {
        ("android.adb_trusted_key", "low")}


QUALITY_RULES = {  # the indicator-quality rules -> words of their row in docs/false-alarms.md
    "scoped to a platform": "Indicators are scoped to a platform",
    "system process names": "A genuine system process at its system location",
    "no public suffix": "A domain without a public suffix is rejected",
    "shared hosting": "Shared hosting is never widened",
    "app ids exact": "App ids match package fields exactly",
    "website vs servers": "A vendor's website is MEDIUM, its servers HIGH",
    "file:name as a path": "A `file:name` given as a path matches as a path",
    "processes named after apps": "Processes named after apps are matched as those apps",
    "Public Suffix List": "Registrable domains come from the Public Suffix List",
}


def test_the_false_alarm_catalogue() -> None:
    """Section "Proof", "A published catalogue in docs/false-alarms.md": every heuristic's entry says when it fires,
    the normal situations known to trigger it and what spyscan does (every rule of the code has an entry with its
    severity: ``tests/core/test_false_alarms_doc.py``); every indicator-quality rule of the issue has its row with
    a source."""
    text = (REPO / "docs" / "false-alarms.md").read_text(encoding="utf-8")
    entries = re.split(r"^### ", text.split("\n## Heuristics", 1)[1], flags=re.MULTILINE)[1:]
    assert len(entries) >= 40
    incomplete = [e.splitlines()[0] for e in entries
                  if not all(k in e.split("\n## ", 1)[0]
                             for k in ("**Fires when**", "**Normal situations", "**What spyscan does**"))]
    assert incomplete == []
    rows = [line.split("|")[1:-1] for line in text.split("## Indicator matches", 1)[1].split("\n## ", 1)[0]
            .splitlines() if line.startswith("| ") and not line.startswith("| Rule")]
    by_rule = {cells[0].strip(): [c.strip() for c in cells] for cells in rows if len(cells) == 4}
    for name, words in QUALITY_RULES.items():
        [row] = [cells for rule, cells in by_rule.items() if rule.startswith(words)] or [None]
        assert row is not None, name
        assert re.search(r"[\w-]+/[\w.-]+|field research|issue 19|docs/", row[2]), (name, row[2])
