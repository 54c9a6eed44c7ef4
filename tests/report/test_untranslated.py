"""Nothing a person reads is left in English: every heuristic, artifact status, verdict reason and CLI error,
rendered in Spanish, French and Portuguese.

What is covered is found when the test runs (every rule, every artifact, every message the sources declare),
so rules, artifacts and messages added later are covered too. Two checks work together: a static one (every
sentence built in the sources goes through ``tr``/``trn``: an f-string or a plain literal handed to a finding,
a warning, an error or the terminal is refused) and a rendered one (the report and the terminal in each
language contain no English: see ``tests/report/english.py``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from spyscan.detection.heuristics.base import all_rules
from spyscan.detection.model import Detection, ObservableRef, Severity
from spyscan.report import html
from spyscan.texts import Message
from tests.report import folders as f
from tests.report.english import english_in, visible_text

LANGS = ("es", "fr", "pt")
SRC = f.REPO / "src" / "spyscan"


# ---------------------------------------------------------------------------------------------------
# static: sentences are built with tr()/trn(), never with f-strings or plain English literals


@dataclass(frozen=True)
class Call:
    """A call whose (first, or named) argument is a sentence for a person."""

    name: str  # function or method name (the last part of a dotted name)
    keyword: str | None = None  # the argument's keyword (None: the first positional argument)


SENTENCE_CALLS = (
    Call("Finding", "message"),
    Call("warn"), Call("mark_recovered"), Call("mark_unread"), Call("mark_truncated"), Call("ArtifactNotFound"),
    Call("BudgetExceeded"), Call("PlistError"), Call("PlistLimitError"), Call("JsonError"), Call("JsonLimitError"),
    Call("SchemaRefused"), Call("note"), Call("refused"), Call("_deny"),
    Call("SpyscanError"), Call("UsageError"), Call("EvidenceError"), Call("IndicatorError"), Call("CollectError"),
    Call("DeviceLost"), Call("MissingExtra"), Call("DiskSpaceLow"), Call("DamagedDatabase"),
    Call("ClickException"), Call("print_error"), Call("failed_outcome", "error"),
)
# the terminal: what the commands print (click.echo, rich's print) goes through words(tr(...)) too
TERMINAL_CALLS = (Call("echo"), Call("print"), Call("prompt"), Call("confirm"))
TERMINAL_MODULES = ("cli.py", "console.py", "demo.py", "commands")


# what a literal may hold in clear: a command (spyscan demo), rich's markup ([bold red]...[/]), a unit (1.2s)
_NOT_WORDS = re.compile(r"\[/?[a-z ]*\]|\bspyscan(?: [a-z-]+)?\b")


def _has_words(literal: str) -> bool:
    return re.search(r"[^\W\d_]{2,}", _NOT_WORDS.sub("", literal)) is not None


def _is_sentence(node: ast.expr) -> bool:
    """True for an expression that builds English text without the catalogs.

    An f-string is a sentence when its literal parts hold words (``f"{name}: {text}"`` only lays out texts
    translated elsewhere; ``f"process {name} seen"`` is English).
    """
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and isinstance(v.value, str) and _has_words(v.value)
                   for v in node.values)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _has_words(node.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _is_sentence(node.left) or _is_sentence(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        return isinstance(node.func.value, ast.Constant | ast.JoinedStr) and node.func.attr == "format"
    if isinstance(node, ast.IfExp):
        return _is_sentence(node.body) or _is_sentence(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(_is_sentence(v) for v in node.values)
    return False


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def untranslatable_sentences(paths: list[Path], calls: tuple[Call, ...]) -> list[str]:
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for call in calls:
                if _call_name(node) != call.name:
                    continue
                args = [k.value for k in node.keywords if k.arg == call.keyword] if call.keyword else node.args[:1]
                for arg in args:
                    if _is_sentence(arg):
                        where = path.relative_to(f.REPO) if path.is_relative_to(f.REPO) else path
                        found.append(f"{where}:{node.lineno}: {ast.unparse(arg)[:90]}")
    return found


def test_findings_are_built_with_tr() -> None:
    rules = sorted((SRC / "detection").rglob("*.py"))
    assert untranslatable_sentences(rules, SENTENCE_CALLS) == []


def test_warnings_errors_and_not_found_reasons_are_built_with_tr() -> None:
    """Every artifact warning, reason for missing data and error a person can read, anywhere in spyscan."""
    sources = [p for p in sorted(SRC.rglob("*.py")) if "collect" not in p.parts or p.name != "consent.py"]
    assert untranslatable_sentences(sources, SENTENCE_CALLS) == []


def test_the_terminal_says_everything_through_the_catalogs() -> None:
    sources = [p for p in sorted(SRC.rglob("*.py"))
               if p.relative_to(SRC).parts[0] in TERMINAL_MODULES and p.name != "collect.py"]
    assert untranslatable_sentences(sources, TERMINAL_CALLS) == []


def test_no_message_is_hidden_in_an_fstring() -> None:
    """``tr("...")`` inside an f-string's braces is not extracted by babel: its translation would never exist."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FormattedValue):
                for inner in ast.walk(node.value):
                    if (isinstance(inner, ast.Call) and _call_name(inner) in ("tr", "trn", "N_", "gettext")
                            and inner.args and isinstance(inner.args[0], ast.Constant)):
                        found.append(f"{path.relative_to(f.REPO)}:{inner.lineno}")
    assert found == []


def test_the_static_check_sees_an_fstring(tmp_path: Path) -> None:
    sample = tmp_path / "rule.py"
    sample.write_text('Finding(record=r, message=f"process {name} seen")\n'
                      'Finding(record=r, message=tr("x %(a)s", a=1))\n'
                      'Finding(record=r, message="plain English words")\n'
                      'print(f"[red]{label}[/] {words(text)}")\n', encoding="utf-8")
    found = untranslatable_sentences([sample], SENTENCE_CALLS + TERMINAL_CALLS)
    assert len(found) == 2 and "process" in found[0]


# ---------------------------------------------------------------------------------------------------
# rendered: the report of every heuristic in each language


def _messages_of(path: Path) -> list[str]:
    """Message ids declared in one source file (``tr``/``trn``/``N_``/``gettext`` literals)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    ids = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) in ("tr", "trn", "N_", "gettext") and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                ids.append(first.value)
    return ids


def _dummy_params(msgid: str) -> dict[str, str | int | float | Message]:
    return {name: (3 if kind == "d" else "x") for name, kind in re.findall(r"%\(([a-z_]+)\)([sdif])", msgid)}


def rule_detections() -> list[Detection]:
    """One detection per message of every rule's module, with the rule's title and why."""
    detections = []
    for rule_id, rule in sorted(all_rules().items()):
        module = Path(__import__(rule.__module__, fromlist=["x"]).__file__ or "")
        for number, msgid in enumerate(_messages_of(module) or [rule.title]):
            detections.append(Detection(
                id=f"{rule_id}-{number}", severity=Severity.MEDIUM, kind="heuristic", artifact="ios.sms",
                message=msgid, timestamp="2024-05-20T08:00:00Z", observable=ObservableRef("process", "bh"),
                indicator=None, record={"record_type": "ios.sms", "source": {"file": "sms.db"}}, rule=rule_id,
                why=rule.why, title=rule.title, category=rule.category,
                text=Message(id=msgid, params=_dummy_params(msgid)),
            ))
    return detections


@pytest.mark.parametrize("lang", LANGS)
def test_every_heuristic_is_shown_in_the_language(tmp_path: Path, lang: str) -> None:
    detections = rule_detections()
    assert len(detections) >= len(all_rules())
    built = f.write_folder(tmp_path / "out", detections=detections, with_failure=False)
    html.write_reports(built.out, lang=lang)
    text = visible_text((built.out / "report.html").read_text(encoding="utf-8"))
    for rule in all_rules().values():
        assert rule.title not in text, rule.title
    assert english_in(text) == []


def test_the_detector_sees_english() -> None:
    assert english_in("Se encontraron rastros. The check is incomplete and nothing was read.")
    assert "Reboot delayed several times" in english_in("Revisión: Reboot delayed several times, en español")
    assert english_in("No se encontraron rastros conocidos") == []
