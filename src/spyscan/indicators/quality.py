"""Indicator values that cannot mean what they say are rejected when a file is loaded, with the reason.

Rejected values are never matched, not even loosely; they are listed with the file's unusable patterns
(``run.json`` ``unsupported_indicators``, ``spyscan iocs list`` and ``spyscan iocs validate``). The rules
and the public reports behind them are in ``docs/false-alarms.md``:

* a domain with no public suffix (``despachosnegocios`` in a public Predator file, ``amazing.lab``): no
  such name exists on the internet, and a tool that falls back to substring search raises false alarms;
* a domain that is itself a public suffix or the name of a hosting service whose subdomains belong to
  unrelated customers (``appspot.com``, ``firebaseio.com``...): it would match every customer;
* a host that serves many unrelated sites at once (an Azure App Service scale unit): a hit does not tell
  which site was reached.
"""

from __future__ import annotations

import msgspec

from spyscan import domains
from spyscan.indicators.normalize import extract_host, norm_ip
from spyscan.indicators.stix import ParsedBundle, ParsedEntry, ParsedUnsupported

NO_SUFFIX = "domain without a public suffix (no such name on the internet): never matched"
PUBLIC_SUFFIX = "the name of shared hosting or a public suffix: it would match every site under it"
SHARED_HOST = "a host shared by unrelated sites: a hit would not tell which site was reached"
# Top-level names reserved for documentation and testing (RFC 2606 §2): no public suffix, but accepted, so
# that examples and test indicators load; no real host can carry them.
RESERVED_FOR_TESTS = ("example", "test")


def domain_problem(value: str) -> str | None:
    """Why a ``domain-name`` indicator value cannot be used, or None when it can."""
    text = value.strip()
    if norm_ip(text) is not None:
        return None  # an IP address listed as a domain name is matched as an IP address
    host = extract_host(text) if ("/" in text or ":" in text) else text
    if host is None or norm_ip(host) is not None:
        return None  # left to the index (an unusable value is reported there)
    if domains.domain_name(host) is None:
        return None
    if domains.public_suffix(host) is None:
        name = domains.domain_name(host) or ""
        return None if name.rpartition(".")[2] in RESERVED_FOR_TESTS and "." in name else NO_SUFFIX
    kind = domains.shared_hosting(host)
    if kind == domains.PARENT:
        return PUBLIC_SUFFIX
    if kind == domains.SHARED:
        return SHARED_HOST
    return None


def entry_problem(entry: ParsedEntry) -> str | None:
    """Why an entry is rejected (only domain names are checked: a URL indicator only ever matches the same
    URL, never its host, so it cannot be widened)."""
    return domain_problem(entry.value) if entry.type == "domain-name:value" else None


def pattern_of(entry: ParsedEntry) -> str:
    value = entry.value.replace("\\", "\\\\").replace("'", "\\'")
    return f"[{entry.type} = '{value}']"


def check_bundle(parsed: ParsedBundle) -> ParsedBundle:
    """``parsed`` without the entries rejected here; each rejection joins ``unsupported`` with its reason."""
    kept: list[ParsedEntry] = []
    rejected: list[ParsedUnsupported] = []
    for entry in parsed.entries:
        problem = entry_problem(entry)
        if problem is None:
            kept.append(entry)
        else:
            rejected.append(ParsedUnsupported(entry.stix_id, pattern_of(entry), f"rejected: {problem}"))
    if not rejected:
        return parsed
    return msgspec.structs.replace(parsed, entries=kept, unsupported=[*parsed.unsupported, *rejected])
