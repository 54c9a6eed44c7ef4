"""What could not be checked, in three kinds that mean different things to the person:

* **not applicable**: the acquisition cannot hold it here (an app that is not installed): one folded line;
* **expected but missing**: the acquisition should have held it and does not: say what to ask for;
* **failed**: it was there but could not be read to the end (an error, a time budget, a ceiling, an
  interruption): the check is incomplete.

Parts read with warnings or recovered from a damaged database are listed apart (read, with a caveat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from babel.support import Translations

from spyscan.report.coverage import Coverage
from spyscan.report.i18n import say
from spyscan.report.redact import inert
from spyscan.report.runfile import MISSING, NOT_APPLICABLE, UNFINISHED, ArtifactStatus, RunInfo
from spyscan.report.shaping import VALUE_LIMIT, Shaper
from spyscan.report.terminal_text import status_label


@dataclass
class PartView:
    id: str
    title: str
    status: str
    status_label: str
    key: bool  # one of the parts that matter for this kind
    reason: Any  # the translated reason (why not found, the error)
    reason_verbatim: bool  # the reason as recorded (an error of a library, or an older run.json): shown as data
    warnings: list[tuple[Any, bool]]  # (warning, verbatim)
    records: int
    seconds: float


@dataclass
class Unchecked:
    not_applicable: list[PartView] = field(default_factory=list)
    missing: list[PartView] = field(default_factory=list)
    failed: list[PartView] = field(default_factory=list)
    partial: list[PartView] = field(default_factory=list)  # read, with warnings or recovered rows
    ask: str = ""  # what to ask the person for (when something that matters is missing or failed)

    @property
    def empty(self) -> bool:
        return not (self.not_applicable or self.missing or self.failed or self.partial)


_NESTED = re.compile(r"^(?P<title>.*) \[(?P<where>[^\]]+)\]$")


def part_title(t: Translations, title: str, artifact_id: str = "") -> str:
    """A part's title in the language of ``t`` (a nested input's part keeps its ``[kind:name]`` tail)."""
    if not title:
        return artifact_id
    nested = _NESTED.match(title)
    if nested is not None:
        return f"{t.gettext(nested.group('title'))} [{nested.group('where')}]"
    return t.gettext(title)


def part_view(t: Translations, artifact_id: str, status: ArtifactStatus, shaper: Shaper) -> PartView:
    title = part_title(t, status.title, artifact_id)
    return PartView(
        id=artifact_id, title=title, status=status.status, status_label=status_label(t, status.status),
        key=status.key,
        reason=inert(say(t, status.error, status.messages, shaper.text), VALUE_LIMIT) if status.error else "",
        reason_verbatim=bool(status.error) and status.error not in status.messages,
        warnings=[(inert(say(t, w, status.messages, shaper.text), VALUE_LIMIT), w not in status.messages)
                  for w in status.warnings[:20]],
        records=status.records, seconds=status.seconds,
    )


def unchecked(t: Translations, run: RunInfo, shaper: Shaper, coverage: Coverage) -> Unchecked:
    out = Unchecked()
    for artifact_id, status in sorted(run.artifacts.items(), key=lambda item: (not item[1].key, item[0])):
        view = part_view(t, artifact_id, status, shaper)
        if status.status in UNFINISHED:
            out.failed.append(view)
        elif status.status == "not_found":
            (out.not_applicable if status.absence == NOT_APPLICABLE else out.missing).append(view)
        elif status.status in ("warning", "recovered"):
            out.partial.append(view)
    if any(v.key for v in out.missing) or out.failed or (
            out.missing and any(s.absence == MISSING and s.holds_traces for s in run.artifacts.values())):
        out.ask = t.gettext(coverage.ask)
    return out
