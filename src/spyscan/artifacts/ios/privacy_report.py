"""App Privacy Report (saved from the iPhone's Settings): sensor/data accesses and network activity per app.

One artifact reads both line types so that rules comparing them (an app's accesses and its network
activity, the report's time span) see every record of the report together.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.kinds.ios_privacy_report import IOSPrivacyReportEvidence, ReadNotes, ReportLine
from spyscan.records.base import Record, SourceRef
from spyscan.records.ios_privacy_report import (
    ACCESSOR_PATH,
    PrivacyReportAccess,
    PrivacyReportNetwork,
)
from spyscan.texts import N_, tr
from spyscan.timeutil import IOS_FLOOR, from_iso


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        text = value.strip()
        return text or None
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def access_record(line: ReportLine) -> PrivacyReportAccess | None:
    data = line.data
    found = data.get("accessor")
    accessor: dict[str, Any] = found if isinstance(found, dict) else {}
    identifier = _text(accessor.get("identifier"))
    if identifier is None:
        return None
    kind = _text(accessor.get("identifierType"))
    is_path = kind == ACCESSOR_PATH or (kind is None and identifier.startswith("/"))
    raw = _text(data.get("timeStamp"))
    return PrivacyReportAccess(
        source=SourceRef(file=line.file, line=line.line), accessor=identifier, accessor_type=kind,
        bundle_id=None if is_path else identifier, path=identifier if is_path else None,
        category=_text(data.get("category")), access_id=_text(data.get("identifier")), kind=_text(data.get("kind")),
        time=from_iso(raw, IOS_FLOOR), time_raw=raw,
    )


def network_record(line: ReportLine) -> PrivacyReportNetwork | None:
    data = line.data
    bundle = _text(data.get("bundleID"))
    domain = _text(data.get("domain"))
    if bundle is None and domain is None:
        return None
    first_raw, last_raw = _text(data.get("firstTimeStamp")), _text(data.get("timeStamp"))
    return PrivacyReportNetwork(
        source=SourceRef(file=line.file, line=line.line), bundle_id=bundle, domain=domain,
        context=_text(data.get("context")), initiated=_text(data.get("initiatedType")),
        domain_owner=_text(data.get("domainOwner")), domain_type=_int(data.get("domainType")),
        domain_classification=_int(data.get("domainClassification")), hits=_int(data.get("hits")),
        first_time=from_iso(first_raw, IOS_FLOOR), time=from_iso(last_raw, IOS_FLOOR), first_time_raw=first_raw,
        time_raw=last_raw,
    )


class IOSPrivacyReport(Artifact):
    id = "ios.privacy_report"
    kinds = ("ios-privacy-report",)
    title = N_("App Privacy Report: data/sensor accesses and network activity per app")
    records = (PrivacyReportAccess, PrivacyReportNetwork)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Record]:
        if not isinstance(evidence, IOSPrivacyReportEvidence):
            raise ArtifactNotFound(tr('App Privacy Report files are read from ios-privacy-report inputs only'))
        notes = ReadNotes()
        incomplete = 0
        try:
            for line in evidence.lines(notes):
                record = access_record(line) if line.data.get("type") == "access" else network_record(line)
                if record is None:
                    incomplete += 1
                    continue
                if record.time_raw and record.time is None:
                    log.warn(tr('%(line)s line %(line2)s: time %(time_raw)s is not ISO 8601', line=line.file,
                                line2=line.line, time_raw=record.time_raw))
                yield record
        finally:
            _warn(log, notes, incomplete)


def _warn(log: ArtifactLog, notes: ReadNotes, incomplete: int) -> None:
    if notes.bad_lines:
        log.warn(tr('%(bad_lines)s line(s) are not JSON objects and were skipped', bad_lines=notes.bad_lines))
    if notes.long_lines:  # a budget: what those lines held was not checked
        log.mark_truncated(tr('%(long_lines)s line(s) longer than 64 KiB were skipped', long_lines=notes.long_lines))
    if notes.deep_lines:
        log.mark_truncated(tr('%(deep_lines)s line(s) holding JSON nested too deep to read were skipped',
                              deep_lines=notes.deep_lines))
    if notes.other_types:
        log.warn(tr('%(other_types)s line(s) of a type other than access/networkActivity were skipped',
                    other_types=notes.other_types))
    if notes.unterminated:
        log.warn(tr('the last line of a report has no line break: the file may be cut short'))
    for rel in notes.empty:
        log.warn(tr('%(rel)s holds no access or networkActivity line', rel=rel))
    if incomplete:
        log.warn(tr('%(incomplete)s line(s) name neither the app nor the domain and were skipped',
                    incomplete=incomplete))
