"""``spyscan serve``: the helpline workbench, a local web app on this computer only."""

from __future__ import annotations

from pathlib import Path

import click

from spyscan.cases.store import ENV_STORE, default_store_path
from spyscan.commands.errors import friendly_errors
from spyscan.commands.spoken_help import SpokenCommand
from spyscan.errors import UsageError
from spyscan.texts import N_, tr


@click.command("serve", cls=SpokenCommand, help=N_(
    "Serve the helpline workbench: cases, checks, results, triage, hunts and indicators in a browser.\n\n"
    "Binds to 127.0.0.1 only and prints an address with a random token (http://127.0.0.1:PORT/?token=...); "
    "without the token there is no access. Checks run in processes of their own; closing the server (Ctrl-C) "
    "cancels the running ones and leaves no half-written results. Works offline: the only network use is "
    "'update the public feeds', when you ask for it."))
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help=N_("Port on 127.0.0.1 (0: any free port)."))
@click.option("--store", type=click.Path(path_type=Path, dir_okay=False), envvar=ENV_STORE, default=None,
              help=N_("Case store file, the one the CLI uses (default: $SPYSCAN_STORE, else cases.sqlite in the "
                      "spyscan data folder)."))
@click.option("--root", "roots", multiple=True, type=click.Path(path_type=Path, file_okay=False, exists=True),
              help=N_("A folder whose acquisitions the app may show and check (repeatable; default: your home "
                      "folder). Nothing outside these folders can be browsed or checked."))
@click.option("--results", type=click.Path(path_type=Path, file_okay=False), default=None,
              help=N_("Folder for the results of the checks and hunts started in the app (default: 'results' "
                      "next to the case store). Created owner-only."))
@click.option("--no-browser", is_flag=True, help=N_("Do not open a browser; only print the address."))
@click.option("--lang", type=click.Choice(["en", "es", "fr", "pt"]), default=None,
              help=N_("Default language of the app (default: from the locale; each user can switch)."))
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help=N_("Worker processes per check or hunt (0: one per CPU core)."))
@click.option("--feed-index", default=None, metavar="URL_OR_FILE",
              help=N_("Feed index for 'update the public feeds' in the app (default: the one `spyscan iocs update` "
                      "uses)."))
@friendly_errors
def serve(port: int, store: Path | None, roots: tuple[Path, ...], results: Path | None, no_browser: bool,
          lang: str | None, jobs: int, feed_index: str | None) -> None:
    from spyscan.indicators.feeds import DEFAULT_INDEX_URL
    from spyscan.indicators.storage import make_private_dir
    from spyscan.web.config import ServeConfig
    from spyscan.web.server import new_token
    from spyscan.web.server import serve as run_server

    store_path = (store or default_store_path()).expanduser().resolve()
    folders = tuple(p.expanduser().resolve() for p in roots) or (Path.home().resolve(),)
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(tr('--root %(folder)s is not a folder', folder=folder))
    out = make_private_dir((results or store_path.parent / "results").expanduser().resolve())
    from spyscan.cases.store import CaseStore

    with CaseStore(store_path):  # created (owner-only) and migrated now, not in the middle of a request
        pass
    config = ServeConfig(store=store_path, roots=folders, results=out, token=new_token(), port=port,
                         feed_index=feed_index or DEFAULT_INDEX_URL, jobs=jobs)
    run_server(config, open_browser=not no_browser, lang=lang)
    from spyscan.commands.language import words

    click.echo(words(tr("spyscan serve stopped.")))
