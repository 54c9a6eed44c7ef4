"""The verdict never overclaims: only indicator matches are called spyware traces."""

from __future__ import annotations

from spyscan.detection.model import Detection, IndicatorRef, Severity
from spyscan.report import terminal_text as tt
from spyscan.report.i18n import gettext_for


def _detection(kind: str, family: str | None, severity: Severity = Severity.HIGH) -> Detection:
    indicator = None
    if kind == "indicator":
        indicator = IndicatorRef(value="x.example", type="domain-name:value", malware=family,
                                 stix_id="indicator--1", file="f.stix2")
    return Detection(id=f"{kind}{family}{severity}", severity=severity, kind=kind, artifact="a", message="m",
                     timestamp=None, observable=None, indicator=indicator, record={})


def test_headlines() -> None:
    t = gettext_for("en")
    assert tt.headline(t, tt.verdict([_detection("indicator", "Pegasus")])) == "Traces of Pegasus found"
    assert tt.headline(t, tt.verdict([_detection("indicator", None)])) == "Traces of spyware found"
    heuristic_only = tt.verdict([_detection("heuristic", None)])
    assert heuristic_only.state == tt.TRACES
    assert tt.headline(t, heuristic_only) == "Signs of possible compromise found"
    medium = tt.verdict([_detection("heuristic", None, Severity.MEDIUM)])
    assert medium.state == tt.REVIEW
    assert tt.headline(t, medium) == "No known traces found, but some findings need a closer look"
    assert tt.headline(t, tt.verdict([_detection("heuristic", None, Severity.LOW)])) == "No known traces found"
    assert tt.verdict([_detection("heuristic", None, Severity.LOW)]).state == tt.CLEAN  # low is context
    es = gettext_for("es")
    assert tt.headline(es, heuristic_only) == "Se encontraron señales de un posible compromiso"
