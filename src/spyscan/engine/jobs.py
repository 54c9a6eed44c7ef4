"""One job: read one artifact (or one stored records file) through the detection pipeline.

A job runs in its own forked process (``engine.pool``) or, where fork is not available, in the run's
own process. It keeps what it produced whatever stops it: the records are written in blocks as they
come, and a failure, a time budget, a record ceiling or a stop request ends the loop with a status
(``error``, ``timeout``, ``truncated``, ``interrupted``) while ``finish`` still flushes the rest.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

from spyscan import faults
from spyscan.artifacts.base import ArtifactLog, all_artifacts
from spyscan.detection.heuristics.base import Rule
from spyscan.detection.pipeline import Matcher, RecordPipeline
from spyscan.engine.outcome import ArtifactOutcome
from spyscan.errors import ArtifactNotFound, BudgetExceeded
from spyscan.evidence import stop
from spyscan.evidence.base import Evidence
from spyscan.evidence.diskspace import DiskSpaceLow, GuardedSink, ensure_room
from spyscan.evidence.sqlite import drain_recovery_notes
from spyscan.evidence.sqlite_schema import drain_refusals
from spyscan.records.base import Record
from spyscan.records.store import read_stored_records
from spyscan.report.runfile import MISSING, ArtifactStatus
from spyscan.texts import Text, message_of_error, messages_of, tr
from spyscan.timeline.rows import TimelineSpool

log = logging.getLogger("spyscan")

ROOM_EVERY = 50_000  # records between two checks of the free space of the work folder (timeline parts)
ARTIFACT = "artifact"  # job source: read the evidence through the artifact
STORE = "store"  # job source: read the records stored by an earlier run (recheck)


@dataclass
class Shared:
    """State a job reads: inherited by forked job processes, or used in-process."""

    matcher: Matcher
    rules: list[type[Rule]]
    records_dir: Path
    parts_dir: Path
    evidences: dict[str, Evidence] = field(default_factory=dict)  # "" = the input, else a nested label
    results_dir: Path | None = None
    secrets: list[str] = field(default_factory=list)
    max_records: int = 0  # per artifact; 0: no ceiling


STATE: Shared | None = None


@contextlib.contextmanager
def using(state: Shared) -> Iterator[Shared]:
    """Make ``state`` the jobs' state for the duration (tests and fuzz targets run jobs this way too)."""
    global STATE
    previous = STATE
    STATE = state
    try:
        yield state
    finally:
        STATE = previous


def redact(text: str, secrets: list[str]) -> str:
    """``text`` without the secrets (a translatable text that holds none stays translatable)."""
    for secret in secrets:
        if secret and secret in text:
            text = str(text).replace(secret, "[redacted]")
    return text


def one_line(exc: BaseException) -> str:
    """The error in one line: our own errors by their (translatable) message, others with their type."""
    message = exc.args[0] if len(exc.args) == 1 else None
    if isinstance(message, Text) and "\n" not in message and len(message) <= 500:
        return message
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ").strip()
    return text[:500]


reason_of = message_of_error  # the message of an exception, kept translatable


def job_id(artifact_id: str, nested: str) -> str:
    """Name of a job's records file: the artifact id, plus ``@<nested input>`` for nested inputs."""
    return f"{artifact_id}@{nested}" if nested else artifact_id


def split_job_id(job: str) -> tuple[str, str]:
    artifact_id, _, nested = job.partition("@")
    return artifact_id, nested


def _records_from_artifact(job: str, lg: ArtifactLog) -> Iterator[Record]:
    assert STATE is not None
    artifact_id, nested = split_job_id(job)
    artifact = all_artifacts()[artifact_id]()
    yield from artifact.collect(STATE.evidences[nested], lg)


def _records_from_store(job: str, lg: ArtifactLog) -> Iterator[Record]:
    assert STATE is not None and STATE.results_dir is not None
    yield from read_stored_records(STATE.results_dir / "records" / f"{job}.jsonl", lg.warn)


class _Budget:
    """The job's time budget and record ceiling, checked between records."""

    def __init__(self, deadline: float | None, max_records: int) -> None:
        self.deadline = deadline
        self.max_records = max_records

    def check(self, count: int) -> None:
        reason = stop.requested()
        if reason is None and self.deadline is not None and time.monotonic() > self.deadline:
            stop.request("timeout")
            reason = "timeout"
        if reason == "timeout":
            raise BudgetExceeded(tr('the artifact ran past its time budget and was stopped; the records read before '
                                    'are kept (see --artifact-timeout)'), "timeout")
        if reason is not None:
            raise BudgetExceeded(tr('the check was interrupted while this artifact was being read; the records read '
                                    'before are kept'), "interrupted")
        if self.max_records and count >= self.max_records:
            raise BudgetExceeded(tr('stopped after %(count)s records, the ceiling per artifact (see --max-records)',
                                    count=count),
                                 "truncated")


def execute(job: str, title: str, source: str, deadline: float | None = None) -> ArtifactOutcome:
    """Run one job against ``STATE``; ``deadline`` is a ``time.monotonic()`` value (None: no time budget)."""
    assert STATE is not None
    state = STATE
    started = time.monotonic()
    stop.reset()
    lg = ArtifactLog()
    records_path = state.records_dir / f"{job}.jsonl"
    error: str | None = None
    fatal: str | None = None
    status = "ok"
    reader: Callable[[str, ArtifactLog], Iterator[Record]] = (
        _records_from_artifact if source == ARTIFACT else _records_from_store
    )
    budget = _Budget(deadline, state.max_records)
    spool = TimelineSpool(state.parts_dir, job)
    drain_recovery_notes()  # notes of an earlier job in this process are not this artifact's
    drain_refusals()
    with records_path.open("wb") as out, faults.collecting() as conversion_faults:
        # the records file and the timeline parts never run the output or work disk past its reserve
        sink = cast(IO[bytes], GuardedSink(out, f"the records of {job}"))
        pipeline = RecordPipeline(job, state.matcher, state.rules, records_out=sink, timeline=spool)
        try:
            records = reader(job, lg)
            try:
                for record in records:
                    budget.check(pipeline.count)
                    if not pipeline.count % ROOM_EVERY:
                        ensure_room(state.parts_dir, "the timeline of the check")
                    pipeline.feed(record)
                # a stop requested while the artifact was reading ends its loop early (an interrupted SQLite
                # statement the artifact reported as a warning): what it read is not all there was
                budget.check(0)
            finally:
                close = getattr(records, "close", None)
                if close is not None:
                    with contextlib.suppress(Exception):  # the generator's clean-up must not hide the status
                        close()
        except ArtifactNotFound as exc:
            status = "not_found"
            error = redact(reason_of(exc), state.secrets) or None
        except BudgetExceeded as exc:
            status = exc.status
            error = redact(reason_of(exc), state.secrets)
        except DiskSpaceLow as exc:  # the whole run stops (exit 1): never fill a disk
            status = "error"
            error = redact(str(exc), state.secrets)
            fatal = error
        except Exception as exc:  # one broken artifact never stops the others
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                fatal = redact(tr("the disk is full or a size limit was reached (%(error)s)", error=exc.strerror),
                               state.secrets)
            reason = stop.requested()
            if reason is not None:  # e.g. an SQLite statement interrupted by the stop request
                status = "timeout" if reason == "timeout" else "interrupted"
                error = redact(tr("stopped (%(reason)s) while reading: %(error)s", reason=reason, error=one_line(exc)),
                               state.secrets)
            else:
                status = "error"
                error = redact(one_line(exc), state.secrets)
                log.exception("artifact %s failed", job)
        try:
            detections = pipeline.finish()
        except Exception as exc:
            detections = pipeline.detections()
            status = "error"
            error = redact(one_line(exc), state.secrets)
    for note in drain_recovery_notes():  # a damaged database was salvaged and the artifact did not say so
        lg.mark_recovered(note)
    for note in drain_refusals():  # a view planted in a table's place...: not everything was read
        if note in lg.unread:
            continue
        if note in lg.warnings:
            lg.unread.append(note)
        else:
            lg.mark_unread(note)
    for warning in conversion_faults.warnings():  # values that cost their field (raw values kept)
        lg.warn(warning)
    if pipeline.count == 0 and status == "not_found":
        records_path.unlink(missing_ok=True)
    if status == "ok" and lg.unread:  # a planted view or the like was refused: not everything was read
        status = "error"
        error = redact(tr("not fully read: %(reason)s", reason=lg.unread[0]), state.secrets)
        error = error if len(error) <= 500 else error[:500]
    if status == "ok" and lg.truncated:  # a part was skipped by a budget (a structure too deep, a line too long)
        status, error = "truncated", redact(lg.truncated, state.secrets)
    if status == "ok":
        status = "recovered" if lg.recovered else ("warning" if lg.warnings else "ok")
    parts = [str(p) for p in spool.close()]
    inputs = [item for ev in state.evidences.values() for item in ev.inputs.items()]
    artifact = all_artifacts().get(split_job_id(job)[0])
    warnings = [redact(w, state.secrets) for w in lg.warnings]
    return ArtifactOutcome(
        id=job,
        status=ArtifactStatus(
            status=status,
            records=pipeline.count,
            warnings=[str(w) for w in warnings],
            seconds=round(time.monotonic() - started, 3),
            error=str(error) if error is not None else None,
            messages=messages_of([*warnings, *([error] if error else [])]),
            title=title,
            holds_traces=artifact.holds_traces if artifact is not None else True,
            absence=(artifact.absent_means if artifact is not None else MISSING) if status == "not_found" else None,
        ),
        detections=detections,
        inputs=inputs,
        timeline_parts=parts,
        facts=dict(lg.facts),
        fatal=fatal,
    )
