"""A process that used the network but whose binary exists nowhere in the filesystem dump.

The existence check is done by the ``ios.fs.netusage`` artifact (it needs the dump's file listing, which
a rule cannot see); this rule reports its result.
"""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_fs import NetworkProcess
from spyscan.texts import N_, tr
from spyscan.timeutil import iso


class ProcessWithoutBinary(Rule):
    id = "ios.process_without_binary"
    title = N_("Network-using process with no binary on the device")
    severity = Severity.HIGH
    why = N_("Spyware such as Pegasus ran processes from memory or deleted its binaries: they show up in the "
             "network-usage databases without an app bundle id, but no file of that name exists on the device.")
    record_types = (NetworkProcess,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, NetworkProcess)
        if record.binary_found is not False:
            return
        if record.truncated:
            message = tr("process '%(process)s' (the name may be cut to 15/16 characters by the kernel) used the "
                         "network (first %(first)s, last %(last)s) without a bundle id, and no file of that name "
                         "exists in the dump", process=record.process, first=iso(record.first_seen),
                         last=iso(record.last_seen))
        else:
            message = tr("process '%(process)s' used the network (first %(first)s, last %(last)s) without a bundle "
                         "id, and no file of that name exists in the dump", process=record.process,
                         first=iso(record.first_seen), last=iso(record.last_seen))
        yield Finding(
            record=record,
            message=message,
            observable_type="process",
            observable_value=record.process,
        )
