"""androidqf ``packages.json``: installed apps with APK hashes and signing certificates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.base import SourceRef
from spyscan.timeutil import from_iso

FILE = "packages.json"


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _cert(files: list[dict[str, Any]], key: str) -> list[str]:
    values = []
    for entry in files:
        cert = entry.get("certificate")
        if isinstance(cert, dict):
            value = cert.get(key) or cert.get(key.lower())
            if isinstance(value, str) and value:
                values.append(value.lower())
    return sorted(set(values))


def _hash(files: list[dict[str, Any]], key: str) -> list[str]:
    return sorted({str(f[key]).lower() for f in files if isinstance(f.get(key), str) and f[key]})


class AndroidQFPackages(Artifact):
    id = "android.androidqf.packages"
    kinds = ("androidqf",)
    title = "Installed packages (packages.json)"
    records = (AndroidPackage,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidPackage]:
        data = msgspec.json.decode(evidence.read_bytes(FILE))
        if not isinstance(data, list):
            raise ValueError(f"{FILE} is not a JSON array")
        for position, entry in enumerate(data):
            if not isinstance(entry, dict) or not _str(entry.get("name")):
                log.warn(f"{FILE} entry {position} has no package name")
                continue
            files = [f for f in entry.get("files") or [] if isinstance(f, dict)]
            installer = _str(entry.get("installer"))
            yield AndroidPackage(
                source=SourceRef(file=FILE, key=f"[{position}]"),
                package=str(entry["name"]).strip(),
                installer=None if installer in (None, "null") else installer,
                uid=entry.get("uid") if isinstance(entry.get("uid"), int) else None,
                disabled=bool(entry.get("disabled", False)),
                system=bool(entry.get("system", False)),
                third_party=bool(entry.get("third_party", False)),
                version=_str(entry.get("version_name")),
                apk_paths=[str(f["path"]) for f in files if isinstance(f.get("path"), str)],
                apk_sha256=_hash(files, "sha256"),
                apk_sha1=_hash(files, "sha1"),
                apk_md5=_hash(files, "md5"),
                cert_sha256=_cert(files, "Sha256"),
                cert_sha1=_cert(files, "Sha1"),
                cert_md5=_cert(files, "Md5"),
                first_install=from_iso(entry.get("first_install_time")),
                last_update=from_iso(entry.get("last_update_time")),
            )
