"""Where an acquisition is written: a new owner-only folder, or one age-encrypted zip streamed to disk.

Both sinks hash every file as it is written (SHA-256, for ``acquisition.json`` and ``hashes.csv``).
In a folder, a file is written as ``<name>.part`` and renamed when complete, so an interrupted copy
never looks like a whole file (the part is removed). In the encrypted form, the zip is written through
a pipe into ``pyrage`` (age, X25519 or SSH recipient), so no plaintext reaches the disk; a member cut by a
disconnect cannot be taken back and is listed as partial in ``acquisition.json``.
"""

from __future__ import annotations

import abc
import contextlib
import hashlib
import os
import threading
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from spyscan.collect.errors import CollectError
from spyscan.errors import UsageError
from spyscan.texts import tr


@dataclass(frozen=True)
class WrittenFile:
    name: str
    size: int
    sha256: str


class Writer(Protocol):
    def write(self, data: bytes) -> int: ...


def prepare_folder(output: Path) -> Path:
    """A new (or empty) folder, owner-only; a clear UsageError otherwise."""
    out = output.expanduser().resolve()
    if out.exists():
        if not out.is_dir():
            raise UsageError(tr('the output path %(out)s exists and is not a folder', out=out))
        if any(out.iterdir()):
            raise UsageError(tr('the output folder %(out)s is not empty; choose a new folder (nothing was changed)',
                                out=out))
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    out.chmod(0o700)
    return out


class Sink(abc.ABC):
    """Common bookkeeping: what was written, and what was cut short."""

    def __init__(self) -> None:
        self.files: dict[str, WrittenFile] = {}
        self.partial: list[str] = []

    @abc.abstractmethod
    def open(self, name: str) -> contextlib.AbstractContextManager[Writer]:
        """A writer for the output file ``name``, recorded in ``files`` when it closes."""

    def write_bytes(self, name: str, data: bytes) -> WrittenFile:
        with self.open(name) as fh:
            fh.write(data)
        return self.files[name]

    def write_chunks(self, name: str, chunks: Iterable[bytes]) -> WrittenFile:
        with self.open(name) as fh:
            for chunk in chunks:
                fh.write(chunk)
        return self.files[name]

    def close(self) -> None:  # noqa: B027 - a folder needs no finishing; the encrypted sink overrides it
        """Finish the output (the encrypted sink writes the zip's end and the age trailer)."""

    @abc.abstractmethod
    def location(self) -> Path:
        """Where the output is (its folder, or the encrypted file)."""


class _Hashing:
    def __init__(self, target: BinaryIO | Any) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        self.target.write(data)
        return len(data)


def _safe_name(name: str) -> str:
    parts = name.split("/")
    if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise CollectError(tr("refusing to write an unsafe file name: '%(name)s'", name=name))
    return name


class FolderSink(Sink):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def location(self) -> Path:
        return self.folder

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[Writer]:
        target = self.folder / _safe_name(name)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        part = target.with_name(target.name + ".part")
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_EXCL, 0o600)
        ok = False
        try:
            with os.fdopen(fd, "wb") as fh:
                writer = _Hashing(fh)
                yield writer
            os.replace(part, target)
            ok = True
        finally:
            if not ok:
                part.unlink(missing_ok=True)
        self.files[name] = WrittenFile(name, writer.size, writer.digest.hexdigest())


def parse_recipient(key: str) -> Any:
    """An age recipient: ``age1...`` (X25519) or an OpenSSH public key line."""
    import pyrage

    text = key.strip()
    try:
        if text.startswith("age1"):
            return pyrage.x25519.Recipient.from_str(text)
        if text.startswith(("ssh-ed25519 ", "ssh-rsa ")):
            return pyrage.ssh.Recipient.from_str(text)
    except Exception as exc:
        raise UsageError(tr('--age-recipient is not a valid age or SSH public key: %(error)s', error=exc)) from exc
    raise UsageError(tr('--age-recipient must be an age public key (age1...) or an SSH public key (ssh-ed25519 ...)'))


class AgeZipSink(Sink):
    """One ``<name>.zip.age`` file: a zip written straight into age encryption, chunk by chunk."""

    def __init__(self, folder: Path, name: str, recipient: Any) -> None:
        super().__init__()
        import pyrage

        self.path = folder / f"{name}.zip.age"
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._out = os.fdopen(fd, "wb")
        read_fd, write_fd = os.pipe()
        self._pipe_in = os.fdopen(read_fd, "rb")
        self._pipe_out = os.fdopen(write_fd, "wb")
        self._error: BaseException | None = None

        def encrypt() -> None:
            try:
                pyrage.encrypt_io(self._pipe_in, self._out, [recipient])
            except BaseException as exc:  # reported by close()
                self._error = exc
            finally:
                self._pipe_in.close()

        self._thread = threading.Thread(target=encrypt, name="age-encrypt", daemon=True)
        self._thread.start()
        self._zip = zipfile.ZipFile(self._pipe_out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)

    def location(self) -> Path:
        return self.path

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[Writer]:
        info = zipfile.ZipInfo(_safe_name(name))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        ok = False
        with self._zip.open(info, "w", force_zip64=True) as member:
            writer = _Hashing(member)
            try:
                yield writer
                ok = True
            finally:
                if not ok:
                    self.partial.append(name)
        self.files[name] = WrittenFile(name, writer.size, writer.digest.hexdigest())

    def close(self) -> None:
        self._zip.close()
        self._pipe_out.close()
        self._thread.join()
        self._out.close()
        if self._error is not None:
            raise CollectError(tr('the encrypted output could not be written: %(error)s', error=self._error))
