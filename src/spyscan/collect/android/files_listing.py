"""``files.json``: files in the folders androidqf lists, with times, modes and owners; hashes for temp folders.

androidqf (``modules/files.go``, ``adb/files.go``) lists ``/sdcard/``, ``/system/``, ``/system_ext/``,
``/vendor/``, ``/cust/``, ``/product/``, ``/apex/``, ``/data/local/tmp/``, ``/data/media/0/``,
``/data/misc/radio/``, ``/data/vendor/secradio/``, ``/data/log/``, ``/tmp/``, ``/`` and ``/data/data/``, plus
the phone's own temporary and storage folders, with ``find <folder> -type f -printf '%T@ %m %s %u %g %p\\n'``
(or plain ``find`` where ``-printf`` gives nothing). spyscan does the same without pushing androidqf's
collector binary (the phone's ``find`` runs as the shell user, so private app folders are not listed),
reads ``/`` one level deep only (the other folders cover the rest), and adds the SHA-256 of every file in
the temporary folders (computed on the phone), where droppers and exploit stages are left.
Entries follow androidqf's ``FileInfo`` keys.
"""

from __future__ import annotations

import json
from typing import Any

from spyscan.collect.android.context import Context
from spyscan.collect.android.device import quote

FOLDERS = ("/sdcard/", "/system/", "/system_ext/", "/vendor/", "/cust/", "/product/", "/apex/",
           "/data/local/tmp/", "/data/media/0/", "/data/misc/radio/", "/data/vendor/secradio/", "/data/log/",
           "/tmp/", "/", "/data/data/")  # noqa: S108 - folders on the phone
PRINTF = "'%T@ %m %s %u %g %p\\n'"


def _entry(path: str, **values: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": path, "size": 0, "mode": "", "user_id": 0, "user_name": "", "group_id": 0,
                             "group_name": "", "changed_time": 0, "modified_time": 0, "access_time": 0, "error": "",
                             "context": "", "sha1": "", "sha256": "", "sha512": "", "md5": ""}
    entry.update(values)
    return entry


def _parse_full(line: str) -> dict[str, Any] | None:
    fields = line.split(" ", 5)
    if len(fields) < 6 or not fields[5].startswith("/"):
        return None
    try:
        modified = int(float(fields[0]))
        size = int(fields[2])
    except ValueError:
        return None
    return _entry(fields[5], size=size, mode=fields[1], user_name=fields[3], group_name=fields[4],
                  modified_time=modified)


def _list_folder(ctx: Context, folder: str, full: bool) -> list[dict[str, Any]]:
    depth = " -maxdepth 1" if folder == "/" else ""
    if full:
        result = ctx.device.shell(f"find {quote(folder)}{depth} -type f -printf {PRINTF} 2>/dev/null")
        return [e for e in (_parse_full(line) for line in result.text.splitlines()) if e is not None]
    result = ctx.device.shell(f"find {quote(folder)}{depth} -type f 2>/dev/null")
    return [_entry(line.strip()) for line in result.text.splitlines() if line.strip().startswith("/")]


def _temp_hashes(ctx: Context, folders: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in folders:
        result = ctx.device.shell(f"find {quote(folder)} -type f -exec sha256sum {{}} + 2>/dev/null")
        for line in result.text.splitlines():
            digest, _, path = line.strip().partition("  ")
            if len(digest) == 64 and path:
                found[path] = digest.lower()
    return found


def files(ctx: Context) -> None:
    probe = ctx.device.shell(f"find / -maxdepth 1 -printf {PRINTF} 2>/dev/null")
    full = bool(probe.text.strip())
    folders = list(FOLDERS)
    for extra in (ctx.tmp_dir, ctx.sdcard):
        if extra not in folders:
            folders.append(extra)
    seen: dict[str, dict[str, Any]] = {}
    for index, folder in enumerate(folders, start=1):
        ctx.progress.detail(f"files in {folder}", index, len(folders))
        for entry in _list_folder(ctx, folder, full):
            seen.setdefault(entry["path"], entry)
    temp = [f for f in ("/data/local/tmp/", ctx.tmp_dir, "/tmp/") if f]  # noqa: S108 - on the phone
    for path, digest in _temp_hashes(ctx, sorted(set(temp))).items():
        if path in seen:
            seen[path]["sha256"] = digest
    ctx.sink.write_bytes("files.json", json.dumps(list(seen.values()), indent=4).encode())
