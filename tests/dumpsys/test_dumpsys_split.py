"""Splitting dumpsys output into sections (androidqf dumpsys.txt and bugreport dumpstate blocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spyscan.errors import ArtifactNotFound
from spyscan.evidence.android_dumpsys import DumpsysSection, DumpsysSource, require_section, split_dumpsys_bytes

TEXT = b"""preamble
-------------------------------------------------------------------------------
DUMP OF SERVICE CRITICAL package:
short
--------- 0.001s was the duration of dumpsys package, ending at: 2024-01-01 00:00:00
-------------------------------------------------------------------------------
DUMP OF SERVICE appops:
Current AppOps Service state:
  Uid u0a1:
-------------------------------------------------------------------------------
DUMP OF SERVICE package:
Packages:
  Package [a.b] (1):
bad \xff byte
--------- 0.2s was the duration of dumpsys package, ending at: 2024-01-01 00:00:01
"""


def test_sections_names_lines_and_longest_block() -> None:
    sections = split_dumpsys_bytes(TEXT, "dumpsys.txt")
    assert set(sections) == {"package", "appops"}
    appops = sections["appops"]
    assert appops.first_line == 8 and appops.text == "Current AppOps Service state:\n  Uid u0a1:"
    package = sections["package"]  # the longer of the two package blocks
    assert package.text.startswith("Packages:") and package.first_line == 12
    assert package.bad_bytes == 1 and "\\xff" in package.text
    lines = dict(package.lines())
    assert lines[13] == "  Package [a.b] (1):"


def test_require_section() -> None:
    class Source:
        def dumpsys_sections(self) -> dict[str, DumpsysSection]:
            return split_dumpsys_bytes(TEXT, "x")

    assert isinstance(Source(), DumpsysSource)
    assert require_section(Source(), "package").name == "package"
    with pytest.raises(ArtifactNotFound, match="dbinfo"):
        require_section(Source(), "dbinfo")
    with pytest.raises(ArtifactNotFound):
        require_section(object(), "package")


def test_androidqf_sample_sections(mvt_samples: Path) -> None:
    path = mvt_samples / "androidqf" / "dumpsys.txt"
    if not path.is_file():
        pytest.skip("androidqf sample dumpsys.txt absent")
    sections = split_dumpsys_bytes(path.read_bytes(), "dumpsys.txt")
    assert set(sections) == {"accessibility", "package", "appops", "adb", "dbinfo", "batterystats",
                             "platform_compat"}
    assert sections["package"].first_line == 53
    assert sections["adb"].bad_bytes > 0  # the binary ABX keystore is escaped, and counted


def test_bugreport_sample_sections(mvt_samples: Path) -> None:
    path = mvt_samples / "android_data" / "bugreport" / "dumpstate.txt"
    if not path.is_file():
        pytest.skip("bugreport sample dumpstate.txt absent")
    sections = split_dumpsys_bytes(path.read_bytes(), "dumpstate.txt")
    assert {"appops", "package", "platform_compat"} <= set(sections)
