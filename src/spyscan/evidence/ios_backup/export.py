"""Write a decrypted copy of an encrypted backup (``spyscan decrypt-backup``).

The copy keeps the backup layout (``xx/<fileID>`` files, Info.plist, Status.plist), with a plain
Manifest.db and a Manifest.plist saying ``IsEncrypted = false`` (its keybag and ManifestKey removed),
so that spyscan and other tools read it as a plain backup. The original is only read.
"""

from __future__ import annotations

import contextlib
import plistlib
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from spyscan.errors import ArtifactNotFound, EvidenceError, UsageError
from spyscan.evidence.ios_backup.keyfile import save_key
from spyscan.evidence.ios_backup.layout import MANIFEST_DB, find_backup_root
from spyscan.evidence.ios_backup.session import FLAG_FILE, BackupSession
from spyscan.texts import tr

MAX_LISTED_ERRORS = 20


@dataclass
class ExportSummary:
    files: int = 0
    missing: int = 0  # listed in Manifest.db, absent from the backup folder
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def check_output(source_root: Path, given_input: Path, output: Path) -> Path:
    out = output.expanduser().resolve()
    for inside in (source_root.resolve(), given_input.expanduser().resolve()):
        if out == inside or out.is_relative_to(inside):
            raise UsageError(tr('the output folder %(out)s is inside the backup %(inside)s; choose another place',
                                out=out, inside=inside))
    if out.exists():
        if not out.is_dir():
            raise UsageError(tr('the output path %(out)s exists and is not a folder', out=out))
        if any(out.iterdir()):
            raise UsageError(tr('the output folder %(out)s is not empty; choose a new or empty folder', out=out))
    return out


def decrypt_backup(source: Path, output: Path, password: Callable[[], str], key_file: Path | None = None,
                   save_key_file: Path | None = None) -> ExportSummary:
    root = find_backup_root(source)
    out = check_output(root, source, output)
    if save_key_file is not None and save_key_file.exists():
        raise UsageError(tr('the key file %(save_key_file)s exists already; choose a new name',
                            save_key_file=save_key_file))
    with _exit_on_signals(), tempfile.TemporaryDirectory(prefix="spyscan-decrypt-") as tmp:
        work = Path(tmp)
        session = BackupSession(root, work)
        if "Manifest.plist" not in session.plists:
            raise EvidenceError(session.plist_errors.get("Manifest.plist", "the backup has no Manifest.plist"))
        if not session.encrypted:
            raise UsageError(tr('%(root)s is not an encrypted backup; spyscan reads it as it is', root=root))
        key = session.unlock(password, key_file)
        if save_key_file is not None and session.keybag is not None:
            save_key(save_key_file, session.keybag.uuid, key)
        out.mkdir(parents=True, exist_ok=True, mode=0o700)
        summary = ExportSummary()
        for entry in session.iter_entries():
            if entry.flags not in (None, FLAG_FILE):
                continue
            target = out / entry.file_id[:2] / entry.file_id
            try:
                session.copy_plain(entry, target)
            except ArtifactNotFound:
                summary.missing += 1
                continue
            except EvidenceError as exc:
                summary.failed += 1
                if len(summary.errors) < MAX_LISTED_ERRORS:
                    summary.errors.append(f"{entry.label}: {exc}")
                continue
            summary.files += 1
        shutil.copyfile(session.manifest_db(), out / MANIFEST_DB)
        _write_plain_plists(session, out)
    return summary


@contextlib.contextmanager
def _exit_on_signals() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into SystemExit so that the private work folder is removed."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError, OSError):  # not in the main thread
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _write_plain_plists(session: BackupSession, out: Path) -> None:
    manifest = dict(session.plists["Manifest.plist"])
    manifest["IsEncrypted"] = False
    manifest.pop("BackupKeyBag", None)
    manifest.pop("ManifestKey", None)
    (out / "Manifest.plist").write_bytes(plistlib.dumps(manifest, fmt=plistlib.FMT_BINARY))
    for name in ("Info.plist", "Status.plist"):
        if (session.root / name).is_file():
            shutil.copyfile(session.root / name, out / name)
