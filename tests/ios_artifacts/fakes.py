"""A tiny ``IOSSource`` over files in tmp_path, and helpers to run artifacts and detection on them."""

from __future__ import annotations

import fnmatch
import plistlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.detection.heuristics.base import Rule
from spyscan.detection.model import Detection
from spyscan.detection.pipeline import Matcher, NullMatcher, RecordPipeline
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSFile, IOSPath
from spyscan.evidence.sqlite import open_private_copy
from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.model import Indicator
from spyscan.records.base import Record
from tests.builders.sqlite import SqliteContent, write_sqlite


class FakeIOS(Evidence):
    """Files registered by backup domain + relative path (``mode="backup"``) or dump path (``"fs"``)."""

    kind = "ios-backup"

    def __init__(self, root: Path, mode: str = "backup") -> None:
        super().__init__(root, root / "_work")
        self.mode = mode
        self.files: dict[str, tuple[str | None, str | None, Path]] = {}

    def _target(self, domain: str, relative: str, fs: str | None) -> tuple[str, Path]:
        label = (fs or f"private/var/mobile/{relative}") if self.mode == "fs" else f"{domain}/{relative}"
        path = self.path / "files" / str(len(self.files)) / Path(relative).name
        path.parent.mkdir(parents=True, exist_ok=True)
        self.files[label] = (domain, relative, path)
        return label, path

    def add_bytes(self, domain: str, relative: str, data: bytes, fs: str | None = None) -> str:
        label, path = self._target(domain, relative, fs)
        path.write_bytes(data)
        return label

    def add_plist(self, domain: str, relative: str, value: Any, fs: str | None = None,
                  binary: bool = True) -> str:
        fmt = plistlib.FMT_BINARY if binary else plistlib.FMT_XML
        return self.add_bytes(domain, relative, plistlib.dumps(value, fmt=fmt), fs)

    def add_sqlite(self, domain: str, relative: str, content: SqliteContent, fs: str | None = None) -> str:
        label, path = self._target(domain, relative, fs)
        write_sqlite(path, content)
        return label

    # -- IOSSource ----------------------------------------------------------------------------
    def ios_find(self, spec: IOSPath) -> list[IOSFile]:
        found = []
        for label, (domain, relative, path) in sorted(self.files.items()):
            if self.mode == "fs":
                ok = any(fnmatch.fnmatchcase(label, g) for g in spec.fs)
            else:
                ok = (spec.domain is not None and spec.relative is not None and domain is not None
                      and relative is not None and fnmatch.fnmatchcase(domain, spec.domain)
                      and fnmatch.fnmatchcase(relative, spec.relative))
            if ok:
                if self.mode == "fs":
                    found.append(IOSFile(label=label, handle=str(path)))
                else:
                    found.append(IOSFile(label=label, handle=str(path), domain=domain, relative=relative))
        return found

    def ios_read(self, file: IOSFile, limit: int = 1 << 30) -> bytes:
        return Path(file.handle).read_bytes()[:limit]

    def ios_sqlite(self, file: IOSFile) -> sqlite3.Connection:
        return open_private_copy(Path(file.handle), self.workdir, self.inputs, file.label)


def collect(artifact: type[Artifact], evidence: Evidence) -> tuple[list[Any], ArtifactLog]:
    log = ArtifactLog()
    return list(artifact().collect(evidence, log)), log


def indicator(type_: str, value: str, malware: str = "TestFamily") -> Indicator:
    return Indicator(type=type_, value=value, stix_id=f"indicator--{abs(hash((type_, value))):032x}",
                     malware=malware, file="test.stix2")


def detect(artifact_id: str, records: Iterable[Record], indicators: Iterable[Indicator] = (),
           rules: Iterable[type[Rule]] = ()) -> list[Detection]:
    matcher: Matcher = IndicatorIndex.build(list(indicators)) if indicators else NullMatcher()
    pipeline = RecordPipeline(artifact_id, matcher, list(rules))
    for record in records:
        pipeline.feed(record)
    return pipeline.finish()
