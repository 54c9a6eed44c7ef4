"""``dumpsys package`` and package inventories as vendors print them (field reports, docs/false-alarms.md).

- MIUI/HyperOS and HONOR print ``<name> overlay paths:`` unindented inside a ``Package [...]`` block, and
  blank lines appear inside blocks (Samsung after ``targetSdk=``): the list must not stop there
  (comment on mvt-project/mvt PR #871: 10 of 388 packages parsed on a POCO M3).
- ``pkgFlags=[ SYSTEM ... ]`` marks preinstalled apps (mvt-project/mvt#873).
- Xiaomi preloads copied to ``/data/app/<Name>/`` with installer ``null`` are not sideloaded
  (osservatorionessuno/bugbane#150); WhatsApp installed by hand keeps its developer's signer.
"""

from __future__ import annotations

from pathlib import Path

from spyscan.artifacts.android.dumpsys_packages import parse_packages
from spyscan.detection.heuristics.android_install_origin import install_origin, preinstalled
from spyscan.evidence.android_dumpsys import section_from_text
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.base import SourceRef
from tests.androidqf.helpers import collect, detections, open_evidence
from tests.builders.androidqf import build_androidqf, package

MIUI_PACKAGES = """\
Packages:
  Package [com.miui.compass] (4d2c1a0):
    userId=10150
    pkg=Package{a1b2c3 com.miui.compass}
    codePath=/data/app/MIUICompassGlobal
    versionCode=31100 minSdk=29 targetSdk=34

    flags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ]
    installerPackageName=null
com.miui.compass overlay paths:
      /product/overlay/MiuiCompassOverlay.apk
    User 0: ceDataInode=1234 installed=true hidden=false suspended=false stopped=false notLaunched=false enabled=0
  Package [com.android.settings] (5e6f7a8):
    userId=1000
    codePath=/system_ext/priv-app/Settings
    pkgFlags=[ SYSTEM HAS_CODE PERSISTENT ]
    installerPackageName=null
legacy overlay paths:
      /product/overlay/SettingsOverlay.apk

  Package [com.example.sideloaded] (6f7a8b9):
    userId=10300
    codePath=/data/app/~~Xy==/com.example.sideloaded-Zw==
    flags=[ HAS_CODE ]
    installerPackageName=com.google.android.packageinstaller

Hidden system packages:
  Package [com.android.hidden] (7a8b9c0):
    userId=10001
"""


def test_blank_lines_and_unindented_overlay_lines_do_not_end_the_package_list() -> None:
    records = list(parse_packages(section_from_text("package", MIUI_PACKAGES)))
    assert [r.package for r in records] == ["com.miui.compass", "com.android.settings", "com.example.sideloaded"]
    settings = records[1]
    assert settings.system and "SYSTEM" in settings.flags  # pkgFlags only
    compass = records[0]
    assert not compass.system and compass.installer is None and compass.apk_paths == ["/data/app/MIUICompassGlobal"]
    assert compass.version_code == 31100


def _pkg(name: str, paths: list[str], *, installer: str | None = None, trusted: bool = False) -> AndroidPackage:
    return AndroidPackage(source=SourceRef(file="packages.json"), package=name, installer=installer,
                          third_party=True, apk_paths=paths, trusted_signer=trusted)


def test_maker_preloads_are_recognised_by_their_path() -> None:
    assert preinstalled(_pkg("com.miui.compass", ["/data/app/MIUICompassGlobal/base.apk"]))
    assert preinstalled(_pkg("com.miui.compass", ["/data/app/MIUICompassGlobal"]))  # dumpsys package's codePath
    assert preinstalled(_pkg("com.vendor.app", ["/product/app/VendorApp/VendorApp.apk"]))
    # the folders Android gives apps installed later: never a preload
    assert not preinstalled(_pkg("com.example.spy", ["/data/app/~~Ab==/com.example.spy-Cd==/base.apk"]))
    assert not preinstalled(_pkg("com.example.spy", ["/data/app/com.example.spy-1/base.apk"]))
    assert not preinstalled(_pkg("com.example.spy", []))
    assert not preinstalled(_pkg("com.example.spy", ["/data/app/~~Ab==/com.example.spy-Cd=="]))  # codePath
    assert not preinstalled(_pkg("com.example.spy", ["/data/app/com.example.spy-1"]))
    assert not preinstalled(_pkg("com.example.spy", ["/data/app/com.example.spy-1.apk"]))  # Android 4
    assert not preinstalled(_pkg("com.example.spy", ["/data/app/"]))
    origin = install_origin(_pkg("com.miui.compass", ["/data/app/MIUICompassGlobal/base.apk"]))
    assert origin is not None and origin.severity.value == "info" and not origin.suspicious


def test_sideloading_findings_on_an_androidqf_inventory(tmp_path: Path) -> None:
    path = build_androidqf(tmp_path / "a", packages=[
        package("com.miui.compass", installer=None, path="/data/app/MIUICompassGlobal/base.apk"),
        package("com.whatsapp", installer=None, trusted=True),
        package("com.example.spy", installer=None)])
    records, _ = collect(open_evidence(path, tmp_path / "w"), "android.androidqf.packages")
    found = sorted((d.severity.value, d.category, d.message) for d in detections("android.androidqf.packages", records)
                   if d.rule == "android.sideloaded_package")
    assert found == [
        ("info", "context", "com.miui.compass has no installer: preinstalled by the phone's maker "
                            "(/data/app/MIUICompassGlobal/base.apk)"),
        ("low", "context", "com.whatsapp was installed by hand (no installer), but it is signed by its well-known "
                           "developer"),
        ("medium", "compromise", "com.example.spy was installed by an unknown installer (adb or a file)"),
    ]
