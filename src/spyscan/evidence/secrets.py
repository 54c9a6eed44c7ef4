"""Secrets for encrypted inputs: from an environment variable or an interactive prompt.

Never from a command-line value, never written to disk, logs or run.json.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from spyscan.errors import UsageError
from spyscan.texts import tr


class Secrets:
    """``say`` puts a prompt in the terminal's language (the command line gives it; the default is English)."""

    def __init__(self, password_env: str | None = None, identity: Path | None = None,
                 interactive: bool | None = None, say: Callable[[str], str] = str) -> None:
        self.password_env = password_env
        self.identity = identity
        self.interactive = sys.stdin.isatty() if interactive is None else interactive
        self.say = say
        self._cache: dict[str, str] = {}

    def password(self, what: str) -> str:
        """Return the secret for ``what`` (a ``Text``: "iOS backup password (not the iPhone's passcode)")."""
        if what in self._cache:
            return self._cache[what]
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value is None:
                raise UsageError(tr('environment variable %(password_env)s is not set (%(what)s expected there)',
                                    password_env=self.password_env, what=what))
        elif self.interactive:
            value = getpass.getpass(self.say(tr("%(what)s: ", what=what)))
        else:
            raise UsageError(tr('%(what)s needed: use --password-env VAR or run interactively', what=what))
        self._cache[what] = value
        return value

    def known_values(self) -> list[str]:
        """Secrets seen so far (to redact them from any text that might leak)."""
        return [v for v in self._cache.values() if v]


class PasswordNeeded(UsageError):
    """The input is encrypted and no password was given (a face that can ask for one does so)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} needed: this input is encrypted")
        self.what = what


class GivenSecrets(Secrets):
    """A password handed over in memory by a face that asked for it (the web app's form).

    Never read from the environment or a prompt; when none was given and the input needs one,
    ``PasswordNeeded`` says which (before anything was written).
    """

    def __init__(self, password: str | None, identity: Path | None = None) -> None:
        super().__init__(identity=identity, interactive=False)
        self._given = password

    def password(self, what: str) -> str:
        if self._given is None:
            raise PasswordNeeded(what)
        self._cache[what] = self._given
        return self._given
