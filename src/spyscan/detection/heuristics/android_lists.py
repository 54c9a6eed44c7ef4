"""Package lists used by the Android rules (data files in ``spyscan/artifacts/android/data``)."""

from __future__ import annotations

from functools import cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("spyscan.artifacts.android").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@cache
def root_tool_packages() -> frozenset[str]:
    return frozenset(_lines("root_tools.txt"))


@cache
def security_packages() -> frozenset[str]:
    return frozenset(_lines("security_packages.txt"))


@cache
def installer_categories() -> dict[str, str]:
    """Installer package -> ``store``, ``third_party``, ``package_installer`` or ``browser``."""
    found: dict[str, str] = {}
    for line in _lines("installers.txt"):
        category, _, package = line.partition(" ")
        found[package.strip()] = category
    return found


@cache
def system_prefixes() -> tuple[str, ...]:
    return tuple(_lines("system_prefixes.txt"))


def is_platform_package(package: str) -> bool:
    """True for packages of the platform or of a device maker (by name only: a weak signal)."""
    for prefix in system_prefixes():
        if package == prefix.rstrip(".") or (prefix.endswith(".") and package.startswith(prefix)):
            return True
    return False
