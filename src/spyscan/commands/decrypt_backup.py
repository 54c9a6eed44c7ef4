"""``spyscan decrypt-backup IN OUT``: a decrypted copy of an encrypted iOS backup."""

from __future__ import annotations

from pathlib import Path

import click

from spyscan.errors import EXIT_FAILED
from spyscan.evidence.secrets import Secrets

PASSWORD_PROMPT = "iOS backup password"  # noqa: S105 - the prompt text


@click.command(name="decrypt-backup")
@click.argument("source", metavar="IN", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.argument("output", metavar="OUT", type=click.Path(path_type=Path))
@click.option("--password-env", metavar="VAR", default=None,
              help="Environment variable holding the backup password (otherwise you are asked for it).")
@click.option("--key-file", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="Key saved earlier with --save-key-file (no password needed, no slow key derivation).")
@click.option("--save-key-file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Save the key derived from the password to this new file (owner-only). It opens the "
                   "backup like the password does: keep it as safe, delete it when the case is closed.")
def decrypt_backup(source: Path, output: Path, password_env: str | None, key_file: Path | None,
                   save_key_file: Path | None) -> None:
    """Write a decrypted copy of the encrypted iOS backup IN to the new folder OUT.

    The copy has the same layout with a plain Manifest.db, so it can be checked again without the
    password. It holds the phone's data unencrypted: store it as carefully as the phone itself.
    """
    from spyscan.evidence.ios_backup.export import decrypt_backup as run

    secrets = Secrets(password_env=password_env)
    summary = run(source, output, lambda: secrets.password(PASSWORD_PROMPT), key_file, save_key_file)
    click.echo(f"Decrypted {summary.files} files to {output}.")
    if summary.missing:
        click.echo(f"{summary.missing} files listed in Manifest.db were absent from the backup.")
    if summary.failed:
        click.echo(f"{summary.failed} files could not be decrypted:")
        for line in summary.errors:
            click.echo(f"  {line}")
    if save_key_file is not None:
        click.echo(f"Key saved to {save_key_file} (owner-only); it opens this backup: keep it safe.")
    if summary.failed:
        raise click.exceptions.Exit(EXIT_FAILED)
