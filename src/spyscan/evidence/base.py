"""Base class of every input kind (iOS backup, androidqf, bugreport, ...)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import ClassVar

from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.custody import InputFile, InputLog, sha256_stream
from spyscan.evidence.secrets import Secrets
from spyscan.evidence.sqlite import open_private_copy
from spyscan.records.device import DeviceFacts
from spyscan.texts import tr

DEFAULT_READ_LIMIT = 1 << 30  # 1 GiB: larger single files are refused as input to one artifact


class Evidence:
    """Read-only access to one acquisition.

    Subclasses set ``kind`` and ``label``, implement ``detect`` and, where needed, ``open``/``close``.
    Every byte read through this object is hashed into ``inputs`` (the custody log of run.json).
    """

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""  # human description of the kind
    priority: ClassVar[int] = 50  # detection order: lower first
    platform: ClassVar[str] = ""  # "ios" or "android": indicators of another platform are never matched
    # the artifacts that matter for this kind: a check is "clean" only when each of them was read
    # (docs/verdict.md); when one could not be read, the check is incomplete
    key_artifacts: ClassVar[tuple[str, ...]] = ()
    # what ``detect`` looks for, in words (for messages when an input is not of this kind)
    key_files: ClassVar[str] = ""

    def __init__(self, path: Path, workdir: Path, secrets: Secrets | None = None) -> None:
        self.path = path
        self.workdir = workdir
        self.secrets = secrets or Secrets(interactive=False)
        self.inputs = InputLog()

    # -- life cycle -------------------------------------------------------------------------
    @classmethod
    def detect(cls, path: Path) -> bool:
        """True when ``path`` looks like this kind of input (cheap, read-only)."""
        return False

    def open(self) -> None:
        """Validate the input and prepare access (e.g. derive keys); raise EvidenceError."""
        if not self.path.exists():
            raise EvidenceError(tr('input not found: %(self)s', self=self.path))

    def close(self) -> None:
        """Release resources; the engine removes the work folder itself."""

    def children(self) -> list[tuple[str, Path]]:
        """Nested acquisitions analysed as their own kinds, as ``(kind, local path)`` pairs.

        E.g. the ``backup.ab`` or ``bugreport.zip`` inside an androidqf acquisition. Paths must be
        inside the input or inside ``workdir`` (extracted there by this object).
        """
        return []

    def holds(self, data: str) -> bool:
        """True when this input itself holds the device data named ``data`` (``Artifact.same_data``:
        ``dumpsys:<service>``, ``getprop``, ``settings``, ``processes``, ``mounts``).

        A nested input's artifact that reads data its parent holds is not run (the parent's copy wins).
        """
        return False

    def device_info(self) -> DeviceFacts:
        """What the acquisition says about the device (model, OS version, ...), for run.json and the report."""
        return DeviceFacts(platform=self.platform or None)

    # -- file access (folder-based kinds; archive kinds override ``resolve``) -----------------
    def resolve(self, rel: str) -> Path:
        """Local path of the evidence file ``rel`` (relative to the input root); ArtifactNotFound if absent."""
        root = self.path if self.path.is_dir() else self.path.parent
        candidate = (root / rel).resolve()
        root_resolved = root.resolve()
        if not candidate.is_relative_to(root_resolved):
            raise ArtifactNotFound(tr('%(rel)s is outside the input', rel=rel))
        if not candidate.is_file():
            raise ArtifactNotFound(rel)
        return candidate

    def exists(self, rel: str) -> bool:
        try:
            self.resolve(rel)
        except ArtifactNotFound:
            return False
        return True

    def read_bytes(self, rel: str, limit: int = DEFAULT_READ_LIMIT) -> bytes:
        path = self.resolve(rel)
        size = path.stat().st_size
        if size > limit:
            raise EvidenceError(tr('%(rel)s is %(size)s bytes, over the limit of %(limit)s', rel=rel, size=size,
                                   limit=limit))
        data = path.read_bytes()
        self._log_bytes(rel, data)
        return data

    def sqlite(self, rel: str) -> sqlite3.Connection:
        """A private, read-only copy of the database ``rel`` (with its -wal/-journal)."""
        return open_private_copy(self.resolve(rel), self.workdir, self.inputs, rel)

    def _log_bytes(self, rel: str, data: bytes) -> None:
        import hashlib

        self.inputs.add(InputFile(path=rel, size=len(data), sha256=hashlib.sha256(data).hexdigest()))

    def hash_whole_input(self) -> list[InputFile]:
        """Hash a single-file input (archive) as a whole; folders are hashed file by file on read."""
        if self.path.is_file():
            with self.path.open("rb") as fh:
                size, digest = sha256_stream(fh)
            return [InputFile(path=self.path.name, size=size, sha256=digest)]
        return []
