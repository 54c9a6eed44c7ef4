"""Echap's feed categories (vendor website, distribution, c2; stalkerware or watchware) from its ioc.yaml."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.core.stix_helpers import write_bundle

from spyscan.detection.grouping import indicator_severity
from spyscan.detection.model import IndicatorRef, Severity
from spyscan.indicators import bundled_set
from spyscan.indicators.categories import categories_from_yaml
from spyscan.indicators.sources import current_categories, load_indicator_set
from spyscan.indicators.update import update_user_set

ECHAP = "AssoEchap__stalkerware-indicators"
STIX = "generated/stalkerware.stix2"


def _ref(value: str, echap: list) -> IndicatorRef:  # type: ignore[type-arg]
    ind = next(i for i in echap if i.value == value)
    return IndicatorRef(value=ind.value, type=ind.type, malware=ind.malware, stix_id=ind.stix_id, file=ind.file,
                        threat=ind.threat, role=ind.role, platform=ind.platform)


def test_real_yaml_categories(public_iocs: Path) -> None:
    folder = public_iocs / ECHAP
    found = categories_from_yaml((folder / "ioc.yaml").read_bytes(), (folder / "watchware.yaml").read_bytes(), "t")
    assert found.role("hespyapp.com") == "website"  # TheTruthSpy: listed under websites only
    assert found.role("copy9.com") == "c2"  # listed as website and c2: the server wins
    assert found.role("app.xpspy.com") == "distribution"
    assert found.role("69.64.74.239") == "c2"
    assert found.threat("TheTruthSpy") == "stalkerware" and found.threat("Copy9") == "stalkerware"
    assert found.threat("FamiSafe") == "watchware"
    assert "com.thetruth" in found.android_packages and "com.life360.safetymap" in found.ios_bundles


def test_bundled_categories_are_the_bundled_yaml() -> None:
    assert bundled_set.load_categories() == bundled_set.compile_categories()


def test_website_visit_is_medium_c2_contact_high(public_iocs: Path) -> None:
    echap = load_indicator_set([public_iocs / ECHAP / STIX], bundled=False).indicators
    website, c2 = _ref("hespyapp.com", echap), _ref("protocol-a.copy9.com", echap)
    assert (website.role, website.threat) == ("website", "stalkerware")
    assert indicator_severity(website, weak=False) is Severity.MEDIUM
    assert c2.role == "c2" and indicator_severity(c2, weak=False) is Severity.HIGH
    assert {i.platform for i in echap if i.type == "app:id"} <= {"android", None}
    assert {i.platform for i in echap if i.type == "domain-name:value"} == {None}


def test_watchware_family_is_watchware(tmp_path: Path) -> None:
    """A newer Echap STIX carries watchware families (its README): their hits are MEDIUM."""
    path = tmp_path / "stalkerware-indicators" / "generated" / "stalkerware.stix2"
    path.parent.mkdir(parents=True)
    write_bundle(path, "Life360", ["[domain-name:value = 'gpi4.life360.com']", "[app:id = 'com.life360.safetymap']",
                                   "[app:id = 'com.life360.android.safetymapd']"])
    loaded = load_indicator_set([path], bundled=False).indicators
    assert {(i.value, i.threat, i.role, i.platform) for i in loaded} == {
        ("gpi4.life360.com", "watchware", "c2", None), ("com.life360.safetymap", "watchware", None, "ios"),
        ("com.life360.android.safetymapd", "watchware", None, "android")}
    ref = _ref("gpi4.life360.com", loaded)
    assert indicator_severity(ref, weak=False) is Severity.MEDIUM


def test_update_refreshes_the_categories(tmp_path: Path, public_iocs: Path) -> None:
    """``iocs update`` fetches ioc.yaml and watchware.yaml next to Echap's STIX and uses them."""
    repo = tmp_path / "mirror" / "AssoEchap" / "stalkerware-indicators" / "master"
    (repo / "generated").mkdir(parents=True)
    write_bundle(repo / STIX, "NewVendor", ["[domain-name:value = 'newvendor.example']",
                                            "[domain-name:value = 'c2.newvendor.example']"])
    (repo / "ioc.yaml").write_text("- name: NewVendor\n  type: stalkerware\n  websites:\n  - newvendor.example\n"
                                   "  c2:\n    domains:\n    - c2.newvendor.example\n")
    shutil.copy(public_iocs / ECHAP / "watchware.yaml", repo / "watchware.yaml")
    index = tmp_path / "index.yaml"
    index.write_text(f"indicators:\n  - name: Stalkerware\n    download_url: {(repo / STIX).as_uri()}\n")
    result = update_user_set(str(index))
    assert result.failures == [], result.failures
    assert "ioc.yaml" in current_categories().source
    loaded = load_indicator_set([], bundled=False)
    assert {(i.value, i.role) for i in loaded.indicators} == {("newvendor.example", "website"),
                                                              ("c2.newvendor.example", "c2")}
    manifest = json.loads((Path(result.target) / "manifest.json").read_text())
    assert [u.rsplit("/", 1)[1] for u in manifest["categories"]["urls"]] == ["ioc.yaml", "watchware.yaml"]


def test_update_fails_whole_when_the_categories_are_broken(tmp_path: Path) -> None:
    repo = tmp_path / "mirror" / "AssoEchap" / "stalkerware-indicators" / "master"
    (repo / "generated").mkdir(parents=True)
    write_bundle(repo / STIX, "NewVendor", ["[domain-name:value = 'newvendor.example']"])
    (repo / "ioc.yaml").write_text("{not: [valid")
    index = tmp_path / "index.yaml"
    index.write_text(f"indicators:\n  - name: Stalkerware\n    download_url: {(repo / STIX).as_uri()}\n")
    result = update_user_set(str(index))
    assert result.failures and "categories" in result.failures[0]
    assert current_categories() == bundled_set.load_categories()
