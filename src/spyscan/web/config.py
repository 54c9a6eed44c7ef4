"""What ``spyscan serve`` was started with: the store, the allowed folders, where results go, the token."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from spyscan.indicators.feeds import DEFAULT_INDEX_URL

UPLOAD_LIMIT = 32 * 1024 * 1024  # bytes of one uploaded indicator file (the largest public feed is ~2 MiB)
FORM_LIMIT = 64 * 1024  # bytes of any other request body


@dataclass(frozen=True)
class ServeConfig:
    store: Path  # the case store file (the one the CLI uses)
    roots: tuple[Path, ...]  # folders the file browser may show (resolved)
    results: Path  # where the app writes the output folders of its checks and hunts
    token: str  # the secret of the address printed at start
    port: int = 0  # the port actually bound (set once the socket exists)
    feed_index: str = DEFAULT_INDEX_URL  # what "update the public feeds" downloads
    jobs: int = 0  # worker processes per check (0: one per core)
    upload_limit: int = UPLOAD_LIMIT
    form_limit: int = FORM_LIMIT
    hosts: tuple[str, ...] = field(default=())  # accepted Host headers (set from the port)

    def with_port(self, port: int) -> ServeConfig:
        from dataclasses import replace

        return replace(self, port=port, hosts=(f"127.0.0.1:{port}", f"localhost:{port}"))

    @property
    def origins(self) -> tuple[str, ...]:
        return tuple(f"http://{host}" for host in self.hosts)

    @property
    def cookie(self) -> str:
        """The session cookie's name (cookies are not kept apart by port: two servers must not collide)."""
        return f"spyscan_session_{self.port}"
