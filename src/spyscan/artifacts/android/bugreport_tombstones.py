"""Tombstones (native crash reports) copied into a bugreport: text and protobuf forms.

Files named ``tombstone_NN`` (text) and ``tombstone_NN.pb`` (protobuf, Android 12+) anywhere in the
bugreport (normally ``FS/data/tombstones/``). Android 12+ writes every crash twice: the two forms of
one crash are one record. The protobuf one is used when it decodes; otherwise (a damaged one, or an
empty twin, as field reports show: mvt-project/mvt PR #871) the text one. An empty protobuf twin next to
its text form is normal and says nothing; a damaged one is reported.
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
from spyscan.texts import N_, tr

_NAME = re.compile(r"^tombstone_\d+(?P<pb>\.pb)?$")
LIMIT = 64 << 20


class BugreportTombstones(Artifact):
    id = "android.bugreport.tombstones"
    kinds = ("bugreport",)
    title = N_("Native crash reports (tombstones)")
    records = (AndroidTombstone,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidTombstone]:
        if not isinstance(evidence, BugreportEvidence):
            raise ArtifactNotFound(tr('not a bugreport'))
        names = sorted(n for n in evidence.files() if _NAME.match(n.rsplit("/", 1)[-1]))
        if not names:
            raise ArtifactNotFound(tr('no tombstone files in this bugreport'))
        decoded_pb: set[str] = set()
        present = set(names)
        for name in (n for n in names if n.endswith(".pb")):
            try:
                data = evidence.read_file(name, LIMIT)
            except EvidenceError as exc:  # over the size limit: this file only, the others are read
                log.mark_truncated(str(exc))
                continue
            if not data and name[:-3] in present:
                continue  # an empty twin: the text form holds the crash
            try:
                yield parse_proto_tombstone(data, SourceRef(file=name))
                decoded_pb.add(name[:-3])
            except ProtobufLimitError as exc:
                log.mark_truncated(tr('%(name)s was not read: %(error)s', name=name, error=exc))
            except ProtobufError as exc:
                if name[:-3] in present:
                    log.warn(tr("%(name)s: not a readable protobuf tombstone (%(error)s) (its text form is read "
                                "instead)", name=name, error=exc))
                else:
                    log.warn(tr("%(name)s: not a readable protobuf tombstone (%(error)s)", name=name, error=exc))
        for name in (n for n in names if not n.endswith(".pb") and n not in decoded_pb):
            try:
                data = evidence.read_file(name, LIMIT)
            except EvidenceError as exc:
                log.mark_truncated(str(exc))
                continue
            decoded = decode_bytes(data)
            if decoded.bad_bytes:
                log.warn(tr('%(name)s: %(bad_bytes)s undecodable byte sequence(s) escaped', name=name,
                            bad_bytes=decoded.bad_bytes))
            record = parse_text_tombstone(decoded.text, SourceRef(file=name))
            if record is None:
                log.warn(tr('%(name)s: not a readable text tombstone', name=name))
                continue
            yield record
