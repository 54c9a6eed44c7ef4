"""Errors of the acquisition commands: each is one clear line for the person at the keyboard."""

from __future__ import annotations

from spyscan.errors import SpyscanError


class CollectError(SpyscanError):
    """The acquisition cannot start or cannot go on (exit status 1)."""


class DeviceLost(CollectError):
    """The phone went away (unplugged, locked, adb server gone) in the middle of the acquisition."""


class MissingExtra(CollectError):
    """The optional acquisition library is not installed."""
