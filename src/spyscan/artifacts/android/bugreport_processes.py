"""The process list of a bugreport: the dumpstate's ``PROCESSES AND THREADS`` block.

Android 8 and later run ``ps -A -T -Z -O pri,nice,rtprio,sched,pcy[,time]`` (AOSP
frameworks/native/cmds/dumpstate/dumpstate.cpp): one row per thread, SELinux label first, the thread's
name last (``CMD``). One record is made per process, from its main thread's row (``TID`` = ``PID``), with
the other threads' distinct names in ``threads``. Before Android 8 the dumpstate has ``PROCESSES (ps -P)``
(one row per process, full names), read instead when there is no thread list.

An app's main thread is named after the app by its last 15 characters (``ps_text``); when exactly one
package of the same bugreport's ``dumpsys package`` ends that way, the record's ``name`` is the full
name (``com.example.spyware``) and ``kernel_name`` keeps what the list showed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.android.ps_text import PsTable, full_app_name, parse_ps, processes
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.kinds.bugreport import BugreportEvidence, TextBlock
from spyscan.records.android_processes import AndroidProcess
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr

_PACKAGE = re.compile(r"^  Package \[(?P<name>[^\]\s]+)\]")
APP_LABELS = ("u:r:untrusted_app", "u:r:platform_app", "u:r:priv_app", "u:r:system_app", "u:r:isolated_app",
              "u:r:ephemeral_app", "u:r:sdk_sandbox")


def package_names(evidence: BugreportEvidence) -> set[str]:
    """Package names of the bugreport's ``dumpsys package`` (empty when it has none)."""
    section = evidence.dumpsys_sections().get("package")
    if section is None:
        return set()
    return {m["name"] for _, line in section.lines() if line.startswith("  Package [") and (m := _PACKAGE.match(line))}


def _table(evidence: BugreportEvidence) -> tuple[TextBlock, PsTable] | None:
    """The thread list when it has one, else the process list (older dumpstates)."""
    fallback = None
    for name in ("PROCESSES AND THREADS", "PROCESSES"):
        for block in evidence.blocks(name):
            table = parse_ps(block.lines, assume_header=False)
            if not table.rows:
                continue
            if table.has_threads or name == "PROCESSES":
                return block, table
            fallback = fallback or (block, table)  # toolbox "ps -t" without a TID column
    return fallback


def _is_app(label: str | None) -> bool:
    return label is None or label.startswith(APP_LABELS)


class BugreportProcesses(Artifact):
    id = "android.bugreport.processes"
    kinds = ("bugreport",)
    same_data = "processes"
    title = N_("Running processes (dumpstate PROCESSES AND THREADS)")
    records = (AndroidProcess,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidProcess]:
        if not isinstance(evidence, BugreportEvidence):
            raise ArtifactNotFound(tr('not a bugreport'))
        found = _table(evidence)
        if found is None:
            raise ArtifactNotFound(tr('no PROCESSES AND THREADS block in %(dumpstate_name)s',
                                      dumpstate_name=evidence.dumpstate_name))
        block, table = found
        packages = package_names(evidence)
        for process in processes(table):
            row = process.row
            label = row.columns.get("LABEL")
            full = full_app_name(row.name, packages) if table.has_threads and _is_app(label) else None
            yield AndroidProcess(
                source=SourceRef(file=block.file, line=row.line, key=block.title.split(" (", 1)[0]),
                name=full or row.name, kernel_name=row.name if full else None,
                pid=row.number("PID"), ppid=row.number("PPID"), user=row.columns.get("USER"), label=label,
                threads=process.threads,
            )
        if table.skipped:
            log.warn(tr('%(block)s: %(skipped)s line(s) of %(split)s are not ps rows', block=block.file,
                        skipped=table.skipped, split=block.title.split(' (', 1)[0]))
        if block.cut:
            log.warn(tr('%(block)s ends inside %(split)s: the process list may be cut', block=block.file,
                        split=block.title.split(' (', 1)[0]))
