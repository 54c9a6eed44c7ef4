"""``dumpsys package``: installed packages with installer, flags, permissions and install times."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spyscan.artifacts.android.dumpsys_common import device_time, indent_of
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.base import Evidence
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.base import SourceRef

_PACKAGE = re.compile(r"^\s{2}Package \[(?P<name>[^\]]+)\]")
_FIELD = re.compile(r"^\s+(?P<key>[A-Za-z]+)=(?P<value>.*)$")
_PERMISSION = re.compile(r"^\s+(?P<name>[\w.]+): granted=(?P<granted>true|false)")
_ENABLED = re.compile(r"\benabled=(?P<state>\d)")
NULL_INSTALLERS = frozenset({"null", ""})


@dataclass
class _Pkg:
    name: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)
    granted: set[str] = field(default_factory=set)
    disabled: bool = False


def _flags(value: str | None) -> list[str]:
    return [f for f in (value or "").strip("[] ").split() if f]


def _to_record(section: DumpsysSection, pkg: _Pkg) -> AndroidPackage:
    flags = sorted(set(_flags(pkg.fields.get("flags")) + _flags(pkg.fields.get("pkgFlags"))))
    installer = pkg.fields.get("installerPackageName")
    version_code = pkg.fields.get("versionCode", "").split(" ", 1)[0]
    first, last = pkg.fields.get("firstInstallTime"), pkg.fields.get("lastUpdateTime")
    return AndroidPackage(
        source=SourceRef(file=section.file, line=pkg.line, key=section.name), package=pkg.name,
        installer=None if installer is None or installer in NULL_INSTALLERS else installer,
        installer_listed=installer is not None,
        uid=int(pkg.fields["userId"]) if pkg.fields.get("userId", "").isdigit() else None,
        disabled=pkg.disabled, system="SYSTEM" in flags, third_party="SYSTEM" not in flags,
        version=pkg.fields.get("versionName"), version_code=int(version_code) if version_code.isdigit() else None,
        flags=flags, apk_paths=[pkg.fields["codePath"]] if pkg.fields.get("codePath") else [],
        requested_permissions=pkg.requested, granted_permissions=sorted(pkg.granted),
        first_install=device_time(first) if first else None, last_update=device_time(last) if last else None,
        first_install_raw=first, last_update_raw=last,
    )


def parse_packages(section: DumpsysSection) -> Iterator[AndroidPackage]:
    inside = False
    current: _Pkg | None = None
    in_requested = False
    for number, line in section.lines():
        if not inside:
            inside = line.strip() == "Packages:" and indent_of(line) == 0
            continue
        stripped = line.strip()
        if not stripped:
            continue
        if (match := _PACKAGE.match(line)) and indent_of(line) == 2:
            if current is not None:
                yield _to_record(section, current)
            current, in_requested = _Pkg(name=match["name"], line=number), False
            continue
        if indent_of(line) <= 2:
            break  # end of the Packages: block
        if current is None:
            continue
        if (stripped.endswith(":") and " " not in stripped.rstrip(":").strip()) or stripped.endswith("permissions:"):
            in_requested = stripped == "requested permissions:"
            continue
        if stripped.startswith("User ") and ":" in stripped:
            in_requested = False
            state = _ENABLED.search(stripped)
            if state and state["state"] in ("2", "3", "4"):
                current.disabled = True
            continue
        if (perm := _PERMISSION.match(line)) is not None:
            if perm["granted"] == "true":
                current.granted.add(perm["name"])
            continue
        if in_requested and re.fullmatch(r"[\w.]+(?:, \w+=.*)?", stripped):
            current.requested.append(stripped.split(",", 1)[0])
            continue
        if (fld := _FIELD.match(line)) is not None and indent_of(line) == 4:
            current.fields.setdefault(fld["key"], fld["value"].strip())
    if current is not None:
        yield _to_record(section, current)


class DumpsysPackages(Artifact):
    id = "android.dumpsys.packages"
    kinds = ("androidqf", "bugreport")
    title = "Packages (dumpsys package)"
    records = (AndroidPackage,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidPackage]:
        yield from parse_packages(require_section(evidence, "package"))
