"""The four backup artifacts: backup_info, backup_manifest, configuration_profiles, installed_apps."""

from __future__ import annotations

import fnmatch
import plistlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from spyscan.artifacts.base import ArtifactLog
from spyscan.artifacts.ios.backup_info import IOSBackupInfo
from spyscan.artifacts.ios.configuration_profiles import DOMAIN as PROFILES_DOMAIN
from spyscan.artifacts.ios.configuration_profiles import IOSConfigurationProfiles
from spyscan.artifacts.ios.installed_apps import IOSInstalledApps
from spyscan.artifacts.ios.manifest_files import IOSManifestFiles, device_path
from spyscan.detection.heuristics.ios_sideloaded_app import IOSSideloadedApp
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSFile, IOSPath
from spyscan.records.ios_apps import IOSInstalledApp
from spyscan.records.ios_device import IOSDeviceInfo
from spyscan.records.ios_manifest import IOSBackupFile
from spyscan.records.ios_profiles import IOSConfigurationProfile, IOSProfileEvent
from tests.builders.ios_backup import BackupBuilder, file_id
from tests.ios_backup.helpers import collect, detections

PROFILE_DIR = "Library/ConfigurationProfiles"


# -- backup_info -------------------------------------------------------------------------------------
def test_backup_info_reads_device_and_judges_version(tmp_path: Path) -> None:
    root = BackupBuilder(tmp_path / "b", product_version="17.5.1").build()
    [info], log = collect(IOSBackupInfo, root, tmp_path / "w")
    assert isinstance(info, IOSDeviceInfo)
    assert (info.ios_version, info.build, info.product_type) == ("17.5.1", "21F90", "iPhone14,2")
    assert info.device_name == "Test iPhone" and info.serial == "F2LTESTSERIAL" and info.encrypted is False
    assert info.backup_date == datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    # judged on the backup's date (2024-05-06): no iOS 17 release is known before it, so not judged behind;
    # iOS 18 did not exist yet, so nothing newer was available
    assert info.judged_on == "2024-05-06" and info.outdated is None and info.latest_in_major is None
    assert info.newer_major is None and info.versions_table_date == "2026-11-29"
    assert info.model == "iPhone 13 Pro" and info.model_last_major is None
    assert not log.warnings


def test_backup_info_behind_latest_of_its_major(tmp_path: Path) -> None:
    root = BackupBuilder(tmp_path / "b", product_version="18.6.2",
                         backup_date=datetime(2026, 11, 1, tzinfo=UTC)).build()
    [info], _ = collect(IOSBackupInfo, root, tmp_path / "w")
    assert isinstance(info, IOSDeviceInfo)
    assert info.outdated is True and info.latest_in_major == "18.7.10" and info.major_supported is True


@pytest.mark.parametrize(("product", "version", "acquired", "outdated", "latest", "newer"), [
    # an iPhone X on its last branch: nothing newer for it, never judged against iOS 26/27
    ("iPhone10,3", "16.7.10", datetime(2026, 10, 1, tzinfo=UTC), None, None, None),
    # an iPhone XS on the newest iOS 18 security release out on the acquisition date: current
    ("iPhone11,2", "18.7.10", datetime(2026, 9, 1, tzinfo=UTC), False, "18.7.10", None),
    # the same release judged on a date before 18.7.10 existed: 18.7.9 is the reference, not a later one
    ("iPhone11,2", "18.7.9", datetime(2026, 6, 1, tzinfo=UTC), False, "18.7.9", None),
    # an iPhone 13 on the newest 18.7.x while iOS 26 is out and 18 still updated: current, a newer major noted
    ("iPhone14,5", "18.7.10", datetime(2026, 9, 1, tzinfo=UTC), False, "18.7.10", 26),
    # a 2022 acquisition on iOS 15.4.1, re-analysed today: no iOS 15 release known, never judged against today
    ("iPhone9,3", "15.4.1", datetime(2022, 5, 1, tzinfo=UTC), None, None, None),
])
def test_backup_info_judged_on_its_date_and_model(tmp_path: Path, product: str, version: str, acquired: datetime,
                                                   outdated: bool | None, latest: str | None,
                                                   newer: int | None) -> None:
    from spyscan.detection.heuristics.ios_outdated import IOSOutdated

    b = BackupBuilder(tmp_path / "b", product_type=product, product_version=version, backup_date=acquired)
    [info], log = collect(IOSBackupInfo, b.build(), tmp_path / "w")
    assert isinstance(info, IOSDeviceInfo)
    assert (info.outdated, info.latest_in_major, info.newer_major) == (outdated, latest, newer)
    assert info.judged_on == acquired.date().isoformat()
    assert log.facts["marketing_name"] == info.model  # from the model identifier
    assert detections([info], IOSOutdated) == []  # none of these is behind what it could have had


def test_backup_info_without_info_plist_uses_lockdown(tmp_path: Path) -> None:
    b = BackupBuilder(tmp_path / "b", product_version="27.2", backup_date=datetime(2026, 11, 1, tzinfo=UTC))
    b.omit_files.add("Info.plist")
    root = b.build()
    [info], log = collect(IOSBackupInfo, root, tmp_path / "w")
    assert isinstance(info, IOSDeviceInfo)
    assert info.ios_version == "27.2" and info.outdated is False and info.major_supported is True
    assert info.udid == "00008110-000A1B2C3D4E5F60"
    assert any("no Info.plist" in w for w in log.warnings)


def test_backup_info_with_damaged_plists_warns(tmp_path: Path) -> None:
    b = BackupBuilder(tmp_path / "b")
    b.manifest = {"Lockdown": "not a dict"}
    root = b.build()
    (root / "Info.plist").write_bytes(b"<plist>broken")
    [info], log = collect(IOSBackupInfo, root, tmp_path / "w")
    assert isinstance(info, IOSDeviceInfo) and info.ios_version is None and info.outdated is None
    assert any("Lockdown" in w for w in log.warnings) and any("version is not recorded" in w for w in log.warnings)


# -- backup_manifest --------------------------------------------------------------------------------
def test_manifest_files_lists_every_entry(tmp_path: Path) -> None:
    b = BackupBuilder(tmp_path / "b")
    b.add_file("HomeDomain", "Library/Preferences/com.apple.x.plist", b"abc", mtime=1_600_000_000)
    b.add_file("AppDomain-net.example.chat", "Documents/db.sqlite", b"x" * 10)
    b.add_file("OddDomain", "file", b"")
    b.add_directory("RootDomain", "Library")
    root = b.build()
    records, log = collect(IOSManifestFiles, root, tmp_path / "w")
    assert not log.warnings
    by_path = {(r.domain, r.relative_path): r for r in records if isinstance(r, IOSBackupFile)}
    assert len(by_path) == 4
    pref = by_path[("HomeDomain", "Library/Preferences/com.apple.x.plist")]
    assert pref.device_path == "/private/var/mobile/Library/Preferences/com.apple.x.plist"
    assert pref.file_name == "com.apple.x.plist" and pref.size == 3 and pref.entry_type == "file"
    assert pref.mode == "100644" and pref.file_id == file_id("HomeDomain", "Library/Preferences/com.apple.x.plist")
    assert pref.modified == datetime.fromtimestamp(1_600_000_000, UTC) == pref.created
    app = by_path[("AppDomain-net.example.chat", "Documents/db.sqlite")]
    assert app.device_path == "/private/var/mobile/Containers/Data/Application/net.example.chat/Documents/db.sqlite"
    assert by_path[("OddDomain", "file")].device_path is None
    assert by_path[("RootDomain", "Library")].entry_type == "directory"
    assert pref.source.table == "Files" and pref.source.rowid is not None


def test_manifest_files_on_encrypted_backup_and_bad_blob(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    b = BackupBuilder(tmp_path / "b")
    b.add_file("HomeDomain", "a", b"1")
    b.add_file("HomeDomain", "b", b"2")
    root = b.build()
    conn = sqlite3.connect(root / "Manifest.db")
    conn.execute("UPDATE Files SET file = ? WHERE relativePath = 'b'", (b"bplist00 broken",))
    conn.commit()
    conn.close()
    records, log = collect(IOSManifestFiles, root, tmp_path / "w")
    assert len(records) == 2
    broken = next(r for r in records if isinstance(r, IOSBackupFile) and r.relative_path == "b")
    assert broken.size is None and broken.entry_type == "file"  # from the flags column
    assert any("unreadable file metadata" in w for w in log.warnings)


def test_device_path_mapping() -> None:
    assert device_path("RootDomain", "Library/x") == "/private/var/root/Library/x"
    assert device_path("HomeDomain", "") == "/private/var/mobile"
    assert device_path("AppDomainGroup-group.a.b", "x") == "/private/var/mobile/Containers/Shared/AppGroup/group.a.b/x"
    assert device_path("SysSharedContainerDomain-systemgroup.x", "L") == (
        "/private/var/containers/Shared/SystemGroup/systemgroup.x/L")
    assert device_path("AppDomain-", "x") is None


# -- configuration_profiles -------------------------------------------------------------------------
def _profile(uuid: str, payload_type: str = "com.apple.wifi.managed", **extra: object) -> dict[str, object]:
    profile: dict[str, object] = {
        "PayloadIdentifier": f"com.example.profile.{uuid[:4]}", "PayloadUUID": uuid,
        "PayloadDisplayName": "Example profile", "PayloadOrganization": "Example Org", "PayloadType": "Configuration",
        "InstallDate": datetime(2023, 1, 2, 3, 4, 5), "SignerCerts": [b"DER certificate"],
        "PayloadContent": [{"PayloadType": payload_type, "PayloadIdentifier": "com.example.payload",
                            "PayloadUUID": "AAAA1111-0000-0000-0000-000000000000"}],
    }
    profile.update(extra)
    return profile


def test_configuration_profiles_and_events(tmp_path: Path) -> None:
    b = BackupBuilder(tmp_path / "b")
    b.add_plist(PROFILES_DOMAIN, f"{PROFILE_DIR}/profile-abc.stub",
                _profile("1234ABCD-0000-0000-0000-000000000000", "com.apple.notificationsettings"))
    b.add_plist(PROFILES_DOMAIN, f"{PROFILE_DIR}/MCProfileEvents.plist", {"ProfileEvents": [
        {"com.example.profile.1234": {"operation": "install", "process": "com.apple.preferences",
                                      "timestamp": datetime(2023, 1, 2, 3, 4, 5)}},
        {"com.example.other": {"Operation": "remove", "Process": "profiled"}},  # key case varies
    ]})
    root = b.build()
    records, log = collect(IOSConfigurationProfiles, root, tmp_path / "w")
    assert not log.warnings
    [profile] = [r for r in records if isinstance(r, IOSConfigurationProfile)]
    assert profile.uuid == "1234ABCD-0000-0000-0000-000000000000"
    assert profile.payload_types == ["com.apple.notificationsettings"]
    assert profile.install_date == datetime(2023, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert set(profile.profile_ids) >= {"com.example.profile.1234", "1234ABCD-0000-0000-0000-000000000000",
                                        "com.example.payload"}
    assert profile.source.file.endswith("profile-abc.stub") and profile.signed is True
    assert [(e.process) for e in records if isinstance(e, IOSProfileEvent)] == ["com.apple.preferences", "profiled"]
    events = [r for r in records if isinstance(r, IOSProfileEvent)]
    assert [(e.profile_id, e.operation) for e in events] == [("com.example.profile.1234", "install"),
                                                              ("com.example.other", "remove")]
    assert events[0].timestamp == datetime(2023, 1, 2, 3, 4, 5, tzinfo=UTC) and events[1].timestamp is None


def test_configuration_profile_variants_warn(tmp_path: Path) -> None:
    b = BackupBuilder(tmp_path / "b")
    b.add_plist(PROFILES_DOMAIN, f"{PROFILE_DIR}/profile-1.stub", {"PayloadContent": b"encrypted blob"})
    b.add_file(PROFILES_DOMAIN, f"{PROFILE_DIR}/profile-2.stub", b"not a plist")
    b.add_plist(PROFILES_DOMAIN, f"{PROFILE_DIR}/MCProfileEvents.plist", {"Other": 1})
    records, log = collect(IOSConfigurationProfiles, b.build(), tmp_path / "w")
    [profile] = records
    assert isinstance(profile, IOSConfigurationProfile) and profile.payload_types == []
    text = " ".join(log.warnings)
    assert "not a list" in text and "not a readable plist" in text and "no ProfileEvents" in text
    assert "without PayloadIdentifier" in text


def test_configuration_profiles_absent(tmp_path: Path) -> None:
    with pytest.raises(ArtifactNotFound):
        collect(IOSConfigurationProfiles, BackupBuilder(tmp_path / "b").build(), tmp_path / "w")


# -- installed_apps ---------------------------------------------------------------------------------
def test_installed_apps_sources(tmp_path: Path) -> None:
    b = BackupBuilder(tmp_path / "b")
    b.add_app("com.example.store", itunes_metadata={
        "sourceApp": "com.apple.AppStore", "itemId": 123, "itemName": "Store App", "artistName": "Ex",
        "bundleShortVersionString": "2.1", "purchaseDate": datetime(2022, 3, 4, 5, 6, 7),
        "releaseDate": "2021-01-01T00:00:00Z"})
    b.add_app("com.example.beta", itunes_metadata={"sourceApp": "com.apple.TestFlight", "itemId": 5})
    b.add_app("com.example.old", itunes_metadata={"itemId": 77, "com.apple.iTunesStore.downloadInfo": {
        "purchaseDate": "2019-05-06T07:08:09Z"}})
    b.add_app("com.example.market", itunes_metadata={"distributorInfo": {"DistributorID": "com.market.eu"}})
    b.add_app("com.example.altstore", itunes_metadata={"sourceApp": "com.rileytestut.AltStore", "itemId": 6})
    b.add_app("com.example.synced", itunes_metadata={"sourceApp": "com.apple.datausage.atc", "itemId": 7})
    b.add_app("com.example.odd", itunes_metadata={"sourceApp": "com.odd.installer"})
    b.add_app("com.example.sideloaded")
    b.add_app("com.example.broken", itunes_metadata=b"not a plist")
    b.add_app("com.example.page", itunes_metadata={"sourceApp": "com.apple.AppStore.ProductPageExtension"})
    b.add_app("com.example.managed", itunes_metadata={"sourceApp": "com.apple.dmd", "itemId": 9})
    records, log = collect(IOSInstalledApps, b.build(), tmp_path / "w")
    apps = {r.bundle_id: r for r in records if isinstance(r, IOSInstalledApp)}
    assert sorted(apps) == ["com.example.altstore", "com.example.beta", "com.example.broken", "com.example.managed",
                            "com.example.market", "com.example.odd", "com.example.old", "com.example.page",
                            "com.example.sideloaded", "com.example.store", "com.example.synced"]
    assert apps["com.example.page"].install_source == "app_store"  # App Store product-page install
    assert apps["com.example.managed"].install_source == "mdm" and not apps["com.example.managed"].sideloaded
    store = apps["com.example.store"]
    assert (store.install_source, store.sideloaded, store.name, store.version, store.store_item_id) == (
        "app_store", False, "Store App", "2.1", 123)
    assert store.purchase_date == datetime(2022, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert store.release_date == datetime(2021, 1, 1, tzinfo=UTC)
    assert apps["com.example.beta"].install_source == "testflight"
    assert apps["com.example.old"].install_source == "app_store"
    assert apps["com.example.old"].purchase_date == datetime(2019, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert apps["com.example.market"].install_source == "alternative_marketplace"
    assert apps["com.example.market"].installer_name is None
    assert (apps["com.example.altstore"].install_source, apps["com.example.altstore"].installer_name) == (
        "alternative_marketplace", "AltStore PAL")
    assert apps["com.example.synced"].install_source == "apple_sync"
    assert (apps["com.example.odd"].install_source, apps["com.example.odd"].source_app) == (
        "other_source", "com.odd.installer")
    assert apps["com.example.sideloaded"].sideloaded is False
    assert apps["com.example.sideloaded"].install_source == "not_recorded"
    assert apps["com.example.sideloaded"].version == "1.0"  # from Manifest.plist
    assert any("com.example.broken" in w for w in log.warnings)
    [note] = [w for w in log.warnings if w.startswith("how apps were installed could not be checked")]
    assert "2 of the 11 installed apps (com.example.broken, com.example.sideloaded)" in note


def test_backup_without_store_metadata_raises_nothing(tmp_path: Path) -> None:
    """The real shape of mvt-project issue reports and of pymobiledevice3 backups when the phone returns no
    store metadata: ``Installed Applications`` lists the apps, ``Applications`` is empty. Absence of data is
    never a finding: the artifact says what could not be checked."""
    b = BackupBuilder(tmp_path / "b")
    for app in ("net.whatsapp.WhatsApp", "com.google.Gmail", "com.google.chrome.ios"):
        b.add_app(app)
    b.info["Applications"] = {}
    records, log = collect(IOSInstalledApps, b.build(), tmp_path / "w")
    assert {r.install_source for r in records} == {"not_recorded"}
    assert detections(records, IOSSideloadedApp) == []
    assert any("no store metadata for any of the installed apps" in w for w in log.warnings)


def test_installed_apps_without_application_lists(tmp_path: Path) -> None:
    b = BackupBuilder(tmp_path / "b")
    root = b.build()
    info = plistlib.loads((root / "Info.plist").read_bytes())
    del info["Applications"], info["Installed Applications"]
    (root / "Info.plist").write_bytes(plistlib.dumps(info))
    records, log = collect(IOSInstalledApps, root, tmp_path / "w")
    assert records == [] and any("lists no applications" in w for w in log.warnings)


# -- the same artifacts on a filesystem dump (through the IOSSource interface only) -------------------
class _FakeFS(Evidence):
    """A minimal filesystem-dump source: fs globs over an in-memory {path: bytes} mapping."""

    kind = ""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def ios_find(self, spec: IOSPath) -> list[IOSFile]:
        return [IOSFile(label="/" + p, handle=p, size=len(d)) for p, d in sorted(self.files.items())
                if any(fnmatch.fnmatchcase(p, g) for g in spec.fs)]

    def ios_read(self, file: IOSFile, limit: int = 1 << 30) -> bytes:
        return self.files[file.handle]

    def ios_sqlite(self, file: IOSFile) -> sqlite3.Connection:  # pragma: no cover - not used here
        raise NotImplementedError


def test_backup_info_and_profiles_on_a_filesystem_dump() -> None:
    stub = ("private/var/containers/Shared/SystemGroup/systemgroup.com.apple.configurationprofiles/"
            "Library/ConfigurationProfiles/profile-9.stub")
    fs = _FakeFS({
        "System/Library/CoreServices/SystemVersion.plist": plistlib.dumps(
            {"ProductVersion": "18.6.2", "ProductBuildVersion": "22G100"}),
        stub: plistlib.dumps(_profile("9999AAAA-0000-0000-0000-000000000000")),
    })
    log = ArtifactLog()
    [info] = list(IOSBackupInfo().collect(fs, log))
    assert isinstance(info, IOSDeviceInfo) and info.ios_version == "18.6.2" and info.build == "22G100"
    # no acquisition date and no file times: not judged (never against today)
    assert info.outdated is None and info.judged_on is None
    assert info.source.file == "/System/Library/CoreServices/SystemVersion.plist"
    [profile] = list(IOSConfigurationProfiles().collect(fs, log))
    assert isinstance(profile, IOSConfigurationProfile) and profile.uuid == "9999AAAA-0000-0000-0000-000000000000"
    assert not log.warnings


def test_installed_apps_from_bundle_metadata_on_a_filesystem_dump() -> None:
    bundle = "private/var/containers/Bundle/Application/1111-2222/iTunesMetadata.plist"
    other = "private/var/containers/Bundle/Application/3333-4444/iTunesMetadata.plist"
    fs = _FakeFS({
        bundle: plistlib.dumps({"softwareVersionBundleId": "com.example.store", "sourceApp": "com.apple.AppStore",
                                "itemName": "Store", "com.apple.iTunesStore.downloadInfo": {
                                    "purchaseDate": "2024-02-03T04:05:06Z"}}),
        other: plistlib.dumps({"itemName": "no bundle id"}),
    })
    log = ArtifactLog()
    [app] = list(IOSInstalledApps().collect(fs, log))
    assert isinstance(app, IOSInstalledApp) and app.bundle_id == "com.example.store"
    assert app.install_source == "app_store" and app.source.file == "/" + bundle
    assert app.purchase_date == datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert any("softwareVersionBundleId" in w for w in log.warnings)
