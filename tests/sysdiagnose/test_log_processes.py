"""Process names in a sysdiagnose's other text files, matched against the public Pegasus indicators."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from builders.ios_fs import open_evidence, run
from builders.sysdiagnose import SysdiagnoseBuilder, ps_text
from spyscan.artifacts.ios.parsers.log_processes import ProcessTally
from spyscan.artifacts.ios.sysdiagnose_log_processes import SysdiagnoseLogProcesses
from spyscan.kinds.sysdiagnose import SysdiagnoseEvidence

PEGASUS = Path("AmnestyTech__investigations") / "2021-07-18_nso" / "pegasus.stix2"
CLEAN_LOG = (
    "Nov 14 22:13:20 iPhone locationd[123] <Notice>: client connected\n"
    "Nov 14 22:13:21 iPhone SpringBoard(56) <Notice>: scene update\n"
    "2023-11-14 22:13:22.000 process: identityservicesd started /usr/libexec/identityservicesd\n"
    "launched 4321 (mediaserverd) from /System/Library/PrivateFrameworks/X.framework/Support/mediaserverd\n"
    "data at /private/var/mobile/Library/Preferences/com.apple.x.plist\n"
)


def _planted_log() -> str:
    return (CLEAN_LOG
            + "Nov 14 22:14:00 iPhone bh[701] <Notice>: started\n"
            + "Process:             roleaccountd [702]\n"
            + "spawned /private/var/db/com.apple.xpc.roleaccountd.staging/msgacntd --daemon\n"
            + "Nov 14 22:15:00 iPhone bh[701] <Notice>: again\n"
            + "exited 703 (roleaccountd)\n")


def _pegasus_index(public_iocs: Path) -> Any:
    from spyscan.indicators.index import IndicatorIndex
    from spyscan.indicators.sources import load_indicator_set

    feed = public_iocs / PEGASUS
    if not feed.is_file():
        pytest.skip(f"Pegasus indicator file not present at {feed}")
    loaded = load_indicator_set([feed], bundled=False, env=False, user=False)
    names = {i.value for i in loaded.indicators if i.type == "process:name"}
    assert {"bh", "roleaccountd", "msgacntd"} <= names  # the names planted below are in the public feed
    return IndicatorIndex.build(loaded.indicators)


def _archive(tmp_path: Path, log_text: str) -> SysdiagnoseEvidence:
    b = SysdiagnoseBuilder().logarchive_noise()
    b.add_text("ps.txt", ps_text([("root", 1, 0, "/sbin/launchd")]))
    b.add_text("logs/Networking/netdiag.log", log_text)
    b.add_text("logs/MobileContainerManager/containermanagerd.log.0", "x" * 100 + "\n" + log_text)
    b.add_text("crashes_and_spins/bh-2023.ips", '{"bug_type":"109"}\nProcess: bh [1]\n')  # own artifact
    b.add_file("logs/powerlogs/powerlog_2023.PLSQL", b"SQLite format 3\x00" + b"bh[1]" * 10)  # binary: skipped
    b.add_file("logs/other/blob.bin2", b"\x00\x01bh[1]\x00")  # NUL bytes: binary
    ev = open_evidence(SysdiagnoseEvidence, b.build(tmp_path), tmp_path)
    assert isinstance(ev, SysdiagnoseEvidence)
    return ev


def test_planted_pegasus_process_names_are_found_in_every_shape(tmp_path: Path, public_iocs: Path) -> None:
    matcher = _pegasus_index(public_iocs)
    records, detections, log = run(SysdiagnoseLogProcesses, _archive(tmp_path, _planted_log()), matcher)
    assert log.warnings == []
    files = {r.log_file.split("/", 1)[1] for r in records}
    assert files == {"logs/Networking/netdiag.log", "logs/MobileContainerManager/containermanagerd.log.0"}
    by_name = {r.name: r for r in records if r.log_file.endswith("netdiag.log")}
    assert len(by_name) == len([r for r in records if r.log_file.endswith("netdiag.log")])  # one per name
    assert {"locationd", "SpringBoard", "identityservicesd", "mediaserverd"} <= set(by_name)
    assert "com.apple.x.plist" not in by_name and "Preferences" not in by_name
    bh, role, msg = by_name["bh"], by_name["roleaccountd"], by_name["msgacntd"]
    assert (bh.count, bh.first_line, bh.shapes) == (2, 6, ["bracket"])
    assert (role.count, role.first_line, role.shapes) == (2, 7, ["key", "pid_paren"])
    assert msg.paths == ["/private/var/db/com.apple.xpc.roleaccountd.staging/msgacntd"] and msg.shapes == ["path"]
    assert by_name["mediaserverd"].shapes == ["path", "pid_paren"]
    assert by_name["SpringBoard"].shapes == ["paren"]
    container = {r.name: r for r in records if r.log_file.endswith("containermanagerd.log.0")}
    assert container["bh"].first_line == 7  # one more line before the same text
    hits = {(o.source.split(",", 1)[0].rsplit("/", 1)[-1], d.observable.value)
            for d in detections if d.observable for o in d.occurrences}
    assert hits == {(f, n) for f in ("netdiag.log", "containermanagerd.log.0")
                    for n in ("bh", "roleaccountd", "msgacntd")}
    assert sorted(d.observable.value for d in detections if d.observable) == ["bh", "msgacntd", "roleaccountd"]


def test_clean_archive_raises_nothing(tmp_path: Path, public_iocs: Path) -> None:
    matcher = _pegasus_index(public_iocs)
    records, detections, _ = run(SysdiagnoseLogProcesses, _archive(tmp_path, CLEAN_LOG), matcher)
    assert {"locationd", "SpringBoard", "identityservicesd", "mediaserverd"} <= {r.name for r in records}
    assert detections == []


def test_bad_bytes_and_long_lines_are_reported_not_fatal(tmp_path: Path) -> None:
    b = SysdiagnoseBuilder()
    # the long line is letters drawn at random: 2 MiB of one letter would compress like a decompression
    # bomb (over 250 times) and the tar.gz would be refused as one (evidence.archive.ExpansionBudget)
    filler = bytes(random.Random(1).choices(b"abcdefghijklmnopqrstuvwxyz", k=2 << 20))
    b.add_file("logs/x/odd.log", b"caf\xe9 locationd[1]\n" + filler + b" evild[2]\nlast line tccd[3]\n")
    ev = open_evidence(SysdiagnoseEvidence, b.build(tmp_path), tmp_path)
    records, _, log = run(SysdiagnoseLogProcesses, ev, None)
    assert {(r.name, r.first_line) for r in records} == {("locationd", 1), ("tccd", 3)}
    assert len(log.warnings) == 2
    assert any(i.path.endswith("logs/x/odd.log") for i in ev.inputs.items())  # hashed while streamed


def test_first_line_is_the_earliest_occurrence_across_shapes() -> None:
    tally = ProcessTally(10)
    tally.add_block("a\n/usr/libexec/foo x\nfoo[3]\n", first_line=10)
    tally.add_block("foo[4]\nbar(5)\n", first_line=13)
    assert (tally.names["foo"].first_line, tally.names["foo"].count) == (11, 3)
    assert tally.names["bar"].first_line == 14
    small = ProcessTally(1)
    small.add_block("aa[1] bb[2] bb[3]\n", 1)
    assert list(small.names) == ["aa"] and small.dropped == 2


def test_check_reports_the_planted_name_end_to_end(tmp_path: Path, public_iocs: Path) -> None:
    from spyscan.engine import IndicatorOptions, RunOptions, check

    feed = public_iocs / PEGASUS
    if not feed.is_file():
        pytest.skip(f"Pegasus indicator file not present at {feed}")
    b = SysdiagnoseBuilder().logarchive_noise()
    b.add_text("ps.txt", ps_text([("root", 1, 0, "/sbin/launchd")]))
    b.add_text("logs/Networking/netdiag.log", _planted_log())
    (tmp_path / "in").mkdir()
    result = check(b.build(tmp_path / "in"), None, RunOptions(
        output=tmp_path / "out", jobs=1, indicators=IndicatorOptions(paths=[feed], bundled=False)))
    assert result.run.artifacts["ios.sysdiagnose.log_processes"].status == "ok"
    hits = {d.observable.value for d in result.detections
            if d.artifact == "ios.sysdiagnose.log_processes" and d.observable}
    assert hits == {"bh", "roleaccountd", "msgacntd"}
