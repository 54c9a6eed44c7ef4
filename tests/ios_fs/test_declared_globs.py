"""Pre-extraction from a tar dump finds the files of every iOS artifact that runs on filesystem dumps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from builders.ios_fs import FsDumpBuilder, open_evidence
from spyscan.artifacts.base import Artifact, ArtifactLog, artifacts_for
from spyscan.artifacts.ios.fs_common import find_all, listed
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.kinds.ios_fs import IOSFilesystemEvidence, _Wanted, artifact_fs_globs, declared_fs_globs
from spyscan.records.base import Record

READS_NO_FILE = {"ios.fs.file_listing"}  # works from the listing alone (paths and times)


@pytest.mark.parametrize("cls", artifacts_for("ios-fs"), ids=lambda c: c.id)
def test_every_fs_artifact_has_its_globs_discovered(cls: type[Artifact]) -> None:
    globs = artifact_fs_globs(cls, "ios-fs")
    if cls.id in READS_NO_FILE:
        return
    assert globs, f"{cls.id}: no filesystem glob found; its files would never be pre-extracted from a tar"
    assert globs <= declared_fs_globs("ios-fs")
    wanted = _Wanted(declared_fs_globs("ios-fs"))
    for glob in globs:  # a concrete path made from each glob is pre-extracted, also below a dump folder
        sample = glob.replace("**/", "").replace("**", "x").replace("*", "x").replace("?", "x")
        sample = "".join(c for c in sample if c not in "[]")
        assert wanted(sample) and wanted("dump/" + sample), (cls.id, glob, sample)


def _spec_of(name: str) -> IOSPath:
    return IOSPath(fs=(f"private/var/mobile/Library/{name}/data.db",))


class _BuiltByFunction(Artifact):
    """Its spec is built inside collect(): invisible to module introspection, seen by the probe."""

    id = "test.built_by_function"
    kinds: ClassVar[tuple[str, ...]] = ("ios-fs",)
    records: ClassVar[tuple[type[Record], ...]] = ()

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Record]:
        source = listed(evidence)
        find_all(source, [_spec_of("Hidden")], "hidden")
        yield from ()


def test_specs_built_at_run_time_are_found() -> None:
    assert artifact_fs_globs(_BuiltByFunction, "ios-fs") == {"private/var/mobile/Library/Hidden/data.db"}


def test_whatsapp_and_chrome_databases_are_copied_during_the_single_pass(tmp_path: Path) -> None:
    root = tmp_path
    b = FsDumpBuilder()
    chat = "private/var/mobile/Containers/Shared/AppGroup/1111-AAAA/ChatStorage.sqlite"
    chrome = ("private/var/mobile/Containers/Data/Application/2222-BBBB/Library/Application Support/Google/Chrome/"
              "Default/History")
    b.add_sqlite(chat, ["CREATE TABLE t(x)"]).add_sqlite(chrome, ["CREATE TABLE u(y)"])
    archive = b.build_tar(root / "dump.tar.gz", prefix="dump/")
    ev = open_evidence(IOSFilesystemEvidence, archive, root)
    assert isinstance(ev, IOSFilesystemEvidence)
    assert {"dump/" + chat, "dump/" + chrome} <= set(ev.listing.extracted)
