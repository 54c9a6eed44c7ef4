"""The dumpsys section parsers, on the public samples and on generated text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from spyscan.artifacts.android.dumpsys_accessibility import DumpsysAccessibility, parse_accessibility
from spyscan.artifacts.android.dumpsys_activities import DumpsysActivities
from spyscan.artifacts.android.dumpsys_adb import DumpsysAdb, parse_adb
from spyscan.artifacts.android.dumpsys_appops import DumpsysAppOps, parse_appops
from spyscan.artifacts.android.dumpsys_battery_daily import DumpsysBatteryDaily, parse_battery_daily
from spyscan.artifacts.android.dumpsys_battery_history import DumpsysBatteryHistory, parse_battery_history
from spyscan.artifacts.android.dumpsys_dbinfo import DumpsysDbInfo, parse_dbinfo
from spyscan.artifacts.android.dumpsys_packages import DumpsysPackages, parse_packages
from spyscan.artifacts.android.dumpsys_platform_compat import DumpsysPlatformCompat, parse_platform_compat
from spyscan.artifacts.android.dumpsys_receivers import DumpsysReceivers
from spyscan.artifacts.android.dumpsys_resolver import parse_resolver_table
from spyscan.artifacts.base import ArtifactLog
from spyscan.evidence.android_dumpsys import DumpsysSection, section_from_text, split_dumpsys_bytes
from tests.androidqf.helpers import detections


def _sample(mvt_samples: Path, name: str, service: str) -> DumpsysSection:
    path = mvt_samples / "android_data" / name
    if not path.is_file():
        pytest.skip(f"sample {name} absent")
    data = path.read_bytes()
    return split_dumpsys_bytes(data, name).get(service) or section_from_text(
        service, data.decode("utf-8", "backslashreplace"), name)


class _Source:
    def __init__(self, **sections: str) -> None:
        self.sections = {k: section_from_text(k, v) for k, v in sections.items()}

    def dumpsys_sections(self) -> dict[str, DumpsysSection]:
        return self.sections


def test_accessibility_both_formats(mvt_samples: Path) -> None:
    old = list(parse_accessibility(_sample(mvt_samples, "dumpsys_accessibility.txt", "accessibility")))
    assert len(old) == 4 and not any(s.enabled for s in old) and all(s.installed for s in old)
    assert old[1].package == "com.samsung.accessibility"
    new = list(parse_accessibility(_sample(mvt_samples, "dumpsys_accessibility_v14_or_later.txt", "accessibility")))
    assert [(s.component, s.enabled) for s in new] == [
        ("com.malware.accessibility/com.malware.service.malwareservice", True)]
    assert [d.rule for d in detections("android.dumpsys.accessibility", new)] == ["android.accessibility_enabled"]


def test_accessibility_generated_enabled_block() -> None:
    text = "  enabled services: {\n    0 : com.spy.app/.Svc\n  }\n  bound services:{\n  }\n"
    records = list(DumpsysAccessibility().collect(_Source(accessibility=text), ArtifactLog()))  # type: ignore[arg-type]
    assert [(r.package, r.enabled) for r in records] == [("com.spy.app", True)]
    assert records[0].source.line == 2 and records[0].source.key == "accessibility"


def test_appops_sample_and_install_rule(mvt_samples: Path) -> None:
    ops = list(parse_appops(_sample(mvt_samples, "dumpsys_appops.txt", "appops")))
    fdroid = next(o for o in ops if o.package == "org.fdroid.fdroid" and o.op == "REQUEST_INSTALL_PACKAGES")
    assert fdroid.mode == "allow" and fdroid.access_count == 1
    assert fdroid.last_access == datetime(2022, 2, 2, 23, 20, 13, 96000, tzinfo=UTC)
    sms = next(o for o in ops if o.op == "WRITE_SMS")
    assert sms.package == "com.facebook.katana" and sms.reject_count == 3 and sms.mode == "ignore"
    found = {d.message: d.severity.value for d in detections("android.dumpsys.appops", ops)}
    # F-Droid is an alternative store: installing apps is its job (the apps themselves are graded by installer)
    assert found == {"the alternative store org.fdroid.fdroid installed apps": "low",
                     "org.mozilla.firefox is allowed to install apps": "low"}


def test_appops_generated() -> None:
    text = ("  Uid u0a9:\n    Package com.x:\n      REQUEST_INSTALL_PACKAGES (deny):\n"
            "    Package com.y:\n      CAMERA (allow):\n          Access: [top-s] 2024-01-02 03:04:05.006 (-1d)\n")
    records = list(DumpsysAppOps().collect(_Source(appops=text), ArtifactLog()))  # type: ignore[arg-type]
    assert [(r.package, r.op, r.mode, r.access_count) for r in records] == [
        ("com.x", "REQUEST_INSTALL_PACKAGES", "deny", 0), ("com.y", "CAMERA", "allow", 1)]
    assert detections("android.dumpsys.appops", records) == []


def test_battery_daily_sample_and_downgrade(mvt_samples: Path) -> None:
    changes = list(parse_battery_daily(_sample(mvt_samples, "dumpsys_battery.txt", "batterystats")))
    assert len(changes) == 18 and {c.package for c in changes} == {
        "com.facebook.services", "com.facebook.katana", "com.facebook.system"}
    text = ("Daily stats:\n  Daily from 2024-01-02-00-00-00 to 2024-01-03-00-00-00:\n    Package changes:\n"
            "      Update com.evil vers=5\n      Uninstall com.gone\n"
            "  Daily from 2024-01-01-00-00-00 to 2024-01-02-00-00-00:\n    Package changes:\n"
            "      Update com.evil vers=9\n")
    records = list(DumpsysBatteryDaily().collect(_Source(batterystats=text), ArtifactLog()))  # type: ignore[arg-type]
    assert [(r.action, r.package, r.version_code, r.previous_version_code) for r in records] == [
        ("update", "com.evil", 9, None), ("downgrade", "com.evil", 5, 9), ("uninstall", "com.gone", None, None)]
    found = detections("android.dumpsys.battery_daily", records)
    assert [(d.rule, d.message) for d in found] == [
        ("android.package_downgrade", "com.evil went from version 9 down to 5")]
    assert detections("android.dumpsys.battery_daily", changes) == []  # the sample only updates


def test_battery_history_sample(mvt_samples: Path) -> None:
    events = list(parse_battery_history(_sample(mvt_samples, "dumpsys_battery.txt", "batterystats")))
    whatsapp = [(e.event, e.time) for e in events if e.package == "com.whatsapp"]
    assert whatsapp == [("start", datetime(2022, 1, 4, 18, 56, 19, 315000, tzinfo=UTC)),
                        ("stop", datetime(2022, 1, 4, 18, 58, 36, 53000, tzinfo=UTC))]
    text = ('0 (19) RESET:TIME: 2024-05-01-10-00-00\n'
            '+1m0s (2) 100 +pkginst=u0a9:"com.new.app"\n+2d1h (2) 90 -job=u0a9:"com.new.app/.Job"\n')
    records = list(DumpsysBatteryHistory().collect(_Source(batterystats=text), ArtifactLog()))  # type: ignore[arg-type]
    assert [(r.event, r.package, r.time) for r in records] == [
        ("install", "com.new.app", datetime(2024, 5, 1, 10, 1, tzinfo=UTC)),
        ("stop", "com.new.app", datetime(2024, 5, 3, 11, 0, tzinfo=UTC))]


def test_dbinfo_sample(mvt_samples: Path) -> None:
    ops = list(parse_dbinfo(_sample(mvt_samples, "dumpsys_dbinfo.txt", "dbinfo")))
    assert len(ops) == 5 and {o.process for o in ops} == {"com.wssyncmldm"}
    assert ops[0].path == "/data/user/0/com.wssyncmldm/databases/idmsdk.db"
    assert ops[0].sql == "PRAGMA database_list;" and ops[0].action == "executeForCursorWindow"
    records = list(DumpsysDbInfo().collect(_Source(dbinfo="** Database info for pid 1 [a.b] **\n"
                                                   "Connection pool for /d/x.db:\n"
                                                   "  0: [2024-01-01 00:00:00.000] execute took 1ms - succeeded\n"),
                                           ArtifactLog()))  # type: ignore[arg-type]
    assert [(r.process, r.path, r.action) for r in records] == [("a.b", "/d/x.db", "execute")]


def test_packages_sample(mvt_samples: Path) -> None:
    packages = list(parse_packages(_sample(mvt_samples, "dumpsys_packages.txt", "package")))
    assert [p.package for p in packages] == ["com.samsung.android.provider.filterprovider",
                                             "com.sec.android.app.DataCreate"]
    data_create = packages[1]
    assert data_create.system and data_create.uid == 10143 and data_create.version_code == 1
    assert "android.permission.WRITE_SMS" in data_create.granted_permissions
    assert "android.permission.INTERNET" in data_create.requested_permissions
    assert "android.permission.READ_SMS" not in data_create.granted_permissions  # runtime, not granted
    assert data_create.first_install_raw == "2008-12-31 16:00:00"


def test_packages_generated_installer_and_disabled() -> None:
    text = ("Packages:\n  Package [com.sideloaded] (1):\n    userId=10300\n    flags=[ HAS_CODE ]\n"
            "    installerPackageName=com.google.android.packageinstaller\n"
            "    User 0: installed=true enabled=0\n"
            "  Package [com.android.vending] (2):\n    flags=[ SYSTEM HAS_CODE ]\n"
            "    User 0: installed=true enabled=3\n\nHidden system packages:\n")
    records = list(DumpsysPackages().collect(_Source(package=text), ArtifactLog()))  # type: ignore[arg-type]
    assert [(r.package, r.installer, r.system, r.disabled) for r in records] == [
        ("com.sideloaded", "com.google.android.packageinstaller", False, False),
        ("com.android.vending", None, True, True)]
    rules = sorted(d.rule or "" for d in detections("android.dumpsys.packages", records))
    assert rules == ["android.security_package_disabled", "android.sideloaded_package"]
    # an app whose installer the dump does not state is not called sideloaded
    quiet = "Packages:\n  Package [com.unsaid] (1):\n    flags=[ HAS_CODE ]\n"
    unsaid = list(DumpsysPackages().collect(_Source(package=quiet), ArtifactLog()))  # type: ignore[arg-type]
    assert not unsaid[0].installer_listed and detections("android.dumpsys.packages", unsaid) == []


def test_resolver_tables_and_interception_rule(mvt_samples: Path) -> None:
    section = _sample(mvt_samples, "dumpsys_packages.txt", "package")
    activities = list(parse_resolver_table(section, "Activity Resolver Table", "activity"))
    assert len(activities) == 10 and activities[0].intent == "text/comma-separated-values"
    receivers = list(parse_resolver_table(section, "Receiver Resolver Table", "receiver"))
    assert len(receivers) == 9 and receivers[0].component == "com.google.android.gm/.GmailReceiver"
    text = ("Receiver Resolver Table:\n  Non-Data Actions:\n      android.provider.Telephony.SMS_RECEIVED:\n"
            "        1a2b3c4 com.spy.app/.SmsListener\n        2b3c4d5 com.google.android.gms/.Sms\n"
            "      android.intent.action.NEW_OUTGOING_CALL:\n        3c4d5e6 com.spy.app/.CallListener (2 filters)\n"
            "\nActivity Resolver Table:\n  Non-Data Actions:\n      android.provider.Telephony.SMS_RECEIVED:\n"
            "        4d5e6f7 com.other/.Act\n")
    source = _Source(package=text)
    records = list(DumpsysReceivers().collect(source, ArtifactLog()))  # type: ignore[arg-type]
    assert [r.component for r in records] == ["com.spy.app/.SmsListener", "com.google.android.gms/.Sms",
                                              "com.spy.app/.CallListener"]
    found = detections("android.dumpsys.receivers", records)  # one app: one finding, two occurrences
    assert [d.message for d in found] == ["com.spy.app receives incoming SMS (com.spy.app/.SmsListener)"]
    assert found[0].count == 2
    assert [o.note for o in found[0].occurrences] == [
        None, "com.spy.app receives outgoing calls (com.spy.app/.CallListener)"]
    acts = list(DumpsysActivities().collect(source, ArtifactLog()))  # type: ignore[arg-type]
    assert [a.component for a in acts] == ["com.other/.Act"]
    assert detections("android.dumpsys.activities", acts) == []  # activities do not intercept broadcasts


def test_platform_compat_sample(mvt_samples: Path) -> None:
    records = list(parse_platform_compat(_sample(mvt_samples, "dumpsys_platform_compat.txt", "platform_compat")))
    assert sorted({r.package for r in records}) == ["com.google.android.apps.tachyon", "org.article19.circulo.next",
                                                    "org.torproject.torbrowser"]
    more = list(DumpsysPlatformCompat().collect(_Source(platform_compat="ChangeId(1; name=X; rawOverrides={a.b=true})"),
                                                ArtifactLog()))  # type: ignore[arg-type]
    assert [(r.package, r.change, r.override) for r in more] == [("a.b", "X", "rawOverrides")]


@pytest.mark.parametrize("name", ["dumpsys_adb.txt", "dumpsys_adb_wifi.txt", "dumpsys_adb_xml.txt"])
def test_adb_samples(mvt_samples: Path, name: str) -> None:
    keys = list(parse_adb(_sample(mvt_samples, name, "adb")))
    assert len(keys) == 1 and keys[0].connected_to_adb is True
    if name == "dumpsys_adb_xml.txt":
        assert keys[0].comment == "user@laptop"
        assert keys[0].last_connection == datetime(2021, 8, 9, 9, 37, 9, 898000, tzinfo=UTC)
    else:
        assert keys[0].comment == "user@linux" and keys[0].last_key_received is not None


def test_adb_generated_two_keys() -> None:
    text = ("  debugging_manager={\n    connected_to_adb=false\n"
            "    user_keys=" + "A" * 60 + "= alice@pc\n" + "B" * 60 + "== bob@pc\n\n  }\n")
    records = list(DumpsysAdb().collect(_Source(adb=text), ArtifactLog()))  # type: ignore[arg-type]
    assert [r.comment for r in records] == ["alice@pc", "bob@pc"]
    assert records[0].connected_to_adb is False


def test_dumpsys_artifacts_on_the_bugreport_sample(mvt_samples: Path, tmp_path: Path) -> None:
    from spyscan.errors import ArtifactNotFound
    from spyscan.kinds import all_kinds

    folder = mvt_samples / "android_data" / "bugreport"
    if not folder.is_dir() or "bugreport" not in all_kinds():
        pytest.skip("bugreport sample or kind absent")
    evidence = all_kinds()["bugreport"](folder, tmp_path)
    evidence.open()
    counts: dict[str, int | None] = {}
    for artifact in (DumpsysAppOps, DumpsysPackages, DumpsysPlatformCompat, DumpsysReceivers, DumpsysDbInfo):
        try:
            counts[artifact.id] = len(list(artifact().collect(evidence, ArtifactLog())))
        except ArtifactNotFound:
            counts[artifact.id] = None
    assert counts == {"android.dumpsys.appops": 30, "android.dumpsys.packages": 2,
                      "android.dumpsys.platform_compat": 4, "android.dumpsys.receivers": None,
                      "android.dumpsys.dbinfo": None}
