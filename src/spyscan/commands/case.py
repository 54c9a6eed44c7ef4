"""``spyscan case``: the case store (register output folders, list, show, export)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from spyscan.cases.store import ENV_STORE, CaseStore, check_run_folder
from spyscan.commands.errors import friendly_errors
from spyscan.commands.language import words
from spyscan.commands.spoken_help import SpokenGroup
from spyscan.indicators.storage import write_private
from spyscan.texts import N_, tr

F = TypeVar("F", bound=Callable[..., Any])




def store_option(func: F) -> F:
    return click.option(
        "--store", type=click.Path(path_type=Path, dir_okay=False), envvar=ENV_STORE, default=None,
        help=N_("Case store file (default: $SPYSCAN_STORE, else cases.sqlite in the spyscan data folder)."),
    )(func)


def _out() -> Console:
    return Console(highlight=False)


@click.group("case", cls=SpokenGroup, help=N_(
    "Cases: register check results per device, list and show them, export detections (STIX 2.1, MISP).\n\n"
    "The store references output folders by absolute path and the SHA-256 of their run.json; it never copies "
    "evidence. Registered runs are never altered."))
def case() -> None:
    pass


@case.command("new", help=N_("Create the case NAME."))
@click.argument("name")
@store_option
@friendly_errors
def new(name: str, store: Path | None) -> None:
    with CaseStore(store) as db:
        info = db.new_case(name)
        click.echo(words(tr("case %(name)s created in %(store)s", name=info.name, store=db.path)))


@case.command("add", help=N_("Register the spyscan output folder OUTPUT in case NAME."))
@click.argument("name")
@click.argument("output", type=click.Path(path_type=Path, file_okay=False))
@click.option("--device", default=None, help=N_("Device label (default: the model from the run, else its kind)."))
@click.option("--person", default=None,
              help=N_("Pseudonymous person id (default: the device's id in this case, else a new random one)."))
@click.option("--acquired", default=None, metavar="YYYY-MM-DD",
              help=N_("Acquisition date (default: the date the check started)."))
@store_option
@friendly_errors
def add(name: str, output: Path, device: str | None, person: str | None, acquired: str | None,
        store: Path | None) -> None:
    with CaseStore(store) as db:
        run = db.add_run(name, output, device=device, person=person, acquired=acquired)
        click.echo(words(tr("run %(run)s registered in case %(case)s: device %(device)s, person %(person)s, "
                            "%(detections)s detection(s), run.json SHA-256 %(sha)s...", run=run.id, case=run.case,
                            device=run.device, person=run.person, detections=run.detections,
                            sha=run.run_sha256[:16])))


@case.command("list", help=N_("List the cases in the store."))
@store_option
@friendly_errors
def list_cases(store: Path | None) -> None:
    with CaseStore(store) as db:
        cases = db.cases()
        if not cases:
            click.echo(words(tr("no cases in %(store)s (create one with `spyscan case new NAME`)", store=db.path)))
            return
        table = Table(title=escape(words(tr("Cases in %(store)s", store=db.path))))
        for column in (tr("case"), tr("created"), tr("devices"), tr("runs")):
            table.add_column(words(column))
        for info in cases:
            table.add_row(escape(info.name), info.created, str(info.devices), str(info.runs))
        _out().print(table)


@case.command("show", help=N_(
    "Show the runs of case NAME, and whether their output folders are still intact."))
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help=N_("Print the stored runs as JSON."))
@store_option
@friendly_errors
def show(name: str, as_json: bool, store: Path | None) -> None:
    with CaseStore(store) as db:
        info = db.case(name)
        runs = db.runs(name)
        checks = {run.id: check_run_folder(run.output, run.run_sha256) for run in runs}
        if as_json:
            import msgspec

            doc = [{**msgspec.to_builtins(run), "folder": checks[run.id].status} for run in runs]
            click.echo(json.dumps({"case": info.name, "created": info.created, "runs": doc}, indent=2))
            return
        table = Table(title=escape(words(tr("Case %(name)s (created %(created)s)", name=info.name,
                                               created=info.created))))
        for column in (tr("run"), tr("device"), tr("person"), tr("acquired"), tr("kind"), tr("verdict"),
                       tr("detections"), tr("folder"), tr("output")):
            table.add_column(words(column))
        for run in runs:
            checked = checks[run.id]
            style = "green" if checked.status == "ok" else "red"
            table.add_row(str(run.id), escape(run.device), escape(run.person), run.acquired or "", run.kind,
                          _verdict_label(run.verdict),
                          words(tr("%(detections)s (%(hunted)s from hunts)", detections=run.detections,
                                   hunted=run.hunted_detections)),
                          f"[{style}]{checked.status}[/]", escape(run.output))
        out = _out()
        out.print(table)
        for run in runs:
            if checks[run.id].status != "ok":
                label = escape(words(tr("run %(run)s:", run=run.id)))
                out.print(f"[red]{label}[/] {escape(words(checks[run.id].message))}")


def _verdict_label(state: str | None) -> str:
    """The run's verdict in a few words and its colour (docs/verdict.md); a dash for runs stored before."""
    labels = {"traces": ("red", tr("traces found")), "review": ("yellow", tr("to review")),
              "clean": ("green", tr("no known traces")), "incomplete": ("bright_black", tr("incomplete"))}
    if state not in labels:
        return "—"
    colour, label = labels[state]
    return f"[{colour}]{escape(words(label))}[/]"


@case.command("export", help=N_(
    "Export the indicator detections of case NAME for sharing (STIX 2.1 or MISP JSON)."))
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["stix", "misp"]), required=True,
              help=N_("stix: a STIX 2.1 bundle of sightings; misp: a MISP event (JSON)."))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help=N_("File to write (created owner-only)."))
@store_option
@friendly_errors
def export(name: str, fmt: str, output: Path, store: Path | None) -> None:
    from spyscan.cases.export_misp import case_event
    from spyscan.cases.export_stix import case_bundle

    with CaseStore(store) as db:
        doc = case_bundle(db, name) if fmt == "stix" else case_event(db, name)
    write_private(output, json.dumps(doc, indent=2, ensure_ascii=False).encode() + b"\n")
    click.echo(words(tr("%(format)s export of case %(name)s written to %(file)s", format=fmt.upper(), name=name,
                        file=output)))
