"""What a run is asked to do (``RunOptions``), what it reports while it runs (``Progress``) and what
it returns (``RunResult``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spyscan.detection.model import Detection
from spyscan.evidence.secrets import Secrets
from spyscan.report.runfile import ArtifactStatus, RunInfo

DEFAULT_MAX_RECORDS = 50_000_000  # records per artifact; a table of a billion generated rows stops here


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
    lang: str | None = None  # language of the report and summary (None: the locale's); stored in run.json
    tz: str | None = None  # --tz: time zone of the report's times (None: the device's); stored in run.json
    pdf: bool = False
    redact: bool = False
    artifact_timeout: float | None = None  # seconds per artifact; None: scaled to the input, 0: no limit
    max_records: int = DEFAULT_MAX_RECORDS  # records per artifact (0: no ceiling)


class Progress:
    """Receives progress events (the CLI shows them with rich; tests and the web app record them)."""

    def start(self, artifacts: Sequence[tuple[str, str]]) -> None:
        """Artifacts about to run, as ``(id, title)`` pairs."""

    def done(self, artifact: str, status: ArtifactStatus) -> None:
        """One artifact finished."""

    def stop(self) -> None:
        """The run is over (successfully or not)."""


@dataclass
class RunResult:
    output: Path
    run: RunInfo
    detections: list[Detection]
    exit_code: int
