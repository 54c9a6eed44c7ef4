"""``spyscan hunt``: re-check every stored run against the current indicators; report only what is new."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from spyscan.cases.hunt import HuntOptions, HuntProgress, HuntResult, run_hunt
from spyscan.cases.model import HuntRunResult, StoredRun
from spyscan.cases.store import CaseStore
from spyscan.commands.case import store_option
from spyscan.commands.errors import friendly_errors
from spyscan.commands.language import words
from spyscan.commands.spoken_help import SpokenCommand
from spyscan.detection.model import SEVERE, Severity
from spyscan.texts import N_, tr, trn

EXIT_HELP = "\b\n" + N_(
    "Exit status:\n"
    "  0  finished, nothing new that is high or critical\n"
    "  3  something new is high or critical\n"
    "  1  could not finish\n"
    "  2  usage error"
)


class RichHuntProgress(HuntProgress):
    def __init__(self, out: Console) -> None:
        self.out = out
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def start(self, total: int, already_done: int) -> None:
        if already_done:
            self.out.print(escape(words(tr("resuming: %(done)s of %(total)s runs were hunted before the interruption",
                                           done=already_done, total=total))))
        hunting = escape(words(tr("hunting")))
        self._bar = Progress(TextColumn(f"[bold]{hunting}[/]"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(),
                             TextColumn("{task.description}"), console=self.out, transient=True,
                             disable=not self.out.is_terminal)
        self._bar.start()
        self._task = self._bar.add_task("", total=total, completed=already_done)

    def done(self, run: StoredRun, result: HuntRunResult) -> None:
        if result.new:
            new = escape(words(tr("NEW")))
            self.out.print(f"  [bold red]{new}[/] " + escape(words(tr(
                "%(case)s / %(device)s (run %(run)s): %(count)s new detection(s)", case=run.case, device=run.device,
                run=run.id, count=len(result.new)))))
        elif result.status != "ok":
            self.out.print(f"  [yellow]{escape(result.status)}[/] "
                           + escape(words(tr("run %(run)s: %(message)s", run=run.id, message=result.message))))
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, description=f"{run.case}/{run.device}")

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _summary(out: Console, result: HuntResult) -> None:
    doc = result.file
    severe = sum(1 for r in doc.runs for d in r.new if Severity(d.severity) in SEVERE)
    if result.resumed:
        line = tr("hunt %(hunt)s (resumed): %(checked)s run(s) checked, %(new)s with new detections (%(severe)s "
                  "high/critical), %(problems)s problem(s)", hunt=result.hunt_id, checked=doc.checked,
                  new=len(doc.runs), severe=severe, problems=len(doc.problems))
    else:
        line = tr("hunt %(hunt)s: %(checked)s run(s) checked, %(new)s with new detections (%(severe)s "
                  "high/critical), %(problems)s problem(s)", hunt=result.hunt_id, checked=doc.checked,
                  new=len(doc.runs), severe=severe, problems=len(doc.problems))
    out.print(escape(words(line)))
    for run in doc.runs:
        families = sorted({d.indicator.malware or words(tr("unattributed")) for d in run.new
                           if d.indicator is not None})
        out.print("  " + escape(words(tr("%(case)s / %(device)s (run %(run)s): %(count)s new", case=run.case,
                                         device=run.device, run=run.run, count=len(run.new))))
                  + (f" - {escape(', '.join(families))}" if families else ""))
        for detection_id, changes in sorted(run.changed.items()):
            out.print("    " + escape(words(tr("triaged benign, raised again (%(detection)s): %(changes)s",
                                               detection=detection_id, changes="; ".join(changes)))))
    if doc.suppressed:
        out.print("  " + escape(words(trn("%(count)s finding triaged benign not raised again: its evidence did not "
                                          "change", "%(count)s findings triaged benign not raised again: their "
                                          "evidence did not change", doc.suppressed, count=doc.suppressed))))
    for problem in doc.problems:
        out.print(f"  [red]{escape(problem.status)}[/] "
                  + escape(words(tr("run %(run)s: %(message)s", run=problem.run, message=problem.message))))
    style = "bold red" if result.exit_code == 3 else "bold green"
    verdict = (tr("NEW TRACES FOUND on examined devices") if result.exit_code == 3
               else tr("nothing new that is high or critical"))
    out.print(f"[{style}]{escape(words(verdict))}[/]")
    out.print(escape(words(tr("Results: %(file)s", file=result.output / "hunt.json"))))


@click.command("hunt", cls=SpokenCommand, epilog=EXIT_HELP, help=N_(
    "Re-check every stored run with the current indicators and report only what is new.\n\n"
    "Run `spyscan iocs update` first to get the latest public indicators. The original evidence is not needed: "
    "the records stored in each registered output folder are re-checked."))
@click.option("--case", "case_name", default=None, help=N_("Hunt the runs of this case only."))
@click.option("--all", "all_cases", is_flag=True, help=N_("Hunt the runs of every case (the default)."))
@click.option("--iocs", multiple=True, type=click.Path(path_type=Path),
              help=N_("STIX2 indicator file or folder (repeatable), added to the bundled/updated set."))
@click.option("--no-bundled-iocs", is_flag=True, help=N_("Do not use the bundled indicator set."))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path, dir_okay=True, file_okay=False),
              help=N_("Folder for hunt.json (and reports with --reports)."))
@click.option("--reports", is_flag=True, help=N_("Also write a new full report folder for each affected run."))
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help=N_("Local worker processes (0: one per CPU core)."))
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help=N_("Run on an existing Dask distributed cluster instead of local processes."))
@click.option("--resume", type=int, default=None, metavar="HUNT_ID",
              help=N_("Resume an interrupted hunt (the same command resumes the latest one automatically)."))
@click.option("--quiet", "-q", is_flag=True, help=N_("No progress or summary; errors only."))
@store_option
@friendly_errors
def hunt(case_name: str | None, all_cases: bool, iocs: tuple[Path, ...], no_bundled_iocs: bool, output: Path,
         reports: bool, jobs: int, scheduler: str | None, resume: int | None, quiet: bool, store: Path | None) -> None:
    if case_name is not None and all_cases:
        raise click.UsageError(tr('give either --case NAME or --all, not both'))
    out = Console(highlight=False, quiet=quiet)
    options = HuntOptions(output=output, case=case_name, iocs=list(iocs), bundled=not no_bundled_iocs, jobs=jobs,
                          scheduler=scheduler, resume=resume, reports=reports,
                          command=["spyscan", *sys.argv[1:]])
    with CaseStore(store) as db:
        try:
            result = run_hunt(db, options, None if quiet else RichHuntProgress(out))
        except KeyboardInterrupt:
            raise click.ClickException(tr('interrupted; run the same command again (or use --resume) to continue '
                                          'where the hunt stopped')) from None
    if not quiet:
        _summary(out, result)
    sys.exit(result.exit_code)
