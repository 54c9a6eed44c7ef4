"""docs/false-alarms.md is the published catalogue of checks: every heuristic rule has its entry."""

from __future__ import annotations

import re
from pathlib import Path

from spyscan.detection.heuristics.base import all_rules, all_run_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "false-alarms.md"


def test_every_rule_has_an_entry_with_its_severity() -> None:
    text = DOC.read_text(encoding="utf-8")
    headings = dict(re.findall(r"^### `([a-z0-9_.]+)` — (.+)$", text, flags=re.MULTILINE))
    rules = {**all_rules(), **all_run_rules()}  # run rules (several artifacts) are checks too
    missing = [rule for rule in rules if rule not in headings]
    assert missing == [], f"add an entry to docs/false-alarms.md for {missing}"
    for rule_id, cls in rules.items():
        assert cls.severity.value.upper() in headings[rule_id], rule_id
    assert set(headings) <= set(rules), f"entries for rules that do not exist: {set(headings) - set(rules)}"
