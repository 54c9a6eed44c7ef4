"""Secrets (backup passwords, age passphrases, age identities) never reach any output file, log,
run.json, exception text or leftover temp file, after successful and failed runs; the work folder is
removed in both cases."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from spyscan.errors import SpyscanError

from .acquisitions import RECIPES, Acquisition, MissingBuilder
from .runs import private_tempdir, run_check

ENCRYPTED = sorted(r for r in RECIPES if r.endswith(("encrypted", "age-passphrase", "age-identity")))
WRONG = "Wr0ng-c4fe-Guess"


def _build(recipe: str, base: Path) -> Acquisition:
    try:
        return RECIPES[recipe](base)
    except MissingBuilder as exc:
        pytest.skip(f"{recipe}: {exc}")


def _needles(acq: Acquisition, *extra: str) -> list[bytes]:
    texts = [t for t in (acq.password, *extra) if t]
    if acq.identity is not None:
        texts += [line.strip() for line in acq.identity.read_text().splitlines() if line.startswith("AGE-SECRET-KEY")]
    needles = []
    for text in texts:
        needles += [text.encode(), text.encode("utf-16-le"), text.encode().hex().encode()]
    return needles


def _leaks(folder: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {n[:12]!r}" for n in needles if n in data]
    return found


@pytest.mark.parametrize("recipe", ENCRYPTED)
def test_secret_absent_after_a_successful_run(recipe: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    acq = _build(recipe, tmp_path)
    tmp = private_tempdir(tmp_path, monkeypatch)
    caplog.set_level(logging.DEBUG)
    result = run_check(acq, tmp_path / "out", monkeypatch)
    assert result.run.artifacts and any(s.status == "ok" for s in result.run.artifacts.values()), \
        "the secret did not unlock the input: the test would prove nothing"
    needles = _needles(acq)
    assert _leaks(tmp_path / "out", needles) == []
    assert _leaks(tmp, needles) == [] and list(tmp.iterdir()) == []
    assert not any(n.decode("latin-1") in caplog.text for n in needles)


@pytest.mark.parametrize("recipe", ENCRYPTED)
def test_secret_absent_after_a_failed_run(recipe: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          caplog: pytest.LogCaptureFixture) -> None:
    acq = _build(recipe, tmp_path)
    if acq.identity is not None:  # a wrong identity: another valid key, itself a secret
        import pyrage

        acq.identity.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    tmp = private_tempdir(tmp_path, monkeypatch)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SpyscanError) as info:
        run_check(acq, tmp_path / "out", monkeypatch, password=WRONG if acq.password else None)
    needles = _needles(acq, WRONG if acq.password else "")
    message = str(info.value) + repr(info.value) + "".join(str(a) for a in info.value.args)
    assert "\n" not in str(info.value)
    assert not any(n.decode("latin-1") in message for n in needles)
    chained = info.value.__cause__ or info.value.__context__
    assert chained is None or not any(n.decode("latin-1") in str(chained) for n in needles)
    if (tmp_path / "out").exists():
        assert _leaks(tmp_path / "out", needles) == []
    assert list(tmp.iterdir()) == [], "the work folder was left behind after a failure"
    assert not any(n.decode("latin-1") in caplog.text for n in needles)
