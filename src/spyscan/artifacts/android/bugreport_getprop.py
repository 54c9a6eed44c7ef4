"""System properties from the dumpstate's ``SYSTEM PROPERTIES`` block (``[name]: [value]`` lines), and the
security patch level judged against the date in the dumpstate's header."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.android.androidqf_getprop import PATCH_PROPERTY, patch_record
from spyscan.artifacts.android.property_lines import parse_property_lines
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.kinds.bugreport import BugreportEvidence
from spyscan.records.android_properties import AndroidProperty, AndroidSecurityPatch
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr


def device_properties(evidence: BugreportEvidence) -> dict[str, str]:
    return {name: value for _, name, value in parse_property_lines(evidence.system_properties().lines)}


class BugreportProperties(Artifact):
    id = "android.bugreport.getprop"
    kinds = ("bugreport",)
    same_data = "getprop"
    title = N_("System properties (dumpstate SYSTEM PROPERTIES)")
    records = (AndroidProperty, AndroidSecurityPatch)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidProperty | AndroidSecurityPatch]:
        if not isinstance(evidence, BugreportEvidence):
            raise ArtifactNotFound(tr('not a bugreport'))
        block = evidence.system_properties()
        if not block.lines:
            raise ArtifactNotFound(tr('no SYSTEM PROPERTIES section in %(dumpstate_name)s',
                                      dumpstate_name=evidence.dumpstate_name))
        unparsed: list[int] = []
        for number, name, value in parse_property_lines(block.lines, unparsed):
            yield AndroidProperty(source=SourceRef(file=block.file, line=number, key="SYSTEM PROPERTIES"),
                                  name=name, value=value)
            if name == PATCH_PROPERTY and value.strip():  # judged against the dumpstate's own date
                yield patch_record(number, value, evidence.acquired_at(), block.file)
        if unparsed:
            log.warn(tr('%(block)s: %(count)s line(s) of SYSTEM PROPERTIES are not [name]: [value] entries (first at '
                        'line %(unparsed)s)', block=block.file, count=len(unparsed), unparsed=unparsed[0]))
        if block.cut:
            log.warn(tr('%(block)s ends inside SYSTEM PROPERTIES: the dumpstate may be cut', block=block.file))
