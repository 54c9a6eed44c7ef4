"""plan -> run artifacts isolated (one forked process per artifact) -> detection -> writers.

``check`` reads evidence through its artifacts; ``recheck`` reads the records stored by an earlier
run. Both feed records through the same jobs (``jobs``), run by the same pool (``pool``), and write
the same outputs (``outputs``). New faces (the web app) call these functions, as the CLI does.
"""

from __future__ import annotations

from spyscan.artifacts.base import Artifact, all_artifacts
from spyscan.engine.jobs import job_id, split_job_id
from spyscan.engine.options import IndicatorOptions, Progress, RunOptions, RunResult
from spyscan.engine.outcome import ArtifactOutcome
from spyscan.engine.outputs import prepare_output
from spyscan.engine.run import LoadedIndicators, check, load_indicators, owner_only_files, recheck


def artifact_table() -> list[type[Artifact]]:
    return sorted(all_artifacts().values(), key=lambda a: a.id)


__all__ = [
    "ArtifactOutcome",
    "IndicatorOptions",
    "LoadedIndicators",
    "Progress",
    "RunOptions",
    "RunResult",
    "artifact_table",
    "check",
    "job_id",
    "load_indicators",
    "owner_only_files",
    "prepare_output",
    "recheck",
    "split_job_id",
]
