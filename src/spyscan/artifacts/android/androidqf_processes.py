"""androidqf process list in JSON, written by androidqf's on-device collector.

androidqf saves the process list as ``processes.txt``: the text of ``ps -A`` when its collector
binary could not run, otherwise the collector's JSON array (androidqf ``adb/collector.go``
``ProcessInfo``): ``pid, uid, ppid, pgroup, psid, filename, priority, state, user_time, kernel_time,
path, context, previous_context, command_line[], env[], cwd``. ``filename`` is the ``comm`` field
of ``/proc/<pid>/stat`` (the Go collector keeps its parentheses; 15 characters at most), ``path`` the
executable and ``command_line`` the arguments. ``processes.json`` (same array) is read as well.
The text form is read by ``androidqf_ps``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.android.androidqf_common import as_int, clean_str, json_items
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.records.android_processes import AndroidProcess
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr

FILES = ("processes.txt", "processes.json")


def is_json_list(evidence: Evidence, rel: str) -> bool:
    """True when ``rel`` holds the collector's JSON array rather than ``ps`` text."""
    with evidence.resolve(rel).open("rb") as fh:
        return fh.read(4096).lstrip().startswith(b"[")


def _args(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int) and str(v)]
    text = clean_str(value)
    return text.split() if text else []


def _name(entry: dict[str, Any], args: list[str]) -> str | None:
    """The process name as ``ps`` shows it: argv[0] (an app's package name), else ``comm`` without ()."""
    if args:
        first = args[0]
        return first if not first.startswith("/") else posixpath.basename(first) or first
    comm = clean_str(entry.get("filename") or entry.get("name"))
    if comm and comm.startswith("(") and comm.endswith(")"):
        comm = comm[1:-1]
    return comm or None


class AndroidQFProcesses(Artifact):
    id = "android.androidqf.processes"
    kinds = ("androidqf",)
    title = N_("Running processes (androidqf collector JSON)")
    records = (AndroidProcess,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidProcess]:
        present = [rel for rel in FILES if evidence.exists(rel) and is_json_list(evidence, rel)]
        if not present:
            raise ArtifactNotFound(tr('processes.txt (collector JSON) / processes.json'))
        for rel in present:
            for position, entry in json_items(evidence, rel, log):
                if not isinstance(entry, dict):
                    log.warn(tr('%(rel)s entry %(position)s is not an object', rel=rel, position=position))
                    continue
                args = _args(entry.get("command_line", entry.get("cmdline")))
                name = _name(entry, args)
                if not name:
                    log.warn(tr('%(rel)s entry %(position)s has no process name', rel=rel, position=position))
                    continue
                yield AndroidProcess(
                    source=SourceRef(file=rel, key=f"[{position}]"),
                    name=name,
                    pid=as_int(entry.get("pid")),
                    ppid=as_int(entry.get("ppid")),
                    uid=as_int(entry.get("uid")),
                    label=clean_str(entry.get("context")),
                    previous_label=clean_str(entry.get("previous_context")),
                    cmdline=" ".join(args) or None,
                    executable=clean_str(entry.get("path")),
                    working_dir=clean_str(entry.get("cwd")),
                )
