"""Bugreports: the kind (zip and folder), the shared dumpstate, properties, tombstones, FS/ times."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from builders.bugreport import (
    DUMPSTATE,
    bugreport_files,
    proto_tombstone,
    write_bugreport_folder,
    write_bugreport_zip,
)
from spyscan.artifacts.android.bugreport_fs_timestamps import BugreportFSTimestamps
from spyscan.artifacts.android.bugreport_getprop import BugreportProperties
from spyscan.artifacts.android.bugreport_tombstone_proto import ProtobufError, parse_proto_tombstone
from spyscan.artifacts.android.bugreport_tombstone_text import parse_text_tombstone
from spyscan.artifacts.android.bugreport_tombstones import BugreportTombstones
from spyscan.artifacts.base import ArtifactLog
from spyscan.detection.heuristics.android_tombstone_privileged_crash import TombstonePrivilegedCrash
from spyscan.detection.pipeline import NullMatcher, RecordPipeline
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.android_dumpsys import DumpsysSource
from spyscan.kinds import detect_kind
from spyscan.kinds.bugreport import BugreportEvidence
from spyscan.records.base import SourceRef

CAMPAIGN = "AmnestyTech__investigations/2023-03-29_android_campaign/malware.stix2"


def _open(path: Path, tmp_path: Path) -> BugreportEvidence:
    evidence = BugreportEvidence(path, tmp_path / "work")
    evidence.open()
    return evidence


@pytest.fixture(params=["zip", "folder"])
def generated(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    files = bugreport_files(planted=True)
    if request.param == "zip":
        return write_bugreport_zip(tmp_path / "bugreport.zip", files)
    return write_bugreport_folder(tmp_path / "bugreport", files)


def test_detected(generated: Path) -> None:
    assert detect_kind(generated) == "bugreport"


def test_dumpstate_read_once_and_shared(generated: Path, tmp_path: Path) -> None:
    evidence = _open(generated, tmp_path)
    assert isinstance(evidence, DumpsysSource)
    sections = evidence.dumpsys_sections()
    assert evidence.dumpsys_sections() is sections
    assert "package" in sections and "com.example.app" in sections["package"].text
    assert evidence.dumpstate_name == DUMPSTATE
    assert DUMPSTATE in evidence.inputs
    assert evidence.device_info().model == "Pixel Sample"


def test_properties(generated: Path, tmp_path: Path) -> None:
    records = list(BugreportProperties().collect(_open(generated, tmp_path), ArtifactLog()))
    props = {r.name: r.value for r in records}
    assert props["ro.product.model"] == "Pixel Sample"
    assert props["sys.brand.note"] == "1"
    assert all(r.source.file == DUMPSTATE and r.source.line for r in records)


def test_tombstones(generated: Path, tmp_path: Path) -> None:
    log = ArtifactLog()
    records = {r.source.file.rsplit("/", 1)[-1]: r for r in
               BugreportTombstones().collect(_open(generated, tmp_path), log)}
    assert not log.warnings
    # the text twin of tombstone_01.pb is skipped
    assert set(records) == {"tombstone_00", "tombstone_01.pb", "tombstone_02"}
    adbd = records["tombstone_00"]
    assert (adbd.process_name, adbd.pid, adbd.uid, adbd.signal, adbd.signal_name) == (
        "/system/bin/adbd", 900, 2000, 6, "SIGABRT")
    assert adbd.abort_message == "Check failed: payload.size()"
    assert adbd.timestamp == datetime(2024, 4, 29, 8, 0, tzinfo=UTC)
    pb = records["tombstone_01.pb"]
    assert pb.format == "protobuf" and pb.uid == 0  # proto3: absent uid means 0 (root)
    assert (pb.process_name, pb.pid, pb.tid, pb.signal, pb.signal_name) == (
        "/system/bin/surfaceflinger", 500, 501, 11, "SIGSEGV")
    assert pb.command_line == ["/system/bin/surfaceflinger", "--flag"]
    assert pb.thread_name == "worker" and pb.selinux_label == "u:r:system_server:s0"
    assert pb.timestamp == datetime(2024, 4, 30, 19, 15, 2, 123456, tzinfo=UTC)
    assert records["tombstone_02"].uid == 10123


def test_privileged_crash_heuristic(generated: Path, tmp_path: Path) -> None:
    pipeline = RecordPipeline("android.bugreport.tombstones", NullMatcher(), [TombstonePrivilegedCrash])
    for record in BugreportTombstones().collect(_open(generated, tmp_path), ArtifactLog()):
        pipeline.feed(record)
    messages = sorted(d.message for d in pipeline.finish())
    assert len(messages) == 2
    assert "adbd running as shell (uid 2000) crashed with SIGABRT" in messages[0]
    assert "surfaceflinger running as root (uid 0)" in messages[1]


def test_fs_timestamps_use_the_device_time_zone(tmp_path: Path) -> None:
    path = write_bugreport_zip(tmp_path / "b.zip", bugreport_files(planted=True))
    records = {r.path: r for r in BugreportFSTimestamps().collect(_open(path, tmp_path), ArtifactLog())}
    assert "/data/local/tmp/dropbox" in records and "/data/misc/notes.txt" in records
    note = records["/data/misc/notes.txt"]
    assert note.name == "notes.txt" and note.size == 5
    assert note.time_zone == "Europe/Paris"
    assert note.mtime == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)  # 12:00 CEST
    assert note.mtime_raw == "2024-05-01T12:00:00"


def test_unsafe_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("main_entry.txt", "dumpstate.txt")
        zf.writestr("dumpstate.txt", "x")
        zf.writestr("../../escape", "x")
    with pytest.raises(EvidenceError, match="refused"):
        _open(path, tmp_path)


def test_missing_dumpstate(tmp_path: Path) -> None:
    files = {k: v for k, v in bugreport_files(planted=False).items() if k not in ("main_entry.txt", DUMPSTATE)}
    files["bugreport-x.txt"] = b"no sections"
    evidence = _open(write_bugreport_zip(tmp_path / "b.zip", files), tmp_path)
    assert evidence.dumpsys_sections() == {}
    with pytest.raises(ArtifactNotFound):
        list(BugreportProperties().collect(evidence, ArtifactLog()))


def test_damaged_protobuf_is_a_warning(tmp_path: Path) -> None:
    with pytest.raises(ProtobufError):
        parse_proto_tombstone(b"\x0a\xff\xff", SourceRef(file="x"))
    files = bugreport_files(planted=False)
    files["FS/data/tombstones/tombstone_05.pb"] = b"\x0a\xff\xff"
    log = ArtifactLog()
    records = list(BugreportTombstones().collect(_open(write_bugreport_zip(tmp_path / "b.zip", files), tmp_path),
                                                 log))
    assert len(records) == 3 and any("tombstone_05.pb" in w for w in log.warnings)


def test_proto_builder_roundtrip_with_abort() -> None:
    data = proto_tombstone(process="/system/bin/vold", pid=7, tid=8, uid=1000, signal=6, signal_name="SIGABRT",
                           abort="boom")
    record = parse_proto_tombstone(data, SourceRef(file="t.pb"))
    assert (record.uid, record.abort_message, record.signal_code, record.abi) == (1000, "boom", -6, "arm64")


# -- the mvt sample files --------------------------------------------------------------------------


def test_mvt_sample_tombstone_text_and_protobuf_agree(mvt_samples: Path) -> None:
    folder = mvt_samples / "android_data"
    pb = parse_proto_tombstone((folder / "tombstone_process.pb").read_bytes(), SourceRef(file="pb"))
    text = parse_text_tombstone((folder / "tombstone_process.txt").read_text(), SourceRef(file="txt"))
    assert text is not None
    for record in (pb, text):
        assert record.process_name == "/vendor/bin/hw/android.hardware.media.c2@1.2-mediatek"
        assert (record.pid, record.tid, record.uid) == (25541, 21307, 1046)
        assert record.signal_name == "SIGSEGV" and record.signal_code_name == "SEGV_MAPERR"
        assert record.cause == "null pointer dereference"
        assert record.thread_name == "mtk.ape.decoder"
        assert record.timestamp == datetime(2023, 4, 12, 10, 32, 40, 518290, tzinfo=UTC)
        assert record.build_fingerprint and record.build_fingerprint.startswith("Redmi/rosemary_global")
    assert pb.selinux_label == "u:r:mtk_hal_c2:s0"
    assert pb.command_line == ["/vendor/bin/hw/android.hardware.media.c2@1.2-mediatek"]


def test_mvt_sample_bugreport_folder(mvt_samples: Path, tmp_path: Path) -> None:
    folder = mvt_samples / "android_data" / "bugreport"
    assert detect_kind(folder) == "bugreport"
    evidence = _open(folder, tmp_path)
    assert evidence.dumpstate_name == "dumpstate.txt"
    assert {"appops", "package", "platform_compat"} <= set(evidence.dumpsys_sections())
    with pytest.raises(ArtifactNotFound):  # this sample has no SYSTEM PROPERTIES block
        list(BugreportProperties().collect(evidence, ArtifactLog()))
    tombstones = {r.source.file: r for r in BugreportTombstones().collect(evidence, ArtifactLog())}
    first = tombstones["FS/data/tombstones/tombstone_00"]
    assert (first.process_name, first.thread_name, first.pid, first.tid, first.uid) == (
        "/system/bin/adbd", "UsbFfs-worker", 9850, 9893, 2000)
    assert (first.signal, first.signal_name) == (6, "SIGABRT")
    assert first.abort_message == ("Check failed: payload.size() <= bytes_left (payload.size()=99, "
                                   "bytes_left=51) ")
    assert first.timestamp == datetime(2021, 9, 29, 15, 43, 49, tzinfo=UTC)
    second = tombstones["FS/data/tombstones/tombstone_01"]
    assert (second.process_name, second.uid, second.signal, second.fault_address) == (
        "/vendor/bin/tzts_daemon", 1000, 11, "0xe8b4d14c")
    assert second.timestamp == datetime(2023, 8, 22, 3, 28, 59, tzinfo=UTC)
    files = {r.path for r in BugreportFSTimestamps().collect(evidence, ArtifactLog())}
    assert files == {"/data/tombstones/tombstone_00", "/data/tombstones/tombstone_01"}


# -- whole check -------------------------------------------------------------------------------------


def _check(path: Path, out: Path, iocs: list[Path]) -> dict:  # type: ignore[type-arg]
    options = RunOptions(output=out, indicators=IndicatorOptions(paths=iocs, bundled=False), jobs=2)
    result = check(path, None, options)
    run = json.loads((out / "run.json").read_text())
    run["_detections"] = result.detections
    return run


@pytest.mark.parametrize("planted", [True, False])
def test_check_end_to_end(tmp_path: Path, public_iocs: Path, planted: bool) -> None:
    path = write_bugreport_zip(tmp_path / "bugreport.zip", bugreport_files(planted=planted))
    run = _check(path, tmp_path / "out", [public_iocs / CAMPAIGN])
    assert run["kind"] == "bugreport"
    for artifact in ("android.bugreport.getprop", "android.bugreport.tombstones",
                     "android.bugreport.fs_timestamps"):
        assert run["artifacts"][artifact]["status"] == "ok", run["artifacts"][artifact]
    hits = {(d.observable.type, d.observable.value) for d in run["_detections"]
            if d.kind == "indicator" and d.observable}
    if planted:
        assert hits == {("android_property", "sys.brand.note"), ("file_path", "/data/local/tmp/dropbox")}
    else:
        assert hits == set()
    heuristics = [d for d in run["_detections"] if d.kind == "heuristic"
                  and d.rule == "android.tombstone_privileged_crash"]
    assert len(heuristics) == 2


def test_check_mvt_sample_folder(tmp_path: Path, mvt_samples: Path) -> None:
    run = _check(mvt_samples / "android_data" / "bugreport", tmp_path / "out", [])
    statuses = {k: v["status"] for k, v in run["artifacts"].items()}
    assert "error" not in statuses.values(), statuses
    assert statuses["android.bugreport.tombstones"] == "ok"
    assert run["artifacts"]["android.bugreport.tombstones"]["records"] == 2
    assert statuses["android.bugreport.getprop"] == "not_found"
