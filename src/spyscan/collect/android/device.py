"""The phone over adb, through the adbutils library (MIT), talking to an adb server.

adbutils speaks the adb host protocol to the adb server (``host:transport``, ``shell,v2:``, ``sync:``);
by default the server at 127.0.0.1:5037, started with the adb binary adbutils ships when none runs.
This module is the only place that imports adbutils; every adb failure becomes a ``CollectError`` or,
when the phone is gone mid-way, a ``DeviceLost``, with one clear line.
"""

from __future__ import annotations

import posixpath
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from spyscan.collect.errors import CollectError, DeviceLost, MissingExtra
from spyscan.texts import tr

SHELL_TIMEOUT = 600.0  # seconds for one command (dumpsys on a big phone takes a few minutes)
END_MARKER = b"__SPYSCAN_END__:"
INSTALL_HINT = "install the Android acquisition extra: pip install 'spyscan[collect-android]'"


@dataclass(frozen=True)
class ShellResult:
    stdout: bytes
    stderr: bytes
    exit_code: int

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", errors="replace")


def _adbutils() -> Any:
    try:
        import adbutils
    except ImportError as exc:
        raise MissingExtra(tr('the adbutils library is missing; %(install_hint)s', install_hint=INSTALL_HINT)) from exc
    return adbutils


def library_version() -> str:
    try:
        from importlib.metadata import version

        return version("adbutils")
    except Exception:
        return "unknown"


def quote(*parts: str) -> str:
    return " ".join(shlex.quote(p) for p in parts)


class AndroidDevice:
    """One phone, selected by serial (or the only one connected)."""

    def __init__(self, client: Any, device: Any, serial: str) -> None:
        self._client = client
        self._device = device
        self.serial = serial
        self._v2: bool | None = None
        self.commands: list[str] = []  # every shell command run on the phone, for acquisition.json

    # -- connection ------------------------------------------------------------------------------
    @classmethod
    def connect(cls, serial: str | None = None, host: str | None = None, port: int | None = None) -> AndroidDevice:
        adb = _adbutils()
        client = adb.AdbClient(host=host, port=port, socket_timeout=SHELL_TIMEOUT)
        try:
            infos = client.list()
        except Exception as exc:
            raise CollectError(tr('cannot reach the adb server (%(one_line)s); is adb installed and allowed to use '
                                  'USB on this computer?', one_line=_one_line(exc))) from exc
        if serial:
            infos = [i for i in infos if i.serial == serial]
            if not infos:
                raise CollectError(tr('no phone with serial %(serial)s is connected (check the cable, and that USB '
                                      'debugging is on)', serial=serial))
        if not infos:
            raise CollectError(tr('no Android phone found: connect it with a USB cable, turn on USB debugging '
                                  '(Settings > System > Developer options) and accept the prompt on the phone'))
        if len(infos) > 1:
            listed = ", ".join(i.serial for i in infos)
            raise CollectError(tr('several phones are connected (%(listed)s); choose one with --serial', listed=listed))
        info = infos[0]
        if info.state == "unauthorized":
            raise CollectError(tr("the phone has not authorised this computer: unlock it and accept 'Allow USB "
                                  "debugging?' on its screen, then run the command again"))
        if info.state != "device":
            raise CollectError(tr('the phone is connected but not ready (adb state: %(state)s); unlock it, reconnect '
                                  'the cable and try again', state=info.state))
        return cls(client, client.device(serial=info.serial), info.serial)

    def _features(self) -> set[str]:
        try:
            return set(str(self._device.get_features()).split(","))
        except Exception as exc:
            raise self._lost("features", exc) from exc

    def _lost(self, what: str, exc: BaseException) -> CollectError:
        """A failure of the transport: the phone is gone, or the adb server is."""
        return DeviceLost(tr('the connection to the phone was lost during %(what)s (%(one_line)s)', what=what,
                             one_line=_one_line(exc)))

    # -- commands ----------------------------------------------------------------------------------
    def shell(self, command: str, timeout: float = SHELL_TIMEOUT) -> ShellResult:
        """Run ``command`` on the phone; stdout, stderr and the exit code (shell protocol v2 when offered)."""
        self.commands.append(command)
        if self._v2 is None:
            self._v2 = "shell_v2" in self._features()
        try:
            if self._v2:
                result = self._device.shell2(command, timeout=timeout, encoding=None, v2=True)
                return ShellResult(result.stdout, result.stderr, int(result.returncode))
            result = self._device.shell2(command, timeout=timeout, encoding=None)
            return ShellResult(result.output, b"", int(result.returncode))
        except Exception as exc:
            raise self._lost(f"'{command}'", exc) from exc

    def shell_stream(self, command: str, timeout: float = SHELL_TIMEOUT) -> Iterator[bytes]:
        """The stdout of ``command`` as it comes (dumpsys, logcat...), proven whole at the end.

        With the shell protocol v2 the phone ends with an exit packet; with v1 a marker echoed after the
        command is checked and removed. A stream that stops without either was cut: ``DeviceLost``.
        """
        self.commands.append(command)
        if self._v2 is None:
            self._v2 = "shell_v2" in self._features()
        if self._v2:
            yield from self._stream_v2(command, timeout)
        else:
            yield from self._stream_v1(command, timeout)

    def _open(self, service: str, timeout: float) -> Any:
        try:
            connection = self._device.open_transport(timeout=timeout)
            connection.send_command(service)
            connection.check_okay()
            return connection
        except Exception as exc:
            raise self._lost(f"'{service}'", exc) from exc

    def _stream_v2(self, command: str, timeout: float) -> Iterator[bytes]:
        connection = self._open(f"shell,v2:{command}", timeout)
        try:
            while True:
                try:
                    header = connection.read_exact(5)
                    data = connection.read_exact(int.from_bytes(header[1:5], "little")) if header[1:5] != bytes(4) \
                        else b""
                except Exception as exc:
                    raise self._lost(f"'{command}'", exc) from exc
                if header[0] == 1 and data:
                    yield data
                elif header[0] == 3:
                    return
        finally:
            connection.close()

    def _stream_v1(self, command: str, timeout: float) -> Iterator[bytes]:
        connection = self._open(f"shell:{command}; echo {END_MARKER.decode()}$?", timeout)
        held = b""
        keep = len(END_MARKER) + 8
        try:
            while True:
                try:
                    chunk = connection.read(1 << 16)
                except Exception as exc:
                    raise self._lost(f"'{command}'", exc) from exc
                if not chunk:
                    break
                held += chunk
                if len(held) > keep:
                    yield held[:-keep]
                    held = held[-keep:]
        finally:
            connection.close()
        at = held.rfind(END_MARKER)
        if at < 0:
            raise DeviceLost(tr("the connection to the phone was lost during '%(command)s' (the output stopped early)",
                                command=command))
        if held[:at]:
            yield held[:at]

    def still_connected(self) -> bool:
        try:
            return str(self._device.get_state()) == "device"
        except Exception:
            return False

    def service_stream(self, service: str, timeout: float = SHELL_TIMEOUT) -> Iterator[bytes]:
        """The raw stream of an adb device service (``backup:...``)."""
        self.commands.append(f"[adb service] {service}")
        connection = self._open(service, timeout)
        try:
            while True:
                try:
                    chunk = connection.read(1 << 16)
                except Exception as exc:
                    raise self._lost(f"'{service}'", exc) from exc
                if not chunk:
                    break
                yield chunk
        finally:
            connection.close()
        if not self.still_connected():  # a backup stream has no end marker: the phone must still be there
            raise DeviceLost(tr("the connection to the phone was lost during '%(service)s'", service=service))

    def pull(self, remote: str) -> Iterator[bytes]:
        """A file's content through the sync protocol (RECV); CollectError when the phone refuses it."""
        adb = _adbutils()
        try:
            chunks = self._device.sync.iter_content(remote)
            while True:
                try:
                    chunk = next(chunks)
                except StopIteration:
                    return
                yield chunk
        except adb.AdbError as exc:
            if _is_refusal(exc):
                raise CollectError(tr('the phone refused to give %(remote)s: %(one_line)s', remote=remote,
                                      one_line=_one_line(exc))) from exc
            raise self._lost(f"the copy of {remote}", exc) from exc
        except Exception as exc:
            raise self._lost(f"the copy of {remote}", exc) from exc

    def exists(self, remote: str) -> bool:
        try:
            return bool(self._device.sync.stat(remote).mode)
        except Exception as exc:
            raise self._lost(f"a look at {remote}", exc) from exc

    def remove(self, remote: str) -> bool:
        """Delete a file this acquisition created on the phone; True when it is gone afterwards."""
        self.shell(quote("rm", "-f", remote))
        return not self.exists(remote)

    def basename(self, remote: str) -> str:
        return posixpath.basename(remote.rstrip("/"))


def _is_refusal(exc: BaseException) -> bool:
    text = str(exc).lower()
    if "device" in text:  # "device 'X' not found": the phone is gone, not a file refused
        return False
    return any(word in text for word in ("permission denied", "no such file", "not a regular file", "not found"))


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]
