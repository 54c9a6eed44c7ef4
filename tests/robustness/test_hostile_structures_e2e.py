"""End to end: a planted hostile structure ends its artifact as ``truncated`` (or a warning) within a small
time and memory bound, and the traces next to it are still found.

Each check runs ``engine.check`` (bundled indicators) in a child interpreter (``bounded.measured``: peak
RSS and wall time of that process, with an address-space limit so that a blow-up fails fast).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders.androidqf import build_androidqf, package
from tests.builders.intrusion_logs import export_files, write_folder
from tests.builders.ios_backup import BackupBuilder
from tests.robustness import plists as P
from tests.robustness.bounded import baseline_rss_mb, measured

ENDLESS = 256 << 20  # a 256 MiB line without a line break (a sparse file: free to create)
SLACK_MB = 120  # peak memory allowed above an idle interpreter that imported spyscan


def _check_in_child(evidence: Path, out: Path) -> tuple[float, float, dict[str, object]]:
    seconds, rss, stdout = measured(f"""
        import json
        from pathlib import Path
        from spyscan.engine import IndicatorOptions, RunOptions, check
        result = check(Path({str(evidence)!r}), None, RunOptions(output=Path({str(out)!r}),
                       indicators=IndicatorOptions(bundled=True), jobs=1))
        print(json.dumps({{"exit": result.exit_code,
                          "status": {{k: [v.status, v.error, v.warnings] for k, v in result.run.artifacts.items()}},
                          "hits": sorted({{d.observable.value for d in result.detections if d.observable}})}}))
    """, timeout=180)
    return seconds, rss, json.loads(stdout.splitlines()[-1])


def test_an_endless_ndjson_line_in_androidqf_files_json(tmp_path: Path) -> None:
    acq = build_androidqf(tmp_path / "acq", packages=[package("com.apspy.app", installer=None)], files_ndjson=True)
    with (acq / "files.json").open("r+b") as fh:  # the NDJSON file then ends with an endless line
        fh.seek(0, 2)
        fh.truncate(fh.tell() + ENDLESS)
    (acq / "hashes.csv").unlink()  # its hash of files.json no longer holds
    seconds, rss, run = _check_in_child(acq, tmp_path / "out")
    status = run["status"]["android.androidqf.files"]  # type: ignore[index]
    assert status[0] == "truncated" and "line(s) longer than 1048576 bytes" in status[1], status
    assert "com.apspy.app" in run["hits"]  # type: ignore[operator]
    assert rss < baseline_rss_mb() + SLACK_MB, f"peak RSS {rss:.0f} MiB"
    assert seconds < 60


def test_deep_json_and_an_endless_line_in_intrusion_logs(tmp_path: Path) -> None:
    files = export_files(planted=True)
    files["2024-06-03.txt"] = b"[" * 200_000  # a JSON array file nested too deep
    folder = write_folder(tmp_path / "logs", files)
    with (folder / "2024-06-04.txt").open("wb") as fh:
        fh.write(b'{"dns_event": {"hostname": "x.example.org", "event_time": 1717236000000}}\n')
        fh.truncate(fh.tell() + ENDLESS)
    seconds, rss, run = _check_in_child(folder, tmp_path / "out")
    status = run["status"]["android.intrusion.dns"]  # type: ignore[index]
    assert status[0] == "truncated", status
    text = " ".join(status[2])
    assert "2024-06-03.txt: JSON nested too deep to read" in text and "2024-06-04.txt: 1 line(s) longer" in text
    assert "cdn.weather4free.com" in run["hits"] or "weather4free.com" in run["hits"]  # type: ignore[operator]
    assert rss < baseline_rss_mb() + SLACK_MB, f"peak RSS {rss:.0f} MiB"
    assert seconds < 60


def test_deep_cyclic_and_exploding_plists_in_an_ios_backup(tmp_path: Path) -> None:
    b = BackupBuilder(tmp_path / "backup")
    prefs = "Library/Preferences"
    b.add_file("HomeDomain", f"{prefs}/.GlobalPreferences.plist", P.xml_nested(2_000_000))  # 25 MB of <array>
    b.add_file("RootDomain", "Library/Caches/locationd/clients.plist", P.self_containing())
    b.add_file("HomeDomain", f"{prefs}/com.apple.osanalytics.addaily.plist", P.doubling(200))
    b.add_plist("HomeDomain", f"{prefs}/com.apple.identityservices.idstatuscache.plist", {
        "com.apple.madrid": {"mailto:bogaardlisa803@gmail.com": {"LookupDate": 650000000.0}}})  # Pegasus e-mail
    seconds, rss, run = _check_in_child(b.build(), tmp_path / "out")
    status = run["status"]  # type: ignore[assignment]
    assert status["ios.global_preferences"][0] == "truncated"  # type: ignore[index]
    assert "nests deeper than 200 levels" in status["ios.global_preferences"][1]  # type: ignore[index]
    assert status["ios.osanalytics_addaily"][0] == "truncated"  # type: ignore[index]
    assert status["ios.locationd_clients"][0] == "warning"  # type: ignore[index]  # a cycle is damage
    assert "reference cycle" in " ".join(status["ios.locationd_clients"][2])  # type: ignore[index]
    assert "bogaardlisa803@gmail.com" in run["hits"]  # type: ignore[operator]
    assert rss < baseline_rss_mb() + SLACK_MB, f"peak RSS {rss:.0f} MiB"
    assert seconds < 60
