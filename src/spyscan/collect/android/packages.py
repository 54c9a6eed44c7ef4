"""``packages.json``: installed packages with APK hashes (computed on the phone) and signing certificates.

Format and commands as androidqf (``adb/packages.go``): ``pm list packages -U -u -i`` (``package:<name>
installer=<installer> uid:<uid>``; without ``-i`` on phones that refuse it, the installer is then left
empty), flags from ``pm list packages -d`` / ``-s`` / ``-3``, files from ``pm path <name>``, and
``md5sum``/``sha1sum``/``sha256sum``/``sha512sum`` of each file, run on the phone. Certificates need the
APK's signing block: only the APKs chosen by ``--apk-certificates`` (default: packages not marked
system) are copied to a private temporary folder, checked against the hash the phone gave, read
(``apk_certificate``) and deleted; no APK is kept. ``verified_certificate`` stays false: spyscan reads the
certificate, it does not verify the APK's signature.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from spyscan.collect.android.apk_certificate import read_certificate
from spyscan.collect.android.context import Context
from spyscan.collect.android.device import quote
from spyscan.collect.errors import CollectError, DeviceLost
from spyscan.texts import tr

_HASH_KEYS = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}


def _list(ctx: Context) -> tuple[list[tuple[str, str, int]], bool]:
    """``[(name, installer, uid)]`` and whether installers were given."""
    with_installer = True
    result = ctx.device.shell("pm list packages -U -u -i")
    if result.exit_code != 0 or not result.text.strip():
        with_installer = False
        result = ctx.device.shell("pm list packages -U -u")
        if result.exit_code != 0 or not result.text.strip():
            raise CollectError(tr("'pm list packages' failed on the phone"))
    found = []
    for line in result.text.splitlines():
        fields = line.split()
        if not fields or not fields[0].startswith("package:"):
            continue
        name = fields[0][len("package:"):]
        installer, uid = "", 0
        for field in fields[1:]:
            if field.startswith("installer=") and with_installer:
                installer = field[len("installer="):]
            elif field.startswith("uid:"):
                uid = int(field[4:].split(",")[0]) if field[4:].split(",")[0].isdigit() else 0
        if name:
            found.append((name, installer, uid))
    return found, with_installer


def _flagged(ctx: Context, flag: str) -> set[str]:
    result = ctx.device.shell(f"pm list packages {flag}")
    return {line.strip()[len("package:"):] for line in result.text.splitlines() if line.strip().startswith("package:")}


def _paths(ctx: Context, name: str) -> list[str]:
    result = ctx.device.shell(quote("pm", "path", name))
    return [line.strip()[len("package:"):] for line in result.text.splitlines()
            if line.strip().startswith("package:") and len(line.strip()) > len("package:")]


def _hashes(ctx: Context, paths: list[str]) -> dict[str, dict[str, str]]:
    if not paths:
        return {}
    script = "for f in " + " ".join(quote(p) for p in paths) + \
        '; do md5sum "$f"; sha1sum "$f"; sha256sum "$f"; sha512sum "$f"; done'
    found: dict[str, dict[str, str]] = {p: {} for p in paths}
    for line in ctx.device.shell(script).text.splitlines():
        digest, _, path = line.strip().partition("  ")
        key = _HASH_KEYS.get(len(digest))
        if key and path in found:
            found[path][key] = digest.lower()
    return found


def _certificate(ctx: Context, entry: dict[str, Any]) -> None:
    """Fill the certificate fields of one APK file entry from a private, deleted-after copy."""
    fd, name = tempfile.mkstemp(dir=ctx.workdir, suffix=".apk")
    local = Path(name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as fh:
            for chunk in ctx.device.pull(entry["path"]):
                digest.update(chunk)
                fh.write(chunk)
        if entry.get("sha256") and digest.hexdigest() != entry["sha256"]:
            entry["error"] = "the copied APK does not match the SHA-256 the phone computed"
        certificate, error = read_certificate(local)
        if certificate is None:
            entry["certificate_error"] = error
            return
        try:
            entry["certificate"] = certificate.fields()
            entry["certificate_scheme"] = certificate.scheme
        except ValueError as exc:
            entry["certificate_error"] = f"unreadable certificate: {exc}"
    except DeviceLost:
        raise
    except CollectError as exc:
        entry["error"] = str(exc)
    finally:
        local.unlink(missing_ok=True)


def _wants_certificate(ctx: Context, system: bool) -> bool:
    mode = ctx.options.apk_certificates
    return mode == "all" or (mode == "non-system" and not system)


def packages(ctx: Context) -> None:
    listed, _ = _list(ctx)
    disabled, system, third_party = _flagged(ctx, "-d"), _flagged(ctx, "-s"), _flagged(ctx, "-3")
    out: list[dict[str, Any]] = []
    for index, (name, installer, uid) in enumerate(listed, start=1):
        ctx.progress.detail(f"package {name}", index, len(listed))
        paths = _paths(ctx, name)
        hashes = _hashes(ctx, paths)
        files = []
        for path in paths:
            entry: dict[str, Any] = {"path": path, "local_name": "", "md5": "", "sha1": "", "sha256": "",
                                     "sha512": "", "error": "", "verified_certificate": False, "certificate": {},
                                     "certificate_error": "", "trusted_certificate": False}
            entry.update(hashes.get(path, {}))
            if _wants_certificate(ctx, name in system):
                _certificate(ctx, entry)
            files.append(entry)
        out.append({"name": name, "files": files, "installer": installer, "uid": uid, "disabled": name in disabled,
                    "system": name in system, "third_party": name in third_party})
    ctx.sink.write_bytes("packages.json", json.dumps(out, indent=4).encode())
