"""Inputs the reference tool reads and spyscan used to refuse, recognised by their content:

- an androidqf zip holding only some of its files (only ``getprop.txt``): read, and the verdict is
  incomplete, naming what is missing (the key artifacts' files, and the files androidqf always writes);
- an androidqf folder holding only ``backup.ab``: the backup is read as the nested input it is;
- an unpacked Android backup (the ``apps/<package>/...`` tree): read as an Android backup.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.errors import EXIT_INCOMPLETE, UsageError
from spyscan.kinds import detect_kind
from spyscan.report.terminal_text import present
from tests.builders.android_backup import TELEPHONY, sms_backup, tar_bytes, write_ab

GETPROP = b"[ro.product.model]: [Pixel 7]\n[ro.build.version.release]: [14]\n[persist.sys.timezone]: [UTC]\n"


def _options(out: Path) -> RunOptions:
    return RunOptions(output=out, indicators=IndicatorOptions(paths=[], bundled=False), jobs=2)


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("top", ["", "6a2b1c0d-acquisition/"])
def test_a_zip_with_only_getprop_is_an_incomplete_androidqf_check(tmp_path: Path, top: str) -> None:
    path = _zip(tmp_path / "acq.zip", {f"{top}getprop.txt": GETPROP})
    assert detect_kind(path) == "androidqf"
    result = check(path, None, _options(tmp_path / "out"))
    assert result.exit_code == EXIT_INCOMPLETE and result.run.verdict is not None
    assert result.run.verdict.state == "incomplete"
    assert result.run.artifacts["android.androidqf.getprop"].status == "ok"
    assert result.run.device.model == "Pixel 7"
    missing = {r.artifact: r.detail for r in result.run.verdict.reasons if r.code == "key_artifact_missing"}
    assert missing == {"android.androidqf.packages": "packages.json"}
    assert result.run.device.details["acquisition files missing"] == (
        "acquisition.json, packages.json, processes.txt / processes.json / ps.txt, dumpsys.txt, "
        "settings_global.txt / settings_secure.txt / settings_system.txt, files.json")
    titles = {k: v.title for k, v in result.run.artifacts.items()}
    assert "Installed packages (packages.json)" in present(result.run.verdict, result.detections, titles).unchecked


def test_a_file_named_like_androidqf_but_holding_something_else_is_not_recognised(tmp_path: Path) -> None:
    path = _zip(tmp_path / "notes.zip", {"getprop.txt": b"shopping list: milk, bread\n"})
    with pytest.raises(UsageError):
        detect_kind(path)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "packages.json").write_text(json.dumps({"not": "androidqf"}))
    with pytest.raises(UsageError):
        detect_kind(folder)


def _backup_ab(path: Path) -> Path:
    sms = sms_backup([{"address": "+15550001", "body": "see https://example.org/x", "date": "1646519315000",
                       "type": "1", "read": "1"}])
    return write_ab(path, tar_bytes([(f"{TELEPHONY}/000000_sms_backup", sms)]))


def test_a_folder_with_only_backup_ab_is_an_androidqf_acquisition(tmp_path: Path) -> None:
    folder = tmp_path / "acq"
    folder.mkdir()
    _backup_ab(folder / "backup.ab")
    assert detect_kind(folder) == "androidqf"
    result = check(folder, None, _options(tmp_path / "out"))
    assert result.run.artifacts["android.backup.messages@android-backup:backup.ab"].records == 1
    assert result.run.verdict is not None and result.run.verdict.state == "incomplete"
    assert {r.detail for r in result.run.verdict.reasons if r.code == "key_artifact_missing"} == {
        "getprop.txt", "packages.json"}


def test_an_unpacked_backup_folder_is_an_android_backup(tmp_path: Path) -> None:
    folder = tmp_path / "unpacked"
    (folder / TELEPHONY).mkdir(parents=True)
    (folder / TELEPHONY / "000000_sms_backup").write_bytes(sms_backup([
        {"address": "+15550001", "body": "hello https://example.org/x", "date": "1646519315000", "type": "1"}]))
    (folder / "apps" / "com.android.providers.telephony" / "_manifest").write_bytes(b"1\n")
    assert detect_kind(folder) == "android-backup"
    result = check(folder, None, _options(tmp_path / "out"))
    status = result.run.artifacts["android.backup.messages"]
    assert status.status == "ok" and status.records == 1
    assert result.run.device.details["backup format"] == "unpacked into a folder"
    assert any(i.path.endswith("000000_sms_backup") for i in result.run.inputs)


def test_a_folder_with_an_unrelated_apps_folder_is_not_a_backup(tmp_path: Path) -> None:
    (tmp_path / "x" / "apps" / "notes").mkdir(parents=True)
    (tmp_path / "x" / "apps" / "notes" / "todo.txt").write_text("nothing")
    with pytest.raises(UsageError):
        detect_kind(tmp_path / "x")
