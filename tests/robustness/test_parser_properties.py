"""Property-based tests of the text parsers: no exception on any input.

Pure parsers are called directly; parsers that live inside artifacts (getprop, ps, mounts, dumpsys
sections, shutdown.log...) are fed generated text through the hostile evidence and the engine's
per-artifact path, with the corruption matrix's rules; intrusion-log lines go through the real kind.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spyscan.artifacts.android.androidqf_mounts import parse_mount_line
from spyscan.artifacts.base import all_artifacts, artifacts_for
from spyscan.artifacts.ios.parsers.ips import parse_ips
from spyscan.artifacts.ios.parsers.mobile_installation import parse_install_line
from spyscan.artifacts.ios.parsers.ps import parse_ps
from spyscan.artifacts.ios.parsers.shutdown_log import parse_shutdown_text
from spyscan.detection.heuristics.base import all_rules
from spyscan.detection.pipeline import NullMatcher
from spyscan.engine import jobs
from spyscan.errors import ArtifactNotFound, SpyscanError
from spyscan.kinds import all_kinds

from .hostile import check_status, hostile_evidence

PROPS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
PER_ARTIFACT = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))

SNIPPETS = [
    "DUMP OF SERVICE package:", "DUMP OF SERVICE appops:", "--------- 0.1s was the duration of dumpsys package,",
    "[ro.build.version.security_patch]: [2024-01-05]", "[ro.product.model]: [Pixel]", "[a]: [", "]: [x]",
    "USER PID PPID VSZ RSS WCHAN ADDR S NAME", "root 1 0 100 10 0 0 S init", "u0_a1 99999999999999999999 1 0 0 0 0 S x",
    "/dev/block/dm-0 /system ext4 ro,seclabel 0 0", "tmpfs on /dev type tmpfs (rw,nosuid)",
    "SIGTERM: [1700000000] Shutting down...", "remaining client pid: 123 (/private/var/tmp/x)",
    "After 3.50s, these clients are still here:", '{"bug_type":"309","timestamp":"2024-01-01 00:00:00.00 +0000"}',
    "Mon Jan  1 00:00:00 2024 [1] <err> (0x1) -[MIClientConnection uninstallIdentifiers:]: Uninstall requested "
    "by installd for identifier com.x", "  Package [com.example] (1a2b):", "    userId=10123",
    '{"security_event": {"event_id": 1, "event_time": 1, "dns_event": {"hostname": "a.b"}}}', "\x00\ufffd\u202e",
]
text_line = st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=50),
                      st.builds(lambda a, b: a[: len(a) // 2] + b, st.sampled_from(SNIPPETS), st.text(max_size=10)))
text_blob = st.lists(text_line, max_size=30).map("\n".join)
byte_blob = st.one_of(text_blob.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300))


@PROPS
@given(text_blob)
def test_pure_text_parsers_never_raise(text: str) -> None:
    numbered = list(enumerate(text.split("\n"), start=1))
    parse_ps(numbered)
    parse_shutdown_text(text)
    parse_ips(text)
    for _, line in numbered:
        parse_mount_line(line)
        parse_install_line(line)


class GivenBytes:
    """Serves one generated payload for every file and format (the hostile evidence's data source)."""

    def __init__(self, payload: bytes) -> None:
        self.payload = payload

    def data(self, variant: str, fmt: str) -> bytes:
        return self.payload

    def wal(self) -> bytes:
        return b""


TEXT_KINDS = ("androidqf", "bugreport", "sysdiagnose", "ios-fs", "intrusion-logs")


def _text_artifacts() -> list[str]:
    kinds = all_kinds()
    return sorted({a.id for k in TEXT_KINDS if k in kinds for a in artifacts_for(k)})


@pytest.mark.parametrize("artifact_id", _text_artifacts())
@PER_ARTIFACT
@given(payload=byte_blob)
def test_artifact_text_parsers_never_crash(artifact_id: str, payload: bytes) -> None:
    artifact = all_artifacts()[artifact_id]
    kinds = all_kinds()
    kind = next(k for k in artifact.kinds if k in kinds)
    with tempfile.TemporaryDirectory(prefix="spyscan-prop-") as tmp:
        root = Path(tmp)
        (root / "records").mkdir()
        (root / "parts").mkdir()
        evidence = hostile_evidence(kinds[kind], "generated", GivenBytes(payload), root / "hostile")  # type: ignore[arg-type]
        with jobs.using(jobs.Shared(matcher=NullMatcher(), rules=list(all_rules().values()),
                                    records_dir=root / "records", parts_dir=root / "parts",
                                    evidences={"": evidence})):
            outcome = jobs.execute(artifact_id, artifact.title, jobs.ARTIFACT)
        check_status(f"{artifact_id} × generated", outcome.status, getattr(evidence, "asked", []))


@PROPS
@given(st.lists(st.one_of(text_line, st.binary(max_size=40).map(lambda b: b.decode("latin-1"))), max_size=20))
def test_intrusion_log_lines_never_crash_the_kind(raw_lines: list[str]) -> None:
    kinds = all_kinds()
    if "intrusion-logs" not in kinds:
        pytest.skip("the intrusion-logs kind is not registered")
    with tempfile.TemporaryDirectory(prefix="spyscan-prop-") as tmp:
        root = Path(tmp) / "intrusion-logs"
        root.mkdir()
        (root / "2024-06-01.txt").write_bytes("\n".join(raw_lines).encode("utf-8", "surrogatepass"))
        (Path(tmp) / "work").mkdir()
        evidence = kinds["intrusion-logs"](root, Path(tmp) / "work")
        try:
            evidence.open()
            for wanted in ("dns_event", "connect_event", "security_event", "unknown"):
                list(evidence.events(wanted))  # type: ignore[attr-defined]
        except (SpyscanError, ArtifactNotFound) as exc:
            assert "\n" not in str(exc)
        finally:
            evidence.close()


@PROPS
@given(byte_blob)
def test_bugreport_dumpstate_never_crashes_the_kind(dumpstate: bytes) -> None:
    kinds = all_kinds()
    if "bugreport" not in kinds:
        pytest.skip("the bugreport kind is not registered")
    name = "bugreport-x-2024-05-01-12-00-00.txt"
    with tempfile.TemporaryDirectory(prefix="spyscan-prop-") as tmp:
        root = Path(tmp) / "bugreport"
        root.mkdir()
        (root / "main_entry.txt").write_text(name)
        (root / "version.txt").write_text("2.0")
        (root / name).write_bytes(dumpstate)
        (Path(tmp) / "work").mkdir()
        evidence = kinds["bugreport"](root, Path(tmp) / "work")
        try:
            evidence.open()
            evidence.dumpsys_sections()  # type: ignore[attr-defined]
            evidence.system_properties()  # type: ignore[attr-defined]
        except (SpyscanError, ArtifactNotFound) as exc:
            assert "\n" not in str(exc)
        finally:
            evidence.close()
