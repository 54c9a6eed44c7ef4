"""The spyware families behind the traces, grouped the way people understand them.

Indicator files name a "malware" for each indicator. Those names are the feeds' own labels: some are
spelled for machines (``OperationTriangulation``, ``WyrmSpy_DragonEgg``) and some are not families at all
but a campaign tag (``MercenarySpywareCampaign``). The report never shows a tag as if it were a family:
``display_name`` gives the name people use, or None for a tag (counted as an unnamed campaign).

Families are grouped by threat: mercenary spyware (sold to governments: Pegasus, Predator...),
stalkerware (apps installed by someone with access to the phone) and other (a feed spyscan knows
nothing about). The class is the indicator's ``threat`` when the feed says it, else where the indicator
file comes from (the stalkerware feed, or the bundled investigations of mercenary spyware).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from spyscan.detection.model import MERCENARY, STALKERWARE, Detection, IndicatorRef
from spyscan.report.provenance import Provenance
from spyscan.verdict import severe_compromise

OTHER = "other"
GROUP_ORDER = (MERCENARY, STALKERWARE, OTHER)
SHOWN_NAMES = 3  # names shown per group in the summary; the rest are counted

# bundled feeds' labels spelled for machines -> the name people use
DISPLAY_NAMES = {
    "OperationTriangulation": "Operation Triangulation",
    "WyrmSpy_DragonEgg": "WyrmSpy / DragonEgg",
    "RCSLab": "RCS Lab (Hermit)",
    "KingSpawn": "KingSpawn (QuaDream)",
    "Candiru": "Candiru (DevilsTongue)",
}
_TAG = re.compile(r"(?i)campaign|unknown|unattributed|generic|^ioc|indicators?$")


def display_name(malware: str | None) -> str | None:
    """The family name to show, or None when the feed's label is a tag rather than a family."""
    if not malware or not malware.strip():
        return None
    name = malware.strip()
    if name in DISPLAY_NAMES:
        return DISPLAY_NAMES[name]
    return None if _TAG.search(name) else name


def threat_of(ref: IndicatorRef, provenances: dict[str, Provenance]) -> str:
    if ref.threat in (MERCENARY, STALKERWARE):
        return ref.threat
    provenance = provenances.get(ref.file)
    if provenance is None:
        return OTHER
    return STALKERWARE if provenance.stalkerware else MERCENARY


@dataclass
class FamilyGroup:
    threat: str  # mercenary, stalkerware, other
    names: list[str] = field(default_factory=list)  # display names, the most evidence first
    unnamed: int = 0  # campaigns of this class that the feeds do not name as a family

    @property
    def count(self) -> int:
        return len(self.names) + self.unnamed

    def shown(self) -> list[str]:
        return self.names[:SHOWN_NAMES]

    def more(self) -> int:
        return self.count - len(self.shown())


def family_groups(detections: Sequence[Detection], provenances: dict[str, Provenance]) -> list[FamilyGroup]:
    """The families named by the high and critical indicator detections, by threat class."""
    evidence: dict[str, Counter[str]] = {}
    tags: dict[str, set[str]] = {}
    for d in severe_compromise(detections):
        refs = d.sources or ([d.indicator] if d.indicator else [])
        for ref in refs:
            threat = threat_of(ref, provenances)
            name = display_name(ref.malware)
            if name is None:
                tags.setdefault(threat, set()).add((ref.malware or "").strip().casefold() or ref.file)
            else:
                evidence.setdefault(threat, Counter())[name] += d.count
    groups = []
    for threat in GROUP_ORDER:
        names = [n for n, _ in sorted(evidence.get(threat, Counter()).items(), key=lambda i: (-i[1], i[0].casefold()))]
        unnamed = len(tags.get(threat, ()))
        if names or unnamed:
            groups.append(FamilyGroup(threat, names, unnamed))
    return groups


def has_stalkerware(detections: Sequence[Detection], provenances: dict[str, Provenance]) -> bool:
    return any(g.threat == STALKERWARE for g in family_groups(detections, provenances))
