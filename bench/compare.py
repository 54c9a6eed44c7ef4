"""Compare spyscan's and the reference tool's detections with the ground truth of a generated input.

``python compare.py TRUTH.json SPYSCAN_OUT REFERENCE_OUT [--json SUMMARY.json]``

A planted value counts as *found* by a tool when one of its indicator detections names the planted
indicator value and its record contains the planted value. Every plant declares what each tool should
report (DESIGN §3); a difference between the tools is *explained* when both behaved as declared and
the plant names the §3 rule; anything else is listed as unexplained. Indicator detections that match
no plant are listed too (they would be false positives of the generator or of a tool).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Hit:
    tool: str
    module: str
    indicator: str
    record_text: str


@dataclass
class PlantOutcome:
    id: str
    value: str
    indicator: str
    expect_spyscan: bool
    expect_reference: bool
    found_spyscan: bool
    found_reference: bool | None  # None: the reference was not run
    rule: str

    @property
    def status(self) -> str:
        if self.found_reference is None:
            return "as declared" if self.found_spyscan == self.expect_spyscan else "UNEXPECTED"
        as_declared = (self.found_spyscan == self.expect_spyscan and self.found_reference == self.expect_reference)
        if not as_declared:
            return "UNEXPECTED"
        if self.found_spyscan == self.found_reference:
            return "agree"
        return "explained" if self.rule else "UNEXPLAINED"


@dataclass
class Comparison:
    kind: str
    records: int
    spyscan_indicator_detections: int
    reference_indicator_detections: int
    spyscan_other_findings: int
    reference_other_alerts: int
    plants: list[PlantOutcome] = field(default_factory=list)
    unplanted: list[Hit] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        counts: dict[str, int] = {}
        for p in self.plants:
            counts[p.status] = counts.get(p.status, 0) + 1
        lines = [f"{self.kind} {self.records}: indicator detections spyscan={self.spyscan_indicator_detections} "
                 f"reference={self.reference_indicator_detections}; heuristic findings spyscan="
                 f"{self.spyscan_other_findings} reference={self.reference_other_alerts}",
                 f"  plants: {len(self.plants)} " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))]
        for p in self.plants:
            if p.status not in ("agree", "as declared"):
                lines.append(f"  [{p.status}] {p.id} {p.value!r} (indicator {p.indicator}): spyscan="
                             f"{p.found_spyscan} reference={p.found_reference} -- {p.rule or 'no rule'}")
        for h in self.unplanted:
            lines.append(f"  [UNPLANTED] {h.tool} {h.module} indicator {h.indicator}: {h.record_text[:160]}")
        return lines


def spyscan_hits(out: Path) -> tuple[list[Hit], int]:
    path = out / "detections.json"
    if not path.is_file():
        return [], 0
    detections = json.loads(path.read_text(encoding="utf-8")).get("detections", [])
    hits, other = [], 0
    for d in detections:
        indicator = (d.get("indicator") or {}).get("value")
        if d.get("kind") == "indicator" and indicator:
            hits.append(Hit("spyscan", str(d.get("artifact")), str(indicator),
                            json.dumps(d.get("record"), ensure_ascii=False)))
        else:
            other += 1
    return hits, other


def reference_hits(out: Path) -> tuple[list[Hit], int]:
    hits, other = [], 0
    for path in sorted(out.glob("*_detected.json")):
        try:
            entries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for e in entries:
            indicator = (e.get("matched_indicator") or {}).get("value")
            if indicator:
                hits.append(Hit("reference", str(e.get("module")), str(indicator),
                                json.dumps(e.get("event"), ensure_ascii=False)))
            else:
                other += 1
    return hits, other


def found(plant: dict[str, Any], hits: list[Hit]) -> list[Hit]:
    indicator = str(plant["indicator"]).lower()
    value = json.dumps(plant["value"], ensure_ascii=False)[1:-1]
    return [h for h in hits if h.indicator.lower() == indicator and value in h.record_text]


def compare(truth_path: Path, spyscan_out: Path, reference_out: Path | None) -> Comparison:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    s_hits, s_other = spyscan_hits(spyscan_out)
    r_hits, r_other = reference_hits(reference_out) if reference_out else ([], 0)
    result = Comparison(truth["kind"], truth["records"], len(s_hits), len(r_hits), s_other, r_other)
    matched: set[int] = set()
    for plant in truth["plants"]:
        s, r = found(plant, s_hits), found(plant, r_hits)
        value = json.dumps(plant["value"], ensure_ascii=False)[1:-1]
        # a planted record may also match a parent-domain indicator: still a planted hit, not a stray one
        matched.update(id(h) for h in s_hits + r_hits if value in h.record_text)
        result.plants.append(PlantOutcome(plant["id"], plant["value"], plant["indicator"], plant["expect_spyscan"],
                                          plant["expect_reference"], bool(s),
                                          bool(r) if reference_out else None, plant["rule"]))
    result.unplanted = [h for h in s_hits + r_hits if id(h) not in matched]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("truth", type=Path)
    parser.add_argument("spyscan_out", type=Path)
    parser.add_argument("reference_out", type=Path, nargs="?")
    parser.add_argument("--json", type=Path, help="also write the comparison as JSON")
    args = parser.parse_args(argv)
    result = compare(args.truth, args.spyscan_out, args.reference_out)
    print("\n".join(result.summary_lines()))
    if args.json:
        data = asdict(result)
        data["statuses"] = [p.status for p in result.plants]
        args.json.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
