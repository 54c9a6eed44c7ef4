"""The two runs: ``check`` reads evidence through its artifacts, ``recheck`` reads the records stored by
an earlier run. Both feed records through the same jobs and write the same outputs.

Order of a check: the output folder is validated (nothing created), the evidence is opened (a wrong
password or an input of another kind stops here and leaves nothing behind), then the output folder is
created with a ``run.json`` saying ``running``, the jobs run, and ``finish`` writes everything.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import msgspec

from spyscan import TOOL_NAME, __version__
from spyscan.artifacts.base import IMPORT_ERRORS, all_artifacts, artifacts_for
from spyscan.detection.heuristics.base import all_rules, all_run_rules
from spyscan.detection.pipeline import Matcher
from spyscan.engine import jobs as jobs_mod
from spyscan.engine.lifecycle import RUN, WRITE, RunSignals, work_folder
from spyscan.engine.options import IndicatorOptions, RunOptions, RunResult
from spyscan.engine.outcome import ArtifactOutcome
from spyscan.engine.outputs import create_output, finish, validate_output
from spyscan.engine.pool import Job, run_jobs
from spyscan.engine.run_rules import apply_run_rules
from spyscan.errors import SpyscanError, UsageError
from spyscan.evidence.base import Evidence
from spyscan.evidence.diskspace import DiskSpaceLow, preflight
from spyscan.indicators.model import IndicatorFile, Unsupported
from spyscan.kinds import RESULTS_KIND, check_kind, detect_kind, evidence_class
from spyscan.report.runfile import (
    COMPLETE,
    FAILED,
    INTERRUPTED,
    READ,
    RUNNING,
    UNFINISHED,
    RunInfo,
    read_run,
    write_json,
)
from spyscan.texts import messages_of, tr
from spyscan.timeutil import iso, utcnow

log = logging.getLogger("spyscan")

BUDGET_BASE = 1800.0  # seconds per artifact, whatever the input's size
BUDGET_PER_GIB = 600.0  # plus this much per GiB of input


@dataclass
class LoadedIndicators:
    matcher: Matcher
    files: list[IndicatorFile]
    unsupported: list[Unsupported]
    version: str | None
    count: int


def load_indicators(options: IndicatorOptions, platform: str | None = None) -> LoadedIndicators:
    """The indicator index for a run; indicators scoped to another platform than ``platform`` are left out."""
    from spyscan.indicators.bundled_set import set_version
    from spyscan.indicators.index import IndicatorIndex
    from spyscan.indicators.sources import load_indicator_set

    indicator_set = load_indicator_set(options.paths, bundled=options.bundled)
    usable = [i for i in indicator_set.indicators if platform is None or i.platform in (None, platform)]
    index = IndicatorIndex.build(usable)
    return LoadedIndicators(
        matcher=index, files=list(indicator_set.files), unsupported=list(indicator_set.unsupported),
        version=set_version() if options.bundled else None, count=len(usable),
    )


def workers(jobs: int) -> int:
    return jobs if jobs > 0 else max(1, os.cpu_count() or 1)


def input_bytes(path: Path, budget_seconds: float = 2.0) -> int:
    """The input's size in bytes (a folder is walked for at most ``budget_seconds``, then extrapolated)."""
    if path.is_file():
        return path.stat().st_size
    total, files, started = 0, 0, time.monotonic()
    for root, _dirs, names in os.walk(path):
        for name in names:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
            files += 1
        if time.monotonic() - started > budget_seconds:
            return total * 4  # a folder too large to measure quickly: assume much more is left
    return total


def artifact_budget(options: RunOptions, size: int) -> float | None:
    """Seconds each artifact may run: ``--artifact-timeout``, else scaled to the input's size."""
    if options.artifact_timeout is not None:
        return options.artifact_timeout or None
    return BUDGET_BASE + BUDGET_PER_GIB * size / (1 << 30)


@contextmanager
def _logging_to(out_holder: list[Path]) -> Iterator[None]:
    """Log records are held in memory until the output folder exists, then written to spyscan.log."""
    memory = logging.handlers.MemoryHandler(capacity=10_000, flushLevel=logging.CRITICAL + 1)
    log.addHandler(memory)
    previous_level = log.level
    log.setLevel(logging.INFO)
    file_handler: logging.Handler | None = None
    try:
        yield
    finally:
        if out_holder:
            file_handler = logging.FileHandler(out_holder[0] / "spyscan.log", encoding="utf-8")
            file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            memory.setTarget(file_handler)
            memory.flush()
            file_handler.close()
        log.removeHandler(memory)
        memory.close()
        log.setLevel(previous_level)


def _runner(job: Job, deadline: float | None) -> ArtifactOutcome:
    return jobs_mod.execute(job.id, job.title, job.source, deadline)


def _run_phase(signals: RunSignals, job_list: list[Job], options: RunOptions, records_dir: Path
               ) -> list[ArtifactOutcome]:
    progress = options.progress
    if progress is not None:
        progress.start([(j.id, j.title) for j in job_list])
    signals.phase = RUN
    started = time.monotonic()

    def done(outcome: ArtifactOutcome) -> None:
        if outcome.fatal is not None:
            signals.flag.set("fatal")  # the other jobs are stopped; the run ends with exit 1
        if progress is not None:
            progress.done(outcome.id, outcome.status)

    outcomes = run_jobs(job_list, workers(options.jobs), _runner, signals.flag, done, records_dir)
    log.info("artifacts read and matched in %.1f s", time.monotonic() - started)
    signals.phase = WRITE
    fatal = next((o.fatal for o in outcomes if o.fatal is not None), None)
    if fatal is not None:
        raise DiskSpaceLow(tr('the check was stopped: %(fatal)s', fatal=fatal))
    return outcomes


def _run_level(records_dir: Path, outcomes: list[ArtifactOutcome], run: RunInfo) -> None:
    """The run rules (engine/run_rules.py): findings that need several artifacts of this run."""
    started = time.monotonic()
    by_job, errors = apply_run_rules(records_dir, {o.id: o.detections for o in outcomes},
                                     all_run_rules().values(), log.warning)
    for outcome in outcomes:
        outcome.detections = by_job.get(outcome.id, outcome.detections)
    run.errors.extend(errors)
    log.info("run rules applied in %.1f s", time.monotonic() - started)


def check(input_path: Path, kind: str | None, options: RunOptions) -> RunResult:
    """Run every artifact of the input's kind and write the outputs to ``options.output``."""
    with owner_only_files():
        return _check(input_path, kind, options)


def recheck(results: Path, options: RunOptions) -> RunResult:
    """Re-run detection over the records stored in an earlier output folder, with current indicators."""
    with owner_only_files():
        return _recheck(results, options)


@contextmanager
def owner_only_files() -> Iterator[None]:
    """Every file and folder created meanwhile is readable by the owner only."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _open_nested(evidence: Evidence, workdir: Path, options: RunOptions, run: RunInfo,
                 evidences: dict[str, Evidence], job_list: list[Job], budget: float | None
                 ) -> list[ArtifactOutcome]:
    """Open the nested inputs and plan their jobs; the outcomes of the jobs not run because the parent
    input holds the same data (``Artifact.same_data``: read once, the parent's copy wins)."""
    skipped: list[ArtifactOutcome] = []
    for child_kind, child_path in evidence.children():
        label = f"{child_kind}:{child_path.name}"
        try:
            child = evidence_class(child_kind)(child_path, workdir / f"nested-{len(evidences)}", options.secrets)
            child.workdir.mkdir(mode=0o700)
            child.open()
        except SpyscanError as exc:  # a nested input that cannot be read never stops the run
            run.errors.append(jobs_mod.redact(tr("nested %(label)s: %(error)s", label=label,
                                                 error=jobs_mod.reason_of(exc)), options.secrets.known_values()))
            continue
        evidences[label] = child
        for a in artifacts_for(child_kind):
            job, title = jobs_mod.job_id(a.id, label), f"{a.title} [{label}]"
            if a.same_data and _parent_holds(evidence, a.same_data):
                skipped.append(read_once_outcome(job, title, a.same_data))
                continue
            job_list.append(Job(job, title, jobs_mod.ARTIFACT, budget))
    return skipped


def _parent_holds(evidence: Evidence, data: str) -> bool:
    try:
        return evidence.holds(data)
    except (SpyscanError, OSError):
        return False


def read_once_outcome(job: str, title: str, data: str) -> ArtifactOutcome:
    """A nested artifact not run: the input that holds the nested one holds the same data (read there)."""
    from spyscan.report.runfile import NOT_APPLICABLE, ArtifactStatus

    return ArtifactOutcome(id=job, status=ArtifactStatus(
        status="not_found", records=0, warnings=[], seconds=0.0, title=title, absence=NOT_APPLICABLE,
        error=f"not read again: the same data ({data}) is read from the acquisition's own copy"),
        detections=[], inputs=[], timeline_parts=[])


def _check(input_path: Path, kind: str | None, options: RunOptions) -> RunResult:
    input_path = input_path.expanduser()
    if not input_path.exists():
        raise UsageError(tr('input not found: %(input_path)s', input_path=input_path))
    if kind == RESULTS_KIND:
        return _recheck(input_path, options)
    kind = check_kind(input_path, kind) if kind else detect_kind(input_path)
    if kind == RESULTS_KIND:
        return _recheck(input_path, options)
    cls = evidence_class(kind)
    out = validate_output(options.output, input_path)
    indicators = load_indicators(options.indicators, cls.platform or None)
    secrets = options.secrets.known_values
    created: list[Path] = []
    try:
        with RunSignals() as signals, _logging_to(created), work_folder() as workdir:
            evidences: dict[str, Evidence] = {}
            try:
                preflight(input_path, out, workdir)
                evidence = cls(input_path, workdir, options.secrets)
                evidences[""] = evidence
                evidence.open()  # a wrong password, an unreadable input: stops here, nothing written
                budget = artifact_budget(options, input_bytes(input_path))
                job_list = [Job(a.id, a.title, jobs_mod.ARTIFACT, budget) for a in artifacts_for(kind)]
                run = RunInfo(
                    tool=TOOL_NAME, version=__version__, command=options.command, started=iso(utcnow()) or "",
                    finished=None, kind=kind, input=str(input_path.resolve()), inputs=[],
                    indicators=indicators.files, artifacts={}, detections={}, status=RUNNING,
                    indicator_set_version=indicators.version, unsupported_indicators=indicators.unsupported,
                    device=evidence.device_info(),
                )
                run.inputs = evidence.hash_whole_input() + evidence.inputs.items()
                run.errors.extend(tr("artifact module %(name)s could not be loaded: %(error)s", name=name, error=error)
                                  for name, error in sorted(IMPORT_ERRORS.items()))
                read_once = _open_nested(evidence, workdir, options, run, evidences, job_list, budget)
                created.append(create_output(out))
                write_json(out / "run.json", run)
                try:
                    parts = workdir / "timeline-parts"
                    parts.mkdir(mode=0o700)
                    state = jobs_mod.Shared(
                        matcher=indicators.matcher, rules=list(all_rules().values()), records_dir=out / "records",
                        parts_dir=parts, evidences=evidences, secrets=secrets(), max_records=options.max_records,
                    )
                    log.info("check of %s (%s): %d artifacts, %d indicators, %s s per artifact", input_path, kind,
                             len(job_list), indicators.count, f"{budget:.0f}" if budget else "no limit")
                    with jobs_mod.using(state):
                        outcomes = _run_phase(signals, job_list, options, out / "records") + read_once
                    _run_level(out / "records", outcomes, run)
                    missing_keys = [k for k in cls.key_artifacts if k not in {o.id for o in outcomes}]
                    outcomes += [_not_run(k) for k in missing_keys]
                    run.status = INTERRUPTED if signals.flag.reason else COMPLETE
                    return finish(out, run, outcomes, options, cls.key_artifacts)
                except SpyscanError as exc:
                    _record_failure(out, run, jobs_mod.redact(jobs_mod.reason_of(exc), secrets()))
                    raise
            finally:
                for ev in evidences.values():
                    ev.close()
    finally:
        if options.progress is not None:
            options.progress.stop()


def _record_failure(out: Path, run: RunInfo, message: str) -> None:
    """A run that stopped on an error after its folder was created says so in run.json (never 'complete')."""
    if run.finished is None:
        run.status = FAILED
        run.errors.append(message)
        run.messages.update(messages_of(run.errors))
        run.finished = iso(utcnow())
        run.exit_code = 1
        write_json(out / "run.json", run)


def _not_run(artifact_id: str) -> ArtifactOutcome:
    from spyscan.engine.outcome import failed_outcome

    return failed_outcome(artifact_id, artifact_id, "not_run", tr("the artifact module could not be loaded"))


def _recheck(results: Path, options: RunOptions) -> RunResult:
    results = results.expanduser().resolve()
    run_file = results / "run.json"
    if not run_file.is_file() or not (results / "records").is_dir():
        raise UsageError(tr('%(results)s is not a spyscan output folder (run.json and records/ expected)',
                            results=results))
    try:
        previous = read_run(run_file)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise UsageError(tr('%(run_file)s is not a readable spyscan run.json: %(error)s', run_file=run_file,
                            error=exc)) from exc
    if previous.status == RUNNING:
        raise UsageError(tr("%(results)s holds a check that never finished (run.json says 'running'); check the "
                            "acquisition again", results=results))
    out = validate_output(options.output, results)
    platform = previous.device.platform or _platform_of(previous.kind)
    indicators = load_indicators(options.indicators, platform)
    run = RunInfo(
        tool=TOOL_NAME, version=__version__, command=options.command, started=iso(utcnow()) or "",
        finished=None, kind=previous.kind, input=previous.input, inputs=previous.inputs,
        indicators=indicators.files, artifacts={}, detections={}, device=previous.device, status=RUNNING,
        indicator_set_version=indicators.version, unsupported_indicators=indicators.unsupported,
        recheck_of=str(run_file),
    )
    created: list[Path] = []
    try:
        with RunSignals() as signals, _logging_to(created), work_folder() as workdir:
            created.append(create_output(out))
            write_json(out / "run.json", run)
            parts = workdir / "timeline-parts"
            parts.mkdir(mode=0o700)
            state = jobs_mod.Shared(matcher=indicators.matcher, rules=list(all_rules().values()),
                                    records_dir=out / "records", parts_dir=parts, results_dir=results)
            known = all_artifacts()
            stored = sorted(p.stem for p in (results / "records").glob("*.jsonl"))
            job_list = []
            for stored_job in stored:
                artifact_id, nested = jobs_mod.split_job_id(stored_job)
                title = known[artifact_id].title if artifact_id in known else artifact_id
                job_list.append(Job(stored_job, f"{title} [{nested}]" if nested else title, jobs_mod.STORE, None))
            try:
                with jobs_mod.using(state):
                    outcomes = _run_phase(signals, job_list, options, out / "records")
            except SpyscanError as exc:
                _record_failure(out, run, jobs_mod.reason_of(exc))
                raise
            _run_level(out / "records", outcomes, run)
            _carry_statuses(previous, outcomes)
            # artifacts that produced no records in the original run keep their original status
            for artifact_id, status in previous.artifacts.items():
                if artifact_id not in stored:
                    run.artifacts[artifact_id] = status
            run.status = INTERRUPTED if signals.flag.reason else COMPLETE
            keys = [a for a, s in previous.artifacts.items() if s.key]
            return finish(out, run, outcomes, options, keys)
    finally:
        if options.progress is not None:
            options.progress.stop()


def _carry_statuses(previous: RunInfo, outcomes: list[ArtifactOutcome]) -> None:
    """An artifact that did not finish in the original check did not finish in the recheck either."""
    for outcome in outcomes:
        before = previous.artifacts.get(outcome.id)
        if before is None:
            continue
        outcome.status.holds_traces = before.holds_traces
        if before.status in UNFINISHED and outcome.status.status in READ:
            outcome.status.status = before.status
            outcome.status.error = before.error


def _platform_of(kind: str) -> str | None:
    try:
        return evidence_class(kind).platform or None
    except UsageError:
        return None
