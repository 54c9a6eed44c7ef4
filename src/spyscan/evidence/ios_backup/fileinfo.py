"""The ``file`` column of Manifest.db ``Files``: an NSKeyedArchiver archive of one ``MBFile``."""

from __future__ import annotations

import math
import plistlib
from typing import Any

import msgspec
import nska_deserialize

from spyscan.errors import EvidenceError
from spyscan.evidence.ios_backup.mbfile_reader import MAX_DEPTH, MAX_EXPANDED, decode_fast
from spyscan.evidence.nska import ArchiveLimits, check_archive
from spyscan.evidence.plist import PlistError, PlistLimits, load_plist
from spyscan.texts import tr

# an MBFile archive has about 40 objects nested 3 deep; generous bounds, far below what could hurt
BLOB_PLIST_LIMITS = PlistLimits(max_depth=MAX_DEPTH, max_objects=MAX_EXPANDED)
BLOB_ARCHIVE_LIMITS = ArchiveLimits(max_objects=10_000, max_depth=MAX_DEPTH, max_expanded=MAX_EXPANDED)


class BackupFileInfo(msgspec.Struct, frozen=True, kw_only=True):
    """Metadata iOS stored for one backed-up file (times are Unix seconds, as stored)."""

    size: int | None = None
    mode: int | None = None
    birth: int | None = None
    modified: int | None = None
    status_changed: int | None = None
    protection_class: int | None = None
    inode: int | None = None
    user_id: int | None = None
    group_id: int | None = None
    encryption_key: bytes | None = None  # 4-byte little-endian class + AES-wrapped key (encrypted backups)
    target: str | None = None  # symbolic link target


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None  # int() would raise on inf/nan
    return int(value)


def _data(value: Any) -> bytes | None:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, dict):  # NSData/NSMutableData left as a dict by the decoder
        inner = value.get("NS.data")
        if isinstance(inner, bytes | bytearray):
            return bytes(inner)
    return None


def _decode_direct(top: Any) -> dict[str, Any] | None:
    """The root object of a plain NSKeyedArchiver archive with its direct references resolved.

    The reference for ``mbfile_reader`` (which gives the same result faster); None when the archive
    is not the simple shape an MBFile has.
    """
    if not isinstance(top, dict) or top.get("$archiver") != "NSKeyedArchiver":
        return None
    header = top.get("$top")
    objects, root_ref = top.get("$objects"), header.get("root") if isinstance(header, dict) else None
    if not isinstance(objects, list) or not isinstance(root_ref, plistlib.UID):
        return None
    root = objects[root_ref.data]
    if not isinstance(root, dict):
        return None
    resolved: dict[str, Any] = {}
    for key, value in root.items():
        if isinstance(value, plistlib.UID):
            value = objects[value.data]
            if value == "$null":
                value = None
        resolved[key] = value
    return resolved


def decode_file_blob(blob: bytes | None) -> BackupFileInfo:
    """Decode one ``MBFile`` archive; an empty blob gives empty metadata, a broken one EvidenceError."""
    if not blob:
        return BackupFileInfo()
    obj = decode_fast(blob) if type(blob) is bytes else None
    if obj is None:
        obj = _decode_general(blob)
    return _file_info(obj)


def _decode_general(blob: bytes) -> dict[str, Any]:
    """The root MBFile of any archive the general decoders read (EvidenceError otherwise).

    The blob is read with the bounded plist reader and its object graph checked (``evidence.nska``) before
    ``nska-deserialize`` resolves it: no cycle, depth or expansion past the limits reaches the decoder."""
    try:
        top = load_plist(bytes(blob), BLOB_PLIST_LIMITS)
        obj = _decode_direct(top)
        if obj is None:
            check_archive(top, BLOB_ARCHIVE_LIMITS)
            obj = _nska_decode(bytes(blob))
    except PlistError as exc:
        raise EvidenceError(tr('unreadable file metadata blob: %(error)s', error=exc)) from exc
    except Exception as exc:  # the decoder raises many types on malformed archives
        raise EvidenceError(tr('unreadable file metadata blob: %(name)s: %(error)s', name=type(exc).__name__,
                               error=exc)) from exc
    if not isinstance(obj, dict):
        raise EvidenceError(tr('file metadata blob is not an MBFile archive'))
    return obj


def _nska_decode(blob: bytes) -> Any:
    """``nska-deserialize`` on a checked archive. Its list of objects on the current path is a module global
    that an exception leaves filled (the next archive would then lose references): emptied before each use."""
    pending = getattr(nska_deserialize, "rec_uids", None)
    if isinstance(pending, list):
        pending.clear()
    return nska_deserialize.deserialize_plist_from_string(blob)


def _file_info(obj: dict[str, Any]) -> BackupFileInfo:
    target = obj.get("Target")
    return BackupFileInfo(
        size=_int(obj.get("Size")),
        mode=_int(obj.get("Mode")),
        birth=_int(obj.get("Birth")),
        modified=_int(obj.get("LastModified")),
        status_changed=_int(obj.get("LastStatusChange")),
        protection_class=_int(obj.get("ProtectionClass")),
        inode=_int(obj.get("InodeNumber")),
        user_id=_int(obj.get("UserID")),
        group_id=_int(obj.get("GroupID")),
        encryption_key=_data(obj.get("EncryptionKey")),
        target=target if isinstance(target, str) else None,
    )
