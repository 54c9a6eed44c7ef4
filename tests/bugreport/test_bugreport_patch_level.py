"""A bugreport's security patch level is judged against the date in the dumpstate's own header (AOSP
dumpstate.cpp prints ``== dumpstate: YYYY-MM-DD HH:MM:SS`` in the device's local time), never against today;
the same date is the acquisition date in ``run.json``'s device facts."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders.bugreport import DEFAULT_PROPERTIES, DUMPSTATE, dumpstate, write_bugreport_zip

from spyscan.engine import IndicatorOptions, RunOptions, check


def _check(tmp_path: Path, patch: str, header: bool = True) -> tuple[list[str], dict[str, object]]:
    text = dumpstate({**DEFAULT_PROPERTIES, "ro.build.version.security_patch": patch})
    if not header:
        text = text.replace("== dumpstate: 2024-05-01 10:00:00\n", "")
    report = write_bugreport_zip(tmp_path / "bugreport.zip", {"main_entry.txt": DUMPSTATE.encode(),
                                                              DUMPSTATE: text.encode()})
    out = tmp_path / "out"
    result = check(report, None, RunOptions(output=out, indicators=IndicatorOptions(bundled=False), jobs=1))
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return [d.rule or "" for d in result.detections], run["device"]


def test_an_old_patch_is_judged_against_the_dumpstate_date(tmp_path: Path) -> None:
    rules, device = _check(tmp_path, "2023-06-05")
    assert "android.security_patch_old" in rules
    assert device["acquired"] == "2024-05-01T08:00:00Z"  # 10:00 in Europe/Paris (summer time)


def test_a_patch_recent_on_the_dumpstate_date_raises_nothing(tmp_path: Path) -> None:
    rules, _ = _check(tmp_path, "2024-04-05")  # more than six months before today, not before the acquisition
    assert "android.security_patch_old" not in rules


def test_without_the_header_date_the_patch_is_not_judged(tmp_path: Path) -> None:
    rules, device = _check(tmp_path, "2019-01-01", header=False)
    assert "android.security_patch_old" not in rules
    assert device.get("acquired") is None
