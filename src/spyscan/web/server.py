"""Serving the app on the loopback interface with uvicorn, and opening the browser without leaking the token.

The socket is bound to 127.0.0.1 before uvicorn starts (so the address printed is the one served,
also with ``--port 0``). The browser is opened on a small owner-only file that redirects to the
address with its token: the token never appears in the command line of the browser process, which
other users of the computer can see.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import sys
import tempfile
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import uvicorn

from spyscan.web.app import create_app
from spyscan.web.config import ServeConfig
from spyscan.web.jobs import JobManager

HOST = "127.0.0.1"
GRACEFUL = 3  # seconds open connections get when the server closes


def new_token() -> str:
    return secrets.token_urlsafe(32)


def bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    sock.listen(128)
    sock.set_inheritable(False)
    return sock


class _Server(uvicorn.Server):
    """Uvicorn's server; a stop request also ends the live progress streams at once."""

    def __init__(self, config: uvicorn.Config, jobs: JobManager) -> None:
        super().__init__(config)
        self.jobs = jobs

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.jobs.stopping.set()
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """As uvicorn's, but a stop asked by a signal ends ``serve`` normally instead of raising it again."""
        with super().capture_signals():
            yield
            self._captured_signals.clear()


def _redirect_file(url: str) -> Path:
    fd, name = tempfile.mkstemp(prefix="spyscan-serve-", suffix=".html")  # created 0600
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f'<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={url}">'
                 f'<title>spyscan</title><a href="{url}">spyscan</a>\n')
    return Path(name)


def serve(config: ServeConfig, open_browser: bool = True, lang: str | None = None,
          announce: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted (Ctrl-C, SIGTERM); running checks are cancelled before returning."""
    os.umask(0o077)  # every file this process writes is the owner's only
    sock = bind(config.port)
    config = config.with_port(sock.getsockname()[1])
    app, jobs = create_app(config, lang)
    url = f"http://{HOST}:{config.port}/?token={config.token}"
    (announce or _print)(url)
    redirect: Path | None = None
    if open_browser:
        redirect = _redirect_file(url)
        with contextlib.suppress(Exception):
            webbrowser.open(redirect.as_uri())
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    server = _Server(uvicorn.Config(app, log_level="warning", access_log=False, proxy_headers=False,
                                    server_header=False, timeout_graceful_shutdown=GRACEFUL, lifespan="on"), jobs)
    try:
        server.run(sockets=[sock])
    finally:
        jobs.stopping.set()
        if redirect is not None:
            redirect.unlink(missing_ok=True)
        sock.close()


def _print(url: str) -> None:
    sys.stdout.write(f"spyscan is serving on this computer only. Open:\n    {url}\n"
                     "Press Ctrl-C to stop (running checks are cancelled).\n")
    sys.stdout.flush()
