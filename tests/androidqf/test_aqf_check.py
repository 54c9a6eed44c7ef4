"""End to end: ``spyscan.engine.check`` on generated androidqf acquisitions with public indicators."""

from __future__ import annotations

from pathlib import Path

import pytest

from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.errors import EXIT_CLEAN, EXIT_DETECTIONS
from spyscan.evidence.secrets import Secrets
from tests.builders.androidqf import build_androidqf, package

NOVISPY = "AmnestyTech__investigations/2024-12-16_serbia_novispy/novispy.stix2"
CAMPAIGN = "AmnestyTech__investigations/2023-03-29_android_campaign/malware.stix2"
RESIDENTBAT_CERT = "d12616542268d32329f1c4357b5d5a57e954e13d2338d27bb8439794291b8c6d"


def _options(out: Path, public_iocs: Path, **kwargs: object) -> RunOptions:
    paths = [public_iocs / NOVISPY, public_iocs / CAMPAIGN,
             public_iocs / "mvt-project__mvt-indicators/ResidentBat/residentbat.stix2"]
    return RunOptions(output=out, indicators=IndicatorOptions(paths=paths, bundled=False), jobs=2,
                      **kwargs)  # type: ignore[arg-type]


def _planted(root: Path, form: str, **kwargs: object) -> Path:
    return build_androidqf(root, packages=[package("com.gu.activity", installer=None),
                                           package("com.example.notes", cert_sha256=RESIDENTBAT_CERT)],
                           getprop={"sys.brand.note": "1"}, form=form, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("form", ["folder", "zip"])
def test_planted_indicators_are_found(tmp_path: Path, public_iocs: Path, form: str) -> None:
    result = check(_planted(tmp_path / "acq", form), None, _options(tmp_path / "out", public_iocs))
    assert result.exit_code == EXIT_DETECTIONS
    hits = {(d.observable.type, d.observable.value) for d in result.detections
            if d.kind == "indicator" and d.observable is not None}
    assert ("app_id", "com.gu.activity") in hits
    assert ("cert_sha256", RESIDENTBAT_CERT) in hits
    assert ("android_property", "sys.brand.note") in hits
    assert ("process", "com.gu.activity") not in hits  # not planted as a process
    assert all(s.status != "error" for s in result.run.artifacts.values())


def test_encrypted_acquisition_end_to_end(tmp_path: Path, public_iocs: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = _planted(tmp_path / "acq", "age", passphrase="pass phrase")
    monkeypatch.setenv("AQF_PASS", "pass phrase")
    options = _options(tmp_path / "out", public_iocs, secrets=Secrets(password_env="AQF_PASS", interactive=False))
    result = check(path, None, options)
    assert result.run.kind == "androidqf"
    assert any(d.observable and d.observable.value == "com.gu.activity" for d in result.detections)
    # the run's custody log has the encrypted file's hash
    assert any(i.path == "acq.zip.age" for i in result.run.inputs)
    assert result.run.device.encrypted is True  # the device facts say the input was encrypted


def test_a_plain_acquisition_says_it_was_not_encrypted(tmp_path: Path, public_iocs: Path) -> None:
    result = check(build_androidqf(tmp_path / "acq", form="zip"), None, _options(tmp_path / "out", public_iocs))
    assert result.run.device.encrypted is False


def test_clean_acquisition_is_clean(tmp_path: Path, public_iocs: Path) -> None:
    result = check(build_androidqf(tmp_path / "acq"), None, _options(tmp_path / "out", public_iocs))
    assert [d for d in result.detections if d.severity.value in ("high", "critical")] == []
    assert result.exit_code == EXIT_CLEAN
    assert all(s.status in ("ok", "not_found") for s in result.run.artifacts.values()), result.run.artifacts
