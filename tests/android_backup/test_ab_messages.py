"""SMS/MMS from .ab backups: the kind, the artifact, the mvt sample and the whole check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from builders.android_backup import TELEPHONY, sms_backup, tar_bytes, write_ab
from spyscan.artifacts.android.ab_messages import BackupMessages
from spyscan.artifacts.base import ArtifactLog
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.errors import EvidenceError
from spyscan.evidence.secrets import Secrets
from spyscan.kinds import detect_kind
from spyscan.kinds.android_backup import AndroidBackupEvidence
from spyscan.records.android_backup import BackupMMS, BackupSMS
from spyscan.records.base import Record

PLANTED_DOMAIN = "weather4free.com"  # Pegasus (Amnesty, 2021-07-18_nso/pegasus.stix2)
PEGASUS = "AmnestyTech__investigations/2021-07-18_nso/pegasus.stix2"


def _messages(planted: bool) -> list[tuple[str, bytes]]:
    link = f"https://{PLANTED_DOMAIN}/a?b=1" if planted else "https://example.org/news"
    sms = [
        {"address": "+33611111111", "body": f"Your parcel: {link}", "date": "1700000000000", "date_sent": "0",
         "type": "1", "read": "1"},
        {"address": "+33622222222", "body": "ok", "date": "1700000100000", "type": "2", "read": "1"},
    ]
    mms = [{"date": "1700000200", "date_sent": "1700000199", "msg_box": "1", "read": "0",
            "mms_addresses": [{"type": 137, "address": "+33633333333", "charset": 106}],
            "mms_body": "photo", "mms_charset": 106}]
    return [(f"{TELEPHONY}/000000_sms_backup", sms_backup(sms)), (f"{TELEPHONY}/000001_mms_backup", sms_backup(mms))]


def _collect(path: Path, tmp_path: Path, secrets: Secrets | None = None) -> tuple[list[Record], ArtifactLog]:
    evidence = AndroidBackupEvidence(path, tmp_path / "work", secrets)
    evidence.open()
    log = ArtifactLog()
    records = list(BackupMessages().collect(evidence, log))
    assert any(i.path.startswith(path.name + ":") for i in evidence.inputs.items())
    return records, log


def test_detected_as_android_backup(tmp_path: Path) -> None:
    path = write_ab(tmp_path / "b.ab", tar_bytes(_messages(False)))
    assert detect_kind(path) == "android-backup"


def test_generated_backup_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AB_PW", "s3cret")
    path = write_ab(tmp_path / "b.ab", tar_bytes(_messages(True)), password="s3cret")
    records, log = _collect(path, tmp_path, Secrets(password_env="AB_PW"))
    assert not log.warnings
    sms = [r for r in records if isinstance(r, BackupSMS)]
    mms = [r for r in records if isinstance(r, BackupMMS)]
    assert len(sms) == 2 and len(mms) == 1
    first = sms[0]
    assert first.address == "+33611111111" and first.direction == "received" and first.read is True
    assert first.links == [f"https://{PLANTED_DOMAIN}/a?b=1"]
    assert first.date == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert first.date_sent is None
    assert sms[1].direction == "sent"
    assert mms[0].addresses == ["+33633333333"] and mms[0].body == "photo" and mms[0].read is False
    assert mms[0].date == datetime(2023, 11, 14, 22, 16, 40, tzinfo=UTC)


def test_wrong_password_refuses_the_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AB_PW", "nope")
    path = write_ab(tmp_path / "b.ab", tar_bytes(_messages(False)), password="s3cret")
    evidence = AndroidBackupEvidence(path, tmp_path, Secrets(password_env="AB_PW"))
    with pytest.raises(EvidenceError, match="wrong Android backup password") as info:
        evidence.open()
    assert info.value.exit_code == 1


def test_wrong_password_through_the_cli(tmp_path: Path) -> None:
    path = write_ab(tmp_path / "b.ab", tar_bytes(_messages(False)), password="s3cret")
    proc = subprocess.run([sys.executable, "-m", "spyscan", "check", str(path), "-o", str(tmp_path / "out"),
                           "--password-env", "AB_PW", "--no-bundled-iocs"], capture_output=True, text=True,
                          env={**os.environ, "AB_PW": "wrong"}, stdin=subprocess.DEVNULL, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "wrong Android backup password" in proc.stderr
    assert "Traceback" not in proc.stderr and "s3cret" not in proc.stderr


def test_backup_without_messages_is_not_found(tmp_path: Path) -> None:
    from spyscan.errors import ArtifactNotFound

    path = write_ab(tmp_path / "b.ab", tar_bytes([("apps/com.example/f/x", b"1")]))
    evidence = AndroidBackupEvidence(path, tmp_path)
    evidence.open()
    with pytest.raises(ArtifactNotFound):
        list(BackupMessages().collect(evidence, ArtifactLog()))


def test_mvt_sample_backup(mvt_samples: Path, tmp_path: Path) -> None:
    path = mvt_samples / "androidqf" / "backup.ab"
    records, log = _collect(path, tmp_path)
    assert not log.warnings
    sms = [r for r in records if isinstance(r, BackupSMS)]
    mms = [r for r in records if isinstance(r, BackupMMS)]
    assert len(sms) == 1 and len(mms) == 1
    assert sms[0].address == "06543219"
    assert sms[0].body == "Hi this is a test message to https://google.com/"
    assert sms[0].links == ["https://google.com/"]
    assert sms[0].date == datetime(2022, 2, 22, 15, 29, 41, 956000, tzinfo=UTC)
    assert sms[0].direction == "queued"
    assert mms[0].addresses == ["+12345678", "+23456789"]
    assert mms[0].links == ["http://google.com"]
    assert mms[0].date == datetime(2020, 1, 20, 14, 49, 49, tzinfo=UTC)
    assert mms[0].direction == "received"


def _run(path: Path, out: Path, iocs: list[Path], secrets: Secrets | None = None) -> tuple[dict, list]:  # type: ignore[type-arg]
    options = RunOptions(output=out, indicators=IndicatorOptions(paths=iocs, bundled=False), jobs=1,
                         secrets=secrets or Secrets(interactive=False))
    result = check(path, None, options)
    run = json.loads((out / "run.json").read_text())
    return run, [d for d in result.detections if d.kind == "indicator"]


@pytest.mark.parametrize("planted", [True, False])
def test_check_end_to_end(tmp_path: Path, public_iocs: Path, planted: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AB_PW", "pw")
    path = write_ab(tmp_path / "b.ab", tar_bytes(_messages(planted)), password="pw")
    run, hits = _run(path, tmp_path / "out", [public_iocs / PEGASUS], Secrets(password_env="AB_PW"))
    assert run["kind"] == "android-backup"
    assert run["artifacts"]["android.backup.messages"]["status"] == "ok"
    assert run["artifacts"]["android.backup.messages"]["records"] == 3
    assert "pw" not in json.dumps(run["command"])
    if planted:
        assert hits and {h.indicator.value for h in hits if h.indicator} == {PLANTED_DOMAIN}
        assert all(h.indicator and h.indicator.malware == "Pegasus" for h in hits)
    else:
        assert hits == []


def test_check_mvt_sample(tmp_path: Path, mvt_samples: Path) -> None:
    run, _ = _run(mvt_samples / "androidqf" / "backup.ab", tmp_path / "out", [])
    assert run["artifacts"]["android.backup.messages"]["status"] == "ok"
    assert run["artifacts"]["android.backup.messages"]["records"] == 2
