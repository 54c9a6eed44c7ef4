"""The verdict of a run, decided in this one place.

The engine writes it to ``run.json``; the terminal, the report, the case store and the web app show
it from there (and call ``decide`` only for folders written before run.json carried it). Four states:

* ``traces`` (exit 3): at least one high or critical finding about compromise;
* ``incomplete`` (exit 4): no such finding, but a part that could hold traces was not fully checked
  (an artifact failed, timed out, was cut short or did not run; the run was interrupted; one of the
  artifacts that matter for this kind could not be read; or nothing at all was read);
* ``review`` (exit 0): complete, and medium findings about compromise that an expert should look at;
* ``clean`` (exit 0): complete, the artifacts that matter were read, and no finding about compromise
  above low. Low and info findings are context; protection advice never changes the state.

``Verdict.complete`` is False whenever the check was incomplete, also when traces were found.
See ``docs/verdict.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

from spyscan.detection.model import COMPROMISE, SEVERE, Detection, Severity
from spyscan.errors import EXIT_CLEAN, EXIT_DETECTIONS, EXIT_INCOMPLETE
from spyscan.report.runfile import COMPLETE, INTERRUPTED, READ, UNFINISHED, RunInfo, Verdict, VerdictReason

TRACES = "traces"
REVIEW = "review"
CLEAN = "clean"
INCOMPLETE = "incomplete"
STATES = (TRACES, REVIEW, CLEAN, INCOMPLETE)

# reason codes (the faces translate them; ``VerdictReason.text`` is the English for run.json readers)
R_TRACES = "traces"  # count: high/critical findings; detail: families
R_REVIEW = "review"  # count: medium findings about compromise
R_CHECKED = "checked"  # count: artifacts read
R_INTERRUPTED = "interrupted"
R_FAILED_RUN = "run_failed"
R_UNFINISHED = "artifact_unfinished"  # artifact, detail: its status and error
R_KEY_MISSING = "key_artifact_missing"  # artifact
R_NOTHING_READ = "nothing_read"


def severe_compromise(detections: Sequence[Detection]) -> list[Detection]:
    return [d for d in detections if d.severity in SEVERE and d.category != "protection"]


def families(detections: Sequence[Detection]) -> list[str]:
    """Malware families named by the high/critical indicator detections, sorted."""
    names = {ref.malware for d in severe_compromise(detections)
             for ref in (d.sources or ([d.indicator] if d.indicator else [])) if ref.malware}
    return sorted(names, key=str.casefold)


def incompleteness(run: RunInfo) -> list[VerdictReason]:
    """Why the check did not cover what it should have (empty when it did)."""
    reasons: list[VerdictReason] = []
    if run.status == INTERRUPTED:
        reasons.append(VerdictReason(code=R_INTERRUPTED, text="the check was interrupted before it finished"))
    elif run.status != COMPLETE:
        reasons.append(VerdictReason(code=R_FAILED_RUN, text="the check stopped on an error",
                                     detail="; ".join(run.errors)[:500] or None))
    for artifact_id, status in sorted(run.artifacts.items()):
        if not status.holds_traces:
            continue
        if status.status in UNFINISHED:
            detail = status.status + (f": {status.error}" if status.error else "")
            reasons.append(VerdictReason(code=R_UNFINISHED, artifact=artifact_id, detail=detail[:500],
                                         text=f"{artifact_id} could not be fully checked ({detail[:200]})"))
        elif status.key and status.status not in READ:
            reasons.append(VerdictReason(code=R_KEY_MISSING, artifact=artifact_id,
                                         detail=(status.error or status.status)[:500],
                                         text=f"{artifact_id}, one of the parts that matter, could not be read"))
    read = sum(s.records for s in run.artifacts.values() if s.holds_traces and s.status in READ)
    if read == 0 and not any(r.code in (R_INTERRUPTED, R_FAILED_RUN) for r in reasons):
        reasons.append(VerdictReason(code=R_NOTHING_READ, text="nothing that could hold traces was read"))
    return reasons


def decide(run: RunInfo, detections: Sequence[Detection]) -> Verdict:
    severe = severe_compromise(detections)
    missing = incompleteness(run)
    review = [d for d in detections if d.category == COMPROMISE and d.severity == Severity.MEDIUM]
    reasons: list[VerdictReason] = []
    if severe:
        names = families(detections)
        reasons.append(VerdictReason(code=R_TRACES, count=len(severe), detail=", ".join(names) or None,
                                     text=f"{len(severe)} high or critical finding(s)"
                                          + (f" ({', '.join(names)})" if names else "")))
        state = TRACES
    elif missing:
        state = INCOMPLETE
    elif review:
        state = REVIEW
    else:
        state = CLEAN
    reasons.extend(missing)
    if state == REVIEW or (state == TRACES and review):
        reasons.append(VerdictReason(code=R_REVIEW, count=len(review),
                                     text=f"{len(review)} medium finding(s) to review"))
    if state in (REVIEW, CLEAN):
        checked = sum(1 for s in run.artifacts.values() if s.holds_traces and s.status in READ)
        reasons.append(VerdictReason(code=R_CHECKED, count=checked,
                                     text=f"{checked} part(s) of the acquisition were read and checked"))
    return Verdict(state=state, reasons=reasons, complete=not missing)


def exit_code(verdict: Verdict) -> int:
    if verdict.state == TRACES:
        return EXIT_DETECTIONS
    if verdict.state == INCOMPLETE:
        return EXIT_INCOMPLETE
    return EXIT_CLEAN


def verdict_of(run: RunInfo, detections: Sequence[Detection]) -> Verdict:
    """The run's verdict: the one run.json carries, else decided now (folders from older versions)."""
    return run.verdict if run.verdict is not None else decide(run, detections)
