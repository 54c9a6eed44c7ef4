"""The guard in front of every request: Host header, token and session, CSRF, body size, security headers.

* The Host header must name this server on the loopback interface (``127.0.0.1:PORT`` or
  ``localhost:PORT``): a page of another site that re-binds its name to 127.0.0.1 is refused (403).
* The address printed at start carries a random token. A request with the right ``?token=`` gets a
  session cookie (``HttpOnly``, ``SameSite=Strict``) and is redirected to the same address without the
  token; a wrong token is refused (403), no token and no session too (401).
* Every request that is not GET or HEAD needs the session's CSRF token in the ``X-CSRF-Token`` header
  (htmx sends it from the page) and, when the browser sends one, an ``Origin`` of this server (403).
* Request bodies are bounded before they are read (413): indicator uploads by ``upload_limit``,
  anything else by ``form_limit``.
* Every response says: no caching, no referrer, no framing by other sites, and a strict
  Content-Security-Policy that allows only this server's own files (pages that set their own, the
  report, keep it).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spyscan.web.config import ServeConfig

SAFE_METHODS = frozenset({"GET", "HEAD"})
CSRF_HEADER = "x-csrf-token"
UPLOAD_PATHS = ("/indicators/upload",)
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
           "frame-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'")
HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), usb=(), serial=()"),
)


@dataclass
class Session:
    csrf: str
    created: float
    lang: str | None = None  # the language chosen in the app (None: the server's default)
    analyst: str = ""  # the name last used for triage, to prefill the form


@dataclass
class Sessions:
    """Sessions of this server run, in memory only (a restart, with its new token, ends them all)."""

    _items: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._items[sid] = Session(csrf=secrets.token_urlsafe(32), created=time.time())
        return sid

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            return self._items.get(sid)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed cookie header is no session
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


async def _plain(send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


def _without_token(scope: Scope) -> str:
    query = [(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
             if k != "token"]
    path = scope.get("path", "/") or "/"
    return path + ("?" + urlencode(query) if query else "")


class Guard:
    """Pure ASGI middleware: every check happens before the application sees the request."""

    def __init__(self, app: ASGIApp, config: ServeConfig, sessions: Sessions) -> None:
        self.app = app
        self.config = config
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets here
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            return
        send = _with_headers(send)
        host = (_header(scope, b"host") or "").strip().lower()
        if host not in self.config.hosts:
            await _plain(send, 403, "This server answers only to its own address on this computer (unknown host).\n")
            return
        token = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))).get("token")
        if token is not None:
            await self._login(scope, send, token)
            return
        session = self.sessions.get(_cookie(scope, self.config.cookie))
        if session is None:
            if _cookie(scope, self.config.cookie) is not None:
                await _plain(send, 403, "This session is not valid (the server was restarted?). Open the address "
                                        "that `spyscan serve` printed, with its token.\n")
            else:
                await _plain(send, 401, "Open the address that `spyscan serve` printed (it ends with ?token=...).\n")
            return
        method = scope.get("method", "GET")
        if method not in SAFE_METHODS and not self._csrf_ok(scope, session):
            await _plain(send, 403, "Refused: this request did not come from a page of this app (CSRF check).\n")
            return
        limit = self.config.upload_limit if scope.get("path") in UPLOAD_PATHS else self.config.form_limit
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _plain(send, 413, f"Refused: the request is larger than {limit} bytes.\n")
            return
        scope.setdefault("state", {})["session"] = session
        await self.app(scope, _bounded(receive, limit), send)

    async def _login(self, scope: Scope, send: Send, token: str) -> None:
        if not hmac.compare_digest(token.encode(), self.config.token.encode()):
            await _plain(send, 403, "Wrong token: open the address that `spyscan serve` printed.\n")
            return
        sid = self.sessions.create()
        cookie = f"{self.config.cookie}={sid}; HttpOnly; SameSite=Strict; Path=/"
        await send({"type": "http.response.start", "status": 303, "headers": [
            (b"location", _without_token(scope).encode("latin-1")), (b"set-cookie", cookie.encode("latin-1")),
            (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    def _csrf_ok(self, scope: Scope, session: Session) -> bool:
        origin = _header(scope, b"origin")
        if origin is not None and origin not in self.config.origins:
            return False
        fetch_site = _header(scope, b"sec-fetch-site")
        if fetch_site is not None and fetch_site not in ("same-origin", "none"):
            return False
        given = _header(scope, CSRF_HEADER.encode()) or ""
        return bool(given) and hmac.compare_digest(given.encode(), session.csrf.encode())


def _bounded(receive: Receive, limit: int) -> Receive:
    """The request's body, refused (413) as soon as it goes past ``limit`` while it is read."""
    seen = 0

    async def inner() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, f"Refused: the request is larger than {limit} bytes.")
        return message

    return inner


def _with_headers(send: Send) -> Send:
    async def inner(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers: list[Any] = list(message.get("headers", []))
            names = {bytes(k).lower() for k, _ in headers}
            if b"content-security-policy" not in names:
                headers.append((b"content-security-policy", APP_CSP.encode()))
            headers.extend((k, v) for k, v in HEADERS if k not in names)
            message = {**message, "headers": headers}
        await send(message)

    return inner
