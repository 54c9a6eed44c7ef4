"""``spyscan collect android|ios``: consensual acquisition from a phone connected by USB.

The libraries that talk to phones are optional extras (``spyscan[collect-android]``,
``spyscan[collect-ios]``), imported only when one of these commands runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from spyscan.commands.spoken_help import SpokenGroup
from spyscan.errors import EXIT_FAILED
from spyscan.texts import N_, tr

EXIT_HELP = "\b\n" + N_(
    "Exit status:\n"
    "  0  the acquisition is complete\n"
    "  1  it could not start, or it is incomplete (see acquisition.json)\n"
    "  2  usage error (no consent, output folder not acceptable...)"
)


def _lang_option(func: Any) -> Any:
    return click.option("--lang", type=click.Choice(["en", "es", "fr", "pt"]), default=None,
                        help=N_("Language of the messages (default: from the locale)."))(func)


@click.group(cls=SpokenGroup, epilog=EXIT_HELP, help=N_(
    "Acquire from a phone connected by USB, with its owner present and agreeing.\n\n"
    "The result is a folder that `spyscan check` reads as it is. Nothing is left on the phone."))
def collect() -> None:
    pass


@collect.command(epilog=EXIT_HELP, help=N_(
    "Acquire an Android phone with USB debugging on, in the androidqf layout."))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path),
              help=N_("New folder for the acquisition (created owner-only)."))
@click.option("--serial", default=None, help=N_("The phone's adb serial, when several are connected."))
@click.option("--owner-consents", is_flag=True,
              help=N_("Confirm without asking that the owner is present and agrees (for scripted use, after asking)."))
@click.option("--bugreport", is_flag=True, help=N_("Also make a bugreport (several minutes)."))
@click.option("--sms-backup", is_flag=True, help=N_("Also back up the SMS messages (confirmed on the phone's screen)."))
@click.option("--apk-certificates", type=click.Choice(["non-system", "all", "none"]), default="non-system",
              show_default=True, help=N_("Which apps' APKs are read for their signing certificate (never kept)."))
@click.option("--age-recipient", metavar="KEY", default=None,
              help=N_("Encrypt the acquisition for this age (age1...) or SSH public key: one .zip.age file, streamed."))
@click.option("--adb-host", default=None, help=N_("adb server host (default 127.0.0.1)."))
@click.option("--adb-port", type=int, default=None, help=N_("adb server port (default 5037)."))
@_lang_option
def android(output: Path, serial: str | None, owner_consents: bool, bugreport: bool, sms_backup: bool,
            apk_certificates: str, age_recipient: str | None, adb_host: str | None, adb_port: int | None,
            lang: str | None) -> None:
    from spyscan.collect.android.acquire import acquire
    from spyscan.collect.android.context import AndroidOptions
    from spyscan.collect.android.device import AndroidDevice
    from spyscan.collect.consent import android_text, confirm
    from spyscan.collect.sink import parse_recipient, prepare_folder
    from spyscan.commands.collect_progress import RichCollectProgress
    from spyscan.engine import owner_only_files
    from spyscan.report.i18n import gettext_for

    t = gettext_for(lang)
    recipient = parse_recipient(age_recipient) if age_recipient else None
    consent = {"owner": confirm(t, android_text(t, bugreport, sms_backup), owner_consents)}
    if sms_backup:
        consent["sms_backup"] = "asked with --sms-backup"
    with owner_only_files():
        device = AndroidDevice.connect(serial, adb_host, adb_port)
        folder = prepare_folder(output)
        options = AndroidOptions(apk_certificates=apk_certificates, bugreport=bugreport, sms_backup=sms_backup)
        outcome = acquire(device, folder, options, consent, recipient, RichCollectProgress(t))
    _report(t, outcome.location, outcome.acquisition)
    click.echo(t.gettext(
        "USB debugging is still on. When you are done, the owner can turn it off in Settings > System > "
        "Developer options (USB debugging), and tap 'Revoke USB debugging authorizations' there."
    ), err=True)
    if not outcome.complete:
        sys.exit(EXIT_FAILED)


@collect.command(epilog=EXIT_HELP, help=N_(
    "Acquire a paired, unlocked iPhone: an encrypted backup, its crash reports, and a sysdiagnose on request."))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path),
              help=N_("New folder for the acquisition (created owner-only)."))
@click.option("--udid", default=None, help=N_("The iPhone's UDID, when several are connected."))
@click.option("--owner-consents", is_flag=True,
              help=N_("Confirm without asking that the owner is present and agrees (for scripted use, after asking)."))
@click.option("--sysdiagnose", "sysdiagnose", is_flag=True,
              help=N_("Also take a sysdiagnose (started by the owner with a button gesture; about ten minutes)."))
@click.option("--password-env", metavar="VAR", default=None,
              help=N_("Environment variable holding the backup password (the existing one, or the new one when "
                      "encryption is turned on). Otherwise it is asked."))
@click.option("--turn-on-encryption", is_flag=True,
              help=N_("When backup encryption is off, turn it on without asking (the owner has been asked already)."))
@_lang_option
def ios(output: Path, udid: str | None, owner_consents: bool, sysdiagnose: bool, password_env: str | None,
        turn_on_encryption: bool, lang: str | None) -> None:
    from spyscan.collect.consent import confirm, ios_text
    from spyscan.collect.ios.acquire import IOSOptions, acquire
    from spyscan.commands.collect_progress import RichCollectProgress
    from spyscan.engine import owner_only_files
    from spyscan.report.i18n import gettext_for

    t = gettext_for(lang)
    consent = {"owner": confirm(t, ios_text(t, sysdiagnose), owner_consents)}
    questions = _ios_questions(t, password_env, turn_on_encryption)
    with owner_only_files():
        outcome = acquire(output, IOSOptions(sysdiagnose=sysdiagnose), questions, consent, udid,
                          RichCollectProgress(t))
    _report(t, outcome.location, outcome.acquisition)
    if not outcome.complete:
        sys.exit(EXIT_FAILED)


def _ios_questions(t: Any, password_env: str | None, turn_on: bool) -> Any:
    import os

    from spyscan.collect.consent import ask_yes_no
    from spyscan.collect.ios.acquire import Questions
    from spyscan.errors import UsageError

    def say(text: str) -> None:
        click.echo(t.gettext(text), err=True)

    def from_env() -> str | None:
        if not password_env:
            return None
        value = os.environ.get(password_env)
        if value is None:
            raise UsageError(tr("environment variable %(variable)s is not set (the backup password expected there)",
                                variable=password_env))
        return value

    def new_password() -> str:
        value = from_env()
        if value is not None:
            return value
        if not sys.stdin.isatty():
            raise UsageError(tr('a new backup password is needed: give --password-env VAR or run interactively'))
        return str(click.prompt(t.gettext("New backup password (the owner chooses it and must remember it)"),
                                hide_input=True, confirmation_prompt=True, err=True))

    def current_password() -> str | None:
        value = from_env()
        if value is not None or not sys.stdin.isatty():
            return value
        typed = click.prompt(t.gettext("This iPhone's backup password (to check that the backup can be read; "
                                       "leave empty to skip)"), hide_input=True, default="", show_default=False,
                             err=True)
        return str(typed) or None

    return Questions(
        turn_on_encryption=lambda: ask_yes_no(t, t.gettext("Turn on backup encryption now?"), turn_on),
        new_password=new_password,
        current_password=current_password,
        keep_encryption=lambda: ask_yes_no(t, t.gettext("Keep backup encryption on (recommended)?"), True)
        if not sys.stdin.isatty() else bool(click.confirm(t.gettext("Keep backup encryption on (recommended)?"),
                                                          default=True, err=True)),
        say=say,
    )


def _report(t: Any, location: Path, acquisition: Any) -> None:
    if acquisition.status == "complete":
        click.echo(t.gettext("Acquisition complete: %(path)s") % {"path": location}, err=True)
    else:
        click.echo(t.gettext("Acquisition INCOMPLETE: %(path)s") % {"path": location}, err=True)
        if acquisition.interrupted is not None:
            click.echo(t.gettext("Stopped during %(step)s: %(error)s") % {
                "step": acquisition.interrupted.step, "error": acquisition.interrupted.error}, err=True)
        failed = [f"{name}: {state}" for name, state in acquisition.steps.items() if state != "ok"]
        for line in failed:
            click.echo(f"  {line}", err=True)
        click.echo(t.gettext("The folder is marked incomplete in acquisition.json; spyscan check will say so."),
                   err=True)
    click.echo(t.gettext("Check it with: spyscan check %(path)s -o RESULTS") % {"path": location}, err=True)
