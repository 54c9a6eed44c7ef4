"""A real ``spyscan serve`` in a subprocess, and a small HTTP client that can send any Host header.

The server is the installed command, started as a person would start it (``--no-browser``), with a
store, roots and a results folder of the test's own; its address and token are read from what it
prints. The client speaks HTTP/1.1 with ``http.client`` so that tests control every header.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

URL = re.compile(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]+)")
CSRF = re.compile(r'"X-CSRF-Token": "([A-Za-z0-9_-]+)"')


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    token: str
    store: Path
    results: Path
    roots: list[Path]
    output: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self, sig: int = signal.SIGINT, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            raise

    def client(self) -> Client:
        client = Client(self.port)
        client.login(self.token)
        return client


def start(tmp: Path, roots: list[Path], env: dict[str, str] | None = None, jobs: int = 1,
          extra: list[str] | None = None) -> Server:
    store = tmp / "store" / "cases.sqlite"
    results = tmp / "results"
    args = [sys.executable, "-m", "spyscan", "serve", "--no-browser", "--port", "0", "--store", str(store),
            "--results", str(results), "--lang", "en", "--jobs", str(jobs), *(extra or [])]
    for root in roots:
        args += ["--root", str(root)]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})})
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = URL.search(line)
        if found:
            server = Server(process, int(found.group(1)), found.group(2), store, results, roots, lines)
            threading.Thread(target=_drain, args=(process, lines), daemon=True).start()
            return server
    process.kill()
    raise AssertionError("spyscan serve did not print its address:\n" + "".join(lines))


def _drain(process: subprocess.Popen[str], lines: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)


class Client:
    def __init__(self, port: int, host: str | None = None) -> None:
        self.port = port
        self.host = host if host is not None else f"127.0.0.1:{port}"
        self.cookie = ""
        self.csrf = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                timeout: float = 60) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            sent = {"Host": self.host, **({"Cookie": self.cookie} if self.cookie else {}), **(headers or {})}
            if body is not None and "Transfer-Encoding" not in sent:
                sent.setdefault("Content-Length", str(len(body)))
            for name, value in sent.items():
                conn.putheader(name, value)
            conn.endheaders(body)
            reply = conn.getresponse()
            return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
        finally:
            conn.close()

    def login(self, token: str) -> Response:
        reply = self.request("GET", f"/?token={token}")
        assert reply.status == 303, reply
        self.cookie = reply.headers["set-cookie"].split(";", 1)[0]
        page = self.get("/")
        found = CSRF.search(page.text)
        assert found, page.text[:500]
        self.csrf = found.group(1)
        return reply

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields: dict[str, str] | None = None, csrf: bool = True,
             headers: dict[str, str] | None = None) -> Response:
        body = urlencode(fields or {}).encode()
        sent = {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true",
                **({"X-CSRF-Token": self.csrf} if csrf else {}), **(headers or {})}
        return self.request("POST", path, body, sent)

    def upload(self, path: str, filename: str, data: bytes, fields: dict[str, str], csrf: bool = True) -> Response:
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                     "Content-Type: application/json\r\n\r\n".encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "HX-Request": "true",
                   **({"X-CSRF-Token": self.csrf} if csrf else {})}
        return self.request("POST", path, body, headers)

    def wait_job(self, path: str, until: tuple[str, ...] = ("done", "failed", "cancelled", "password"),
                 timeout: float = 120) -> str:
        """Poll a check or hunt page until its state is one of ``until``; returns the state."""
        deadline = time.monotonic() + timeout
        state = ""
        while time.monotonic() < deadline:
            found = re.search(r'data-state="([a-z]+)"', self.get(path).text)
            state = found.group(1) if found else ""
            if state in until:
                return state
            time.sleep(0.2)
        raise AssertionError(f"{path} still {state!r} after {timeout} s")

    def create_case(self, name: str) -> int:
        reply = self.post("/cases", {"name": name})
        assert reply.status == 204, reply
        return int(reply.headers["hx-redirect"].rsplit("/", 1)[1])

    def start_check(self, case_id: int, path: Path, device: str, **fields: str) -> int:
        reply = self.post(f"/cases/{case_id}/check", {"path": str(path), "device": device, **fields})
        assert reply.status == 204, reply
        return int(reply.headers["hx-redirect"].rsplit("/", 1)[1])

    def run_of_check(self, job_id: int) -> int:
        found = re.search(r'href="/runs/(\d+)" id="open-results"', self.get(f"/checks/{job_id}").text)
        assert found
        return int(found.group(1))


def store_counts(store: Path) -> dict[str, int]:
    """Rows of every table of the case store (to prove that a refused request changed nothing)."""
    import sqlite3

    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        db.close()


def private_files(root: Path) -> list[str]:
    """Files and folders under ``root`` that someone other than the owner could read or write."""
    bad = []
    for path in [root, *root.rglob("*")]:
        mode = path.lstat().st_mode & 0o777
        if mode & 0o077:
            bad.append(f"{path} {oct(mode)}")
    return bad


def dump(doc: object) -> str:
    return json.dumps(doc, indent=1, default=str)
