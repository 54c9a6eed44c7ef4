"""STIX 2.1 pattern → list of (type, value) comparisons, using the stix2-patterns parser.

Only what can be matched one value at a time is accepted: a single ``=`` comparison, or comparisons
joined by ``OR`` (inside one observation or across observations joined by ``OR``). Everything else
raises :class:`PatternUnsupported` with a precise reason.
"""

from __future__ import annotations

from typing import Any

from stix2patterns.exceptions import ParseException
from stix2patterns.v21.grammars.STIXPatternListener import STIXPatternListener
from stix2patterns.v21.pattern import Pattern

SUPPORTED_TYPES: frozenset[str] = frozenset(
    {
        "domain-name:value",
        "ipv4-addr:value",
        "ipv6-addr:value",
        "url:value",
        "email-addr:value",
        "process:name",
        "file:name",
        "file:path",
        "file:hashes.md5",
        "file:hashes.sha1",
        "file:hashes.sha256",
        "app:id",
        "app:cert.md5",
        "app:cert.sha1",
        "app:cert.sha256",
        "android-property:name",
        "configuration-profile:id",
    }
)

_HASH_NAMES = {"md5": "md5", "sha1": "sha1", "sha-1": "sha1", "sha256": "sha256", "sha-256": "sha256"}
_HASHED_PROPERTIES = {("file", "hashes"), ("app", "cert")}


class PatternUnsupported(Exception):
    """The pattern is valid or invalid STIX but cannot be used; ``str(exc)`` is the reason."""


def normalise_type(object_type: str, path: list[str]) -> str:
    """Canonical ``object:property`` spelling; hash names are folded (``'SHA-256'`` → ``sha256``)."""
    parts = list(path)
    if len(parts) == 2 and (object_type, parts[0]) in _HASHED_PROPERTIES:
        parts[1] = _HASH_NAMES.get(parts[1].lower(), parts[1])
    return f"{object_type}:{'.'.join(parts)}"


def _unquote(token_text: str) -> str:
    """A STIX string literal without quotes, with ``\\'`` and ``\\\\`` unescaped."""
    body = token_text[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(body[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


class _Collector(STIXPatternListener):  # type: ignore[misc]
    """Walks a parse tree and records comparisons plus everything that makes the pattern unusable."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.comparisons: list[tuple[str, str]] = []
        self._type = ""
        self._path: list[str] = []
        self._path_ok = True

    def _problem(self, reason: str) -> None:
        if reason not in self.problems:
            self.problems.append(reason)

    # --- operators and qualifiers between observations / comparisons
    def exitObservationExpressions(self, ctx: Any) -> None:
        if ctx.FOLLOWEDBY():
            self._problem("FOLLOWEDBY between observations is not supported")

    def exitObservationExpressionAnd(self, ctx: Any) -> None:
        if ctx.AND():
            self._problem("AND between observations is not supported")

    def exitComparisonExpressionAnd(self, ctx: Any) -> None:
        if ctx.AND():
            self._problem("AND between comparisons is not supported")

    def exitStartStopQualifier(self, ctx: Any) -> None:
        self._problem("START/STOP qualifier is not supported")

    def exitWithinQualifier(self, ctx: Any) -> None:
        self._problem("WITHIN qualifier is not supported")

    def exitRepeatedQualifier(self, ctx: Any) -> None:
        self._problem("REPEATS qualifier is not supported")

    # --- object paths
    def exitObjectType(self, ctx: Any) -> None:
        self._type = ctx.getText()

    def exitFirstPathComponent(self, ctx: Any) -> None:
        token = ctx.StringLiteral()
        self._path = [_unquote(token.getText()) if token else ctx.getText()]
        self._path_ok = True

    def exitKeyPathStep(self, ctx: Any) -> None:
        token = ctx.StringLiteral()
        if token:
            self._path.append(_unquote(token.getText()))
        else:
            self._path.append(ctx.IdentifierWithoutHyphen().getText())

    def exitIndexPathStep(self, ctx: Any) -> None:
        self._path_ok = False

    def _where(self) -> str:
        return f"{self._type}:{'.'.join(self._path)}"

    # --- comparisons
    def exitPropTestEqual(self, ctx: Any) -> None:
        if ctx.NOT() or ctx.NEQ():
            op = (ctx.EQ() or ctx.NEQ()).getText()
            self._problem(f"operator {'NOT ' if ctx.NOT() else ''}{op} is not supported")
            return
        if not self._path_ok:
            self._problem(f"list index in object path {self._where()} is not supported")
            return
        literal = ctx.primitiveLiteral()
        orderable = literal.orderableLiteral()
        token = orderable.StringLiteral() if orderable is not None else None
        if token is None:
            self._problem(f"non-string value {literal.getText()} is not supported")
            return
        kind = normalise_type(self._type, self._path)
        if kind not in SUPPORTED_TYPES:
            self._problem(f"unsupported observable type {self._where()}")
            return
        self.comparisons.append((kind, _unquote(token.getText())))

    def _operator(self, name: str) -> None:
        self._problem(f"operator {name} is not supported")

    def exitPropTestOrder(self, ctx: Any) -> None:
        op = (ctx.GT() or ctx.LT() or ctx.GE() or ctx.LE()).getText()
        self._operator(f"{'NOT ' if ctx.NOT() else ''}{op}")

    def exitPropTestSet(self, ctx: Any) -> None:
        self._operator("IN")

    def exitPropTestLike(self, ctx: Any) -> None:
        self._operator("LIKE")

    def exitPropTestRegex(self, ctx: Any) -> None:
        self._operator("MATCHES")

    def exitPropTestIsSubset(self, ctx: Any) -> None:
        self._operator("ISSUBSET")

    def exitPropTestIsSuperset(self, ctx: Any) -> None:
        self._operator("ISSUPERSET")

    def exitPropTestExists(self, ctx: Any) -> None:
        self._operator("EXISTS")


def parse_pattern(pattern: str) -> list[tuple[str, str]]:
    """The ``(type, value)`` comparisons of a usable pattern; raises :class:`PatternUnsupported`."""
    try:
        parsed = Pattern(pattern)
    except ParseException as exc:
        raise PatternUnsupported(f"pattern syntax error: {exc}") from None
    except Exception as exc:  # the ANTLR runtime can raise other errors on odd input
        raise PatternUnsupported(f"pattern syntax error: {type(exc).__name__}: {exc}") from None
    collector = _Collector()
    parsed.walk(collector)
    if collector.problems:
        raise PatternUnsupported("; ".join(collector.problems))
    if not collector.comparisons:
        raise PatternUnsupported("pattern has no comparison")
    seen: dict[tuple[str, str], None] = dict.fromkeys(collector.comparisons)
    return list(seen)
