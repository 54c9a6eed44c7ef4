"""Installed Android packages (androidqf packages.json, dumpsys package)."""

from __future__ import annotations

from datetime import datetime

from spyscan.observables import Obs
from spyscan.records.base import Record


class AndroidPackage(Record, frozen=True, tag="android.package"):
    package: str
    installer: str | None = None
    uid: int | None = None
    disabled: bool = False
    system: bool = False
    third_party: bool = False
    version: str | None = None
    apk_paths: list[str] = []
    apk_sha256: list[str] = []
    apk_sha1: list[str] = []
    apk_md5: list[str] = []
    cert_sha256: list[str] = []
    cert_sha1: list[str] = []
    cert_md5: list[str] = []
    first_install: datetime | None = None
    last_update: datetime | None = None

    TIMESTAMPS = (("first_install", "package installed"), ("last_update", "package updated"))
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
        return f"{self.package} (installer {self.installer or 'unknown'})"
