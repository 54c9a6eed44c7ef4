"""Evidence integrity: a full check of every input kind and form leaves every evidence file as it was
(names, sizes, modification times, SHA-256, and no new -wal/-shm), and an output folder inside the
evidence is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from spyscan.errors import UsageError

from .acquisitions import RECIPES, Acquisition, MissingBuilder
from .runs import private_tempdir, run_check, tree_snapshot


def _build(recipe: str, base: Path) -> Acquisition:
    try:
        return RECIPES[recipe](base)
    except MissingBuilder as exc:
        pytest.skip(f"{recipe}: {exc}")


@pytest.mark.parametrize("recipe", sorted(RECIPES))
def test_full_check_leaves_the_evidence_unchanged(recipe: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    acq = _build(recipe, tmp_path)
    before = tree_snapshot(acq.evidence_root)
    assert before, "the recipe built nothing"
    tmp = private_tempdir(tmp_path, monkeypatch)
    result = run_check(acq, tmp_path / "out", monkeypatch)
    assert result.run.artifacts, f"{recipe}: no artifact ran"
    assert tree_snapshot(acq.evidence_root) == before
    assert not [p for p in acq.evidence_root.rglob("*") if p.name.endswith(("-shm", "-journal"))]
    assert list(tmp.iterdir()) == [], "the work folder was left behind"
    if acq.kind == "ios-fs":  # the pending -wal was really read (through a private copy)
        assert any(i.path.endswith("sms.db-wal") for i in result.run.inputs)


@pytest.mark.parametrize("recipe", ["ios-backup/plain", "androidqf/folder", "bugreport/folder", "ios-fs/folder"])
def test_output_folder_inside_the_evidence_is_refused(recipe: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    acq = _build(recipe, tmp_path)
    folder = acq.path if acq.path.is_dir() else acq.path.parent
    before = tree_snapshot(acq.evidence_root)
    with pytest.raises(UsageError, match="inside the evidence"):
        run_check(acq, folder / "results", monkeypatch)
    assert not (folder / "results").exists()
    assert tree_snapshot(acq.evidence_root) == before
