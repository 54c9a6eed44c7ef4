"""Secrets for encrypted inputs: from an environment variable or an interactive prompt.

Never from a command-line value, never written to disk, logs or run.json.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from spyscan.errors import UsageError


class Secrets:
    def __init__(self, password_env: str | None = None, identity: Path | None = None,
                 interactive: bool | None = None) -> None:
        self.password_env = password_env
        self.identity = identity
        self.interactive = sys.stdin.isatty() if interactive is None else interactive
        self._cache: dict[str, str] = {}

    def password(self, what: str) -> str:
        """Return the secret for ``what`` (e.g. "iOS backup password")."""
        if what in self._cache:
            return self._cache[what]
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value is None:
                raise UsageError(f"environment variable {self.password_env} is not set ({what} expected there)")
        elif self.interactive:
            value = getpass.getpass(f"{what}: ")
        else:
            raise UsageError(f"{what} needed: use --password-env VAR or run interactively")
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
