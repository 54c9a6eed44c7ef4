"""Tombstones (native crash reports) copied into a bugreport: text and protobuf forms.

Files named ``tombstone_NN`` (text) and ``tombstone_NN.pb`` (protobuf, Android 12+) anywhere in the
bugreport (normally ``FS/data/tombstones/``). When both forms of the same crash are present the
protobuf one is used and the text one is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.android.bugreport_tombstone_proto import (
    ProtobufError,
    ProtobufLimitError,
    parse_proto_tombstone,
)
from spyscan.artifacts.android.bugreport_tombstone_text import parse_text_tombstone
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.base import Evidence
from spyscan.evidence.textio import decode_bytes
from spyscan.kinds.bugreport import BugreportEvidence
from spyscan.records.android_tombstones import AndroidTombstone
from spyscan.records.base import SourceRef

_NAME = re.compile(r"^tombstone_\d+(?P<pb>\.pb)?$")
LIMIT = 64 << 20


class BugreportTombstones(Artifact):
    id = "android.bugreport.tombstones"
    kinds = ("bugreport",)
    title = "Native crash reports (tombstones)"
    records = (AndroidTombstone,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidTombstone]:
        if not isinstance(evidence, BugreportEvidence):
            raise ArtifactNotFound("not a bugreport")
        names = sorted(n for n in evidence.files() if _NAME.match(n.rsplit("/", 1)[-1]))
        if not names:
            raise ArtifactNotFound("no tombstone files in this bugreport")
        decoded_pb: set[str] = set()
        for name in (n for n in names if n.endswith(".pb")):
            try:
                yield parse_proto_tombstone(evidence.read_file(name, LIMIT), SourceRef(file=name))
                decoded_pb.add(name[:-3])
            except ProtobufLimitError as exc:
                log.mark_truncated(f"{name} was not read: {exc}")
            except ProtobufError as exc:
                log.warn(f"{name}: not a readable protobuf tombstone ({exc})")
            except EvidenceError as exc:  # over the size limit: this file only, the others are read
                log.mark_truncated(str(exc))
        for name in (n for n in names if not n.endswith(".pb") and n not in decoded_pb):
            try:
                data = evidence.read_file(name, LIMIT)
            except EvidenceError as exc:
                log.mark_truncated(str(exc))
                continue
            decoded = decode_bytes(data)
            if decoded.bad_bytes:
                log.warn(f"{name}: {decoded.bad_bytes} undecodable byte sequence(s) escaped")
            record = parse_text_tombstone(decoded.text, SourceRef(file=name))
            if record is None:
                log.warn(f"{name}: not a readable text tombstone")
                continue
            yield record
