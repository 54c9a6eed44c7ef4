"""Acquisition steps that save one command's output, in androidqf's file names and formats.

Facts from androidqf (https://github.com/mvt-project/androidqf, ``modules/*.go``): ``getprop.txt``
(``getprop``), ``settings_<ns>.txt`` (``cmd settings list <ns>`` for system, secure, global),
``processes.txt`` (``ps -A`` when no collector binary runs; spyscan pushes none), ``services.txt``
(``service list``), ``selinux.txt`` (``getenforce``), ``env.txt`` (``env``), ``dumpsys.txt``
(``dumpsys``), ``logcat.txt`` (``logcat -d -b all *:V``), ``mounts.json`` (a JSON array of the lines of
``mount`` then of ``/proc/mounts`` not already listed), ``root_binaries.json`` (a JSON array of the
outputs of ``which -a <name>`` that found something).
"""

from __future__ import annotations

import json

from spyscan.collect.android.context import Context
from spyscan.collect.errors import CollectError
from spyscan.texts import tr

ROOT_BINARIES = ("su", "busybox", "supersu", "Superuser.apk", "KingoUser.apk", "SuperSu.apk", "magisk",
                 "magiskhide", "magiskinit", "magiskpolicy")
SETTINGS_NAMESPACES = ("system", "secure", "global")


def _save_output(ctx: Context, name: str, command: str) -> str:
    result = ctx.device.shell(command)
    if result.exit_code != 0 and not result.stdout.strip():
        error = result.stderr.decode("utf-8", errors="replace").strip() or f"exit status {result.exit_code}"
        raise CollectError(tr("'%(command)s' failed on the phone: %(error)s", command=command, error=error[:200]))
    ctx.sink.write_bytes(name, result.stdout)
    return result.text


def _properties(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("[") and "]: [" in line and line.endswith("]"):
            name, _, value = line[1:-1].partition("]: [")
            found[name] = value
    return found


def environment(ctx: Context) -> None:
    text = _save_output(ctx, "env.txt", "env")
    for line in text.splitlines():
        key, _, value = line.strip().partition("=")
        if key == "TMPDIR" and value:
            ctx.tmp_dir = value if value.endswith("/") else value + "/"
        elif key == "EXTERNAL_STORAGE" and value:
            ctx.sdcard = value if value.endswith("/") else value + "/"


def getprop(ctx: Context) -> None:
    ctx.properties = _properties(_save_output(ctx, "getprop.txt", "getprop"))
    ctx.cpu = ctx.properties.get("ro.product.cpu.abi")


def settings(ctx: Context) -> None:
    for namespace in SETTINGS_NAMESPACES:
        _save_output(ctx, f"settings_{namespace}.txt", f"cmd settings list {namespace}")


def processes(ctx: Context) -> None:
    _save_output(ctx, "processes.txt", "ps -A")


def services(ctx: Context) -> None:
    _save_output(ctx, "services.txt", "service list")


def selinux(ctx: Context) -> None:
    _save_output(ctx, "selinux.txt", "getenforce")


def dumpsys(ctx: Context) -> None:
    ctx.progress.detail("dumpsys (this can take a few minutes)")
    ctx.sink.write_chunks("dumpsys.txt", ctx.device.shell_stream("dumpsys"))


def logcat(ctx: Context) -> None:
    ctx.sink.write_chunks("logcat.txt", ctx.device.shell_stream("logcat -d -b all '*:V'"))


def mounts(ctx: Context) -> None:
    lines: list[str] = []
    for command in ("mount", "cat /proc/mounts"):
        result = ctx.device.shell(command)
        for line in result.text.splitlines():
            line = line.strip()
            if line and line not in lines:
                lines.append(line)
    if not lines:
        raise CollectError(tr("neither 'mount' nor /proc/mounts gave any line"))
    ctx.sink.write_bytes("mounts.json", json.dumps(lines, indent=4).encode())


def root_binaries(ctx: Context) -> None:
    found: list[str] = []
    for name in ROOT_BINARIES:
        result = ctx.device.shell(f"which -a {name}")
        text = result.text.strip()
        if result.exit_code == 0 and text and "not found" not in text:
            found.append(text)
    ctx.sink.write_bytes("root_binaries.json", json.dumps(found, indent=4).encode())
