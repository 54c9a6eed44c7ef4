"""``dumpsys package``: installed packages with installer, flags, permissions and install times."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import msgspec

from spyscan.artifacts.android.dumpsys_common import device_time, indent_of
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.android_time import UNKNOWN_CLOCK, DeviceClock, device_clock
from spyscan.evidence.base import Evidence
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr
from spyscan.values import to_int

_PACKAGE = re.compile(r"^\s{2}Package \[(?P<name>[^\]]+)\]")
_FIELD = re.compile(r"^\s+(?P<key>[A-Za-z]+)=(?P<value>.*)$")
_PERMISSION = re.compile(r"^\s+(?P<name>[\w.]+): granted=(?P<granted>true|false)")
_ENABLED = re.compile(r"\benabled=(?P<state>\d)")
_REQUESTED = re.compile(r"[\w.]+(?:, \w+=.*)?")
NULL_INSTALLERS = frozenset({"null", ""})


INVENTORY = "packages.json"


class _InventoryEntry(msgspec.Struct):
    installer: str | None = None


def inventory_states_installers(evidence: Evidence) -> bool:
    """True when the input also has an androidqf ``packages.json`` that states installers.

    androidqf lists packages with ``pm list packages -i`` (``installer`` is the installer or ``"null"``);
    on phones without ``-i`` it writes an empty installer. When packages.json states installers it is
    the source checked for sideloading, and the same apps seen in ``dumpsys package`` are not reported
    a second time.
    """
    from spyscan.kinds.androidqf import AndroidQFEvidence

    if not isinstance(evidence, AndroidQFEvidence) or not evidence.exists(INVENTORY):
        return False
    try:
        entries = msgspec.json.decode(evidence.read_bytes(INVENTORY), type=list[_InventoryEntry])
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError, ArtifactNotFound, EvidenceError, OSError):
        return False  # RecursionError: JSON nested too deep for msgspec
    return any(entry.installer for entry in entries)


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


def _to_record(section: DumpsysSection, pkg: _Pkg, clock: DeviceClock, primary: bool) -> AndroidPackage:
    flags = sorted(set(_flags(pkg.fields.get("flags")) + _flags(pkg.fields.get("pkgFlags"))))
    installer = pkg.fields.get("installerPackageName")
    version_code = pkg.fields.get("versionCode", "").split(" ", 1)[0]
    first, last = pkg.fields.get("firstInstallTime"), pkg.fields.get("lastUpdateTime")
    return AndroidPackage(
        source=SourceRef(file=section.file, line=pkg.line, key=section.name), package=pkg.name,
        installer=None if installer is None or installer in NULL_INSTALLERS else installer,
        installer_listed=installer is not None,
        uid=to_int(pkg.fields.get("userId")),
        disabled=pkg.disabled, system="SYSTEM" in flags, third_party="SYSTEM" not in flags,
        version=pkg.fields.get("versionName"), version_code=to_int(version_code),
        flags=flags, apk_paths=[pkg.fields["codePath"]] if pkg.fields.get("codePath") else [],
        requested_permissions=pkg.requested, granted_permissions=sorted(pkg.granted),
        first_install=device_time(first, clock) if first else None,
        last_update=device_time(last, clock) if last else None,
        first_install_raw=first, last_update_raw=last, time_zone=clock.name,
        timezone_assumed=clock.assumed and bool(first or last), install_source_primary=primary,
    )


def parse_packages(section: DumpsysSection, clock: DeviceClock = UNKNOWN_CLOCK,
                   primary: bool = True) -> Iterator[AndroidPackage]:
    """Packages of ``dumpsys package``; device-local install/update times converted with ``clock``.

    A block ends at the next ``  Package [`` line, and the list at the next section header (a line at the
    left margin ending with ``:``), never at a blank line or an unindented line inside a block: vendors print
    both inside blocks (MIUI/HyperOS, HONOR ``<name> overlay paths:``, Samsung after ``targetSdk=``, Pixel
    archived apps), which cut the package list to a few packages in other tools (mvt-project/mvt PR #871).

    ``primary`` False marks the records as a second source of installers (see AndroidPackage).
    """
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
        indent = len(line) - len(line.lstrip(" "))  # this loop sees every line of the block: test cheap things first
        if indent == 2 and line.startswith("Package [", 2) and (match := _PACKAGE.match(line)):
            if current is not None:
                yield _to_record(section, current, clock, primary)
            current, in_requested = _Pkg(name=match["name"], line=number), False
            continue
        if indent == 0 and stripped.endswith(":") and not stripped.endswith("overlay paths:"):
            break  # the next section header ("Hidden system packages:", "Queries:", ...) ends the block
        if indent <= 2:
            # a line outside the fields inside a block: MIUI/HyperOS and HONOR print "<name> overlay paths:"
            # unindented, Pixels an archived-app block (comment on mvt-project/mvt PR #871): not the end
            in_requested = False
            continue
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
        if "granted=" in line and (perm := _PERMISSION.match(line)) is not None:
            if perm["granted"] == "true":
                current.granted.add(perm["name"])
            continue
        if in_requested and _REQUESTED.fullmatch(stripped):
            current.requested.append(stripped.split(",", 1)[0])
            continue
        if indent == 4 and (fld := _FIELD.match(line)) is not None:
            current.fields.setdefault(fld["key"], fld["value"].strip())
    if current is not None:
        yield _to_record(section, current, clock, primary)


class DumpsysPackages(Artifact):
    id = "android.dumpsys.packages"
    kinds = ("androidqf", "bugreport")
    same_data = "dumpsys:package"
    title = N_("Packages (dumpsys package)")
    records = (AndroidPackage,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidPackage]:
        clock = device_clock(evidence)
        primary = not inventory_states_installers(evidence)
        assumed = 0
        for record in parse_packages(require_section(evidence, "package", log=log), clock, primary):
            assumed += record.timezone_assumed
            yield record
        if assumed:
            log.warn(clock.warning(tr("package install and update times")))
