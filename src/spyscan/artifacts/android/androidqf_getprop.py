"""androidqf ``getprop.txt``: system properties, and the security patch level judged by its age."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

from spyscan.artifacts.android.androidqf_common import text_lines
from spyscan.artifacts.android.property_lines import parse_property_lines
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.base import Evidence
from spyscan.evidence.jsonio import JsonError, decode_json
from spyscan.faults import TIME_TEXT, note
from spyscan.records.android_properties import AndroidProperty, AndroidSecurityPatch
from spyscan.records.base import Record, SourceRef
from spyscan.texts import N_
from spyscan.timeutil import ANDROID_FLOOR, from_iso, plausible, utcnow

FILE = "getprop.txt"
PATCH_PROPERTY = "ro.build.version.security_patch"


def iter_properties(evidence: Evidence, log: ArtifactLog) -> Iterator[tuple[int, str, str]]:
    """``(line, name, value)`` for each ``[name]: [value]`` entry (a value may span several lines)."""
    return parse_property_lines(text_lines(evidence, FILE, log))


def read_properties(evidence: Evidence) -> dict[str, str]:
    return {name: value for _, name, value in iter_properties(evidence, ArtifactLog())}


def acquisition_date(evidence: Evidence) -> datetime | None:
    """When the acquisition was made, from ``acquisition.json`` (``completed`` or ``started``)."""
    try:
        data = decode_json(evidence.read_bytes("acquisition.json", limit=1 << 20))
    except (ArtifactNotFound, JsonError, EvidenceError, OSError):
        return None
    if not isinstance(data, dict):
        return None
    for key in ("completed", "started", "acquisition_date", "date"):
        when = from_iso(data.get(key), ANDROID_FLOOR)
        if when is not None and when.year > 2000:
            return when
    return None


def patch_record(line: int, value: str, reference: datetime | None) -> AndroidSecurityPatch:
    try:
        day: datetime | None = datetime.combine(date.fromisoformat(value.strip()), datetime.min.time(), UTC)
    except ValueError:
        day = None
        note(TIME_TEXT, value)
    parsed = plausible(day, value, ANDROID_FLOOR)
    ref = reference or utcnow()
    # judged against the acquisition date only, never today's (issue 19): without it, no age
    age = (reference - parsed).days if parsed is not None and reference is not None else None
    return AndroidSecurityPatch(
        source=SourceRef(file=FILE, line=line, key=PATCH_PROPERTY), patch_level=value.strip(),
        patch_date=parsed, reference=ref, reference_is_acquisition=reference is not None, age_days=age,
    )


class AndroidQFGetprop(Artifact):
    id = "android.androidqf.getprop"
    kinds = ("androidqf",)
    title = N_("System properties (getprop.txt)")
    records = (AndroidProperty, AndroidSecurityPatch)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Record]:
        reference = acquisition_date(evidence)
        for line, name, value in iter_properties(evidence, log):
            yield AndroidProperty(source=SourceRef(file=FILE, line=line), name=name, value=value)
            if name == PATCH_PROPERTY and value.strip():
                yield patch_record(line, value, reference)
