"""``dumpsys platform_compat``: packages named in compatibility overrides.

Overrides stay after an app is removed, so these names can reveal apps that are no longer installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.base import Evidence
from spyscan.records.android_platform_compat import PlatformCompatPackage
from spyscan.records.base import SourceRef
from spyscan.texts import N_

_CHANGE = re.compile(r"^ChangeId\(\d+; name=(?P<name>[^;)]+)")
_OVERRIDES = re.compile(r"(?P<kind>packageOverrides|rawOverrides)=\{(?P<body>[^}]*)\}")


def parse_platform_compat(section: DumpsysSection) -> Iterator[PlatformCompatPackage]:
    for number, line in section.lines():
        change = _CHANGE.match(line)
        if not change:
            continue
        for overrides in _OVERRIDES.finditer(line):
            for item in overrides["body"].split(","):
                package = item.split("=", 1)[0].strip()
                if package:
                    yield PlatformCompatPackage(source=SourceRef(file=section.file, line=number, key=section.name),
                                                package=package, change=change["name"], override=overrides["kind"])


class DumpsysPlatformCompat(Artifact):
    id = "android.dumpsys.platform_compat"
    kinds = ("androidqf", "bugreport")
    same_data = "dumpsys:platform_compat"
    title = N_("Apps in compatibility overrides (dumpsys platform_compat)")
    records = (PlatformCompatPackage,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[PlatformCompatPackage]:
        yield from parse_platform_compat(require_section(evidence, "platform_compat", log=log))
