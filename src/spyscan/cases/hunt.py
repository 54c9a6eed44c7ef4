"""Retro-hunting: re-check every stored run against the current indicators and report only what is new.

"New" means a detection id not seen in any earlier check of that run (its original check and the
earlier hunts recorded in the store). Each run's outcome is committed to the store as soon as it
finishes, so an interrupted hunt resumes where it stopped (``--resume`` or the same command again).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from spyscan.cases import hunt_log
from spyscan.cases.executors import HuntTask, TaskSettings, run_dask, run_local
from spyscan.cases.hunt_run import load_index
from spyscan.cases.model import HuntRunResult, StoredRun
from spyscan.cases.store import CaseStore
from spyscan.cases.triage import benign_baselines
from spyscan.detection.model import SEVERE, Detection, Severity
from spyscan.errors import EXIT_CLEAN, EXIT_DETECTIONS, UsageError
from spyscan.indicators.sources import env_paths, load_indicator_set
from spyscan.indicators.storage import make_private_dir, write_private
from spyscan.report.runfile import encode_json
from spyscan.texts import tr

HUNT_FILE = "hunt.json"


@dataclass
class HuntOptions:
    output: Path
    case: str | None = None  # None: every case
    iocs: list[Path] = field(default_factory=list)
    bundled: bool = True
    jobs: int = 0  # local processes, 0: one per core
    scheduler: str | None = None  # tcp://host:port of a Dask scheduler
    scheduler_timeout: float = 30.0  # seconds to wait for the scheduler connection
    resume: int | None = None  # hunt id to resume
    reports: bool = False  # write a new full report folder per affected run
    command: list[str] = field(default_factory=list)


class HuntProgress:
    """Receives hunt progress (the CLI shows a bar; tests may record)."""

    def start(self, total: int, already_done: int) -> None:
        """``total`` runs in the hunt, of which ``already_done`` finished in an earlier attempt."""

    def done(self, run: StoredRun, result: HuntRunResult) -> None:
        """One run was re-checked."""

    def stop(self) -> None:
        """The hunt is over or interrupted."""


class HuntRunOut(msgspec.Struct, kw_only=True):
    case: str
    device: str
    run: int
    output: str
    person: str
    new: list[Any]  # detections in the detections.json shape
    # findings triaged benign that are raised again because their evidence changed: id -> what changed
    changed: dict[str, list[str]] = {}


class HuntProblem(msgspec.Struct, kw_only=True):
    case: str
    device: str
    run: int
    output: str
    status: str  # missing, changed, error
    message: str


class HuntFile(msgspec.Struct, kw_only=True):
    hunt: int
    resumed: bool
    scope: str
    indicators: list[dict[str, Any]]
    checked: int
    runs: list[HuntRunOut]
    problems: list[HuntProblem]
    reports: dict[str, str] = {}
    suppressed: int = 0  # findings triaged benign not raised again (their evidence did not change)


@dataclass
class HuntResult:
    hunt_id: int
    output: Path
    file: HuntFile
    exit_code: int
    resumed: bool


def _params(options: HuntOptions, key: str) -> tuple[str, dict[str, Any]]:
    params = {
        "scope": f"case:{options.case}" if options.case is not None else "all",
        "iocs": sorted(str(p) for p in options.iocs),
        "bundled": options.bundled,
        "indicator_key": key,
    }
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
    return digest, params


def _resolve_paths(paths: Sequence[Path]) -> list[Path]:
    return [p.expanduser().resolve() for p in [*env_paths(), *paths]]


class _Hunt:
    def __init__(self, store: CaseStore, options: HuntOptions, progress: HuntProgress | None) -> None:
        self.store = store
        self.options = options
        self.progress = progress

    def prepare(self) -> tuple[int, bool, list[StoredRun], TaskSettings, list[dict[str, Any]]]:
        options = self.options
        if options.resume is not None:
            info = hunt_log.get_hunt(self.store, options.resume)
            if info.finished is not None:
                raise UsageError(tr('hunt %(id)s finished on %(finished)s; nothing to resume', id=info.id,
                                    finished=info.finished))
            params = info.params
            scope = str(params["scope"])
            options.case = scope.partition(":")[2] if scope.startswith("case:") else None
            options.iocs = [Path(p) for p in params["iocs"]]
            options.bundled = bool(params["bundled"])
        paths = _resolve_paths(options.iocs) if options.resume is None else list(options.iocs)
        indicator_set = load_indicator_set(paths, bundled=options.bundled, env=False)
        if not indicator_set.indicators:
            raise UsageError(tr('no indicators to hunt with (give --iocs, or run `spyscan iocs update`)'))
        key, _ = load_index(paths, options.bundled)  # built once here; forked workers inherit it
        options.iocs = paths
        params_key, params = _params(options, key)
        files = [msgspec.to_builtins(f) for f in indicator_set.files]
        runs = self.store.runs(options.case)
        if options.resume is not None:
            if params["indicator_key"] != hunt_log.get_hunt(self.store, options.resume).params["indicator_key"]:
                raise UsageError(tr('the indicator files changed since hunt %(resume)s started; start a new hunt '
                                    'instead of resuming', resume=options.resume))
            hunt_id, resumed = options.resume, True
        else:
            found = hunt_log.latest_unfinished(self.store, params_key)
            hunt_id, resumed = (found, True) if found is not None else (
                hunt_log.new_hunt(self.store, params_key, params, files), False)
        settings = TaskSettings(indicator_paths=tuple(str(p) for p in paths), bundled=options.bundled,
                                indicator_key=key)
        return hunt_id, resumed, runs, settings, files

    def execute(self, hunt_id: int, runs: list[StoredRun], settings: TaskSettings) -> None:
        done = hunt_log.done_runs(self.store, hunt_id)
        pending = [r for r in runs if r.id not in done]
        by_id = {r.id: r for r in runs}
        if self.progress is not None:
            self.progress.start(len(runs), len(runs) - len(pending))
        tasks = [HuntTask(run_id=r.id, run_dir=r.output, known_ids=frozenset(self.store.known_ids(r.id)),
                          run_sha256=r.run_sha256, benign=benign_baselines(self.store, r)) for r in pending]
        results: Iterator[tuple[int, HuntRunResult]]
        if self.options.scheduler:
            results = run_dask(tasks, settings, self.options.scheduler, self.options.scheduler_timeout)
        else:
            results = run_local(tasks, settings, _workers(self.options.jobs))
        runs_dir = make_private_dir(self.options.output / "runs")
        for run_id, result in results:
            if result.new:  # the full detections (with records) go to the output folder, not the store
                write_private(runs_dir / f"{run_id}.json", encode_json(result.new))
            hunt_log.record_hunt_run(self.store, hunt_id, run_id, result)
            if self.progress is not None:
                self.progress.done(by_id[run_id], result)


def _workers(jobs: int) -> int:
    import os

    return jobs if jobs > 0 else max(1, os.cpu_count() or 1)


def _full_detections(output: Path, run_id: int) -> list[Any] | None:
    try:
        data = msgspec.json.decode((output / "runs" / f"{run_id}.json").read_bytes(), type=list[Detection])
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    return data


def build_file(store: CaseStore, hunt_id: int, output: Path, resumed: bool, files: list[dict[str, Any]]
               ) -> tuple[HuntFile, bool]:
    """``hunt.json`` content for a hunt, and whether anything new is high or critical."""
    info = hunt_log.get_hunt(store, hunt_id)
    entries = hunt_log.hunt_entries(store, hunt_id)
    out_runs: list[HuntRunOut] = []
    problems: list[HuntProblem] = []
    severe = False
    suppressed = 0
    for entry in entries:
        suppressed += entry.suppressed
        run = store.run(entry.run_id)
        if entry.status != "ok":
            problems.append(HuntProblem(case=run.case, device=run.device, run=run.id, output=run.output,
                                        status=entry.status, message=entry.message))
        if not entry.new:
            continue
        full = _full_detections(output, run.id)
        ids = {d.id for d in entry.new}
        new: list[Any] = [d for d in full if d.id in ids] if full is not None else []
        if full is None or len(new) != len(ids):
            new = list(entry.new)  # written elsewhere (resumed into another folder): the stored summaries
        severe = severe or any(Severity(d.severity) in SEVERE for d in entry.new)
        out_runs.append(HuntRunOut(case=run.case, device=run.device, run=run.id, output=run.output,
                                   person=run.person, new=new,
                                   changed={k: [c.text() for c in v] for k, v in entry.changed.items()}))
    return HuntFile(hunt=hunt_id, resumed=resumed, scope=str(info.params.get("scope", "")), indicators=files,
                    checked=len(entries), runs=out_runs, problems=problems, suppressed=suppressed), severe


def _write_reports(store: CaseStore, hunt_file: HuntFile, options: HuntOptions) -> None:
    from spyscan.engine import IndicatorOptions, RunOptions, recheck

    for item in hunt_file.runs:
        folder = options.output / "reports" / f"run-{item.run}"
        if folder.exists():  # written by an earlier attempt of this hunt
            hunt_file.reports[str(item.run)] = str(folder)
            continue
        make_private_dir(folder.parent)
        recheck(Path(item.output), RunOptions(
            output=folder, indicators=IndicatorOptions(paths=list(options.iocs), bundled=options.bundled),
            jobs=1, command=options.command,
        ))
        hunt_file.reports[str(item.run)] = str(folder)


def run_hunt(store: CaseStore, options: HuntOptions, progress: HuntProgress | None = None) -> HuntResult:
    """Hunt every stored run in scope; writes ``OUTPUT/hunt.json`` and returns the outcome."""
    options.output = options.output.expanduser().resolve()
    if options.output.exists() and not options.output.is_dir():
        raise UsageError(tr('the output path %(output)s exists and is not a folder', output=options.output))
    hunt = _Hunt(store, options, progress)
    hunt_id, resumed, runs, settings, files = hunt.prepare()
    if not runs:
        if options.case is not None:
            raise UsageError(tr("no stored runs in case '%(case)s' (register output folders with `spyscan case add`)",
                                case=options.case))
        raise UsageError(tr("no stored runs in the store (register output folders with `spyscan case add`)"))
    make_private_dir(options.output)
    try:
        hunt.execute(hunt_id, runs, settings)
    finally:
        if progress is not None:
            progress.stop()
    hunt_log.finish_hunt(store, hunt_id)
    hunt_file, severe = build_file(store, hunt_id, options.output, resumed, files)
    if options.reports and hunt_file.runs:
        _write_reports(store, hunt_file, options)
    write_private(options.output / HUNT_FILE, msgspec.json.format(encode_json(hunt_file), indent=2) + b"\n")
    return HuntResult(hunt_id=hunt_id, output=options.output, file=hunt_file,
                      exit_code=EXIT_DETECTIONS if severe else EXIT_CLEAN, resumed=resumed)

