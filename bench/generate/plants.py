"""Indicator values to plant, read from the same STIX2 files both tools get, and the ground-truth file.

The STIX reading here is deliberately minimal (single ``[type:prop = 'value']`` comparisons) and
independent of spyscan's loader: the benchmark must not trust the code it measures.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from publicsuffixlist import PublicSuffixList

COMPARISON = re.compile(r"\[([a-z0-9-]+):([A-Za-z0-9_.']+) *= *'([^']*)'\]")
# Public URL shorteners: the reference tool resolves them over the network, so they are never planted.
SHORTENER_HINTS = ("short", "bit.ly", "tinyurl", "goo.gl", "t.co", "ow.ly", "is.gd", "cutt", "link")

# Public and private suffixes come from the Public Suffix List (the pinned ``publicsuffixlist`` package,
# used directly: the benchmark does not trust spyscan's own code), never from a hand-kept list.
_PSL = PublicSuffixList(accept_unknown=False)


# The platform of each public feed (``platform``: "ios", "android" or null), read as data from the file
# spyscan ships; the generator plants a device value (process, file name, app id) only on the platform its
# feed is about, because an indicator scoped to another platform is never matched (issue 19), by design.
FEED_PROFILES = Path(__file__).resolve().parents[2] / "src/spyscan/indicators/bundled/feed_profiles.json"


def feed_platform(path: Path) -> str | None:
    text = path.as_posix()
    for feed in json.loads(FEED_PROFILES.read_text(encoding="utf-8"))["feeds"]:
        if text.endswith(feed["path"]):
            return str(feed["platform"]) if feed.get("platform") else None
    return None


@dataclass(frozen=True)
class FeedValues:
    domains: list[str]
    processes: list[str]
    file_names: list[str]
    app_ids: list[str]
    emails: list[str]
    file_paths: list[str]
    properties: list[str]
    platforms: dict[str, set[str | None]] = field(default_factory=dict)  # value -> its feeds' platforms

    def on(self, values: list[str], platform: str) -> list[str]:
        """The values that some feed not scoped to another platform lists."""
        return [v for v in values if any(p in (None, platform) for p in self.platforms.get(v, {None}))]

    def only(self, values: list[str], platform: str) -> list[str]:
        """The values that only feeds about ``platform`` list."""
        return [v for v in values if self.platforms.get(v) == {platform}]


def stix_files(feeds_dir: Path) -> list[Path]:
    return sorted(p for p in feeds_dir.rglob("*") if p.suffix in (".stix2", ".json") and p.is_file())


def read_feed_values(files: list[Path]) -> FeedValues:
    found: dict[str, set[str]] = {}
    platforms: dict[str, set[str | None]] = {}
    for path in files:
        platform = feed_platform(path)
        for obj in json.loads(path.read_text(encoding="utf-8")).get("objects", []):
            if obj.get("type") != "indicator":
                continue
            for kind, prop, value in COMPARISON.findall(str(obj.get("pattern", ""))):
                found.setdefault(f"{kind}:{prop}", set()).add(value)
                platforms.setdefault(value, set()).add(platform)

    def plain(values: set[str]) -> list[str]:
        return sorted(v for v in values if v and v.isascii() and " " not in v)

    domains = [d for d in plain(found.get("domain-name:value", set()))
               if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", d) and not any(h in d for h in SHORTENER_HINTS)]
    return FeedValues(domains=domains, processes=plain(found.get("process:name", set())),
                      file_names=plain(found.get("file:name", set())), app_ids=plain(found.get("app:id", set())),
                      emails=plain(found.get("email-addr:value", set())),
                      file_paths=plain(found.get("file:path", set())),
                      properties=plain(found.get("android-property:name", set())), platforms=platforms)


@dataclass(frozen=True)
class Plant:
    """One planted value and what each tool is expected to report for it.

    ``expect_spyscan``/``expect_reference`` encode DESIGN §3; ``rule`` names the clause that explains
    any expected difference (empty when both tools should agree)."""

    id: str
    source: str        # database or file inside the acquisition
    table: str
    rowid: int
    value: str         # the planted text (URL, host, process name...)
    indicator: str     # the indicator value it should (or should not) match
    ioc_type: str
    expect_spyscan: bool
    expect_reference: bool
    rule: str = ""


@dataclass
class GroundTruth:
    kind: str
    records: int
    seed: int
    plants: list[Plant] = field(default_factory=list)

    def write(self, path: Path) -> None:
        data = {"kind": self.kind, "records": self.records, "seed": self.seed,
                "plants": [asdict(p) for p in self.plants]}
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")


class Picker:
    """Deterministic choice of indicator values for one generated input."""

    def __init__(self, values: FeedValues, seed: int) -> None:
        self.values = values
        self.rng = random.Random(seed)

    def registrable_domain(self) -> str:
        return self.rng.choice([d for d in self.values.domains if d.count(".") == 1 and d[0] != "w"])

    def subdomain_indicator(self) -> str:
        """An indicator that is itself a subdomain (``a.evil.com``): matched by its own subdomains."""
        known = set(self.values.domains)

        def parents(d: str) -> list[str]:
            labels = d.split(".")
            return [".".join(labels[i:]) for i in range(1, len(labels) - 1)]

        def registrable_itself(d: str) -> bool:  # "x.com.ar", "x.cloudfunctions.net": right under a suffix
            return _PSL.privatesuffix(d) in (None, d)

        return self.rng.choice([d for d in self.values.domains if d.count(".") >= 2 and not d.startswith("www.")
                                and not registrable_itself(d)
                                and not any(p in known or f"www.{p}" in known for p in parents(d))])

    def process(self, platform: str) -> str:
        return self.rng.choice([p for p in self.values.on(self.values.processes, platform)
                                if len(p) < 15 and "/" not in p])

    def process_only(self, platform: str) -> str:
        """A process name that only feeds about ``platform`` list (a trap for the other platform)."""
        return self.rng.choice([p for p in self.values.only(self.values.processes, platform)
                                if len(p) < 15 and "/" not in p])

    def file_name(self, platform: str) -> str:
        return self.rng.choice(self.values.on(self.values.file_names, platform))

    def app_id(self, platform: str) -> str:
        return self.rng.choice(self.values.on(self.values.app_ids, platform))

    def android_path(self) -> str:
        return self.rng.choice([p for p in self.values.file_paths if p.startswith("/data/") and len(p) > 8])

    def android_property(self) -> str:
        return self.rng.choice(self.values.properties)

    def email(self) -> str:
        return self.rng.choice(self.values.emails)
