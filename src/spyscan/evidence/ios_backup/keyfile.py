"""Saved backup keys: the slow password derivation runs once, the result is reused.

The file holds the key derived from the password (as sensitive as the password itself: written
owner-only, never inside the output folder unless the user puts it there) and the keybag UUID it
belongs to, so that a key file is never tried on another backup.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from spyscan.errors import EvidenceError, UsageError
from spyscan.texts import tr

FORMAT = "spyscan-ios-backup-key"
KEY_FILE_ENV = "SPYSCAN_IOS_KEY_FILE"


def save_key(path: Path, keybag_uuid: bytes, key: bytes) -> None:
    data = json.dumps({"format": FORMAT, "version": 1, "keybag_uuid": keybag_uuid.hex(), "key": key.hex()})
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise UsageError(tr('the key file %(path)s exists already; choose a new name', path=path)) from exc
    except OSError as exc:
        raise UsageError(tr('cannot create the key file %(path)s: %(strerror)s', path=path,
                            strerror=exc.strerror)) from exc
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(data + "\n")
    os.chmod(path, 0o600)


def load_key(path: Path, keybag_uuid: bytes) -> bytes:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(tr('cannot read the key file %(path)s: %(strerror)s', path=path,
                            strerror=exc.strerror)) from exc
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a spyscan iOS backup key file")
        uuid = bytes.fromhex(str(data["keybag_uuid"]))
        key = bytes.fromhex(str(data["key"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise EvidenceError(tr('%(path)s is not a spyscan iOS backup key file', path=path)) from exc
    if uuid != keybag_uuid:
        raise EvidenceError(tr('the key file %(path)s belongs to another backup (its keybag differs)', path=path))
    if len(key) != 32:
        raise EvidenceError(tr('the key file %(path)s holds a key of the wrong length', path=path))
    return key
