"""Every artifact, record type, heuristic rule and kind honours its declared contract.

New artifacts and rules are covered automatically the day they land.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spyscan.artifacts.base import all_artifacts
from spyscan.detection.heuristics.base import all_rules, all_run_rules
from spyscan.kinds import all_kinds
from spyscan.observables import Obs
from spyscan.records.base import Record, record_types

TESTS = Path(__file__).resolve().parents[1]
ID_RE = re.compile(r"^(ios|android)\.[a-z0-9_]+(\.[a-z0-9_]+)*$")


def _test_sources() -> str:
    own = Path(__file__).resolve()
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in TESTS.rglob("*.py") if p != own)


def _shipped(cls: type) -> bool:
    return cls.__module__.startswith("spyscan.")


ARTIFACTS = {k: v for k, v in all_artifacts().items() if _shipped(v)}
RULES = {k: v for k, v in all_rules().items() if _shipped(v)}
RULES.update({k: v for k, v in all_run_rules().items() if _shipped(v)})  # run rules honour the same contract
KINDS = {k: v for k, v in all_kinds().items() if _shipped(v)}
TYPES = record_types()


def test_there_is_something_to_check() -> None:
    from spyscan.artifacts.base import IMPORT_ERRORS

    assert ARTIFACTS and KINDS
    assert not IMPORT_ERRORS, IMPORT_ERRORS


@pytest.mark.parametrize("artifact_id", sorted(ARTIFACTS))
def test_artifact_declaration(artifact_id: str) -> None:
    cls = ARTIFACTS[artifact_id]
    assert ID_RE.match(artifact_id), f"artifact id {artifact_id!r} should look like 'ios.safari_history'"
    assert "@" not in artifact_id
    assert cls.title.strip(), f"{artifact_id} has no title"
    assert cls.kinds, f"{artifact_id} declares no input kind"
    for kind in cls.kinds:
        assert kind in KINDS, f"{artifact_id} runs on unknown kind {kind!r}"
    assert cls.records, f"{artifact_id} declares no record type"
    for record_cls in cls.records:
        assert issubclass(record_cls, Record)
        assert TYPES.get(record_cls.record_type()) is record_cls, f"{record_cls} is not registered"


@pytest.mark.parametrize("artifact_id", sorted(ARTIFACTS))
def test_artifact_has_a_test(artifact_id: str) -> None:
    sources = _test_sources()
    cls = ARTIFACTS[artifact_id]
    assert artifact_id in sources or cls.__name__ in sources, f"no test mentions {artifact_id}"


@pytest.mark.parametrize("tag", sorted(t for t, cls in TYPES.items() if _shipped(cls)))
def test_record_type_declarations(tag: str) -> None:
    cls = TYPES[tag]
    fields = set(cls.__struct_fields__)
    assert "source" in fields
    for field, obs in cls.OBSERVABLES:
        assert field in fields and isinstance(obs, Obs)
    for field, event in cls.TIMESTAMPS:
        assert field in fields and event.strip()


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_declaration(rule_id: str) -> None:
    cls = RULES[rule_id]
    assert ID_RE.match(rule_id), rule_id
    assert cls.title.strip() and cls.why.strip(), f"{rule_id} must say what it finds and why it matters"
    assert cls.record_types, f"{rule_id} looks at no record type"
    sources = _test_sources()
    assert rule_id in sources or cls.__name__ in sources, f"no test mentions {rule_id}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_declaration(kind: str) -> None:
    cls = KINDS[kind]
    assert cls.label.strip()
    assert any(kind in a.kinds for a in ARTIFACTS.values()), f"kind {kind} has no artifact"
