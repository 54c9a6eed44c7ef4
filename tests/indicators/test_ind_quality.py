"""Indicator values that cannot mean what they say are rejected at load, reported, and never matched."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import yaml
from click.testing import CliRunner

from spyscan.commands.iocs import iocs
from spyscan.engine import IndicatorOptions
from spyscan.engine.run import load_indicators
from spyscan.indicators.index import IndicatorIndex
from spyscan.indicators.model import Indicator
from spyscan.indicators.quality import NO_SUFFIX, PUBLIC_SUFFIX, SHARED_HOST, domain_problem
from spyscan.indicators.sources import load_indicator_set
from spyscan.observables import Obs

PREDATOR = "mvt-project__mvt-indicators/intellexa_predator/predator.stix2"
SHARED = ("firebaseio.com", "appspot.com", "amazonaws.com", "cloudfront.net", "azurewebsites.net",
          "windows.net", "googleusercontent.com", "herokuapp.com", "duckdns.org", "azure.com")


def test_predator_domain_without_suffix_is_rejected_and_reported(public_iocs: Path) -> None:
    loaded = load_indicators(IndicatorOptions(paths=[public_iocs / PREDATOR], bundled=False))
    rejected = {u.pattern: u.reason for u in loaded.unsupported}
    assert rejected["[domain-name:value = 'despachosnegocios']"].startswith("rejected: " + NO_SUFFIX)
    assert "[domain-name:value = 'peticaonline.comv']" in rejected and "[domain-name:value = 'amazing.lab']" in rejected
    for observed in ("http://despachosnegocios/", "despachosnegocios", "https://despachosnegocios.com/x"):
        assert loaded.matcher.match(Obs.URL if "/" in observed else Obs.DOMAIN, observed) == []
    assert loaded.matcher.match(Obs.TEXT, "ver despachosnegocios ahora") == []


def test_validate_reports_the_rejection(public_iocs: Path) -> None:
    result = CliRunner().invoke(iocs, ["validate", str(public_iocs / PREDATOR)])
    assert result.exit_code == 1
    assert "despachosnegocios" in result.output and "without a public suffix" in result.output


def _shared_hosting_values(public_iocs: Path) -> set[str]:
    """Every domain of the public feeds (STIX files and Echap's ioc.yaml) under shared hosting."""
    values: set[str] = set()
    for path in public_iocs.rglob("*.stix2"):
        values.update(v.lower() for v in re.findall(r"domain-name:value\s*=\s*'([^']*)'", path.read_text()))
    for entry in yaml.safe_load((public_iocs / "AssoEchap__stalkerware-indicators/ioc.yaml").read_text()):
        values.update(v.lower() for v in entry.get("websites") or [])
        values.update(v.lower() for v in (entry.get("c2") or {}).get("domains") or [])
    return {v for v in values if any(v.endswith("." + s) for s in SHARED)}


def test_shared_hosting_indicators_are_never_widened(public_iocs: Path) -> None:
    values = _shared_hosting_values(public_iocs)
    assert len(values) > 100  # field research §1.A A4 counted 115
    indicators = [Indicator(type="domain-name:value", value=v, stix_id=f"indicator--{i}", malware="M", file="f")
                  for i, v in enumerate(sorted(values)) if domain_problem(v) is None]
    index = IndicatorIndex.build(indicators)
    for value in values:
        parent = value.split(".", 1)[1]
        sibling = "unrelated-customer-0." + parent
        assert index.match(Obs.DOMAIN, parent) == [], parent
        assert index.match(Obs.DOMAIN, sibling) == [], sibling
        assert index.match(Obs.URL, f"https://{sibling}/") == [], sibling
    kept = {i.value for i in indicators}
    assert all(index.match(Obs.DOMAIN, "x." + v) for v in kept)


def test_shared_hosts_and_hosting_names_are_rejected() -> None:
    assert domain_problem("waws-prod-blu-247.sip.azurewebsites.windows.net") == SHARED_HOST
    assert domain_problem("waws-prod-blu-247-e7b3.eastus.cloudapp.azure.com") == SHARED_HOST
    for name in ("firebaseio.com", "appspot.com", "cloudfront.net", "amazonaws.com", "duckdns.org", "co.uk"):
        assert domain_problem(name) == PUBLIC_SUFFIX, name
    for name in ("microtracker-1ca43.firebaseio.com", "1ca43.appspot.com", "178.63.71.15", "evil.example",
                 "fgr1w2gnsdvsb.xyz/x", "xn--bcher-kva.example", "bücher.de"):
        assert domain_problem(name) is None, name


def test_bundled_rejections_are_reported_in_the_run() -> None:
    loaded = load_indicators(IndicatorOptions(paths=[], bundled=True))
    reasons = {u.pattern: u.reason for u in loaded.unsupported}
    assert "[domain-name:value = 'despachosnegocios']" in reasons
    assert reasons["[domain-name:value = 'waws-prod-blu-247.sip.azurewebsites.windows.net']"].endswith(SHARED_HOST)


def test_a_url_written_as_a_domain_is_matched_as_that_url(write_bundle: Callable[..., Path]) -> None:
    """Echap's ioc.yaml lists GitHub pages among distribution sites: never all of github.com."""
    feed = write_bundle("f.stix2", ["[domain-name:value='https://github.com/karma9874/androrat']",
                                    "[domain-name:value='fgr1w2gnsdvsb.xyz/x']"])
    index = IndicatorIndex.build(load_indicator_set([feed], bundled=False).indicators)
    assert index.match(Obs.URL, "https://github.com/mvt-project/mvt") == []
    assert index.match(Obs.DOMAIN, "github.com") == []
    assert [m.quality for m in index.match(Obs.URL, "https://github.com/karma9874/androrat")] == ["exact"]
    assert [m.quality for m in index.match(Obs.URL, "http://fgr1w2gnsdvsb.xyz/x")] == ["exact"]
    assert json.dumps([m.indicator.value for m in index.match(Obs.DOMAIN, "fgr1w2gnsdvsb.xyz/x")]) == \
        '["fgr1w2gnsdvsb.xyz/x"]'
