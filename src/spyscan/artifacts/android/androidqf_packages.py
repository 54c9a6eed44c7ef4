"""androidqf ``packages.json``: installed apps with APK hashes and signing certificates.

Format (androidqf ``adb/packages.go``): a JSON array of ``{name, files, installer, uid, disabled, system,
third_party}``; each file ``{path, local_name, md5, sha1, sha256, sha512, error, verified_certificate,
certificate{Md5, Sha1, Sha256, ValidFrom, ValidTo, Issuer, Subject, SignatureAlgorithm, SerialNumber},
certificate_error, trusted_certificate}``. ``installer`` comes from ``pm list packages -i``: the
installer package, or ``"null"`` when there is none; it is empty when the phone refused ``-i`` (then
the installer is not known at all). Newer androidqf lists packages per Android user (``user_id``,
``installed``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.android.androidqf_common import as_int, clean_str, json_items
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr
from spyscan.timeutil import ANDROID_FLOOR, from_iso
from spyscan.values import raw_value, to_items

FILE = "packages.json"
NULL_INSTALLERS = frozenset({"null", "none", "unknown"})


def _cert(files: list[dict[str, Any]], key: str) -> list[str]:
    values = set()
    for entry in files:
        cert = entry.get("certificate")
        if isinstance(cert, dict):
            value = cert.get(key) or cert.get(key.lower()) or cert.get(key.upper())
            if isinstance(value, str) and value:
                values.add(value.lower().replace(":", ""))
    return sorted(values)


def _hash(files: list[dict[str, Any]], key: str) -> list[str]:
    return sorted({str(f[key]).lower() for f in files if isinstance(f.get(key), str) and f[key]})


def _installer(value: Any) -> tuple[str | None, bool]:
    """``(installer, listed)``: "null" is a stated absence of installer, an empty value is no statement."""
    text = clean_str(value)
    if text is None:
        return None, False
    return (None if text.lower() in NULL_INSTALLERS else text), True


class AndroidQFPackages(Artifact):
    id = "android.androidqf.packages"
    kinds = ("androidqf",)
    title = N_("Installed packages (packages.json)")
    records = (AndroidPackage,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidPackage]:
        for position, entry in json_items(evidence, FILE, log):
            if not isinstance(entry, dict) or not clean_str(entry.get("name")):
                log.warn(tr('%(file)s entry %(position)s has no package name', file=FILE, position=position))
                continue
            files = [f for f in to_items(entry.get("files")) if isinstance(f, dict)]
            installer, listed = _installer(entry.get("installer"))
            yield AndroidPackage(
                source=SourceRef(file=FILE, key=f"[{position}]"),
                package=str(entry["name"]).strip(),
                installer=installer,
                installer_listed=listed,
                uid=as_int(entry.get("uid")),
                disabled=bool(entry.get("disabled", False)),
                system=bool(entry.get("system", False)),
                third_party=bool(entry.get("third_party", False)),
                version=clean_str(entry.get("version_name")),
                version_code=as_int(entry.get("version_code")),
                apk_paths=[str(f["path"]) for f in files if isinstance(f.get("path"), str)],
                apk_sha256=_hash(files, "sha256"),
                apk_sha1=_hash(files, "sha1"),
                apk_md5=_hash(files, "md5"),
                cert_sha256=_cert(files, "Sha256"),
                cert_sha1=_cert(files, "Sha1"),
                cert_md5=_cert(files, "Md5"),
                trusted_signer=bool(files) and all(f.get("trusted_certificate") is True for f in files),
                first_install=from_iso(entry.get("first_install_time"), ANDROID_FLOOR),
                first_install_raw=raw_value(entry.get("first_install_time")),
                last_update=from_iso(entry.get("last_update_time"), ANDROID_FLOOR),
                last_update_raw=raw_value(entry.get("last_update_time")),
            )
