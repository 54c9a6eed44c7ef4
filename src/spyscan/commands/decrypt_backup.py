"""``spyscan decrypt-backup IN OUT``: a decrypted copy of an encrypted iOS backup."""

from __future__ import annotations

from pathlib import Path

import click

from spyscan.commands.language import words
from spyscan.commands.spoken_help import SpokenCommand
from spyscan.errors import EXIT_FAILED
from spyscan.evidence.secrets import Secrets
from spyscan.kinds.ios_backup import PASSWORD_PROMPT
from spyscan.texts import N_, tr


@click.command(name="decrypt-backup", cls=SpokenCommand, help=N_(
    "Write a decrypted copy of the encrypted iOS backup IN to the new folder OUT.\n\n"
    "The copy has the same layout with a plain Manifest.db, so it can be checked again without the password. It "
    "holds the phone's data unencrypted: store it as carefully as the phone itself."))
@click.argument("source", metavar="IN", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.argument("output", metavar="OUT", type=click.Path(path_type=Path))
@click.option("--password-env", metavar="VAR", default=None,
              help=N_("Environment variable holding the backup password (otherwise you are asked for it)."))
@click.option("--key-file", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help=N_("Key saved earlier with --save-key-file (no password needed, no slow key derivation)."))
@click.option("--save-key-file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=N_("Save the key derived from the password to this new file (owner-only). It opens the "
                      "backup like the password does: keep it as safe, delete it when the case is closed."))
def decrypt_backup(source: Path, output: Path, password_env: str | None, key_file: Path | None,
                   save_key_file: Path | None) -> None:
    from spyscan.evidence.ios_backup.export import decrypt_backup as run

    secrets = Secrets(password_env=password_env, say=words)
    summary = run(source, output, lambda: secrets.password(PASSWORD_PROMPT), key_file, save_key_file)
    click.echo(words(tr("Decrypted %(count)s files to %(folder)s.", count=summary.files, folder=output)))
    if summary.missing:
        click.echo(words(tr("%(count)s files listed in Manifest.db were absent from the backup.",
                            count=summary.missing)))
    if summary.failed:
        click.echo(words(tr("%(count)s files could not be decrypted:", count=summary.failed)))
        for line in summary.errors:
            click.echo("  " + words(line))
    if save_key_file is not None:
        click.echo(words(tr("Key saved to %(file)s (owner-only); it opens this backup: keep it safe.",
                            file=save_key_file)))
    if summary.failed:
        raise click.exceptions.Exit(EXIT_FAILED)
