"""``spyscan iocs``: list, validate, add and update indicator files."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from spyscan.commands.errors import friendly_errors
from spyscan.commands.language import words
from spyscan.commands.spoken_help import SpokenGroup
from spyscan.indicators import bundled_set
from spyscan.indicators.added import Validation, add_bytes, added_dir, validate_bytes
from spyscan.indicators.feeds import DEFAULT_INDEX_URL
from spyscan.indicators.model import IndicatorFile
from spyscan.indicators.provenance import file_provenance
from spyscan.indicators.sources import IndicatorSet, load_indicator_set
from spyscan.indicators.update import update_user_set
from spyscan.texts import N_, tr


@click.group("iocs", cls=SpokenGroup, help=N_(
    "Indicator (IOC) files: list the ones in use, validate or add a file, update the public feeds."))
def iocs() -> None:
    pass


# ------------------------------------------------------------------ list
def _rows(result: IndicatorSet) -> list[tuple[IndicatorFile, str, int]]:
    unsupported = Counter(u.file for u in result.unsupported)
    provenance = file_provenance()
    return [(f, provenance.get((f.source, f.file), ""), unsupported[f.file]) for f in result.files]


def _counts(counts: dict[str, int] | Counter[str]) -> str:
    return ", ".join(f"{key} {count}" for key, count in sorted(counts.items())) or "-"


def _roles(result: IndicatorSet) -> dict[str, Counter[str]]:
    """Per file: how many values the feed says are a vendor website, a distribution site or a c2 server."""
    roles: dict[str, Counter[str]] = {}
    for indicator in result.indicators:
        if indicator.role:
            roles.setdefault(indicator.file, Counter())[indicator.role] += 1
    return roles


def _print_plain(result: IndicatorSet) -> None:
    roles = _roles(result)
    for f, origin, bad in _rows(result):
        click.echo(f"[{f.source}] {f.file}")
        if origin:
            click.echo("    " + words(tr("from: %(origin)s", origin=origin)))
        click.echo("    " + words(tr("indicators: %(count)s  unsupported: %(bad)s  sha256: %(sha)s", count=f.count,
                                     bad=bad, sha=f.sha256)))
        threat = words(tr("threat: %(threat)s  platforms: %(platforms)s", threat=f.threat or tr("unknown"),
                          platforms=_counts(f.platforms)))
        if f.file in roles:
            threat += "  " + words(tr("roles: %(roles)s", roles=_counts(roles[f.file])))
        click.echo("    " + threat)
        click.echo("    " + words(tr("families: %(families)s", families=", ".join(f.families) or "-")))
    click.echo(words(tr("indicators by type:")))
    for kind, count in Counter(i.type for i in result.indicators).most_common():
        click.echo(f"    {kind}: {count}")


def _print_rich(result: IndicatorSet) -> None:
    out = Console(highlight=False)
    roles = _roles(result)
    files = Table(title=words(tr("Indicator files")))
    for column in (tr("Source"), tr("File"), tr("From"), tr("Indicators"), tr("Unsupported"), tr("Threat"),
                   tr("Platforms"), tr("Roles"), tr("Families")):
        files.add_column(words(column), overflow="fold")
    for f, origin, bad in _rows(result):
        files.add_row(f.source, escape(f.file), escape(origin), str(f.count), str(bad),
                      f.threat or words(tr("unknown")),
                      _counts(f.platforms), _counts(roles.get(f.file, Counter())), escape(", ".join(f.families)))
    out.print(files)
    types = Table(title=words(tr("Indicators by type")))
    types.add_column(words(tr("Type")))
    types.add_column(words(tr("Count")), justify="right")
    for kind, count in Counter(i.type for i in result.indicators).most_common():
        types.add_row(kind, str(count))
    out.print(types)


@iocs.command("list", help=N_("Show the indicator files a check would use, with their origin and contents."))
@click.option("--iocs", "paths", multiple=True, type=click.Path(path_type=Path),
              help=N_("Extra STIX2 indicator file or folder (repeatable)."))
@click.option("--no-bundled-iocs", is_flag=True, help=N_("Leave out the indicator set shipped with spyscan."))
@friendly_errors
def list_command(paths: tuple[Path, ...], no_bundled_iocs: bool) -> None:
    result = load_indicator_set(list(paths), bundled=not no_bundled_iocs)
    if sys.stdout.isatty():
        _print_rich(result)
    else:
        _print_plain(result)
    families = sorted({name for f in result.files for name in f.families})
    click.echo(words(tr("%(files)s files, %(indicators)s indicators, %(families)s malware families, %(unsupported)s "
                        "unsupported patterns", files=len(result.files), indicators=len(result.indicators),
                        families=len(families), unsupported=len(result.unsupported))))
    if not no_bundled_iocs:
        click.echo(words(tr("bundled set version %(version)s", version=bundled_set.set_version())))
    for error in result.errors:
        click.echo(words(tr("error: %(error)s", error=error)), err=True)


# ------------------------------------------------------------------ validate
@iocs.command("validate", help=N_("Check that FILE is a usable STIX2 bundle; exit 0 if valid, 1 if not."))
@click.argument("file", type=click.Path(path_type=Path))
@friendly_errors
def validate_command(file: Path) -> None:
    result = validate_bytes(_read(file), str(file))
    _print_validation(file, result)
    if not result.ok:
        raise SystemExit(1)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise click.ClickException(tr('cannot read %(file)s: %(value)s', file=file,
                                      value=exc.strerror or exc)) from None


def _print_validation(file: Path, result: Validation) -> None:
    for problem in result.problems:
        click.echo(f"{file}: {words(problem)}")
    families = ", ".join(result.families) or words(tr("no malware family"))
    click.echo(f"{file}: " + words(tr("%(objects)s indicator objects, %(usable)s usable comparisons, %(problems)s "
                                      "problems (%(families)s)", objects=result.indicator_objects,
                                      usable=result.usable, problems=len(result.problems), families=families)))


# ------------------------------------------------------------------ add
@iocs.command("add", help=N_(
    "Validate the STIX2 file FILE and add it to the indicator set every check and hunt uses.\n\n"
    "Files with a problem are refused (see `spyscan iocs validate`). Added files are kept in the spyscan data "
    "folder (iocs-added/), apart from the feeds `spyscan iocs update` replaces."))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--platform", type=click.Choice(["ios", "android"]), default=None,
              help=N_("The platform the file is about, as a known feed's (network values stay valid on any "
                      "platform; the others are never matched on the other one); default: any."))
@friendly_errors
def add_command(file: Path, platform: str | None) -> None:
    from spyscan.timeutil import iso, utcnow

    result, entry = add_bytes(_read(file), file.name, platform, iso(utcnow()) or "")
    _print_validation(file, result)
    if entry is None:
        raise click.ClickException(tr('%(file)s was not added: fix the problems above first', file=file))
    click.echo(words(tr("added as %(file)s (platform: %(platform)s)", file=added_dir() / entry.file,
                        platform=entry.platform or tr("any"))))


# ------------------------------------------------------------------ update
@iocs.command("update", help=N_(
    "Download the current public indicator feeds (the only command that uses the network)."))
@click.option("--index", "index", default=DEFAULT_INDEX_URL, show_default=True,
              help=N_("Feed index (YAML, MVT indicators.yaml format): URL or local file."))
@click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True,
              help=N_("Network timeout per download, in seconds."))
@friendly_errors
def update_command(index: str, timeout: float) -> None:
    result = update_user_set(index, timeout=timeout)
    for note in result.notes:
        click.echo(words(tr("note: %(note)s", note=note)), err=True)
    if result.failures:
        for failure in result.failures:
            click.echo(words(tr("error: %(error)s", error=failure)), err=True)
        click.echo(words(tr("update failed; the previous indicator set is kept")), err=True)
        raise SystemExit(1)
    total = sum(f.indicators for f in result.feeds)
    click.echo(words(tr("updated %(feeds)s feeds (%(total)s indicators) into %(folder)s", feeds=len(result.feeds),
                        total=total, folder=result.target)))
