"""Fields that can hold a process name or an app id are matched as both, exactly, and counted once."""

from __future__ import annotations

from pathlib import Path

from tests.builders.androidqf import build_androidqf

from spyscan.detection.heuristics.base import all_rules
from spyscan.detection.model import Detection, Severity
from spyscan.detection.pipeline import RecordPipeline
from spyscan.engine import IndicatorOptions, RunOptions, check
from spyscan.engine.run import load_indicators
from spyscan.indicators.index import IndicatorIndex, package_of
from spyscan.indicators.model import Indicator
from spyscan.observables import Obs
from spyscan.records.base import Record, SourceRef
from spyscan.records.ios_privacy_report import PrivacyReportAccess
from spyscan.records.ios_system import DataUsageRow, TCCAccess

STALKERWARE_APP = "com.ispyoo"  # TheTruthSpy, in Echap's bundled feed


def _ios_hits(*records: Record) -> list[Detection]:
    matcher = load_indicators(IndicatorOptions(paths=[], bundled=True), "ios").matcher
    pipeline = RecordPipeline("ios.test", matcher, list(all_rules().values()))
    for record in records:
        pipeline.feed(record)
    return [d for d in pipeline.finish() if d.kind == "indicator"]


def test_stalkerware_running_on_the_phone_is_found_in_the_process_list(tmp_path: Path) -> None:
    """Android names an app's processes after its package (``pkg`` and ``pkg:name``)."""
    acquisition = build_androidqf(tmp_path / "acq", processes=[("u0_a231", 5120, 700, STALKERWARE_APP),
                                                               ("u0_a231", 5121, 700, f"{STALKERWARE_APP}:remote")])
    result = check(acquisition, None, RunOptions(output=tmp_path / "out", jobs=1,
                                                 indicators=IndicatorOptions(paths=[], bundled=True)))
    hits = [d for d in result.detections if d.indicator and d.indicator.value == STALKERWARE_APP]
    assert hits, "a stalkerware app running on the phone must be found from the process list"
    assert {d.observable.type for d in hits if d.observable} == {"process"}
    assert all(d.severity is Severity.HIGH and d.indicator and d.indicator.threat == "stalkerware" for d in hits)
    assert {d.match for d in hits} <= {"exact", "app-process"}
    assert result.exit_code == 3


def test_package_shaped_names_only_match_whole_app_ids() -> None:
    index = IndicatorIndex.build([Indicator(type="app:id", value="com.android.services", stix_id="i",
                                            malware="TheOneSpy", file="f", platform="android")])
    assert index.match(Obs.PROCESS, "com.android.services:remote")
    for observed in ("com.android.services.telephony", "com.android.phone", "com.android.servicesx", "services"):
        assert index.match(Obs.PROCESS, observed) == [], observed
        assert index.match(Obs.APP_ID, observed) == [], observed
    assert package_of("com.example.spy:remote") == "com.example.spy"
    assert package_of("system_server") is None and package_of("/system/bin/gatekeeperd") is None


def test_receiver_components_match_their_exact_package(tmp_path: Path) -> None:
    """mvt-project/mvt#803: ``com.android.services`` (TheOneSpy) inside an AOSP component name is no hit."""
    receivers = ("      android.intent.action.PHONE_STATE:\n"
                 "        5d3a1f0 com.android.phone/com.android.services.telephony.sip.SipIncomingCallReceiver\n")
    acquisition = build_androidqf(tmp_path / "acq", dumpsys_receivers=receivers,
                                  processes=[("radio", 1500, 700, "com.android.phone")])
    result = check(acquisition, None, RunOptions(output=tmp_path / "out", jobs=1,
                                                 indicators=IndicatorOptions(paths=[], bundled=True)))
    assert [d for d in result.detections if d.indicator and d.indicator.value == "com.android.services"] == []


def test_tcc_client_registered_by_name_is_matched_as_a_process() -> None:
    """TCC client type 0 is an identifier; ``roleaccountd`` (a Pegasus process name) is not reverse-DNS."""
    row = TCCAccess(source=SourceRef(file="TCC.db", table="access", rowid=3), service="kTCCServiceMicrophone",
                    client="roleaccountd", client_type=0, app_id="roleaccountd")
    hits = _ios_hits(row)
    assert [(d.indicator.type, d.indicator.value) for d in hits if d.indicator] == [("process:name", "roleaccountd")]


def test_datausage_uuid_bundle_id_is_one_finding() -> None:
    """DataUsage names processes ``<UUID>/<bundle id>``; the same app in both fields is one detection."""
    process = "8A3F0B6E-7C1D-4B2A-9E8F-0123456789AB/com.client.appA"
    row = DataUsageRow(source=SourceRef(file="DataUsage.sqlite", table="ZPROCESS", rowid=5), process=process,
                       bundle_id="com.client.appA")
    hits = _ios_hits(row)
    assert [(d.indicator.value, d.count) for d in hits if d.indicator] == [("com.client.appA", 1)]


def test_privacy_report_accessor_identifier_matched_as_a_process() -> None:
    row = PrivacyReportAccess(source=SourceRef(file="App_Privacy_Report.ndjson", line=4), accessor="roleaccountd",
                              accessor_type="bundleID", bundle_id="roleaccountd", category="microphone")
    assert [d.indicator.value for d in _ios_hits(row) if d.indicator] == ["roleaccountd"]
