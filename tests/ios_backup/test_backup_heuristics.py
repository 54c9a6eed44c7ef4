"""Heuristics over the backup records: sideloaded apps, notification profiles, profile installs, old iOS."""

from __future__ import annotations

from datetime import UTC, datetime

from spyscan.detection.heuristics.base import all_rules
from spyscan.detection.heuristics.ios_outdated import IOSOutdated
from spyscan.detection.heuristics.ios_profile_install_event import IOSProfileInstallEvent
from spyscan.detection.heuristics.ios_profile_notification_payload import IOSProfileNotificationPayload
from spyscan.detection.heuristics.ios_sideloaded_app import IOSSideloadedApp
from spyscan.detection.model import Severity
from spyscan.records.base import SourceRef
from spyscan.records.ios_apps import IOSInstalledApp
from spyscan.records.ios_device import IOSDeviceInfo
from spyscan.records.ios_profiles import IOSConfigurationProfile, IOSProfileEvent
from tests.ios_backup.helpers import detections

SRC = SourceRef(file="Info.plist")


def test_rules_are_registered() -> None:
    rules = all_rules()
    for rule in (IOSOutdated, IOSProfileInstallEvent, IOSProfileNotificationPayload, IOSSideloadedApp):
        assert rules[rule.id] is rule


def test_sideloaded_app() -> None:
    records = [
        IOSInstalledApp(source=SRC, bundle_id="com.example.store", install_source="app_store"),
        IOSInstalledApp(source=SRC, bundle_id="com.example.beta", install_source="testflight"),
        IOSInstalledApp(source=SRC, bundle_id="com.example.managed", install_source="mdm"),
        IOSInstalledApp(source=SRC, bundle_id="com.example.synced", install_source="apple_sync"),
        IOSInstalledApp(source=SRC, bundle_id="com.example.unknown", install_source="not_recorded"),
        IOSInstalledApp(source=SRC, bundle_id="com.example.stored", install_source="no_store_record", sideloaded=True),
        IOSInstalledApp(source=SRC, bundle_id="com.odd.app", install_source="other_source",
                        source_app="com.odd.installer"),
        IOSInstalledApp(source=SRC, bundle_id="com.example.delta", install_source="alternative_marketplace",
                        source_app="com.rileytestut.AltStore", installer_name="AltStore PAL"),
        IOSInstalledApp(source=SRC, bundle_id="com.example.eu", install_source="alternative_marketplace",
                        source_app="com.market.eu"),
    ]
    found = {d.observable.value: d for d in detections(records, IOSSideloadedApp) if d.observable}
    assert set(found) == {"com.odd.app", "com.example.delta", "com.example.eu"}
    odd = found["com.odd.app"]
    assert (odd.severity, odd.category, odd.rule) == (Severity.MEDIUM, "compromise", "ios.sideloaded_app")
    assert "com.odd.installer" in odd.message
    delta = found["com.example.delta"]
    assert (delta.severity, delta.category) == (Severity.INFO, "context") and "AltStore PAL" in delta.message
    assert (found["com.example.eu"].severity, found["com.example.eu"].category) == (Severity.LOW, "context")


def test_profile_notification_payload() -> None:
    noisy = IOSConfigurationProfile(source=SRC, uuid="U1", display_name="Silencer",
                                    payload_types=["com.apple.wifi.managed", "com.apple.notificationsettings"])
    quiet = IOSConfigurationProfile(source=SRC, uuid="U2", payload_types=["com.apple.wifi.managed"])
    [found] = detections([noisy, quiet], IOSProfileNotificationPayload)
    assert found.severity == Severity.MEDIUM and "Silencer" in found.message
    assert found.observable is not None and found.observable.value == "U1"


def test_profile_install_event() -> None:
    when = datetime(2023, 1, 2, tzinfo=UTC)
    records = [
        IOSProfileEvent(source=SRC, profile_id="p.settings", operation="install", process="com.apple.preferences",
                        timestamp=when),
        IOSProfileEvent(source=SRC, profile_id="p.odd", operation="install", process="com.unknown.daemon"),
        IOSProfileEvent(source=SRC, profile_id="p.gone", operation="remove", process="com.apple.preferences"),
    ]
    found = {d.observable.value: d for d in detections(records, IOSProfileInstallEvent) if d.observable}
    assert set(found) == {"p.settings", "p.odd"}
    assert found["p.settings"].severity == Severity.INFO and found["p.settings"].timestamp == "2023-01-02T00:00:00Z"
    assert found["p.odd"].severity == Severity.LOW


def test_outdated() -> None:
    behind = IOSDeviceInfo(source=SRC, ios_version="18.6.2", latest_in_major="18.7", outdated=True,
                           major_supported=True, versions_table_date="2025-11-03", judged_on="2025-10-01")
    superseded = IOSDeviceInfo(source=SRC, ios_version="17.7", outdated=None, major_supported=False,
                               newer_major=26, model="iPhone 13", judged_on="2025-10-01")
    at_ceiling = IOSDeviceInfo(source=SRC, ios_version="16.7.10", latest_in_major="16.7.10", outdated=False,
                               major_supported=False, model_last_major=16, judged_on="2025-10-01")
    current = IOSDeviceInfo(source=SRC, ios_version="26.1", outdated=False, major_supported=True,
                            judged_on="2025-12-01")
    not_judged = IOSDeviceInfo(source=SRC, ios_version="15.0", outdated=True)  # no acquisition date
    found = detections([behind, superseded, at_ceiling, current, not_judged], IOSOutdated)
    by_version = {d.record["ios_version"]: d for d in found}
    assert set(by_version) == {"18.6.2", "17.7"}
    assert by_version["18.6.2"].severity == Severity.MEDIUM and "18.7" in by_version["18.6.2"].message
    assert "2025-10-01" in by_version["18.6.2"].message
    assert by_version["17.7"].severity == Severity.LOW and "iPhone 13 could run iOS 26" in by_version["17.7"].message
    assert all(d.category == "protection" for d in found)
