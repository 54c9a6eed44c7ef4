"""System properties from the dumpstate's ``SYSTEM PROPERTIES`` block (``[name]: [value]`` lines)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.kinds.bugreport import BugreportEvidence
from spyscan.records.android_properties import AndroidProperty
from spyscan.records.base import SourceRef

_LINE = re.compile(r"^\[(?P<name>[^\]]+)\]: \[(?P<value>.*)$")


def parse_property_lines(lines: tuple[tuple[int, str], ...]) -> Iterator[tuple[int, str, str]]:
    """``(line, name, value)`` for each property; a value may continue over several lines."""
    pending: tuple[int, str, list[str]] | None = None
    for number, line in lines:
        if pending is not None:
            if line.endswith("]"):
                pending[2].append(line[:-1])
                yield pending[0], pending[1], "\n".join(pending[2])
                pending = None
            else:
                pending[2].append(line)
            continue
        match = _LINE.match(line)
        if not match:
            continue
        value = match.group("value")
        if value.endswith("]"):
            yield number, match.group("name"), value[:-1]
        else:
            pending = (number, match.group("name"), [value])
    if pending is not None:
        yield pending[0], pending[1], "\n".join(pending[2])


def device_properties(evidence: BugreportEvidence) -> dict[str, str]:
    return {name: value for _, name, value in parse_property_lines(evidence.system_properties().lines)}


class BugreportProperties(Artifact):
    id = "android.bugreport.getprop"
    kinds = ("bugreport",)
    title = "System properties (dumpstate SYSTEM PROPERTIES)"
    records = (AndroidProperty,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidProperty]:
        if not isinstance(evidence, BugreportEvidence):
            raise ArtifactNotFound("not a bugreport")
        block = evidence.system_properties()
        if not block.lines:
            raise ArtifactNotFound(f"no SYSTEM PROPERTIES section in {evidence.dumpstate_name}")
        for number, name, value in parse_property_lines(block.lines):
            yield AndroidProperty(source=SourceRef(file=block.file, line=number, key="SYSTEM PROPERTIES"),
                                  name=name, value=value)
