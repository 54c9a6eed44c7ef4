"""``dumpsys accessibility``: installed, enabled and bound accessibility services.

Two layouts exist: up to Android 13 blocks ``installed services: {`` / ``enabled services: {`` with
one ``N : package/class`` per line; from Android 14 one line ``Enabled services:{{a/b}, {c/d}}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.android.dumpsys_common import component_package
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.base import Evidence
from spyscan.records.android_accessibility import AccessibilityService
from spyscan.records.base import SourceRef
from spyscan.texts import N_

_BLOCK = re.compile(r"^\s*(?P<state>installed|enabled|bound|binding) services:\s*\{\s*$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*\d+\s*:\s*(?P<component>[^\s/]+/\S+)\s*$")
_INLINE = re.compile(r"^\s*(?P<state>Enabled|Bound|Binding) services:\{(?P<body>.*)\}\s*$")
_COMPONENT = re.compile(r"\{([^{}\s/]+/[^{}\s,]+)\}")


def parse_accessibility(section: DumpsysSection) -> Iterator[AccessibilityService]:
    seen: dict[str, tuple[int, set[str]]] = {}
    state: str | None = None
    for number, line in section.lines():
        block = _BLOCK.match(line)
        if block:
            state = block["state"].lower()
            continue
        if state is not None:
            item = _ITEM.match(line)
            if item:
                seen.setdefault(item["component"], (number, set()))[1].add(state)
                continue
            if line.strip().startswith("}"):
                state = None
            continue
        inline = _INLINE.match(line)
        if inline:
            for component in _COMPONENT.findall(inline["body"]):
                seen.setdefault(component, (number, set()))[1].add(inline["state"].lower())
    for component, (number, states) in seen.items():
        yield AccessibilityService(
            source=SourceRef(file=section.file, line=number, key=section.name), package=component_package(component),
            component=component, enabled="enabled" in states, installed="installed" in states,
            bound="bound" in states or "binding" in states,
        )


class DumpsysAccessibility(Artifact):
    id = "android.dumpsys.accessibility"
    kinds = ("androidqf", "bugreport")
    same_data = "dumpsys:accessibility"
    title = N_("Accessibility services (dumpsys accessibility)")
    records = (AccessibilityService,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AccessibilityService]:
        yield from parse_accessibility(require_section(evidence, "accessibility", log=log))
