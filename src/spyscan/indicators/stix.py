"""STIX 2 bundle → parsed indicators, tolerant of missing optional fields.

The parse result (:class:`ParsedBundle`) does not depend on the file's name or location, so it can be
cached by content hash and compiled for the bundled set.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from spyscan.errors import IndicatorError
from spyscan.indicators.model import Indicator, Unsupported
from spyscan.texts import tr

# Bump when parsing or normalisation of loaded values changes: invalidates caches and the compiled set.
PARSER_VERSION = "2"


class ParsedEntry(msgspec.Struct, array_like=True, frozen=True):
    type: str
    value: str
    stix_id: str
    malware: str | None
    name: str | None
    # set when the file is loaded (``spyscan.indicators.scope``), not by the parser
    platform: str | None = None
    threat: str | None = None
    role: str | None = None


class ParsedUnsupported(msgspec.Struct, array_like=True, frozen=True):
    stix_id: str
    pattern: str
    reason: str


class ParsedBundle(msgspec.Struct, array_like=True, frozen=True):
    entries: list[ParsedEntry]
    unsupported: list[ParsedUnsupported]
    families: list[str]
    indicator_objects: int

    def indicators(self, file: str) -> list[Indicator]:
        return [
            Indicator(type=e.type, value=e.value, stix_id=e.stix_id, malware=e.malware, file=file, name=e.name,
                      platform=e.platform, threat=e.threat, role=e.role)
            for e in self.entries
        ]

    def unsupported_for(self, file: str) -> list[Unsupported]:
        return [Unsupported(file=file, stix_id=u.stix_id, pattern=u.pattern, reason=u.reason) for u in self.unsupported]


def decode_json(data: bytes, name: str) -> Any:
    """Decode JSON; errors name the file with line and column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IndicatorError(tr('%(name)s: not UTF-8 text (byte %(start)s)', name=name, start=exc.start)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IndicatorError(tr('%(name)s: invalid JSON at line %(lineno)s, column %(colno)s: %(msg)s', name=name,
                                lineno=exc.lineno, colno=exc.colno, msg=exc.msg)) from None
    except RecursionError:
        raise IndicatorError(tr('%(name)s: invalid JSON: nested too deeply', name=name)) from None


def bundle_objects(doc: Any, name: str) -> list[dict[str, Any]]:
    """The objects of a STIX bundle; raises :class:`IndicatorError` when ``doc`` is not a bundle."""
    if not isinstance(doc, dict) or doc.get("type") != "bundle":
        raise IndicatorError(tr('%(name)s: not a STIX 2 bundle (no top-level object with "type": "bundle")', name=name))
    objects = doc.get("objects", [])
    if not isinstance(objects, list):
        raise IndicatorError(tr('%(name)s: not a STIX 2 bundle ("objects" is not a list)', name=name))
    return [obj for obj in objects if isinstance(obj, dict)]


def _str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _attribution(objects: list[dict[str, Any]]) -> tuple[dict[str, str], str | None]:
    """Map indicator id → family, and the family for unlinked indicators (if the bundle has one)."""
    malware = {o["id"]: n for o in objects if o.get("type") == "malware" and _str(o, "id") and (n := _str(o, "name"))}
    family: dict[str, str] = {}
    for obj in objects:  # reports first, so that explicit relationships override them below
        if obj.get("type") != "report" or not isinstance(obj.get("object_refs"), list):
            continue
        refs = [r for r in obj["object_refs"] if isinstance(r, str)]
        linked = sorted({malware[r] for r in refs if r in malware})
        name = linked[0] if len(linked) == 1 else _str(obj, "name")
        if name:
            for ref in refs:
                if ref.startswith("indicator--"):
                    family[ref] = name
    for obj in objects:
        if obj.get("type") != "relationship" or obj.get("relationship_type") != "indicates":
            continue
        source, target = obj.get("source_ref"), obj.get("target_ref")
        if isinstance(source, str) and isinstance(target, str) and target in malware:
            family[source] = malware[target]
    names = set(malware.values())
    default = names.pop() if len(names) == 1 else None
    return family, default


def parse_objects(objects: list[dict[str, Any]]) -> ParsedBundle:
    # imported here: the ANTLR runtime is only needed when a file is actually parsed (not cached)
    from spyscan.indicators.patterns import PatternUnsupported, parse_pattern

    family, default = _attribution(objects)
    entries: list[ParsedEntry] = []
    unsupported: list[ParsedUnsupported] = []
    count = 0
    seen: set[tuple[str, str, str]] = set()
    for position, obj in enumerate(objects):
        if obj.get("type") != "indicator":
            continue
        count += 1
        stix_id = _str(obj, "id") or f"(indicator without id, object #{position})"
        pattern = obj.get("pattern")
        if not isinstance(pattern, str):
            unsupported.append(ParsedUnsupported(stix_id, "", "indicator has no pattern"))
            continue
        pattern_type = obj.get("pattern_type", "stix")
        if pattern_type != "stix":
            unsupported.append(ParsedUnsupported(stix_id, pattern, f"pattern type {pattern_type!r} is not supported"))
            continue
        if obj.get("revoked") is True:
            unsupported.append(ParsedUnsupported(stix_id, pattern, "indicator is revoked"))
            continue
        try:
            comparisons = parse_pattern(pattern)
        except PatternUnsupported as exc:
            unsupported.append(ParsedUnsupported(stix_id, pattern, str(exc)))
            continue
        malware = family.get(stix_id, default)
        for kind, value in comparisons:
            if (stix_id, kind, value) in seen:  # the same indicator object repeated verbatim
                continue
            seen.add((stix_id, kind, value))
            entries.append(ParsedEntry(kind, value, stix_id, malware, _str(obj, "name")))
    families = sorted({e.malware for e in entries if e.malware})
    return ParsedBundle(entries=entries, unsupported=unsupported, families=families, indicator_objects=count)


def parse_bundle_bytes(data: bytes, name: str) -> ParsedBundle:
    """Parse a bundle file's bytes; raises :class:`IndicatorError` if it is not a STIX bundle at all."""
    return parse_objects(bundle_objects(decode_json(data, name), name))
