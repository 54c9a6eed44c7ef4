"""androidqf ``processes.json``: the process list collected by the androidqf helper on the device."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.android.androidqf_common import as_int, clean_str, json_items
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.records.android_processes import AndroidProcess
from spyscan.records.base import SourceRef

FILE = "processes.json"


def _cmdline(value: Any) -> str | None:
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v) or None
    return clean_str(value)


class AndroidQFProcesses(Artifact):
    id = "android.androidqf.processes"
    kinds = ("androidqf",)
    title = "Running processes (processes.json)"
    records = (AndroidProcess,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidProcess]:
        for position, entry in json_items(evidence, FILE, log):
            if not isinstance(entry, dict):
                log.warn(f"{FILE} entry {position} is not an object")
                continue
            cmdline = _cmdline(entry.get("cmdline"))
            name = clean_str(entry.get("name") or entry.get("proc_name")) or (cmdline.split()[0] if cmdline else None)
            if not name:
                log.warn(f"{FILE} entry {position} has no process name")
                continue
            yield AndroidProcess(
                source=SourceRef(file=FILE, key=f"[{position}]"),
                name=name,
                pid=as_int(entry.get("pid")),
                ppid=as_int(entry.get("ppid")),
                uid=as_int(entry.get("uid")),
                user=clean_str(entry.get("user")),
                label=clean_str(entry.get("context") or entry.get("label")),
                cmdline=cmdline,
                executable=clean_str(entry.get("exe") or entry.get("path")),
            )
