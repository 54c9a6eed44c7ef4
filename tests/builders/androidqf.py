"""Synthetic androidqf acquisitions for tests, the demo and the benchmark.

Usage::

    from builders.androidqf import build_androidqf, package

    path = build_androidqf(tmp_path / "acq")                                  # a clean folder
    path = build_androidqf(tmp_path / "acq", packages=[package("com.gu.activity", installer=None)],
                           getprop={"sys.brand.note": "1"}, form="zip")      # planted indicators, zipped
    path = build_androidqf(tmp_path / "acq", form="age", passphrase="secret")   # acq.zip.age (scrypt)
    path = build_androidqf(tmp_path / "acq", form="age", identity=tmp_path / "key.txt")  # X25519 identity

``form`` is ``"folder"`` (returns the folder), ``"zip"`` (returns ``<root>.zip``) or ``"age"``
(returns ``<root>.zip.age``; with ``identity`` the key file is written there and its recipient used).
Files written, in the formats androidqf produces: ``acquisition.json``, ``packages.json``,
``ps.txt`` (``ps -A`` text, older androidqf), ``processes.txt`` (collector JSON), ``getprop.txt``,
``settings_{global,secure,system}.txt``,
``files.json``, ``root_binaries.json``, ``mounts.json``, ``dumpsys.txt``, ``logcat.txt``,
``logs/*``, ``extra_files`` (e.g. ``bugreport.zip``, ``adb_host_key.pub``) and ``hashes.csv`` (sha256 of
every other file; ``tamper=`` changes a file afterwards). ``dumpsys_sections`` adds services to dumpsys.txt.
Nothing here imports spyscan.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

ACQUIRED = "2024-03-21T11:07:22Z"
CLEAN_PACKAGES_NAMES = ("com.android.chrome", "com.google.android.gms", "org.telegram.messenger")

CLEAN_GETPROP = {
    "ro.product.manufacturer": "Google",
    "ro.product.model": "Pixel 7",
    "ro.build.version.release": "14",
    "ro.build.version.security_patch": "2024-03-05",
    "ro.build.fingerprint": "google/panther/panther:14/UQ1A.240305.002/1:user/release-keys",
    "persist.sys.timezone": "America/Mexico_City",
}

CLEAN_SETTINGS = {
    "global": {"package_verifier_enable": "1", "verifier_verify_adb_installs": "1", "adb_enabled": "1"},
    "secure": {"install_non_market_apps": "0", "enabled_accessibility_services": "null"},
    "system": {"screen_brightness": "102"},
}

CLEAN_MOUNTS = [
    "/dev/block/dm-0 / ext4 ro,seclabel,relatime 0 0",
    "/dev/block/dm-1 /vendor ext4 ro,seclabel,relatime 0 0",
    "tmpfs /dev tmpfs rw,seclabel,nosuid,relatime,mode=755 0 0",
    "/dev/block/dm-40 on /data type f2fs (rw,lazytime,seclabel,nosuid,nodev)",
]

CLEAN_PROCESSES = [("root", 1, 0, "init"), ("system", 1200, 1, "system_server"),
                   ("u0_a150", 4242, 700, "org.telegram.messenger")]

CLEAN_DUMPSYS = """\
DUMP OF SERVICE accessibility:
ACCESSIBILITY MANAGER (dumpsys accessibility)
User state[attributes:{id=0, currentUser=true
  installed services: {
    0 : com.google.android.marvin.talkback/com.google.android.marvin.talkback.TalkBackService
  }
  enabled services: {
  }
  bound services:{
  }]
--------- 0.004s was the duration of dumpsys accessibility, ending at: 2024-03-21 11:07:22
-------------------------------------------------------------------------------
DUMP OF SERVICE package:
Receiver Resolver Table:
  Non-Data Actions:
      android.provider.Telephony.SMS_RECEIVED:
        1a2b3c4 com.google.android.apps.messaging/.shared.receiver.SmsReceiver
{receivers}
Packages:
  Package [org.telegram.messenger] (4be8eeb):
    userId=10150
    codePath=/data/app/~~x==/org.telegram.messenger-y==
    versionCode=45000 minSdk=21 targetSdk=33
    versionName=10.9.1
    flags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ]
    timeStamp=2024-01-02 10:00:00
    firstInstallTime=2024-01-02 10:00:00
    lastUpdateTime=2024-02-02 10:00:00
    installerPackageName=com.android.vending
    requested permissions:
      android.permission.INTERNET
    install permissions:
      android.permission.INTERNET: granted=true
    User 0: ceDataInode=1 installed=true hidden=false suspended=false stopped=false notLaunched=false enabled=0
{packages}
--------- 0.3s was the duration of dumpsys package, ending at: 2024-03-21 11:07:23
-------------------------------------------------------------------------------
DUMP OF SERVICE appops:
Current AppOps Service state:
  Uid u0a150:
    state=cch
    Package org.telegram.messenger:
      WAKE_LOCK (allow):
          Access: [bg-s] 2024-03-20 09:00:00.000 (-1d) duration=+33ms
{appops}
-------------------------------------------------------------------------------
"""


def package(name: str, *, installer: str | None = "com.android.vending", sha256: str | None = None,
            cert_sha256: str | None = None, cert_sha1: str | None = None, system: bool = False,
            disabled: bool = False, uid: int = 10200, trusted: bool = False, path: str | None = None
            ) -> dict[str, Any]:
    """One ``packages.json`` entry (installer None is written as androidqf does: the string "null").

    ``trusted``: androidqf found the signer on its list of well-known developers; ``path``: the APK's path
    (default: where Android 11+ installs an app, ``/data/app/~~<random>==/<package>-<random>==/base.apk``).
    """
    apk_sha256 = sha256 or hashlib.sha256(name.encode()).hexdigest()
    certificate = {
        "Md5": hashlib.md5(b"cert" + name.encode()).hexdigest(),
        "Sha1": cert_sha1 or hashlib.sha1(b"cert" + name.encode()).hexdigest(),
        "Sha256": cert_sha256 or hashlib.sha256(b"cert" + name.encode()).hexdigest(),
        "Issuer": "CN=Test", "Subject": "CN=Test",
    }
    return {
        "name": name,
        "files": [{"path": path or f"/data/app/~~x==/{name}-y==/base.apk", "local_name": "", "md5": "", "sha1": "",
                   "sha256": apk_sha256, "sha512": "", "error": "", "verified_certificate": True,
                   "certificate": certificate, "certificate_error": "", "trusted_certificate": trusted}],
        "installer": installer if installer is not None else "null",
        "uid": uid, "disabled": disabled, "system": system, "third_party": not system,
    }


def file_entry(path: str, *, sha256: str = "", size: int = 10, modified: int = 1_710_000_000) -> dict[str, Any]:
    return {"path": path, "size": size, "mode": "-rw-r--r--", "user_id": 2000, "user_name": "", "group_id": 2000,
            "group_name": "", "changed_time": modified, "modified_time": modified, "access_time": modified,
            "error": "", "context": "u:object_r:shell_data_file:s0", "sha1": "", "sha256": sha256, "sha512": "",
            "md5": ""}


def age_passphrase_encrypt(data: bytes, passphrase: str, log_n: int = 10) -> bytes:
    """age v1 passphrase (scrypt) encryption with a small work factor, so that tests stay fast.

    pyrage calibrates the scrypt work factor to about a second of CPU per call; this writes the same
    format (scrypt stanza, HMAC'd header, ChaCha20-Poly1305 STREAM in 64 KiB chunks) with ``log_n``.
    ``pyrage.passphrase.decrypt`` reads it (checked in the tests).
    """
    import base64
    import hmac
    import os

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode().rstrip("=")

    def hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(key)

    file_key, salt, nonce = os.urandom(16), os.urandom(16), os.urandom(16)
    wrap = hashlib.scrypt(passphrase.encode(), salt=b"age-encryption.org/v1/scrypt" + salt, n=1 << log_n, r=8, p=1,
                          dklen=32)
    body = ChaCha20Poly1305(wrap).encrypt(b"\x00" * 12, file_key, None)
    header = f"age-encryption.org/v1\n-> scrypt {b64(salt)} {log_n}\n{b64(body)}\n---".encode()
    mac = hmac.new(hkdf(file_key, b"", b"header"), header, "sha256").digest()
    out = bytearray(header + b" " + b64(mac).encode() + b"\n" + nonce)
    aead = ChaCha20Poly1305(hkdf(file_key, nonce, b"payload"))
    chunks = [data[i:i + 65536] for i in range(0, len(data), 65536)] or [b""]
    for counter, chunk in enumerate(chunks):
        last = b"\x01" if counter == len(chunks) - 1 else b"\x00"
        out += aead.encrypt(counter.to_bytes(11, "big") + last, chunk, None)
    return bytes(out)


def _getprop_text(props: Mapping[str, str]) -> str:
    return "".join(f"[{k}]: [{v}]\n" for k, v in props.items())


def build_androidqf(
    root: Path,
    *,
    packages: Sequence[dict[str, Any]] | None = None,
    processes: Sequence[tuple[str, int, int, str]] | None = None,
    getprop: Mapping[str, str] | None = None,
    settings: Mapping[str, Mapping[str, str]] | None = None,
    files: Sequence[dict[str, Any]] | None = None,
    root_binaries: Sequence[str] = (),
    mounts: Sequence[str] | None = None,
    dumpsys_receivers: str = "",
    dumpsys_packages: str = "",
    dumpsys_appops: str = "",
    dumpsys_sections: Mapping[str, str] | None = None,
    extra_files: Mapping[str, bytes] | None = None,
    logcat: str = "03-21 11:00:00.000  1200  1300 I ActivityManager: Start proc 4242:org.telegram.messenger\n",
    logs: Mapping[str, bytes] | None = None,
    acquired: str | None = ACQUIRED,
    files_ndjson: bool = False,
    hashes: bool = True,
    tamper: Mapping[str, bytes] | None = None,
    form: str = "folder",
    passphrase: str | None = None,
    identity: Path | None = None,
) -> Path:
    """Write an androidqf acquisition under ``root`` (clean defaults, extras merged in); see module doc."""
    root.mkdir(parents=True, exist_ok=True)
    written: dict[str, bytes] = {}

    def put(name: str, data: bytes | str) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(raw)
        written[name] = raw

    if acquired is not None:
        put("acquisition.json", json.dumps({"uuid": "5d1d7ad4-0000-4000-8000-000000000001",
                                            "androidqf_version": "1.7.0", "started": acquired,
                                            "completed": acquired, "tmp_dir": "/data/local/tmp/",
                                            "collector": {"ExePath": "/data/local/tmp/collector"}}, indent=2))
    all_packages = [package(n, system=n != "org.telegram.messenger") for n in CLEAN_PACKAGES_NAMES]
    all_packages += list(packages or [])
    put("packages.json", json.dumps(all_packages))
    procs = list(CLEAN_PROCESSES) + list(processes or [])
    ps = "USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME\n"
    ps += "".join(f"{u:<14} {pid:>4} {ppid:>5} 1000 100 0 0 S {name}\n" for u, pid, ppid, name in procs)
    put("ps.txt", ps)
    # current androidqf: processes.txt holds its collector's JSON (adb/collector.go ProcessInfo)
    put("processes.txt", json.dumps([{"pid": pid, "uid": 0 if u == "root" else 10150, "ppid": ppid, "pgroup": pid,
                                      "psid": pid, "filename": f"({name[:15]})", "priority": 20, "state": "S",
                                      "user_time": 1, "kernel_time": 1,
                                      "path": "/system/bin/app_process64" if "." in name else f"/system/bin/{name}",
                                      "context": "u:r:untrusted_app:s0", "previous_context": "u:r:zygote:s0",
                                      "command_line": [name], "env": None, "cwd": "/"}
                                     for u, pid, ppid, name in procs], indent=4))
    put("getprop.txt", _getprop_text({**CLEAN_GETPROP, **(getprop or {})}))
    merged = {ns: dict(values) for ns, values in CLEAN_SETTINGS.items()}
    for ns, values in (settings or {}).items():
        merged.setdefault(ns, {}).update(values)
    for ns, values in merged.items():
        put(f"settings_{ns}.txt", "".join(f"{k}={v}\n" for k, v in values.items()))
    # androidqf's collector, copied to the phone's temp folder during the acquisition (adb/collector.go)
    collector_time = int(datetime.fromisoformat((acquired or ACQUIRED).replace("Z", "+00:00")).timestamp())
    file_list = [file_entry("/sdcard/DCIM/Camera/IMG_0001.jpg"),
                 file_entry("/data/local/tmp/collector", modified=collector_time)]
    file_list += list(files or [])
    if files_ndjson:
        put("files.json", "".join(json.dumps(f) + "\n" for f in file_list))
    else:
        put("files.json", json.dumps(file_list))
    put("root_binaries.json", json.dumps(list(root_binaries)))
    put("mounts.json", json.dumps(list(CLEAN_MOUNTS) + list(mounts or [])))
    dumpsys = CLEAN_DUMPSYS.replace("{receivers}\n", dumpsys_receivers)
    dumpsys = dumpsys.replace("{packages}\n", dumpsys_packages).replace("{appops}\n", dumpsys_appops)
    for service, body in (dumpsys_sections or {}).items():
        dumpsys += (f"DUMP OF SERVICE {service}:\n{body}--------- 0.01s was the duration of dumpsys {service}, "
                    f"ending at: 2024-03-21 11:07:24\n{'-' * 79}\n")
    put("dumpsys.txt", dumpsys)
    for name, data in (extra_files or {}).items():
        put(name, data)
    put("logcat.txt", logcat)
    for name, data in (logs or {"logs/uiderrors.txt": b"no errors\n"}).items():
        put(name, data)
    if hashes:
        put("hashes.csv", "".join(f"{name},{hashlib.sha256(data).hexdigest()}\n" for name, data in written.items()))
    for name, data in (tamper or {}).items():
        (root / name).write_bytes(data)

    if form == "folder":
        return root
    archive = root.with_name(root.name + ".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(root).as_posix())
    shutil.rmtree(root)
    if form == "zip":
        return archive
    if form != "age":
        raise ValueError(f"unknown form {form!r}")
    import pyrage

    plain = archive.read_bytes()
    if identity is not None:
        key = pyrage.x25519.Identity.generate()
        identity.write_text(f"# created: test\n# public key: {key.to_public()}\n{key}\n")
        encrypted = pyrage.encrypt(plain, [key.to_public()])
    else:
        encrypted = age_passphrase_encrypt(plain, passphrase or "correct horse battery staple")
    target = archive.with_name(archive.name + ".age")
    target.write_bytes(encrypted)
    archive.unlink()
    return target
