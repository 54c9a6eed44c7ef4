"""A tar dump is decompressed once at open() and at most once more per member nobody declared."""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

import pytest

from builders.ios_fs import FsDumpBuilder, open_evidence
from builders.sysdiagnose import SysdiagnoseBuilder, ps_text
from spyscan.errors import EvidenceError
from spyscan.evidence.fs_listing import extract_member
from spyscan.evidence.ios import IOSPath
from spyscan.kinds.ios_fs import IOSFilesystemEvidence
from spyscan.kinds.sysdiagnose import SysdiagnoseEvidence


class _TarOpens:
    """Counts passes over the archive's members (``tarfile.is_tarfile`` only reads the first header: not counted)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, archive: Path) -> None:
        self.count = 0
        real = tarfile.open

        def counting(name: Any = None, *args: Any, **kwargs: Any) -> tarfile.TarFile:
            mode = kwargs.get("mode", args[0] if args else "r")
            if name is not None and Path(str(name)) == archive and mode != "r":
                self.count += 1
            return real(name, *args, **kwargs)

        monkeypatch.setattr(tarfile, "open", counting)


def _dump() -> FsDumpBuilder:
    b = FsDumpBuilder().system_volume()
    b.add_text("private/var/db/diagnostics/shutdown.log", "SIGTERM: [1700000000] All clients exited\n")
    for i in range(3):
        b.add_text(f"private/var/mobile/Library/Preferences/p{i}.plist", f"<plist>{i}</plist>")
    return b


def test_on_demand_members_cost_one_pass_each_and_are_shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _dump().build_tar(tmp_path / "dump.tar.gz")
    opens = _TarOpens(monkeypatch, archive)
    ev = open_evidence(IOSFilesystemEvidence, archive, tmp_path)
    assert isinstance(ev, IOSFilesystemEvidence)
    after_open = opens.count
    assert after_open <= 1
    assert any(k.endswith("diagnostics/shutdown.log") for k in ev.listing.extracted)  # declared: copied at open
    [shutdown] = ev.ios_find(IOSPath(fs=("private/var/db/diagnostics/shutdown.log",)))
    ev.ios_read(shutdown)
    assert opens.count == after_open  # pre-extracted: no new pass
    plists = ev.ios_find(IOSPath(fs=("private/var/mobile/Library/Preferences/p*.plist",)))
    assert [ev.ios_read(p) for p in plists] == [f"<plist>{i}</plist>".encode() for i in range(3)]
    assert opens.count == after_open + 3  # one pass per member nobody declared
    assert ev.ios_read(plists[0]) == b"<plist>0</plist>"
    assert opens.count == after_open + 3  # a member already copied is reused (also by other workers)


def test_sysdiagnose_is_read_in_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builder = SysdiagnoseBuilder().logarchive_noise()
    builder.add_text("ps.txt", ps_text([("root", 1, 0, "/sbin/launchd")]))
    builder.add_text("logs/Some/other.log", "hello locationd[12]\n")
    archive = builder.build(tmp_path)
    opens = _TarOpens(monkeypatch, archive)
    ev = open_evidence(SysdiagnoseEvidence, archive, tmp_path)
    assert isinstance(ev, SysdiagnoseEvidence)
    for spec in (IOSPath(fs=("ps.txt",)), IOSPath(fs=("logs/Some/other.log",))):
        for file in ev.ios_find(spec):
            ev.ios_read(file)
    assert opens.count <= 1


def test_extract_member_refuses_links_and_missing_members(tmp_path: Path) -> None:
    b = FsDumpBuilder().add_text("private/var/a.txt", "a").add_symlink("private/var/link", "/etc/passwd")
    archive = b.build_tar(tmp_path / "d.tar.gz")
    out = tmp_path / "out"
    assert extract_member(archive, "private/var/a.txt", out).read_bytes() == b"a"
    with pytest.raises(EvidenceError, match="not a regular file"):
        extract_member(archive, "private/var/link", out)
    with pytest.raises(EvidenceError, match="not in"):
        extract_member(archive, "private/var/missing", out)
    assert not (out / "private/var/link").exists()
