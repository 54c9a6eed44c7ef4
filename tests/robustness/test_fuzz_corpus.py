"""Replay the committed fuzzing corpus: every file of ``fuzz/corpus/<target>/`` (and the seeds of
``fuzz/seeds/<target>/``) through that target's ``one_input``, without atheris.

A corpus file is an input the fuzzer kept because it reached new code (libFuzzer ``-merge=1`` keeps the
smallest set that covers what the whole campaign covered), so this test runs the parsers through what
hours of fuzzing explored, in seconds, on every change. Any exception is a regression of a finding or a
new one (see docs/robustness.md, "Fuzzing").
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
TARGETS = sorted(p.stem.removeprefix("fuzz_") for p in (FUZZ / "targets").glob("fuzz_*.py"))


def _target(name: str) -> ModuleType:
    if str(FUZZ) not in sys.path:
        sys.path.insert(0, str(FUZZ))
    loaded = sys.modules.get(f"fuzz_target_{name}")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location(f"fuzz_target_{name}", FUZZ / "targets" / f"fuzz_{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _inputs(name: str) -> list[Path]:
    return sorted(p for folder in ("corpus", "seeds") for p in (FUZZ / folder / name).glob("*") if p.is_file())


def test_every_target_has_a_committed_corpus() -> None:
    missing = [name for name in TARGETS if not any((FUZZ / "corpus" / name).glob("*"))]
    assert missing == [], f"targets without a committed corpus: {missing} (see fuzz/README in docs/robustness.md)"
    size = sum(p.stat().st_size for p in (FUZZ / "corpus").rglob("*") if p.is_file())
    assert size < 8 << 20, f"the committed corpus is {size} bytes: minimize it (fuzz/minimize.sh)"


@pytest.mark.parametrize("name", TARGETS)
def test_corpus_replays_cleanly(name: str) -> None:
    one_input = _target(name).one_input
    started = time.monotonic()
    for path in _inputs(name):
        try:
            one_input(path.read_bytes())
        except Exception as exc:
            raise AssertionError(f"fuzz target {name}: {path.relative_to(FUZZ)} raised "
                                 f"{type(exc).__name__}: {exc}") from exc
    assert time.monotonic() - started < 60, f"replaying {name} took over a minute: minimize its corpus"
