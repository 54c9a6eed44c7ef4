"""Process names in every other text file of a sysdiagnose, so that each one is matched against indicators.

``ps.txt``/``ps_thread.txt``, ``.ips`` reports and ``shutdown.log`` have their own artifacts; every other
regular file outside the unified-log store is streamed here (blocks of whole lines, strictly decoded,
over-long lines cut) unless it is binary (a known binary signature or suffix, NUL bytes or mostly
undecodable bytes in its first 8 KiB). Names are extracted in the shapes listed in
``parsers.log_processes``; the output is one record per distinct (file, process name) with the line of
its first occurrence and its count, so that a large log gives a few hundred records, not millions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios.fs_common import listed
from spyscan.artifacts.ios.parsers.log_processes import ProcessTally
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.fs_listing import FILE
from spyscan.evidence.ios import IOSFile
from spyscan.evidence.textio import decode_bytes
from spyscan.kinds.ios_fs import is_appledouble
from spyscan.kinds.sysdiagnose import in_logarchive_store
from spyscan.records.base import SourceRef
from spyscan.records.ios_sysdiagnose import LogProcessName
from spyscan.texts import N_, tr

MAX_NAMES_PER_FILE = 20_000
HEAD = 8192
OWN_ARTIFACT = re.compile(r"^(?:ps\.txt|ps_thread\.txt|shutdown(?:\.\d+)?\.log|.*\.ips)$", re.IGNORECASE)
BINARY_SUFFIXES = (
    ".db", ".sqlite", ".sqlitedb", ".sqlite3", ".plsql", ".epsql", ".db-wal", ".db-shm", "-wal", "-shm", "-journal",
    ".png", ".jpg", ".jpeg", ".heic", ".gif", ".pdf", ".gz", ".tgz", ".zip", ".bz2", ".xz", ".tar", ".tracev3",
    ".timesync", ".bin", ".dat", ".pcap", ".pcapng", ".pb", ".aar", ".car", ".dylib",
)
BINARY_MAGIC = (b"bplist", b"SQLite format 3", b"\x1f\x8b", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe",
                b"\xca\xfe\xba\xbe", b"PK\x03\x04", b"\x89PNG", b"%PDF", b"\xfd7zXZ", b"BZh", b"\xff\xd8\xff")


def looks_binary(name: str, head: bytes) -> bool:
    if name.lower().endswith(BINARY_SUFFIXES) or head.startswith(BINARY_MAGIC) or b"\x00" in head:
        return True
    return decode_bytes(head[: len(head) - 4] if len(head) == HEAD else head).bad_bytes > len(head) // 10


class SysdiagnoseLogProcesses(Artifact):
    id = "ios.sysdiagnose.log_processes"
    kinds = ("sysdiagnose",)
    title = N_("Process names in the sysdiagnose's other text files")
    records = (LogProcessName,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[LogProcessName]:
        source = listed(evidence)
        entries = [e for e in source.listing.all()
                   if e.type == FILE and e.size > 0 and not in_logarchive_store(e.path)
                   and not OWN_ARTIFACT.match(e.name) and not is_appledouble(e.name)]
        if not entries:
            raise ArtifactNotFound(tr('no other text file in the sysdiagnose'))
        binary = damaged = cut_files = crowded = unterminated = 0
        for entry in entries:
            file = IOSFile(label=source.device_path(entry.path), handle=entry.path, size=entry.size)
            if looks_binary(entry.name, source.read_head(file, HEAD)):
                binary += 1
                continue
            tally = ProcessTally(MAX_NAMES_PER_FILE)
            bad = cut = 0
            last = ""
            for block in source.text_blocks(file):
                tally.add_block(block.text, block.first_line)
                bad += block.bad_bytes
                cut += block.cut_lines
                last = block.text[-1:] or last
            unterminated += last not in ("", "\n")
            damaged += bad > 0
            cut_files += cut > 0
            crowded += tally.dropped > 0
            for name in sorted(tally.names):
                found = tally.names[name]
                yield LogProcessName(
                    source=SourceRef(file=file.label, line=found.first_line), name=name, log_file=file.label,
                    first_line=found.first_line, count=found.count, shapes=sorted(found.shapes), paths=found.paths,
                )
        if damaged:
            log.warn(tr('%(damaged)s text file(s) hold undecodable or NUL bytes (escaped as \\xNN and still searched)',
                        damaged=damaged))
        if cut_files:
            log.warn(tr('%(cut_files)s text file(s) have over-long lines, cut before searching', cut_files=cut_files))
        if unterminated:
            log.warn(tr('%(unterminated)s text file(s) end without a line break: they may have been cut',
                        unterminated=unterminated))
        if crowded:
            log.warn(tr('%(crowded)s file(s) name more than %(max_names_per_file)s distinct processes; the rest are '
                        'not reported', crowded=crowded, max_names_per_file=MAX_NAMES_PER_FILE))
        if binary == len(entries):
            raise ArtifactNotFound(tr('the sysdiagnose holds no other text file (%(binary)s binary file(s) skipped)',
                                      binary=binary))
