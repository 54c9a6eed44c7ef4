"""Installed Android packages (androidqf packages.json, dumpsys package)."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record
from spyscan.texts import N_
from spyscan.values import Raw


class AndroidPackage(Record, frozen=True, tag="android.package"):
    package: str
    installer: str | None = None  # installing package; None when unknown/null
    installer_listed: bool = True  # False when the source did not say (older dumpsys formats)
    uid: int | None = None
    disabled: bool = False
    system: bool = False
    third_party: bool = False
    version: str | None = None
    version_code: int | None = None
    flags: list[str] = []  # SYSTEM, DEBUGGABLE, ... (dumpsys package)
    apk_paths: list[str] = []
    apk_sha256: list[str] = []
    apk_sha1: list[str] = []
    apk_md5: list[str] = []
    cert_sha256: list[str] = []
    cert_sha1: list[str] = []
    cert_md5: list[str] = []
    trusted_signer: bool = False  # androidqf: every APK's signer is on its list of well-known developers'
    # certificates (``trusted_certificate``)
    requested_permissions: list[str] = []
    granted_permissions: list[str] = []
    first_install: datetime | None = None
    last_update: datetime | None = None
    first_install_raw: Raw = None  # the stored value (device-local text in dumpsys)
    last_update_raw: Raw = None
    time_zone: str | None = None  # device time zone used to convert the local times above, when known
    timezone_assumed: bool = False  # True: no zone was known, device-local times are stored as if UTC
    install_source_primary: bool = True  # False: another source of the same acquisition is checked for
    # the installer (androidqf packages.json over dumpsys package), so the package is reported once

    TIMESTAMPS = (("first_install", N_("package installed")), ("last_update", N_("package updated")))
    OBSERVABLES = (
        ("package", Obs.APP_ID),
        ("apk_sha256", Obs.SHA256),
        ("apk_sha1", Obs.SHA1),
        ("apk_md5", Obs.MD5),
        ("cert_sha256", Obs.CERT_SHA256),
        ("cert_sha1", Obs.CERT_SHA1),
        ("cert_md5", Obs.CERT_MD5),
        ("apk_paths", Obs.FILE_PATH),
    )

    def summary(self) -> str:
        state = " disabled" if self.disabled else ""
        return f"{self.package}{state} (installer {self.installer or 'unknown'})"
