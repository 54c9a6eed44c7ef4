"""A fake adb server speaking the real adb host and sync protocols over TCP, serving a scripted phone.

The adb client library (adbutils) runs unchanged against it. Protocol facts from AOSP
``packages/modules/adb/protocol.txt``, ``SERVICES.TXT`` and ``SYNC.TXT``: a request is 4 hex digits of
length then the text; the answer is ``OKAY`` or ``FAIL`` + 4 hex digits + message. ``host:transport:<serial>``
(or ``host:tport:serial:<serial>``, answered with OKAY and an 8-byte transport id) switches the socket to
that phone; then ``shell:<cmd>`` (raw output until close), ``shell,v2:<cmd>`` (packets: id byte 1 stdout,
2 stderr, 3 exit; 4-byte little-endian length), ``sync:`` (8-byte requests ``STAT``/``LIST``/``RECV``/``SEND``/
``QUIT`` + little-endian length + path), and ``backup:<args>`` (the backup stream until close).

The phone (``FakePhone``) has properties, settings, packages with APK bytes, a process list, a file
system, dumpsys/logcat text, a bugreport and a backup; a small shell interprets the commands a client
sends (``getprop``, ``pm``, ``find``, ``md5sum``..., ``rm``), so answers come from the phone's state,
not from a table of expected command lines. ``disconnect_when`` cuts the phone off (the socket is
closed mid-answer and the phone disappears from the device list), as when a cable is pulled.
"""

from __future__ import annotations

import contextlib
import hashlib
import shlex
import socket
import socketserver
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

S_IFREG = 0o100000
S_IFDIR = 0o040000


@dataclass
class FakeFile:
    data: bytes
    mode: int = 0o644
    mtime: int = 1_717_000_000
    user: str = "root"
    group: str = "root"
    readable: bool = True


@dataclass
class FakePackage:
    name: str
    installer: str = "com.android.vending"
    uid: int = 10100
    system: bool = False
    disabled: bool = False
    apks: dict[str, bytes] = field(default_factory=dict)  # path -> APK bytes


@dataclass
class FakePhone:
    serial: str = "FAKE0001"
    properties: dict[str, str] = field(default_factory=dict)
    settings: dict[str, dict[str, str]] = field(default_factory=dict)
    packages: list[FakePackage] = field(default_factory=list)
    processes: str = ""
    services: str = "Found 1 services:\n0\tactivity: [android.app.IActivityManager]\n"
    dumpsys: str = ""
    logcat: str = ""
    mounts: str = ""
    files: dict[str, FakeFile] = field(default_factory=dict)
    bugreport: bytes | None = None
    backup: bytes | None = None
    state: str = "device"
    shell_v2: bool = True
    env: dict[str, str] = field(default_factory=lambda: {"TMPDIR": "/data/local/tmp", "EXTERNAL_STORAGE": "/sdcard"})
    disconnect_when: Callable[[str], bool] | None = None  # command -> cut the phone off while answering it
    connected: bool = True
    log: list[str] = field(default_factory=list)  # every service request, in order

    # -- the shell ----------------------------------------------------------------------------------
    def run(self, command: str) -> tuple[bytes, bytes, int]:
        if " && " in command or "; do " in command:
            return self._script(command)
        try:
            argv = shlex.split(command)
        except ValueError:
            return b"", b"syntax error\n", 2
        redirect_null = "2>/dev/null" in argv
        argv = [a for a in argv if a != "2>/dev/null"]
        if not argv:
            return b"", b"", 0
        handler = getattr(self, "_cmd_" + argv[0].replace("-", "_"), None)
        if handler is None:
            return b"", f"/system/bin/sh: {argv[0]}: inaccessible or not found\n".encode(), 127
        out, err, code = handler(argv[1:])
        return out, (b"" if redirect_null else err), code

    def _script(self, command: str) -> tuple[bytes, bytes, int]:
        # ``for f in A B; do md5sum "$f"; sha1sum "$f"; ...; done`` (the one loop form clients send)
        head, _, body = command.partition("; do ")
        items = shlex.split(head)[3:] if head.startswith("for f in ") else []
        tools = [part.strip().split()[0] for part in body.replace("; done", "").split(";") if part.strip()]
        out = b""
        for item in items:
            for tool in tools:
                out += self._cmd_hash(tool, [item])[0]
        return out, b"", 0

    def _cmd_env(self, args: list[str]) -> tuple[bytes, bytes, int]:
        return "".join(f"{k}={v}\n" for k, v in self.env.items()).encode(), b"", 0

    def _cmd_getprop(self, args: list[str]) -> tuple[bytes, bytes, int]:
        if args:
            return (self.properties.get(args[0], "") + "\n").encode(), b"", 0
        return "".join(f"[{k}]: [{v}]\n" for k, v in self.properties.items()).encode(), b"", 0

    def _cmd_cmd(self, args: list[str]) -> tuple[bytes, bytes, int]:
        if args[:2] == ["settings", "list"] and len(args) == 3:
            return "".join(f"{k}={v}\n" for k, v in self.settings.get(args[2], {}).items()).encode(), b"", 0
        return b"", b"cmd: unknown\n", 255

    def _cmd_ps(self, args: list[str]) -> tuple[bytes, bytes, int]:
        return self.processes.encode(), b"", 0

    def _cmd_service(self, args: list[str]) -> tuple[bytes, bytes, int]:
        return self.services.encode(), b"", 0

    def _cmd_getenforce(self, args: list[str]) -> tuple[bytes, bytes, int]:
        return b"Enforcing\n", b"", 0

    def _cmd_dumpsys(self, args: list[str]) -> tuple[bytes, bytes, int]:
        return self.dumpsys.encode(), b"", 0

    def _cmd_logcat(self, args: list[str]) -> tuple[bytes, bytes, int]:
        return self.logcat.encode(), b"", 0

    def _cmd_mount(self, args: list[str]) -> tuple[bytes, bytes, int]:
        return self.mounts.encode(), b"", 0

    def _cmd_cat(self, args: list[str]) -> tuple[bytes, bytes, int]:
        if args == ["/proc/mounts"]:
            return self.mounts.encode(), b"", 0
        found = self.files.get(args[0]) if args else None
        return (found.data, b"", 0) if found else (b"", b"cat: No such file or directory\n", 1)

    def _cmd_which(self, args: list[str]) -> tuple[bytes, bytes, int]:
        name = args[-1]
        hits = [p for p in self.files if p.rsplit("/", 1)[-1] == name and p.startswith(("/system/", "/sbin/"))]
        return ("".join(h + "\n" for h in sorted(hits))).encode(), b"", 0 if hits else 1

    def _cmd_pm(self, args: list[str]) -> tuple[bytes, bytes, int]:
        if args[:2] == ["list", "packages"]:
            flags = args[2:]
            chosen = self.packages
            if "-d" in flags:
                chosen = [p for p in chosen if p.disabled]
            if "-s" in flags:
                chosen = [p for p in chosen if p.system]
            if "-3" in flags:
                chosen = [p for p in chosen if not p.system]
            lines = []
            for p in chosen:
                line = f"package:{p.name}"
                if "-i" in flags:
                    line += f"  installer={p.installer}"
                if "-U" in flags:
                    line += f" uid:{p.uid}"
                lines.append(line + "\n")
            return "".join(lines).encode(), b"", 0
        if args[:1] == ["path"] and len(args) == 2:
            found = next((p for p in self.packages if p.name == args[1]), None)
            if found is None:
                return b"", b"", 1
            return "".join(f"package:{path}\n" for path in found.apks).encode(), b"", 0
        return b"", b"Unknown command\n", 1

    def _file(self, path: str) -> FakeFile | None:
        if path in self.files:
            return self.files[path]
        for package in self.packages:
            if path in package.apks:
                return FakeFile(package.apks[path], mode=0o644, user="system", group="system")
        return None

    def _cmd_hash(self, tool: str, args: list[str]) -> tuple[bytes, bytes, int]:
        algorithm = {"md5sum": "md5", "sha1sum": "sha1", "sha256sum": "sha256", "sha512sum": "sha512"}[tool]
        out = b""
        for path in args:
            found = self._file(path)
            if found is not None and found.readable:
                out += f"{hashlib.new(algorithm, found.data).hexdigest()}  {path}\n".encode()
        return out, b"", 0

    def _cmd_md5sum(self, args: list[str]) -> tuple[bytes, bytes, int]:
        return self._cmd_hash("md5sum", args)

    def _cmd_sha1sum(self, args: list[str]) -> tuple[bytes, bytes, int]:
        return self._cmd_hash("sha1sum", args)

    def _cmd_sha256sum(self, args: list[str]) -> tuple[bytes, bytes, int]:
        return self._cmd_hash("sha256sum", args)

    def _cmd_sha512sum(self, args: list[str]) -> tuple[bytes, bytes, int]:
        return self._cmd_hash("sha512sum", args)

    def _cmd_find(self, args: list[str]) -> tuple[bytes, bytes, int]:
        root = args[0]
        maxdepth = int(args[args.index("-maxdepth") + 1]) if "-maxdepth" in args else None
        prefix = root if root.endswith("/") else root + "/"
        paths = []
        for path, found in sorted(self.files.items()):
            if not path.startswith(prefix) or not found.readable:
                continue
            depth = path[len(prefix):].count("/") + 1
            if maxdepth is None or depth <= maxdepth:
                paths.append(path)
        if "-exec" in args:
            return self._cmd_hash(args[args.index("-exec") + 1], paths)
        if "-printf" in args:
            lines = [f"{self.files[p].mtime}.0 {self.files[p].mode:o} {len(self.files[p].data)} {self.files[p].user} "
                     f"{self.files[p].group} {p}\n" for p in paths]
            return "".join(lines).encode(), b"", 0
        return "".join(p + "\n" for p in paths).encode(), b"", 0

    def _cmd_rm(self, args: list[str]) -> tuple[bytes, bytes, int]:
        for path in (a for a in args if not a.startswith("-")):
            self.files.pop(path, None)
        return b"", b"", 0

    def _cmd_bugreportz(self, args: list[str]) -> tuple[bytes, bytes, int]:
        if self.bugreport is None:
            return b"FAIL:bugreport disabled by policy\n", b"", 0
        path = "/data/user_de/0/com.android.shell/files/bugreports/bugreport-fake-2024-06-03-10-00-00.zip"
        self.files[path] = FakeFile(self.bugreport, mode=0o644, user="shell", group="shell")
        return f"BEGIN:{path}\nPROGRESS:50/100\nPROGRESS:100/100\nOK:{path}\n".encode(), b"", 0


# -- the server ---------------------------------------------------------------------------------------


class _Cut(Exception):
    """The phone is cut off: close the socket now."""


class _Handler(socketserver.BaseRequestHandler):
    server: FakeAdbServer

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.request.recv(n - len(data))
            if not chunk:
                raise ConnectionError("client closed")
            data += chunk
        return data

    def _okay(self) -> None:
        self.request.sendall(b"OKAY")

    def _fail(self, message: str) -> None:
        raw = message.encode()
        self.request.sendall(b"FAIL" + f"{len(raw):04x}".encode() + raw)

    def _block(self, text: str) -> None:
        raw = text.encode()
        self.request.sendall(b"OKAY" + f"{len(raw):04x}".encode() + raw)

    def handle(self) -> None:
        try:
            self._serve()
        except (ConnectionError, _Cut, OSError):
            pass
        finally:
            with contextlib.suppress(OSError):
                self.request.shutdown(socket.SHUT_RDWR)

    def _serve(self) -> None:
        phone = self.server.phone
        while True:
            request = self._read(int(self._read(4), 16)).decode()
            phone.log.append(request)
            if request == "host:version":
                self._block(f"{self.server.version:04x}")
                return
            if request in ("host:devices", "host:devices-l"):
                listed = f"{phone.serial}\t{phone.state}\n" if phone.connected else ""
                self._block(listed)
                return
            if request.startswith("host-serial:"):
                _, serial, what = request.split(":", 2)
                if not phone.connected or serial != phone.serial:
                    self._fail(f"device '{serial}' not found")
                    return
                if what == "features":
                    self._block("shell_v2,cmd,stat_v2,ls_v2,fixed_push_mkdir,apex,abb" if phone.shell_v2 else "cmd")
                elif what == "get-state":
                    self._block(phone.state)
                else:
                    self._fail(f"unknown host request {what}")
                return
            serial = None
            if request.startswith("host:tport:serial:"):
                serial = request[len("host:tport:serial:"):]
            elif request.startswith("host:transport:"):
                serial = request[len("host:transport:"):]
            if serial is None:
                self._fail(f"unknown host service {request}")
                return
            if not phone.connected or serial != phone.serial:
                self._fail(f"device '{serial}' not found")
                return
            if phone.state != "device":
                self._fail(f"device {phone.state}")
                return
            self._okay()
            if request.startswith("host:tport:"):
                self.request.sendall(struct.pack("<Q", 1))
            self._device_service()
            return

    def _maybe_cut(self, command: str, partial: bytes = b"") -> None:
        phone = self.server.phone
        if phone.disconnect_when is not None and phone.disconnect_when(command):
            phone.connected = False
            if partial:
                self.request.sendall(partial)
            raise _Cut(command)

    def _device_service(self) -> None:
        phone = self.server.phone
        service = self._read(int(self._read(4), 16)).decode()
        phone.log.append(service)
        if service.startswith("shell,v2:"):
            command = service[len("shell,v2:"):]
            out, err, code = phone.run(command)
            self._okay()
            self._maybe_cut(command, b"\x01" + struct.pack("<I", len(out)) + out[: len(out) // 2])
            for kind, data in ((1, out), (2, err)):
                for start in range(0, len(data), 1 << 15):
                    piece = data[start:start + (1 << 15)]
                    self.request.sendall(bytes([kind]) + struct.pack("<I", len(piece)) + piece)
            self.request.sendall(b"\x03" + struct.pack("<I", 1) + bytes([code & 0xFF]))
        elif service.startswith("shell:"):
            command = service[len("shell:"):]
            # ``<cmd>; echo WORD$?``: the command, then WORD and its exit status, as a shell does
            head, sep, tail = command.rpartition("; echo ")
            echo = tail[:-2] if sep and tail.endswith("$?") and " " not in tail else None
            out, _err, code = phone.run(head if echo is not None else command)
            self._okay()
            self._maybe_cut(head if echo is not None else command, out[: len(out) // 2])
            self.request.sendall(out + (f"{echo}{code}\n".encode() if echo is not None else b""))
        elif service == "sync:":
            self._okay()
            self._sync()
        elif service.startswith("backup:"):
            self._okay()
            self._maybe_cut(service, (phone.backup or b"")[:100])
            self.request.sendall(phone.backup or b"")
        else:
            self._fail(f"unknown service {service}")

    def _sync(self) -> None:
        phone = self.server.phone
        while True:
            header = self._read(8)
            verb, length = header[:4].decode(), struct.unpack("<I", header[4:])[0]
            if verb == "QUIT":
                return
            path = self._read(length).decode()
            phone.log.append(f"sync {verb} {path}")
            if verb == "STAT":
                found = phone._file(path)
                is_dir = any(p.startswith(path.rstrip("/") + "/") for p in phone.files)
                mode = (S_IFREG | found.mode) if found else (S_IFDIR | 0o755 if is_dir else 0)
                size = len(found.data) if found else 0
                self.request.sendall(b"STAT" + struct.pack("<III", mode, size, found.mtime if found else 0))
            elif verb == "LIST":
                prefix = path.rstrip("/") + "/"
                for name in sorted({p[len(prefix):].split("/", 1)[0] for p in phone.files if p.startswith(prefix)}):
                    raw = name.encode()
                    self.request.sendall(b"DENT" + struct.pack("<IIII", S_IFREG | 0o644, 0, 0, len(raw)) + raw)
                self.request.sendall(b"DONE" + bytes(16))
            elif verb == "RECV":
                found = phone._file(path)
                if found is None or not found.readable:
                    why = b"Permission denied" if found else b"No such file or directory"
                    message = b"remote open failed: " + why
                    self.request.sendall(b"FAIL" + struct.pack("<I", len(message)) + message)
                    continue
                self._maybe_cut(f"pull {path}", b"DATA" + struct.pack("<I", len(found.data)) + found.data[:10])
                for start in range(0, len(found.data), 1 << 16):
                    piece = found.data[start:start + (1 << 16)]
                    self.request.sendall(b"DATA" + struct.pack("<I", len(piece)) + piece)
                self.request.sendall(b"DONE" + bytes(4))
            elif verb == "SEND":
                remote, _, mode = path.rpartition(",")
                data = b""
                while True:
                    head = self._read(8)
                    if head[:4] == b"DONE":
                        break
                    data += self._read(struct.unpack("<I", head[4:])[0])
                phone.files[remote] = FakeFile(data, mode=int(mode) & 0o777)
                self.request.sendall(b"OKAY" + bytes(4))
            else:
                self.request.sendall(b"FAIL" + struct.pack("<I", 7) + b"unknown")
                return


class FakeAdbServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, phone: FakePhone, version: int = 41) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.phone = phone
        self.version = version
        self._thread = threading.Thread(target=self.serve_forever, name="fake-adb", daemon=True)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def __enter__(self) -> FakeAdbServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
