"""How an Android app got on the phone, from its package record: shared by the sideloading rule and
the run rule that weighs an app's traits together.

Not sideloaded, whatever the installer field says:

- system apps, and apps whose APK lies on a read-only system partition (``/system``, ``/product``,
  ``/vendor``, ``/system_ext``, ``/odm``, ``/oem``, ``/apex``);
- a maker's preloads copied to ``/data/app/<Name>/`` at first boot (Xiaomi/HyperOS: ``com.miui.compass`` at
  ``/data/app/MIUICompassGlobal/base.apk``, installer ``null``, osservatorionessuno/bugbane#150): an app
  installed later always gets a folder Android names itself, ``<package>-<random>`` (Android 5 to 10) or
  ``~~<random>==/<package>-<random>==`` (Android 11+), which no installer can choose.

An app with no installer whose signer androidqf lists as a well-known developer's
(``trusted_certificate``, mvt-project/androidqf ``utils/apks.go``) is the genuine app installed by hand
(WhatsApp from its website): low, not medium.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from spyscan.detection.heuristics.android_lists import installer_categories
from spyscan.detection.model import Severity
from spyscan.records.android_packages import AndroidPackage
from spyscan.texts import tr

READ_ONLY_PARTITIONS = ("/system/", "/product/", "/vendor/", "/system_ext/", "/odm/", "/oem/", "/apex/")


@dataclass(frozen=True)
class Origin:
    message: str  # a translatable text (spyscan.texts.tr)
    severity: Severity

    @property
    def suspicious(self) -> bool:
        """Installed by hand from a file (or by an unknown app), not by a store or the maker."""
        return self.severity.rank >= Severity.MEDIUM.rank


def _app_folder(path: str) -> str | None:
    """The folder under /data/app/ that holds the APK (``~~...`` for Android 11+ layouts), or the entry itself
    when the path ends there: ``dumpsys package`` gives the folder (``codePath=/data/app/MIUICompassGlobal``),
    Android 4 the APK file (``/data/app/<package>-1.apk``)."""
    if not path.startswith("/data/app/"):
        return None
    return path[len("/data/app/"):].split("/")[0] or None


def preinstalled(record: AndroidPackage) -> bool:
    """The APK was put there by the maker: a read-only partition, or a preload folder in /data/app."""
    if not record.apk_paths:
        return False
    for path in record.apk_paths:
        path = posixpath.normpath(path)
        if path.startswith(READ_ONLY_PARTITIONS):
            continue
        folder = _app_folder(path)
        if folder is None or folder.startswith("~~") or folder.startswith(record.package + "-") \
                or folder == record.package:
            return False
    return True


def install_origin(record: AndroidPackage) -> Origin | None:
    """How a third-party app was installed, when that is worth saying; None for store and system apps."""
    if record.system or not record.third_party or not record.installer_listed:
        return None
    installer = record.installer
    category = installer_categories().get(installer or "")
    if category == "store":
        return None
    app = record.package
    if installer is None and preinstalled(record):
        return Origin(tr("%(app)s has no installer: preinstalled by the phone's maker (%(paths)s)", app=app,
                         paths=", ".join(record.apk_paths)), Severity.INFO)
    if installer is None:
        if record.trusted_signer:
            return Origin(tr("%(app)s was installed by hand (no installer), but it is signed by its well-known "
                             "developer", app=app), Severity.LOW)
        return Origin(tr("%(package)s was installed by an unknown installer (adb or a file)", package=app),
                      Severity.MEDIUM)
    if category == "browser":
        return Origin(tr("%(package)s was installed from a file downloaded with the browser %(installer)s",
                         package=app, installer=installer), Severity.MEDIUM)
    if category == "package_installer":
        return Origin(tr("%(package)s was sideloaded with the package installer (%(installer)s)", package=app,
                         installer=installer), Severity.MEDIUM)
    if category == "third_party":
        return Origin(tr("%(package)s was installed from the alternative store %(installer)s", package=app,
                         installer=installer), Severity.INFO)
    return Origin(tr("%(package)s was installed by the app %(installer)s, not a known store", package=app,
                     installer=installer), Severity.LOW)
