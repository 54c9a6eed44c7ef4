"""Damaged dumpsys sections never pass silently: escaped bytes, cut lines, an empty section and a file
cut inside a section are warnings of the artifact; an empty section has no lines."""

from __future__ import annotations

import pytest

from spyscan.artifacts.base import ArtifactLog, all_artifacts
from spyscan.evidence.android_dumpsys import DumpsysSection, split_dumpsys_bytes

# (artifact id, service it reads)
DUMPSYS_ARTIFACTS = [
    ("android.dumpsys.accessibility", "accessibility"), ("android.dumpsys.adb", "adb"),
    ("android.dumpsys.appops", "appops"), ("android.dumpsys.battery_daily", "batterystats"),
    ("android.dumpsys.battery_history", "batterystats"), ("android.dumpsys.dbinfo", "dbinfo"),
    ("android.dumpsys.packages", "package"), ("android.dumpsys.platform_compat", "platform_compat"),
]
FOOTER = b"--------- 0.004s was the duration of dumpsys %s, ending at: 2024-03-20 09:00:00\n"


class _Dumpsys:
    """The smallest DumpsysSource: the sections of one dumpsys file."""

    def __init__(self, data: bytes) -> None:
        self.sections = split_dumpsys_bytes(data, "dumpsys.txt")

    def dumpsys_sections(self) -> dict[str, DumpsysSection]:
        return self.sections


def _run(artifact_id: str, data: bytes) -> ArtifactLog:
    log = ArtifactLog()
    list(all_artifacts()[artifact_id]().collect(_Dumpsys(data), log))  # type: ignore[arg-type]
    return log


def _dump(service: str, body: bytes, footer: bool = True) -> bytes:
    end = FOOTER % service.encode() if footer else b""
    return b"DUMP OF SERVICE " + service.encode() + b":\n" + body + end


@pytest.mark.parametrize(("artifact_id", "service"), DUMPSYS_ARTIFACTS)
def test_escaped_bytes_warn_once_with_the_count(artifact_id: str, service: str) -> None:
    log = _run(artifact_id, _dump(service, b"junk \xff\xfe line\nnul\x00here\nplain\n"))
    damage = [w for w in log.warnings if "undecodable" in w]
    assert len(damage) == 1
    assert damage[0].startswith(f"dumpsys.txt: dumpsys {service} (line 2): 3 undecodable")


@pytest.mark.parametrize(("artifact_id", "service"), DUMPSYS_ARTIFACTS)
def test_empty_section_warns(artifact_id: str, service: str) -> None:
    log = _run(artifact_id, _dump(service, b"\n"))
    assert f"dumpsys.txt: dumpsys {service} (line 2): the section is empty" in log.warnings


@pytest.mark.parametrize(("artifact_id", "service"), DUMPSYS_ARTIFACTS)
def test_file_cut_inside_the_section_warns(artifact_id: str, service: str) -> None:
    log = _run(artifact_id, _dump(service, b"some text\nand a cut li", footer=False))
    assert any("last line may be cut" in w for w in log.warnings)


@pytest.mark.parametrize(("artifact_id", "service"), DUMPSYS_ARTIFACTS)
def test_clean_section_does_not_warn_about_damage(artifact_id: str, service: str) -> None:
    log = _run(artifact_id, _dump(service, b"some text\n", footer=False))  # no footer, but complete lines
    assert not any("undecodable" in w or "empty" in w or "cut" in w for w in log.warnings)


@pytest.mark.parametrize("data", [b"line one\nDUMP OF SERVICE adb:\n",
                                  b"line one\nDUMP OF SERVICE adb:\n" + FOOTER % b"adb"],
                         ids=["header-last-line", "header-then-footer"])
def test_lines_of_an_empty_section_are_none(data: bytes) -> None:
    section = split_dumpsys_bytes(data, "dumpsys.txt")["adb"]
    assert section.text == ""
    assert list(section.lines()) == []  # was [(3, "")]: line 3 is past the end of the file / the footer


def test_lines_point_to_the_file() -> None:
    data = b"x\nDUMP OF SERVICE adb:\nfirst\nsecond\n" + FOOTER % b"adb"
    assert list(split_dumpsys_bytes(data, "dumpsys.txt")["adb"].lines()) == [(3, "first"), (4, "second")]
