"""Terminal experience: per-artifact progress and the closing summary (rich)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from spyscan.detection.model import Severity
from spyscan.engine import Progress as EngineProgress
from spyscan.engine import RunResult
from spyscan.report import terminal_text as tt
from spyscan.report.i18n import gettext_for, say
from spyscan.report.runfile import ArtifactStatus
from spyscan.report.unchecked import part_title
from spyscan.verdict import verdict_of

STATUS_STYLE = {
    "ok": "green", "not_found": "dim", "warning": "yellow", "recovered": "yellow", "error": "red",
    "skipped": "dim", "timeout": "red", "truncated": "red", "interrupted": "red", "not_run": "red",
}

err_console = Console(stderr=True, highlight=False)


def console(quiet: bool = False) -> Console:
    return Console(highlight=False, quiet=quiet)


class RichProgress(EngineProgress):
    def __init__(self, out: Console, lang: str | None = None) -> None:
        self.out = out
        self.t = gettext_for(lang)
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def start(self, artifacts: Sequence[tuple[str, str]]) -> None:
        self._progress = Progress(
            TextColumn(f"[bold]{escape(tt.summary_words(self.t).checking)}[/]"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"), console=self.out, transient=True,
            disable=not self.out.is_terminal,
        )
        self._progress.start()
        self._task = self._progress.add_task("", total=len(artifacts))

    def done(self, artifact: str, status: ArtifactStatus) -> None:
        if self._progress is None or self._task is None:
            return
        style = STATUS_STYLE.get(status.status, "")
        title = part_title(self.t, status.title, artifact)
        if self.out.is_terminal:
            self._progress.console.print(
                f"  [{style}]{escape(tt.status_label(self.t, status.status)):<22}[/] {escape(title)}  "
                f"[dim]{escape(artifact)}[/]  ({status.records}, {status.seconds:.1f}s)"
            )
        self._progress.update(self._task, advance=1, description=title)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def verdict_line(result: RunResult, lang: str | None = None) -> str:
    t = gettext_for(lang)
    titles = {aid: part_title(t, s.title, aid) for aid, s in result.run.artifacts.items()}
    return tt.verdict_line(t, tt.present(verdict_of(result.run, result.detections), result.detections, titles,
                                         result.run.indicators))


def summary(out: Console, result: RunResult, lang: str | None = None) -> None:
    t = gettext_for(lang)
    words = tt.summary_words(t)
    table = Table(title=words.artifacts, show_lines=False)
    table.add_column(words.artifact)
    table.add_column("", style="dim")  # the artifact's id, for the analyst (run.json, records/, --artifact-timeout)
    table.add_column(words.status)
    table.add_column(words.records, justify="right")
    table.add_column(words.detections, justify="right")
    per_artifact: dict[str, int] = {}
    for d in result.detections:
        per_artifact[d.artifact] = per_artifact.get(d.artifact, 0) + 1
    for artifact_id, status in sorted(result.run.artifacts.items()):
        style = STATUS_STYLE.get(status.status, "")
        table.add_row(escape(part_title(t, status.title, artifact_id)), escape(artifact_id),
                      f"[{style}]{escape(tt.status_label(t, status.status))}[/]",
                      str(status.records), str(per_artifact.get(artifact_id, "")))
    out.print(table)
    unchecked = escape(t.gettext("What could not be checked"))
    for error in result.run.errors:
        out.print(f"[yellow]{unchecked}:[/] {escape(say(t, error, result.run.messages))}")
    counts = result.run.detections
    parts = [f"{tt.severity_label(t, sev.value)}: {counts.get(sev.value, 0)}" for sev in Severity]
    out.print(escape(f"{words.by_severity} - " + ", ".join(parts)))
    state = verdict_of(result.run, result.detections).state
    styles = {tt.TRACES: "bold red", tt.INCOMPLETE: "bold bright_black", tt.REVIEW: "bold yellow"}
    style = styles.get(state, "bold green")
    out.print(f"[{style}]{escape(verdict_line(result, lang))}[/]")
    report = result.output / "report.html"
    if report.exists():
        out.print(escape(f"{words.report} {report}"))
    out.print(escape(f"{words.results} {result.output}"))


def is_interactive() -> bool:
    return sys.stdin.isatty()
