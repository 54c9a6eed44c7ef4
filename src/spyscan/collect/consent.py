"""Consent: what the acquisition does, said before it starts, and the owner's agreement.

Interactive by default; ``--owner-consents`` confirms for scripted use by an analyst who has already
explained and asked. Without a terminal and without that flag, nothing starts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from babel.support import Translations

from spyscan.errors import UsageError
from spyscan.texts import tr

Ask = Callable[[str], bool]


def android_text(t: Translations, bugreport: bool, sms_backup: bool) -> str:
    parts = [t.gettext(
        "spyscan will copy from the Android phone connected to this computer: its system properties and "
        "settings, the running processes, the installed apps with their hashes and signing certificates, a "
        "list of files (names, sizes and dates, not their content), the state of system services (dumpsys) "
        "and the system log (logcat)."
    )]
    if bugreport:
        parts.append(t.gettext("It will also ask the phone for a bugreport (several minutes)."))
    if sms_backup:
        parts.append(t.gettext(
            "It will also make a backup of the SMS messages: it holds the text of the owner's messages, and the "
            "phone will ask to confirm it on its screen."
        ))
    parts.append(t.gettext(
        "It changes no setting on the phone and leaves nothing on it. Use it only with the phone's owner "
        "present and agreeing, for their protection."
    ))
    return " ".join(parts)


def ios_text(t: Translations, sysdiagnose: bool) -> str:
    parts = [t.gettext(
        "spyscan will make an encrypted backup of the iPhone connected to this computer and copy its crash "
        "reports. The backup holds messages, contacts, history and other personal data: keep it as safely as "
        "the phone itself."
    )]
    if sysdiagnose:
        parts.append(t.gettext("It will also ask the phone for a sysdiagnose (about ten minutes)."))
    parts.append(t.gettext(
        "It changes a setting of the phone only if backup encryption is off, and then only after explaining "
        "it and asking. Use it only with the phone's owner present and agreeing, for their protection."
    ))
    return " ".join(parts)


def confirm(t: Translations, text: str, owner_consents: bool, ask: Ask | None = None,
            echo: Callable[[str], None] | None = None) -> str:
    """How consent was given (for acquisition.json); UsageError when it was not."""
    show = echo or (lambda line: print(line, file=sys.stderr))
    show(text)
    if owner_consents:
        show(t.gettext("The owner's agreement was confirmed with --owner-consents."))
        return "confirmed with --owner-consents"
    if ask is None:
        if not sys.stdin.isatty():
            raise UsageError(tr("no terminal to ask the owner's agreement: run interactively, or give "
                                "--owner-consents once the owner has agreed"))
        ask = _ask_terminal
    if not ask(t.gettext("Is the owner of this phone here with you, and do they agree?")):
        raise UsageError(tr("the owner's agreement was not given; nothing was done"))
    return "confirmed interactively"


def _ask_terminal(question: str) -> bool:
    import click

    return bool(click.confirm(question, default=False, err=True))


def ask_yes_no(t: Translations, question: str, assume_yes: bool, ask: Ask | None = None) -> bool:
    """A second question during the acquisition (turning on backup encryption...)."""
    if assume_yes:
        return True
    if ask is None:
        if not sys.stdin.isatty():
            return False
        ask = _ask_terminal
    return ask(question)
