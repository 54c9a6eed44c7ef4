"""Output folders as written by the engine, built from the models, with hostile and personal strings."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from spyscan.detection.model import Detection, DetectionsFile, IndicatorRef, ObservableRef, Severity
from spyscan.evidence.custody import InputFile
from spyscan.indicators.model import IndicatorFile, Unsupported
from spyscan.records.device import DeviceFacts
from spyscan.report.runfile import ArtifactStatus, RunInfo, write_json
from spyscan.timeline.rows import HEADER, guard_cell

REPO = Path(__file__).resolve().parents[2]
PEGASUS_FILE = "AmnestyTech/investigations/2021-07-18_nso/pegasus.stix2"
PEGASUS_SHA = "df1bcaa78abc7b85781b1ebc2daa3cc225371e2024d9ef96e84f80f927256586"
STALKER_FILE = "AssoEchap/stalkerware-indicators/generated/stalkerware.stix2"

# values that must never be active in the report
SCRIPT = "<script>alert('pwned')</script>"
JS_URL = "javascript:alert(document.cookie)"
IMG = '<img src="https://tracker.example.net/p.gif" onerror="alert(1)">'
RLO = "invoice\u202egpj.exe"
# personal values that must not survive redaction
PHONE = "+52 55 1234 5678"
PHONE_COMPACT = "+525512345678"
EMAIL = "maria.lopez@example.org"
CONTACT = "María López Hernández"
SMS_TEXT = "Hola María, nos vemos mañana en la marcha a las 5"
LAT, LON = 17.0654321, -96.7234567
DEVICE_NAME = "iPhone de Marisol"
SERIAL = "F2LXK9ABCDEF"
IMEI = "356938035643809"
CASE = "case-001"
EVIL_DOMAIN = "free247downloads.com"
EVIL_URL = f"https://{EVIL_DOMAIN}/track/8f3kq2?target=victim77"


@dataclass
class Built:
    out: Path
    run: RunInfo
    detections: list[Detection]


def _source(file: str, table: str | None = None, rowid: int | None = None) -> dict[str, object]:
    source: dict[str, object] = {"file": file}
    if table:
        source["table"] = table
    if rowid is not None:
        source["rowid"] = rowid
    return source


def make_detections() -> list[Detection]:
    sms_record = {
        "record_type": "ios.sms",
        "source": _source("HomeDomain/Library/SMS/sms.db", "message", 41),
        "recovered": False,
        "handle": PHONE,
        "contact_name": CONTACT,
        "text": f"{SMS_TEXT} {EVIL_URL} {SCRIPT} {RLO}",
        "date": "2024-05-20T08:00:00Z",
        "email": EMAIL,
    }
    pegasus = Detection(
        id="a" * 20, severity=Severity.CRITICAL, kind="indicator", artifact="ios.sms",
        message=f"text {EVIL_URL!r} matches Pegasus indicator domain-name:value = {EVIL_DOMAIN!r} [url-host]",
        timestamp="2024-05-20T08:00:00Z",
        observable=ObservableRef(type="url", value=EVIL_URL),
        indicator=IndicatorRef(value=EVIL_DOMAIN, type="domain-name:value", malware="Pegasus",
                               stix_id="indicator--11111111-2222-3333-4444-555555555555", file=PEGASUS_FILE),
        record=sms_record, match="url-host",
    )
    location_record = {
        "record_type": "ios.location",
        "source": _source("RootDomain/Library/Caches/locationd/cache_encryptedB.db", "Location", 7),
        "latitude": LAT, "longitude": LON, "place_name": "Calle Reforma 12, Oaxaca",
        "timestamp": "2024-05-20T08:05:00Z",
    }
    heuristic = Detection(
        id="b" * 20, severity=Severity.MEDIUM, kind="heuristic", artifact="ios.location",
        message=f"process {SCRIPT} used location {LAT},{LON} right after a message from {PHONE_COMPACT} ({EMAIL})",
        timestamp="2024-05-20T08:05:00Z", observable=ObservableRef(type="process", value="bh"),
        indicator=None, record=location_record, rule="ios.process_after_sms",
        why=f"Spyware often runs right after an exploit message {SCRIPT}",
    )
    app_record = {
        "record_type": "android.package",
        "source": _source("packages.json", rowid=3),
        "name": "com.hostile.app",
        "label": IMG,
        "installer": JS_URL,
        "first_install_time": "2024-03-02T10:15:00Z",
        "long": "x" * 2000,
    }
    stalker = Detection(
        id="c" * 20, severity=Severity.HIGH, kind="indicator", artifact="androidqf.packages",
        message=f"name 'com.hostile.app' matches TheTruthSpy indicator app:id = 'com.hostile.app' {IMG}",
        timestamp=None, observable=ObservableRef(type="app_id", value="com.hostile.app"),
        indicator=IndicatorRef(value="com.hostile.app", type="app:id", malware="TheTruthSpy",
                               stix_id="indicator--99999999-2222-3333-4444-555555555555", file=STALKER_FILE),
        record=app_record, match="exact",
    )
    return [pegasus, stalker, heuristic]


def make_run(out: Path, finished: bool = True) -> RunInfo:
    return RunInfo(
        tool="spyscan", version="0.1.0",
        command=["spyscan", "check", f"/home/analyst/cases/{CONTACT}/backup", "-o", str(out), "--lang", "es"],
        started="2024-06-01T10:00:00Z", finished="2024-06-01T10:03:12Z" if finished else None,
        kind="ios-backup", input=f"/home/analyst/cases/{CONTACT}/backup",
        inputs=[
            InputFile(f"/home/analyst/cases/{CONTACT}/backup/Manifest.db", 4096, "1" * 64),
            InputFile(f"/home/analyst/cases/{CONTACT}/backup", 123456, "2" * 64),
        ],
        indicators=[
            IndicatorFile(file=PEGASUS_FILE, sha256=PEGASUS_SHA, count=1549, source="bundled", families=("Pegasus",)),
            IndicatorFile(file=STALKER_FILE, sha256="e" * 64, count=5008, source="bundled", families=("TheTruthSpy",)),
            IndicatorFile(file="/home/analyst/my-iocs.stix2", sha256="f" * 64, count=3, source="cli"),
        ],
        artifacts={
            "ios.sms": ArtifactStatus(status="ok", records=120, warnings=[], seconds=0.4, error=None, title="SMS"),
            "ios.location": ArtifactStatus(status="recovered", records=8, warnings=["rows 3-9 recovered"],
                                           seconds=0.2, error=None, title="Locations"),
            "ios.safari_history": ArtifactStatus(status="not_found", records=0, warnings=[], seconds=0.0,
                                                 error="History.db not in the backup", title="Safari history"),
            "ios.whatsapp": ArtifactStatus(status="error", records=0, warnings=[], seconds=0.1,
                                           error=f"DatabaseError: file is not a database {SCRIPT}", title="WhatsApp"),
            "androidqf.packages": ArtifactStatus(status="ok", records=3, warnings=[], seconds=0.1, error=None,
                                                 title="Installed apps"),
        },
        detections={"critical": 1, "high": 1, "medium": 1, "low": 0, "info": 0},
        device=DeviceFacts(platform="ios", name=DEVICE_NAME, model="iPhone14,2", os_version="17.4.1",
                           details={"SerialNumber": SERIAL, "IMEI": IMEI}),
        status="complete" if finished else "interrupted",
        indicator_set_version="2026.11.29",
        unsupported_indicators=[Unsupported(file=PEGASUS_FILE, stix_id="indicator--x", pattern="[a:b > 3]",
                                            reason="comparison operator > is not supported")],
    )


def timeline_rows() -> list[list[str]]:
    rows = []
    for minute in range(0, 60, 3):
        rows.append([f"2024-05-20T07:{minute:02d}:00Z", "ios.sms", "sent", "ios.sms",
                     f"handle={PHONE} text={SMS_TEXT} {SCRIPT}", "HomeDomain/Library/SMS/sms.db, table message"])
    rows.append(["2024-05-20T08:00:00Z", "ios.sms", "received", "ios.sms", f"text={EVIL_URL} =HYPERLINK(\"x\")",
                 "sms.db"])
    rows.append(["2024-05-20T08:05:00Z", "ios.location", "seen", "ios.location", f"lat={LAT} lon={LON}",
                 "cache_encryptedB.db"])
    for day in range(1, 28):
        rows.append([f"2024-04-{day:02d}T12:00:00Z", "ios.safari_history", "visited", "ios.safari_visit",
                     "url=https://news.example/", "History.db"])
    rows.sort()
    return rows


def write_folder(out: Path, detections: list[Detection] | None = None, finished: bool = True,
                 timeline: bool = True, with_failure: bool = True) -> Built:
    """An output folder; ``with_failure`` keeps one failed artifact (WhatsApp), which makes the check incomplete."""
    out.mkdir(parents=True, exist_ok=True)
    detections = make_detections() if detections is None else detections
    run = make_run(out, finished)
    if not with_failure:
        del run.artifacts["ios.whatsapp"]
    write_json(out / "run.json", run)
    write_json(out / "detections.json", DetectionsFile(detections=detections))
    if timeline:
        with (out / "timeline.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            for row in timeline_rows():
                writer.writerow([guard_cell(c) for c in row])
        with (out / "detections_timeline.csv").open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerow(HEADER)
    return Built(out, run, detections)


def artifacts_dir() -> Path:
    env = os.environ.get("SPYSCAN_TEST_OUTPUT")
    path = Path(env) if env else REPO / "test-output"
    path.mkdir(parents=True, exist_ok=True)
    return path
