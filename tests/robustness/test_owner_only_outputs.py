"""Every file and folder that any command writes is readable by its owner only (issue: outputs that leak).

Each command runs as a user would run it (``python -m spyscan``) from a shell whose umask would make
files world-readable (022); then every path it created is walked.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders.ios_backup import BackupBuilder
from tests.core.stix_helpers import write_bundle

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "owner-only-test-pw"


def _spyscan(tmp_path: Path, *args: str, ok: tuple[int, ...] = (0, 3, 4)) -> None:
    env = dict(os.environ, SPYSCAN_DATA_DIR=str(tmp_path / "data"), SPYSCAN_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPATH=str(REPO / "src"), BACKUP_PW=PASSWORD, LANG="C.UTF-8")
    proc = subprocess.run([sys.executable, "-m", "spyscan", *args], env=env, cwd=tmp_path, capture_output=True,
                          preexec_fn=lambda: os.umask(0o022), timeout=600, check=False)
    assert proc.returncode in ok, (args, proc.returncode, proc.stderr.decode(errors="replace")[-2000:])


def _leaks(root: Path) -> list[str]:
    found = []
    paths = [root, *root.rglob("*")] if root.is_dir() else [root]
    for path in paths:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            continue
        if mode & 0o077:
            found.append(f"{path} {stat.filemode(mode)}")
    return found


def _pdf_works() -> bool:
    try:
        import weasyprint  # noqa: F401
    except Exception:
        return False
    return True


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_every_command_writes_owner_only(tmp_path: Path) -> None:
    pdf = ["--pdf"] if _pdf_works() else []
    _spyscan(tmp_path, "demo", "-o", "demo", "-q")
    sample = tmp_path / "demo" / "synthetic-androidqf"
    _spyscan(tmp_path, "check", str(sample), "-o", "checked", "--redact", "-q", "-j", "1", *pdf)
    _spyscan(tmp_path, "recheck", "checked", "-o", "rechecked", "-q", "-j", "1")
    _spyscan(tmp_path, "report", "rechecked", "--redact", *pdf)
    store = tmp_path / "store" / "cases.sqlite"
    _spyscan(tmp_path, "case", "new", "c1", "--store", str(store))
    _spyscan(tmp_path, "case", "add", "c1", "checked", "--store", str(store))
    _spyscan(tmp_path, "case", "export", "c1", "--format", "stix", "-o", "export/c1.json", "--store", str(store))
    _spyscan(tmp_path, "case", "export", "c1", "--format", "misp", "-o", "export/c1.misp.json", "--store", str(store))
    _spyscan(tmp_path, "hunt", "--store", str(store), "-o", "hunt", "--reports", "-j", "1")
    builder = BackupBuilder(tmp_path / "backup-in" / "device")
    builder.add_system_databases()
    encrypted = builder.build(password=PASSWORD)
    _spyscan(tmp_path, "decrypt-backup", str(encrypted), "plain-backup", "--password-env", "BACKUP_PW",
             "--save-key-file", "backup.key")
    (tmp_path / "bundle-in").mkdir()
    bundle = write_bundle(tmp_path / "bundle-in" / "extra.stix2", "Extra", ["[domain-name:value = 'extra.example']"])
    _spyscan(tmp_path, "iocs", "add", str(bundle))  # copied into the data folder
    written = ["demo", "checked", "rechecked", "store", "export", "hunt", "plain-backup", "backup.key", "data", "cache"]
    leaks = [leak for name in written if (tmp_path / name).exists() for leak in _leaks(tmp_path / name)]
    assert not leaks, "\n".join(leaks)
    assert (tmp_path / "rechecked" / "report-redacted.html").is_file()
    assert any((tmp_path / "data").rglob("*extra.stix2"))
    if pdf:
        assert (tmp_path / "rechecked" / "report-redacted.pdf").is_file()
