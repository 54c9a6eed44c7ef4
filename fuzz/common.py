"""Shared plumbing of the atheris fuzz targets (see docs/robustness.md, "Fuzzing").

Each target module defines ``one_input(data: bytes) -> None``; an exception that is not an expected,
clean refusal is a finding. ``run_artifact`` drives one artifact through the engine's per-artifact
path with the tests' hostile evidence serving the fuzz input for every file the artifact asks for,
and applies the corruption matrix's rules to the outcome.

Targets import spyscan inside ``with instrumented():`` and build values with ``provider(data)``: with
atheris installed these are ``atheris.instrument_imports`` and ``atheris.FuzzedDataProvider``; without it
(the project's own venv, CI) a target module still imports, and ``tests/robustness/test_fuzz_corpus.py``
replays the committed corpus ``fuzz/corpus/<target>/`` through its ``one_input``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import struct
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
for entry in (str(REPO / "src"), str(REPO)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

_ROOT = Path(tempfile.mkdtemp(prefix="spyscan-fuzz-"))
atexit.register(shutil.rmtree, _ROOT, True)

try:
    import atheris  # not a project dependency: fuzz/run.sh installs it in fuzz/.venv
except ImportError:  # replaying the corpus in the project's venv
    atheris = None


@contextlib.contextmanager
def instrumented() -> Iterator[None]:
    """``atheris.instrument_imports`` on spyscan's modules when atheris is there, else nothing."""
    if atheris is None:
        yield
        return
    with atheris.instrument_imports(include=["spyscan"]):
        yield


class _Provider:
    """The few ``FuzzedDataProvider`` methods the targets use, for replays without atheris (the values drawn
    from a given input differ from atheris's; any input is still a valid test)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def ConsumeBytes(self, count: int) -> bytes:
        chunk = self.data[self.pos:self.pos + max(count, 0)]
        self.pos += len(chunk)
        return chunk

    def ConsumeInt(self, size: int) -> int:
        return int.from_bytes(self.ConsumeBytes(size).ljust(size, b"\0"), "little", signed=True)

    def ConsumeFloat(self) -> float:
        return float(struct.unpack("<d", self.ConsumeBytes(8).ljust(8, b"\0"))[0])

    def ConsumeUnicodeNoSurrogates(self, count: int) -> str:
        text = self.ConsumeBytes(count * 4).decode("utf-8", "replace")[:count]
        return "".join(c for c in text if not "\ud800" <= c <= "\udfff")


def provider(data: bytes) -> Any:
    """An ``atheris.FuzzedDataProvider`` (or the replay stand-in) over ``data``."""
    return atheris.FuzzedDataProvider(data) if atheris is not None else _Provider(data)


class _Payload:
    def __init__(self, data: bytes) -> None:
        self.payload = data

    def data(self, variant: str, fmt: str) -> bytes:
        return self.payload

    def wal(self) -> bytes:
        return b""


def run_artifact(artifact_id: str, data: bytes) -> None:
    import logging

    from tests.robustness.hostile import check_status, hostile_evidence

    from spyscan.artifacts.base import all_artifacts
    from spyscan.detection.heuristics.base import all_rules
    from spyscan.detection.pipeline import NullMatcher
    from spyscan.engine import jobs
    from spyscan.kinds import all_kinds

    artifact = all_artifacts()[artifact_id]
    kinds = all_kinds()
    kind = next(k for k in artifact.kinds if k in kinds)
    root = _ROOT / "run"
    shutil.rmtree(root, ignore_errors=True)
    (root / "records").mkdir(parents=True)
    (root / "parts").mkdir()
    evidence = hostile_evidence(kinds[kind], "fuzz", _Payload(data), root / "hostile")  # type: ignore[arg-type]
    logger = logging.getLogger("spyscan")
    was_disabled, logger.disabled = logger.disabled, True  # an artifact error is logged with its traceback
    try:
        with jobs.using(jobs.Shared(matcher=NullMatcher(), rules=list(all_rules().values()),
                                    records_dir=root / "records", parts_dir=root / "parts", evidences={"": evidence})):
            outcome = jobs.execute(artifact_id, artifact.title, jobs.ARTIFACT)
    finally:
        logger.disabled = was_disabled
    import pytest

    try:
        check_status(f"{artifact_id} × fuzz", outcome.status, getattr(evidence, "asked", []))
    except pytest.skip.Exception:
        return  # the artifact reads through a method the hostile evidence does not serve: not a finding


def scratch_file(name: str, data: bytes) -> Path:
    path = _ROOT / name
    path.write_bytes(data)
    return path


def _tolerating_known(one_input: Callable[[bytes], None]) -> Callable[[bytes], None]:
    """Let a campaign go on past findings already reported: SPYSCAN_FUZZ_KNOWN="ReadError,idempotent"
    ignores exceptions whose ``Type: message`` contains one of the comma-separated texts."""
    known = [k for k in os.environ.get("SPYSCAN_FUZZ_KNOWN", "").split(",") if k]
    if not known:
        return one_input

    def wrapped(data: bytes) -> None:
        try:
            one_input(data)
        except Exception as exc:
            if not any(k in f"{type(exc).__name__}: {exc}" for k in known):
                raise
    return wrapped


def main(one_input: Callable[[bytes], None]) -> None:
    if atheris is None:
        raise SystemExit("atheris is not installed: run the target through fuzz/run.sh")
    # libFuzzer's -merge/-fork modes run argv[0] again: a wrapper that starts this script with the fuzz
    # venv's python (fuzz/minimize.sh writes one) stands in for the script, which is not executable
    argv = [os.environ.get("SPYSCAN_FUZZ_ARGV0", sys.argv[0]), *sys.argv[1:]]
    atheris.Setup(argv, _tolerating_known(one_input))
    atheris.Fuzz()
