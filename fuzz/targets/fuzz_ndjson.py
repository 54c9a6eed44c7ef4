"""Fuzz target: newline-delimited JSON, read one bounded line at a time: the shared reader
(``evidence/jsonio``), then the intrusion-logs kind and the App Privacy Report kind on the same bytes.

Property: the reader never raises and accounts for every non-blank line (a value, not JSON, too long or
too deep); the kinds raise only their clean refusals.

Run: fuzz/run.sh ndjson SECONDS
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.errors import ArtifactNotFound, BudgetExceeded, SpyscanError
    from spyscan.evidence.jsonio import LineNotes, ndjson_values
    from spyscan.kinds import all_kinds, intrusion_logs, ios_privacy_report  # noqa: F401 - instrumented
    from spyscan.kinds.ios_privacy_report import ReadNotes


def one_input(data: bytes) -> None:
    notes = LineNotes()
    values = list(ndjson_values(io.BytesIO(data), notes, max_line=256))
    lines = [line for line in data.split(b"\n") if line.strip()]
    if len(values) + notes.bad + notes.long + notes.deep != len(lines):
        raise AssertionError(f"{len(lines)} lines but {len(values)} values, {notes}")
    root = common.scratch_file("unused", b"").parent
    for kind, folder_name, file_name in (("intrusion-logs", "intrusion", "2024-06-01.txt"),
                                         ("ios-privacy-report", "privacy", "App_Privacy_Report_v4.ndjson")):
        folder = root / folder_name
        folder.mkdir(exist_ok=True)
        (folder / file_name).write_bytes(data)
        (root / "work").mkdir(exist_ok=True)
        evidence = all_kinds()[kind](folder, root / "work")
        try:
            evidence.open()
            if kind == "intrusion-logs":
                for wanted in ("dns_event", "connect_event", "security_event"):
                    list(evidence.events(wanted))  # type: ignore[attr-defined]
            else:
                list(evidence.lines(ReadNotes()))  # type: ignore[attr-defined]
        except (SpyscanError, ArtifactNotFound, BudgetExceeded):
            pass


if __name__ == "__main__":
    common.main(one_input)
