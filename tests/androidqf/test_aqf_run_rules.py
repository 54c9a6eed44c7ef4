"""Findings that need several artifacts of one androidqf acquisition (run rules), end to end.

- ``android.interception_app``: an app that listens to SMS or calls is medium only with another trait of
  stalkerware (installed by hand, accessibility service, device admin, indicator); alone it is context
  (the Facebook app listens to call state on a real phone: tests/androidqf/test_aqf_samples.py).
- ``android.acquisition_traces``: what androidqf or spyscan collect left during the acquisition window.
- The dumpsys data of a bugreport inside the acquisition is read once (the acquisition's own copy wins).
"""

from __future__ import annotations

from pathlib import Path

from spyscan.detection.model import Detection
from spyscan.engine import IndicatorOptions, RunOptions, check
from tests.builders.androidqf import build_androidqf, file_entry, package
from tests.builders.bugreport import DUMPSTATE, dumpstate
from tests.core.stix_helpers import write_bundle

KEY_EXAMINER = "QAAAAEXAMINERxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx="
KEY_OTHER = "QAAAAOTHERCOMPUTERxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx="

RECEIVERS = """\
      android.intent.action.PHONE_STATE:
        5a6b7c8 com.facebook.katana/com.facebook.confirmation.util.BackgroundVoiceCallReceiver
        6b7c8d9 com.example.helper/.CallReceiver
      android.provider.Telephony.SMS_RECEIVED:
        7c8d9e0 com.android.services/.SmsReceiver
        8d9e0f1 com.example.admin/.Sms
"""

ACCESSIBILITY = """\
ACCESSIBILITY MANAGER (dumpsys accessibility)
User state[attributes:{id=0, currentUser=true
  Bound services:{}
  Enabled services:{{com.example.helper/com.example.helper.Svc}}
  Binding services:{}
  Crashed services:{}
  (the longest accessibility section of dumpsys.txt is the one read: this one is longer than the builder's own)
  ...............................................................................................................
"""

DEVICE_POLICY = """\
Current Device Policy Manager state:
  Enabled Device Admins (User 0, provisioningState: 3):
    com.example.admin/.AdminReceiver:
      uid=10302
"""

ADB = f"""\
ADB MANAGER STATE (dumpsys adb):
{{
  debugging_manager={{
    connected_to_adb=true
    user_keys={KEY_EXAMINER} examiner@helpline
{KEY_OTHER} someone@elsewhere

  }}
}}
"""

# acquisition 2024-03-21T11:07:22Z = 05:07:22 in America/Mexico_City (the builder's persist.sys.timezone)
SHELL_APPOPS = """\
  Uid 2000:
    state=cch
    Package com.android.shell:
      READ_SMS (allow):
          Access: [fg-s] 2024-03-21 05:07:30.000 (-1s) duration=+2ms
      CAMERA (allow):
          Access: [fg-s] 2024-02-01 22:10:00.000 (-49d) duration=+2s
"""


def _run(tmp_path: Path, acq: Path, iocs: list[Path] | None = None) -> list[Detection]:
    options = RunOptions(output=tmp_path / "out", indicators=IndicatorOptions(paths=iocs or [], bundled=False),
                         jobs=2)
    return check(acq, "androidqf", options).detections


def _by_rule(found: list[Detection], rule: str) -> list[tuple[str, str]]:
    return sorted((d.severity.value, d.message) for d in found if d.rule == rule)


def test_receivers_are_medium_only_with_another_stalkerware_trait(tmp_path: Path) -> None:
    acq = build_androidqf(
        tmp_path / "acq", dumpsys_receivers=RECEIVERS,
        packages=[package("com.facebook.katana"), package("com.example.helper"),
                  package("com.android.services", installer=None), package("com.example.admin")],
        dumpsys_sections={"accessibility": ACCESSIBILITY, "device_policy": DEVICE_POLICY})
    found = _run(tmp_path, acq)
    assert ("info", "com.facebook.katana receives call state (incoming call numbers) (com.facebook.katana/"
                    "com.facebook.confirmation.util.BackgroundVoiceCallReceiver)") in _by_rule(
        found, "android.interception_receiver")
    apps = _by_rule(found, "android.interception_app")
    assert apps == [
        ("medium", "com.android.services receives incoming SMS; com.android.services was installed by an unknown "
                   "installer (adb or a file)"),
        ("medium", "com.example.admin receives incoming SMS; it is a device administrator"),
        ("medium", "com.example.helper receives call state (incoming call numbers); it has an enabled "
                   "accessibility service"),
    ]
    assert all(d.category == "compromise" and d.artifact == "android.dumpsys.receivers"
               for d in found if d.rule == "android.interception_app")


def test_an_indicator_on_a_receiving_app_is_a_trait(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "t.stix2", "TestWare", ["[app:id = 'com.example.helper']"])
    acq = build_androidqf(tmp_path / "acq", dumpsys_receivers=RECEIVERS, packages=[package("com.example.helper")])
    apps = _by_rule(_run(tmp_path, acq, [bundle]), "android.interception_app")
    assert ("medium", "com.example.helper receives call state (incoming call numbers); it matches TestWare") in apps


def test_the_acquisitions_own_traces_are_information(tmp_path: Path) -> None:
    acq = build_androidqf(
        tmp_path / "acq",
        files=[file_entry("/data/local/tmp/collector.old", modified=1_700_000_000)],
        dumpsys_appops=SHELL_APPOPS, dumpsys_sections={"adb": ADB},
        extra_files={"adb_host_key.pub": f"{KEY_EXAMINER} examiner@helpline\n".encode()})
    found = _run(tmp_path, acq)
    tmp = _by_rule(found, "android.data_local_tmp")
    assert tmp == [
        ("info", "file in /data/local/tmp: /data/local/tmp/collector (left by the acquisition: androidqf's "
                 "collector, copied to the phone during the acquisition)"),
        ("medium", "file in /data/local/tmp: /data/local/tmp/collector.old")]
    assert _by_rule(found, "android.adb_trusted_key") == [
        ("info", "a computer is trusted for USB debugging: examiner@helpline (left by the acquisition: the "
                 "acquiring computer's key)"),
        ("low", "a computer is trusted for USB debugging: someone@elsewhere")]
    assert _by_rule(found, "android.shell_appops") == [
        ("info", "the ADB shell used READ_SMS, last 2024-03-21 05:07:30.000 (left by the acquisition: used "
                 "during the acquisition)"),
        ("low", "the ADB shell used CAMERA, last 2024-02-01 22:10:00.000")]


def test_a_collector_outside_the_acquisition_window_stays(tmp_path: Path) -> None:
    acq = build_androidqf(tmp_path / "acq", acquired="2024-05-01T10:00:00Z")
    (acq / "files.json").write_text((acq / "files.json").read_text().replace('"modified_time": 1714557600',
                                                                            '"modified_time": 1600000000'))
    tmp = _by_rule(_run(tmp_path, acq), "android.data_local_tmp")
    assert tmp == [("medium", "file in /data/local/tmp: /data/local/tmp/collector")]


def _nested_bugreport(receivers: str, appops: str) -> bytes:
    text = dumpstate({"ro.product.model": "Pixel 7"}, services={"appops": appops})
    text = text.replace("Packages:\n", f"Receiver Resolver Table:\n  Non-Data Actions:\n{receivers}Packages:\n")
    path_files = {"main_entry.txt": DUMPSTATE.encode(), DUMPSTATE: text.encode()}
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in path_files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_the_same_dumpsys_data_is_read_once(tmp_path: Path) -> None:
    receivers = "      android.provider.Telephony.SMS_RECEIVED:\n        9f8e7d6 com.example.twice/.Sms\n"
    appops = "Current AppOps Service state:\n  Uid u0a150:\n    Package com.example.twice:\n      CAMERA (allow):\n"
    acq = build_androidqf(tmp_path / "acq", dumpsys_receivers=receivers,
                          extra_files={"bugreport.zip": _nested_bugreport(receivers, appops)})
    options = RunOptions(output=tmp_path / "out", indicators=IndicatorOptions(paths=[], bundled=False), jobs=2)
    result = check(acq, "androidqf", options)
    nested = "android.dumpsys.receivers@bugreport:bugreport.zip"
    status = result.run.artifacts[nested]
    assert status.status == "not_found" and status.absence == "not_applicable"
    assert "dumpsys:package" in (status.error or "")
    # dumpsys.txt has an appops section: that one is read, the bugreport's is not
    assert result.run.artifacts["android.dumpsys.appops@bugreport:bugreport.zip"].status == "not_found"
    receivers_found = [d for d in result.detections if d.rule == "android.interception_receiver"]
    assert [d.artifact for d in receivers_found] == ["android.dumpsys.receivers"]
    # the bugreport's own parts (its properties here) are still read
    assert result.run.artifacts["android.bugreport.getprop@bugreport:bugreport.zip"].status == "not_found"
    assert "android.bugreport.tombstones@bugreport:bugreport.zip" in result.run.artifacts


def test_a_service_missing_from_dumpsys_txt_is_read_from_the_bugreport(tmp_path: Path) -> None:
    appops = "Current AppOps Service state:\n  Uid u0a150:\n    Package com.example.twice:\n      CAMERA (allow):\n"
    acq = build_androidqf(tmp_path / "acq", extra_files={"bugreport.zip": _nested_bugreport("", appops)})
    text = (acq / "dumpsys.txt").read_text()
    (acq / "dumpsys.txt").write_text(text[:text.index("DUMP OF SERVICE appops:")])
    (acq / "hashes.csv").unlink()
    options = RunOptions(output=tmp_path / "out", indicators=IndicatorOptions(paths=[], bundled=False), jobs=2)
    result = check(acq, "androidqf", options)
    assert result.run.artifacts["android.dumpsys.appops@bugreport:bugreport.zip"].status in ("ok", "warning")
    assert result.run.artifacts["android.dumpsys.appops"].status == "not_found"


def test_files_spyscan_collect_made_on_the_phone_are_information(tmp_path: Path) -> None:
    """``spyscan collect`` lists in acquisition.json (``phone_traces``) what it made on the phone."""
    import json

    acq = build_androidqf(tmp_path / "acq", files=[file_entry("/data/local/tmp/spyscan-probe.txt"),
                                                   file_entry("/data/local/tmp/other.bin")])
    info = json.loads((acq / "acquisition.json").read_text())
    info.update({"tool": "spyscan", "status": "complete",
                 "phone_traces": {"left_on_phone": ["/data/local/tmp/spyscan-probe.txt"], "created_and_removed": []}})
    (acq / "acquisition.json").write_text(json.dumps(info))
    (acq / "hashes.csv").unlink()
    tmp = _by_rule(_run(tmp_path, acq), "android.data_local_tmp")
    assert ("info", "file in /data/local/tmp: /data/local/tmp/spyscan-probe.txt (left by the acquisition: a file "
                    "the acquisition made, listed in acquisition.json)") in tmp
    assert ("medium", "file in /data/local/tmp: /data/local/tmp/other.bin") in tmp


def test_recheck_gives_the_same_run_rule_findings(tmp_path: Path) -> None:
    from spyscan.engine import recheck

    acq = build_androidqf(tmp_path / "acq", dumpsys_receivers=RECEIVERS, dumpsys_sections={"adb": ADB},
                          packages=[package("com.android.services", installer=None)],
                          extra_files={"adb_host_key.pub": f"{KEY_EXAMINER} examiner@helpline\n".encode()})
    first = check(acq, "androidqf", RunOptions(output=tmp_path / "out", jobs=2,
                                               indicators=IndicatorOptions(paths=[], bundled=False)))
    again = recheck(tmp_path / "out", RunOptions(output=tmp_path / "again", jobs=2,
                                                 indicators=IndicatorOptions(paths=[], bundled=False)))
    def graded(found: list[Detection]) -> set[tuple[str, str, str]]:
        return {(d.id, d.severity.value, d.message) for d in found}
    assert graded(again.detections) == graded(first.detections)
    assert any(d.rule == "android.interception_app" for d in again.detections)
    assert any(d.rule == "android.adb_trusted_key" and d.severity.value == "info" for d in again.detections)
