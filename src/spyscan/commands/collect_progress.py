"""Progress of an acquisition in the terminal: one bar over the steps, a line per finished step."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

STYLE = {"ok": "green", "failed": "yellow", "lost": "red", "skipped": "dim"}


class RichCollectProgress:
    def __init__(self, t: Any, console: Console | None = None) -> None:
        self.t = t
        self.out = console or Console(stderr=True, highlight=False)
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._titles: dict[str, str] = {}

    def start(self, steps: list[tuple[str, str]]) -> None:
        self._titles = dict(steps)
        self._progress = Progress(TextColumn("[bold]{task.fields[step]}[/]"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), TextColumn("{task.description}"), console=self.out,
                                  transient=True, disable=not self.out.is_terminal)
        self._progress.start()
        self._task = self._progress.add_task("", total=len(steps), step="")

    def step(self, name: str, title: str) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, step=title, description="")

    def detail(self, text: str, done: float | None = None, total: float | None = None) -> None:
        if self._progress is not None and self._task is not None:
            counted = ""
            if done is not None and total:
                counted = f" ({done:.0f}%)" if total == 100.0 and isinstance(done, float) else f" ({done}/{total})"
            self._progress.update(self._task, description=escape(text + counted))

    def step_done(self, name: str, outcome: str) -> None:
        label = {"ok": self.t.gettext("collected"), "failed": self.t.gettext("failed"),
                 "lost": self.t.gettext("connection lost"), "skipped": self.t.gettext("skipped")}.get(outcome, outcome)
        self.out.print(f"  [{STYLE.get(outcome, '')}]{escape(label):<16}[/] {escape(self._titles.get(name, name))}")
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=1)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
