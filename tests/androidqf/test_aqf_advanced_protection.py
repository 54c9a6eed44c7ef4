"""Android Advanced Protection as a device fact (``run.json`` ``device.advanced_protection``).

AOSP AdvancedProtectionService reads the secure setting ``advanced_protection_mode`` of user 0 (1 = on);
androidqf reads the same setting to decide whether to collect intrusion logs. Off on a phone that has it is
protection advice; a phone without the setting says nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spyscan.engine import IndicatorOptions, RunOptions, check
from tests.builders.androidqf import build_androidqf
from tests.builders.bugreport import DEFAULT_PROPERTIES, DUMPSTATE, dumpstate, write_bugreport_zip


def _options(out: Path) -> RunOptions:
    return RunOptions(output=out, indicators=IndicatorOptions(paths=[], bundled=False), jobs=2)


@pytest.mark.parametrize(("value", "fact", "advice"), [("1", True, False), ("0", False, True), (None, None, False)])
def test_androidqf_setting_gives_the_fact(tmp_path: Path, value: str | None, fact: bool | None, advice: bool) -> None:
    settings = {"secure": {"advanced_protection_mode": value}} if value is not None else None
    result = check(build_androidqf(tmp_path / "acq", settings=settings), "androidqf", _options(tmp_path / "out"))
    assert result.run.device.advanced_protection is fact
    off = [d for d in result.detections if d.rule == "android.advanced_protection_off"]
    assert [(d.severity.value, d.category) for d in off] == ([("info", "protection")] if advice else [])


def test_bugreport_dumpsys_settings_give_the_fact_for_user_0_only(tmp_path: Path) -> None:
    settings = ("SECURE SETTINGS (user 0)\n_id:90 name:advanced_protection_mode pkg:android value:1\n"
                "SECURE SETTINGS (user 10)\n_id:91 name:advanced_protection_mode pkg:android value:0\n")
    text = dumpstate(DEFAULT_PROPERTIES, services={"settings": settings})
    path = write_bugreport_zip(tmp_path / "bugreport.zip", {"main_entry.txt": DUMPSTATE.encode(),
                                                             DUMPSTATE: text.encode()})
    result = check(path, "bugreport", _options(tmp_path / "out"))
    assert result.run.device.advanced_protection is True
    assert not [d for d in result.detections if d.rule == "android.advanced_protection_off"]
