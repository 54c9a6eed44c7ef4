"""plan -> run artifacts isolated (in parallel processes) -> detection -> writers.

``check`` reads evidence through its artifacts; ``recheck`` reads the records stored by an earlier
run. Both feed records through the same ``RecordPipeline`` and the same writers.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import msgspec

from spyscan import TOOL_NAME, __version__, faults
from spyscan.artifacts.base import IMPORT_ERRORS, Artifact, ArtifactLog, all_artifacts, artifacts_for
from spyscan.detection.heuristics.base import Rule, all_rules
from spyscan.detection.model import SEVERE, Detection, DetectionsFile, Severity
from spyscan.detection.pipeline import Matcher, RecordPipeline
from spyscan.errors import EXIT_CLEAN, EXIT_DETECTIONS, ArtifactNotFound, SpyscanError, UsageError
from spyscan.evidence.base import Evidence
from spyscan.evidence.custody import InputFile
from spyscan.evidence.diskspace import preflight
from spyscan.evidence.secrets import Secrets
from spyscan.evidence.sqlite import drain_recovery_notes
from spyscan.indicators.model import IndicatorFile, Unsupported
from spyscan.kinds import RESULTS_KIND, detect_kind, evidence_class
from spyscan.records.base import Record
from spyscan.records.store import read_stored_records
from spyscan.report.runfile import ArtifactStatus, RunInfo, read_run, write_json
from spyscan.report.svg_timeline import ChartCounts, EventBinner
from spyscan.timeline.rows import TimelineRow, TimelineSpool, stamp_key, write_csv, write_merged
from spyscan.timeutil import from_iso, iso, utcnow

log = logging.getLogger("spyscan")


# --------------------------------------------------------------------------------------------
# options and results


@dataclass
class IndicatorOptions:
    paths: list[Path] = field(default_factory=list)
    bundled: bool = True


@dataclass
class RunOptions:
    output: Path
    indicators: IndicatorOptions = field(default_factory=IndicatorOptions)
    jobs: int = 0  # 0: one process per core
    command: list[str] = field(default_factory=list)
    secrets: Secrets = field(default_factory=Secrets)
    progress: Progress | None = None
    lang: str | None = None
    pdf: bool = False
    redact: bool = False


class Progress:
    """Receives progress events (the CLI shows them with rich; tests may record them)."""

    def start(self, artifacts: Sequence[tuple[str, str]]) -> None:
        """Artifacts about to run, as ``(id, title)`` pairs."""

    def done(self, artifact: str, status: ArtifactStatus) -> None:
        """One artifact finished."""

    def stop(self) -> None:
        """The run is over (successfully or not)."""


class ArtifactOutcome(msgspec.Struct, kw_only=True):
    id: str
    status: ArtifactStatus
    detections: list[Detection]
    inputs: list[InputFile]
    timeline_parts: list[str]


@dataclass
class RunResult:
    output: Path
    run: RunInfo
    detections: list[Detection]
    exit_code: int


# --------------------------------------------------------------------------------------------
# output folder and work folder


def prepare_output(output: Path, evidence: Path | None) -> Path:
    """Create the output folder owner-only; refuse it inside the evidence or over earlier results."""
    out = output.expanduser().resolve()
    if evidence is not None:
        ev = evidence.expanduser().resolve()
        ev_root = ev if ev.is_dir() else None
        if ev_root is not None and (out == ev_root or out.is_relative_to(ev_root)):
            raise UsageError(f"the output folder {out} is inside the evidence {ev_root}; choose another place")
    if out.exists():
        if not out.is_dir():
            raise UsageError(f"the output path {out} exists and is not a folder")
        if any(out.iterdir()):
            raise UsageError(f"the output folder {out} is not empty; choose a new folder (nothing was changed)")
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    out.chmod(0o700)
    (out / "records").mkdir(mode=0o700, exist_ok=True)
    return out


@contextlib.contextmanager
def owner_only_files() -> Iterator[None]:
    """Every file and folder created meanwhile is readable by the owner only."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class _WorkDir:
    """A private 0700 temp folder removed at exit, on errors and on SIGINT/SIGTERM/SIGHUP.

    Signals are held back while the folder is created and its clean-up registered, so that no
    signal can arrive between the two and leave the folder behind.
    """

    def __init__(self) -> None:
        self.path = Path()
        self._old: dict[int, Any] = {}

    def __enter__(self) -> Path:
        blocked = _block_signals()
        try:
            self.path = Path(tempfile.mkdtemp(prefix="spyscan-work-"))
            atexit.register(self._cleanup)  # last resort if a signal lands before the with-body
            for sig in (signal.SIGTERM, signal.SIGHUP):
                with contextlib.suppress(ValueError, OSError):  # not in the main thread
                    self._old[sig] = signal.signal(sig, self._on_signal)
        finally:
            _restore_signals(blocked)
        return self.path

    @staticmethod
    def _on_signal(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    def _cleanup(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)
        self._cleanup()
        atexit.unregister(self._cleanup)


def _block_signals() -> set[int | signal.Signals] | None:
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)


def _restore_signals(previous: set[int | signal.Signals] | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _file_logging(out: Path) -> logging.Handler:
    handler = logging.FileHandler(out / "spyscan.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return handler


# --------------------------------------------------------------------------------------------
# jobs: one per artifact (check) or per stored records file (recheck)


@dataclass
class _Shared:
    """State inherited by worker processes (fork) or used in-process."""

    matcher: Matcher
    rules: list[type[Rule]]
    records_dir: Path
    parts_dir: Path
    evidences: dict[str, Evidence] = field(default_factory=dict)  # "" = the input, else a nested label
    results_dir: Path | None = None
    secrets: list[str] = field(default_factory=list)


_STATE: _Shared | None = None


def _redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return text


def _one_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ").strip()
    return text[:500]


def job_id(artifact_id: str, nested: str) -> str:
    """Name of a job's records file: the artifact id, plus ``@<nested input>`` for nested inputs."""
    return f"{artifact_id}@{nested}" if nested else artifact_id


def split_job_id(job: str) -> tuple[str, str]:
    artifact_id, _, nested = job.partition("@")
    return artifact_id, nested


def _records_from_artifact(job: str, lg: ArtifactLog) -> Iterator[Record]:
    assert _STATE is not None
    artifact_id, nested = split_job_id(job)
    artifact = all_artifacts()[artifact_id]()
    yield from artifact.collect(_STATE.evidences[nested], lg)


def _records_from_store(job: str, lg: ArtifactLog) -> Iterator[Record]:
    assert _STATE is not None and _STATE.results_dir is not None
    yield from read_stored_records(_STATE.results_dir / "records" / f"{job}.jsonl", lg.warn)


def _execute(artifact_id: str, title: str, source: str) -> ArtifactOutcome:
    assert _STATE is not None
    state = _STATE
    started = time.monotonic()
    lg = ArtifactLog()
    records_path = state.records_dir / f"{artifact_id}.jsonl"
    error: str | None = None
    status = "ok"
    reader: Callable[[str, ArtifactLog], Iterator[Record]] = (
        _records_from_artifact if source == "artifact" else _records_from_store
    )
    spool = TimelineSpool(state.parts_dir, artifact_id)
    drain_recovery_notes()  # notes of an earlier job in this process are not this artifact's
    with records_path.open("wb") as out, faults.collecting() as conversion_faults:
        pipeline = RecordPipeline(artifact_id, state.matcher, state.rules, records_out=out, timeline=spool)
        try:
            for record in reader(artifact_id, lg):
                pipeline.feed(record)
        except ArtifactNotFound as exc:
            status = "not_found"
            error = _redact(str(exc), state.secrets) or None
        except Exception as exc:  # one broken artifact never stops the others
            status = "error"
            error = _redact(_one_line(exc), state.secrets)
            log.exception("artifact %s failed", artifact_id)
        try:
            detections = pipeline.finish()
        except Exception as exc:
            detections = list(pipeline.detections.values())
            status = "error"
            error = _redact(_one_line(exc), state.secrets)
    for note in drain_recovery_notes():  # a damaged database was salvaged and the artifact did not say so
        lg.mark_recovered(note)
    for warning in conversion_faults.warnings():  # values that cost their field (raw values kept)
        lg.warn(warning)
    if pipeline.count == 0 and status == "not_found":
        records_path.unlink(missing_ok=True)
    if status == "ok":
        status = "recovered" if lg.recovered else ("warning" if lg.warnings else "ok")
    parts = [str(p) for p in spool.close()]
    inputs = [item for ev in state.evidences.values() for item in ev.inputs.items()]
    return ArtifactOutcome(
        id=artifact_id,
        status=ArtifactStatus(
            status=status,
            records=pipeline.count,
            warnings=[_redact(w, state.secrets) for w in lg.warnings],
            seconds=round(time.monotonic() - started, 3),
            error=error,
            title=title,
        ),
        detections=detections,
        inputs=inputs,
        timeline_parts=parts,
    )


def _run_jobs(jobs: list[tuple[str, str]], source: str, workers: int, progress: Progress | None
              ) -> list[ArtifactOutcome]:
    outcomes: list[ArtifactOutcome] = []
    if progress is not None:
        progress.start(jobs)
    use_pool = workers > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods()
    if not use_pool:
        for artifact_id, title in jobs:
            outcome = _execute(artifact_id, title, source)
            outcomes.append(outcome)
            if progress is not None:
                progress.done(artifact_id, outcome.status)
        return outcomes
    context = multiprocessing.get_context("fork")
    # gc.freeze in each worker: the indicator index and everything inherited from the parent is never
    # rescanned by the collector while the worker reads millions of records
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context, initializer=gc.freeze) as pool:
        futures: dict[Future[ArtifactOutcome], tuple[str, str]] = {
            pool.submit(_execute, artifact_id, title, source): (artifact_id, title) for artifact_id, title in jobs
        }
        from concurrent.futures import as_completed

        for future in as_completed(futures):
            artifact_id, title = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # a worker died (e.g. out of memory)
                outcome = ArtifactOutcome(
                    id=artifact_id,
                    status=ArtifactStatus(status="error", records=0, warnings=[], seconds=0.0,
                                          error=_one_line(exc), title=title),
                    detections=[], inputs=[], timeline_parts=[],
                )
            outcomes.append(outcome)
            if progress is not None:
                progress.done(artifact_id, outcome.status)
    outcomes.sort(key=lambda o: o.id)
    return outcomes


# --------------------------------------------------------------------------------------------
# writers shared by check and recheck


def _severity_counts(detections: Sequence[Detection]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for d in detections:
        counts[d.severity.value] += 1
    return counts


def _sort_detections(detections: dict[str, Detection]) -> list[Detection]:
    return sorted(detections.values(), key=lambda d: (-d.severity.rank, d.timestamp or "~", d.artifact, d.id))


def _detection_rows(detections: Sequence[Detection]) -> list[TimelineRow]:
    rows = []
    for d in detections:
        if d.timestamp is None:
            continue
        source = d.record.get("source", {}) if isinstance(d.record, dict) else {}
        rows.append(TimelineRow(
            timestamp=d.timestamp, artifact=d.artifact, event=f"{d.severity.value} {d.kind} detection",
            record_type=str(d.record.get("record_type", "")), summary=d.message,
            source=str(source.get("file", "")),
        ))
    rows.sort(key=lambda row: (stamp_key(row.timestamp), row))
    return rows


def _finish(out: Path, run: RunInfo, outcomes: list[ArtifactOutcome], options: RunOptions) -> RunResult:
    detections: dict[str, Detection] = {}
    inputs: dict[str, InputFile] = {i.path: i for i in run.inputs}
    parts: list[tuple[str, Path]] = []  # (artifact, part): every line of a job's parts is of the job
    for outcome in outcomes:
        run.artifacts[outcome.id] = outcome.status
        for d in outcome.detections:
            detections.setdefault(d.id, d)
        for item in outcome.inputs:
            inputs.setdefault(item.path, item)
        parts.extend((outcome.id, Path(p)) for p in outcome.timeline_parts)
    ordered = _sort_detections(detections)
    write_json(out / "detections.json", DetectionsFile(detections=ordered))
    # the report's timeline chart is counted while the lines stream by, not by reading the file again
    binner = EventBinner.for_markers([when for d in ordered if (when := from_iso(d.timestamp)) is not None])
    started = time.monotonic()
    rows = write_merged(parts, out / "timeline.csv", binner)
    log.info("timeline: %d rows from %d parts merged in %.1f s", rows, len(parts), time.monotonic() - started)
    write_csv(_detection_rows(ordered), out / "detections_timeline.csv")
    run.inputs = sorted(inputs.values(), key=lambda i: i.path)
    run.detections = _severity_counts(ordered)
    exit_code = EXIT_DETECTIONS if any(d.severity in SEVERE for d in ordered) else EXIT_CLEAN
    run.exit_code = exit_code
    run.finished = iso(utcnow())
    write_json(out / "run.json", run)
    started = time.monotonic()
    _write_human_report(out, options, binner.result() if binner is not None else None)
    log.info("report written in %.1f s", time.monotonic() - started)
    return RunResult(output=out, run=run, detections=ordered, exit_code=exit_code)


def _write_human_report(out: Path, options: RunOptions, chart_counts: ChartCounts | None = None) -> None:
    try:
        from spyscan.report import html
    except ImportError:  # the HTML report module is optional while it is being built
        return
    try:
        html.write_reports(out, lang=options.lang, pdf=options.pdf, redact=options.redact,
                           chart_counts=chart_counts)
    except SpyscanError:
        raise
    except Exception as exc:  # the machine-readable outputs are written already
        log.exception("report generation failed")
        raise SpyscanError(f"the results are in {out}, but the HTML report could not be written: "
                           f"{_one_line(exc)}") from exc


# --------------------------------------------------------------------------------------------
# indicators


@dataclass
class LoadedIndicators:
    matcher: Matcher
    files: list[IndicatorFile]
    unsupported: list[Unsupported]
    version: str | None
    count: int


def load_indicators(options: IndicatorOptions) -> LoadedIndicators:
    from spyscan.indicators.bundled_set import set_version
    from spyscan.indicators.index import IndicatorIndex
    from spyscan.indicators.sources import load_indicator_set

    indicator_set = load_indicator_set(options.paths, bundled=options.bundled)
    index = IndicatorIndex.build(indicator_set.indicators)
    return LoadedIndicators(
        matcher=index,
        files=list(indicator_set.files),
        unsupported=list(indicator_set.unsupported),
        version=set_version() if options.bundled else None,
        count=len(indicator_set.indicators),
    )


def _workers(jobs: int) -> int:
    return jobs if jobs > 0 else max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------------------------
# public entry points


def check(input_path: Path, kind: str | None, options: RunOptions) -> RunResult:
    """Run every artifact of the input's kind and write the outputs to ``options.output``."""
    with owner_only_files():
        return _check(input_path, kind, options)


def recheck(results: Path, options: RunOptions) -> RunResult:
    """Re-run detection over the records stored in an earlier output folder, with current indicators."""
    with owner_only_files():
        return _recheck(results, options)


def _check(input_path: Path, kind: str | None, options: RunOptions) -> RunResult:
    global _STATE
    input_path = input_path.expanduser()
    if not input_path.exists():
        raise UsageError(f"input not found: {input_path}")
    kind = kind or detect_kind(input_path)
    if kind == RESULTS_KIND:
        return _recheck(input_path, options)
    cls = evidence_class(kind)
    indicators = load_indicators(options.indicators)
    out = prepare_output(options.output, input_path)
    handler = _file_logging(out)
    started = iso(utcnow()) or ""
    run = RunInfo(
        tool=TOOL_NAME, version=__version__, command=options.command, started=started, finished=None,
        kind=kind, input=str(input_path.resolve()), inputs=[], indicators=indicators.files, artifacts={},
        detections={}, indicator_set_version=indicators.version, unsupported_indicators=indicators.unsupported,
    )
    try:
        with _WorkDir() as workdir:
            evidences: dict[str, Evidence] = {}
            try:
                preflight(input_path, out, workdir)
                evidence = cls(input_path, workdir, options.secrets)
                evidences[""] = evidence
                evidence.open()
                run.device = evidence.device_info()
                run.inputs = evidence.hash_whole_input() + evidence.inputs.items()
                jobs = [(a.id, a.title) for a in artifacts_for(kind)]
                run.errors.extend(f"artifact module {name} could not be loaded: {error}"
                                  for name, error in sorted(IMPORT_ERRORS.items()))
                for child_kind, child_path in evidence.children():
                    label = f"{child_kind}:{child_path.name}"
                    try:
                        child = evidence_class(child_kind)(child_path, workdir / f"nested-{len(evidences)}",
                                                           options.secrets)
                        child.workdir.mkdir(mode=0o700)
                        child.open()
                    except SpyscanError as exc:  # a nested input that cannot be read never stops the run
                        run.errors.append(_redact(f"nested {label}: {exc}", options.secrets.known_values()))
                        continue
                    evidences[label] = child
                    jobs += [(job_id(a.id, label), f"{a.title} [{label}]") for a in artifacts_for(child_kind)]
                parts = workdir / "timeline-parts"
                parts.mkdir(mode=0o700)
                _STATE = _Shared(
                    matcher=indicators.matcher, rules=list(all_rules().values()), records_dir=out / "records",
                    parts_dir=parts, evidences=evidences, secrets=options.secrets.known_values(),
                )
                log.info("check of %s (%s): %d artifacts, %d indicators", input_path, kind, len(jobs),
                         indicators.count)
                started_jobs = time.monotonic()
                outcomes = _run_jobs(jobs, "artifact", _workers(options.jobs), options.progress)
                log.info("artifacts read and matched in %.1f s", time.monotonic() - started_jobs)
                return _finish(out, run, outcomes, options)
            except SpyscanError as exc:
                run.errors.append(_redact(str(exc), options.secrets.known_values()))
                run.finished = iso(utcnow())
                run.exit_code = exc.exit_code
                write_json(out / "run.json", run)
                raise
            finally:
                for ev in evidences.values():
                    ev.close()
    finally:
        _STATE = None
        if options.progress is not None:
            options.progress.stop()
        log.removeHandler(handler)
        handler.close()


def _recheck(results: Path, options: RunOptions) -> RunResult:
    global _STATE
    results = results.expanduser().resolve()
    run_file = results / "run.json"
    if not run_file.is_file() or not (results / "records").is_dir():
        raise UsageError(f"{results} is not a spyscan output folder (run.json and records/ expected)")
    try:
        previous = read_run(run_file)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise UsageError(f"{run_file} is not a readable spyscan run.json: {exc}") from exc
    indicators = load_indicators(options.indicators)
    out = prepare_output(options.output, results)
    handler = _file_logging(out)
    run = RunInfo(
        tool=TOOL_NAME, version=__version__, command=options.command, started=iso(utcnow()) or "",
        finished=None, kind=previous.kind, input=previous.input, inputs=previous.inputs,
        indicators=indicators.files, artifacts={}, detections={}, device=previous.device,
        indicator_set_version=indicators.version, unsupported_indicators=indicators.unsupported,
        recheck_of=str(run_file),
    )
    try:
        with _WorkDir() as workdir:
            parts = workdir / "timeline-parts"
            parts.mkdir(mode=0o700)
            _STATE = _Shared(
                matcher=indicators.matcher, rules=list(all_rules().values()), records_dir=out / "records",
                parts_dir=parts, results_dir=results,
            )
            known = all_artifacts()
            stored = sorted(p.stem for p in (results / "records").glob("*.jsonl"))
            jobs = []
            for stored_job in stored:
                artifact_id, nested = split_job_id(stored_job)
                title = known[artifact_id].title if artifact_id in known else artifact_id
                jobs.append((stored_job, f"{title} [{nested}]" if nested else title))
            outcomes = _run_jobs(jobs, "store", _workers(options.jobs), options.progress)
            # artifacts that produced no records in the original run keep their original status
            for artifact_id, status in previous.artifacts.items():
                if artifact_id not in stored:
                    run.artifacts[artifact_id] = status
            return _finish(out, run, outcomes, options)
    finally:
        _STATE = None
        if options.progress is not None:
            options.progress.stop()
        log.removeHandler(handler)
        handler.close()


def artifact_table() -> list[type[Artifact]]:
    return sorted(all_artifacts().values(), key=lambda a: a.id)
