"""Parsers never import the indicator layer: what they need of links comes from the neutral ``spyscan.links``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "spyscan"
PARSER_LAYERS = ("artifacts", "kinds", "evidence", "records", "links")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("layer", PARSER_LAYERS)
def test_parsers_do_not_import_indicators(layer: str) -> None:
    offenders = [str(path.relative_to(SRC)) for path in sorted((SRC / layer).rglob("*.py"))
                 if any(name == "spyscan.indicators" or name.startswith("spyscan.indicators.")
                        for name in _imports(path))]
    assert offenders == []
