#!/usr/bin/env python3
"""Regenerate the bundled indicator set's MANIFEST.json and compiled.msgpack from the shipped feeds.

Usage: python tools/build_bundled_iocs.py [--version 2026.11.29] [--index path/to/indicators.yaml]

Provenance (repository, commits, licence) comes from the table below, or is kept from the existing
manifest for files not in the table; feed names come from --index (an MVT-style feed index), the
existing manifest, or the bundle's malware object, in that order.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

from spyscan.indicators.bundled_set import (
    CATEGORIES_PATH,
    COMPILED_PATH,
    ECHAP_DIR,
    ECHAP_SNAPSHOT,
    FEEDS_DIR,
    MANIFEST_PATH,
    compile_categories,
    compile_feeds,
    encode_compiled,
    read_manifest,
)
from spyscan.indicators.categories import IOC_FILE, REPOSITORY, WATCHWARE_FILE, encode_categories
from spyscan.indicators.feeds import parse_feed_index

REPOSITORIES: dict[str, dict[str, str]] = {
    "AmnestyTech/investigations": {
        "snapshot_commit": "3d8f248a0d015f183724ae7d096a5c46a8bb5fc7",
        "licence": "CC-BY (stated in the repository README)",
    },
    "mvt-project/mvt-indicators": {
        "snapshot_commit": "e035f4fbdb8aedb46a27bcdd4b1c6179d22301ad",
        "licence": "MIT (LICENSE file in the repository)",
    },
    "AssoEchap/stalkerware-indicators": {
        "snapshot_commit": "8c70e6ffa6504cb5985af795777479e7815f09da",
        "licence": "CC-BY 4.0 (stated in the repository README)",
    },
}

LAST_COMMITS: dict[str, str] = {
    "AmnestyTech/investigations/2021-07-18_nso/pegasus.stix2": "ce13c36230ce70c30446ded10aa16028d926b34f",
    "AmnestyTech/investigations/2021-12-16_cytrox/cytrox.stix2": "5df7b4846d5d6e2376c7ed6b52eb07c840702003",
    "AmnestyTech/investigations/2023-03-29_android_campaign/malware.stix2": (
        "9779d6251a2f9dcdb7e00beea8d69ef8d610bd94"
    ),
    "AmnestyTech/investigations/2024-05-02_wintego_helios/wintego_helios.stix2": (
        "4594c464c85794ea98570dff84135334acef7f48"
    ),
    "AmnestyTech/investigations/2024-12-16_serbia_novispy/novispy.stix2": "91029cdd07faec922922340ed4b33028422fe6d5",
    "AssoEchap/stalkerware-indicators/generated/stalkerware.stix2": "8c70e6ffa6504cb5985af795777479e7815f09da",
    "mvt-project/mvt-indicators/2022-06-23_rcs_lab/rcs.stix2": "4931c1603c9bebc15f47211c5911ec6a4db0e9d6",
    "mvt-project/mvt-indicators/2023-04-11_quadream/kingspawn.stix2": "68275f239af4c399ed53a86cafb8c84a11a7db9f",
    "mvt-project/mvt-indicators/2023-06_01_operation_triangulation/operation_triangulation.stix2": (
        "908f9ef47dfe96ed96b5872d510a483d8141f1b4"
    ),
    "mvt-project/mvt-indicators/2023-07-25_wyrmspy_dragonegg/wyrmspy_dragonegg.stix2": (
        "3d402e9c2e23393ce4b2e921d8f76668183cc3ea"
    ),
    "mvt-project/mvt-indicators/2024-12-25_eaglemsgspy/eaglemsgspy.stix2": "bf3e4842db12e53153a0e2f40d72b11b95e93e25",
    "mvt-project/mvt-indicators/2026-03-03_coruna_cryptowaters/coruna.stix2": (
        "e158956e063bbca84c8a3fc83569420ec225bfd0"
    ),
    "mvt-project/mvt-indicators/2026-03-30_darksword/darksword.stix2": "76324a0ac13097518aff4e20da441ad797d2ecbb",
    "mvt-project/mvt-indicators/ResidentBat/residentbat.stix2": "cee96ddb1d0fac15f56320df9c0fe2a16384897a",
    "mvt-project/mvt-indicators/candiru/candiru.stix2": "23d6ced3e9c758a1b74434ff70d28e6ee0e85749",
    "mvt-project/mvt-indicators/cellebrite/cellebrite.stix2": "83f270eec768414c5c35598b92a81601591e1133",
    "mvt-project/mvt-indicators/intellexa_predator/predator.stix2": "0d6b51943909051e98d7ec222b5bd9afca36081e",
}


# Echap's source files, bundled for the categories of its STIX values (spyscan.indicators.categories)
CATEGORY_FILES: dict[str, str] = {
    IOC_FILE: "a04c5c1958bff93fec3b1b56edbb412b209f2a38",
    WATCHWARE_FILE: "e276cf701a200724ed6cbbd303ff9b373ed2f525",
}


def category_entries() -> list[dict[str, Any]]:
    entries = []
    for name, last_commit in CATEGORY_FILES.items():
        path = ECHAP_DIR / name
        entries.append({
            "local_path": f"feeds/{path.relative_to(FEEDS_DIR).as_posix()}",
            "repository": REPOSITORY,
            "path_in_repository": name,
            "snapshot_commit": ECHAP_SNAPSHOT,
            "last_commit_touching_file": last_commit,
            "licence": REPOSITORIES[REPOSITORY]["licence"],
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "use": "categories of the Echap STIX values (website, distribution, c2; stalkerware or watchware)",
        })
    return entries


def index_names(index: Path | None) -> dict[str, str]:
    if index is None:
        return {}
    return {feed.file: feed.name for feed in parse_feed_index(index.read_bytes(), str(index))}


def build(version: str | None, index: Path | None) -> dict[str, Any]:
    old = read_manifest()
    old_files = {f["local_path"]: f for f in old.get("files", []) if isinstance(f, dict) and "local_path" in f}
    version = version or str(old.get("version", "unknown"))
    names = index_names(index)
    categories = compile_categories()
    CATEGORIES_PATH.write_bytes(encode_categories(categories) + b"\n")
    compiled = compile_feeds(version, categories)
    files = []
    for item in compiled.files:
        owner, repo, path = item.file.split("/", 2)
        repository = f"{owner}/{repo}"
        previous = old_files.get(f"feeds/{item.file}", {})
        repo_info = REPOSITORIES.get(repository, {})
        families = item.parsed.families
        files.append(
            {
                "local_path": f"feeds/{item.file}",
                "feed": names.get(item.file) or previous.get("feed") or (", ".join(families) or item.file),
                "in_mvt_index": item.file in names if names else previous.get("in_mvt_index", False),
                "repository": repository,
                "path_in_repository": path,
                "snapshot_commit": repo_info.get("snapshot_commit") or previous.get("snapshot_commit"),
                "last_commit_touching_file": LAST_COMMITS.get(item.file) or previous.get("last_commit_touching_file"),
                "licence": repo_info.get("licence") or previous.get("licence"),
                "sha256": item.sha256,
                "indicator_objects": item.parsed.indicator_objects,
                "indicators": len(item.parsed.entries),
                "unsupported": len(item.parsed.unsupported),
                "families": families,
            }
        )
    COMPILED_PATH.write_bytes(encode_compiled(compiled))
    manifest = {
        "version": version,
        "parser_version": compiled.parser_version,
        "description": "STIX2 indicator feeds shipped with spyscan; see ATTRIBUTION.md for credits and licences.",
        "files": files,
        "categories": category_entries(),
    }
    MANIFEST_PATH.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--version", help="set version, e.g. 2026.11.29 (default: keep the current one)")
    parser.add_argument("--index", type=Path, help="MVT-style feed index YAML, for feed names")
    args = parser.parse_args()
    manifest = build(args.version, args.index)
    total = sum(f["indicators"] for f in manifest["files"])
    print(f"{len(manifest['files'])} feeds, {total} indicators, version {manifest['version']} ({FEEDS_DIR})")


if __name__ == "__main__":
    main()
