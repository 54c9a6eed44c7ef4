"""STIX 2.1 and MISP exports of a case's detections: structure checked against the specs' required properties."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from spyscan.cases.export_misp import attribute_type, case_event
from spyscan.cases.export_stix import case_bundle
from spyscan.cases.hunt import HuntOptions, run_hunt
from spyscan.cases.store import CaseStore
from spyscan.commands.case import case

from .conftest import FIRST_VALUE, NEW_APP, NEW_PROCESS

STIX_ID = re.compile(r"^[a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
STIX_TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
COMMON = ("type", "spec_version", "id", "created", "modified")
REQUIRED = {
    "identity": (*COMMON, "name"),
    "indicator": (*COMMON, "pattern", "pattern_type", "valid_from"),
    "sighting": (*COMMON, "sighting_of_ref"),
}


def _hunted_case(tmp_path: Path, store_path: Path, make_run: Callable[[str], Path], new_iocs: Path) -> CaseStore:
    store = CaseStore(store_path)
    store.new_case("exchange")
    store.add_run("exchange", make_run("a"), device="phone-a")
    store.add_run("exchange", make_run("b"), device="phone-b")
    store.add_run("exchange", make_run("a-later"), device="phone-a")
    run_hunt(store, HuntOptions(output=tmp_path / "hunt", iocs=[new_iocs], bundled=False, jobs=1))
    return store


def test_stix_bundle_is_valid_and_self_contained(tmp_path: Path, store_path: Path,
                                                 make_run: Callable[[str], Path], new_iocs: Path) -> None:
    store = _hunted_case(tmp_path, store_path, make_run, new_iocs)
    bundle = json.loads(json.dumps(case_bundle(store, "exchange")))
    assert bundle["type"] == "bundle" and STIX_ID.match(bundle["id"])
    objects = bundle["objects"]
    by_id = {o["id"]: o for o in objects}
    assert len(by_id) == len(objects)
    for obj in objects:
        for prop in REQUIRED[obj["type"]]:
            assert prop in obj, (obj["type"], prop)
        assert obj["spec_version"] == "2.1" and STIX_ID.match(obj["id"])
        assert STIX_TS.match(obj["created"]) and STIX_TS.match(obj["modified"]) and obj["modified"] >= obj["created"]
    identities = [o for o in objects if o["type"] == "identity"]
    assert len(identities) == 2  # two devices, pseudonymous
    sightings = [o for o in objects if o["type"] == "sighting"]
    indicators = {o["id"]: o for o in objects if o["type"] == "indicator"}
    # original detection (first feed) + two new ones from the hunt, for every device
    assert len(indicators) == 3 and len(sightings) == 6
    patterns = " ".join(i["pattern"] for i in indicators.values())
    for value in (FIRST_VALUE, NEW_APP, NEW_PROCESS):
        assert value in patterns
    for sighting in sightings:
        assert sighting["sighting_of_ref"] in indicators
        assert all(by_id[ref]["type"] == "identity" for ref in sighting["where_sighted_refs"])
        if "first_seen" in sighting:
            assert STIX_TS.match(sighting["first_seen"]) and sighting["first_seen"] <= sighting["last_seen"]
    phone_a = next(i["id"] for i in identities if "phone-a" in i["name"])
    app_sighting = next(s for s in sightings if s["where_sighted_refs"] == [phone_a]
                        and NEW_APP in indicators[s["sighting_of_ref"]]["pattern"])
    # two acquisitions of the same device, each showing the app installed and running (its process)
    assert app_sighting["count"] == 4
    assert app_sighting["first_seen"] == "2024-03-02T10:15:00.000Z"  # the package install time


def test_misp_event_structure(tmp_path: Path, store_path: Path, make_run: Callable[[str], Path],
                              new_iocs: Path) -> None:
    store = _hunted_case(tmp_path, store_path, make_run, new_iocs)
    doc = json.loads(json.dumps(case_event(store, "exchange")))
    event = doc["Event"]
    for key in ("info", "date", "threat_level_id", "analysis", "distribution", "Attribute", "uuid"):
        assert key in event
    assert re.match(r"^\d{4}-\d\d-\d\d$", event["date"])
    attributes = {a["value"]: a for a in event["Attribute"]}
    assert set(attributes) == {FIRST_VALUE, NEW_APP, NEW_PROCESS}
    for attribute in attributes.values():
        for key in ("type", "category", "value", "to_ids", "comment", "uuid"):
            assert key in attribute
        assert attribute["to_ids"] is False
        assert attribute["category"] in ("Network activity", "Payload delivery", "Artifacts dropped")
    assert "NewSpy" in attributes[NEW_APP]["comment"] and "new.stix2" in attributes[NEW_APP]["comment"]
    assert "OldSpy" in attributes[FIRST_VALUE]["comment"]
    assert attribute_type("domain-name:value") == ("domain", "Network activity")
    assert attribute_type("ipv4-addr:value") == ("ip-dst", "Network activity")
    assert attribute_type("file:hashes.sha256") == ("sha256", "Payload delivery")
    assert attribute_type("email-addr:value") == ("email-src", "Payload delivery")
    assert attribute_type("file:name") == ("filename", "Artifacts dropped")
    assert attribute_type("process:name") == ("text", "Artifacts dropped")


def test_export_command_writes_owner_only_file(tmp_path: Path, store_path: Path,
                                               make_run: Callable[[str], Path], new_iocs: Path) -> None:
    _hunted_case(tmp_path, store_path, make_run, new_iocs).close()
    out = tmp_path / "share" / "case.stix.json"
    result = CliRunner().invoke(case, ["export", "exchange", "--format", "stix", "-o", str(out),
                                       "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["type"] == "bundle"
    assert out.stat().st_mode & 0o077 == 0
    misp = tmp_path / "share" / "case.misp.json"
    assert CliRunner().invoke(case, ["export", "exchange", "--format", "misp", "-o", str(misp),
                                     "--store", str(store_path)]).exit_code == 0
    assert "Event" in json.loads(misp.read_text())
