"""The corruption variants: for each variant, bytes for each file format an artifact may ask for."""

from __future__ import annotations

import json
import plistlib
import random
import shutil
import sqlite3
from pathlib import Path

from .dbfiles import damage_pages, db_with_pending_wal, multi_page_db

VARIANTS = ("zero_length", "truncated", "random_bytes", "wrong_schema", "corrupted_pages", "pending_wal",
            "invalid_utf8_nul", "gigantic_line")
FORMATS = ("sqlite", "plist", "json", "text")
GIGANTIC = 3 << 20  # one 3 MiB line (over the 1 MiB line limit of textio)
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".sqlitedb", ".storedata")


def format_of(name: str, asked_as_sqlite: bool = False) -> str:
    lower = name.lower()
    if asked_as_sqlite or lower.endswith(SQLITE_SUFFIXES):
        return "sqlite"
    if lower.endswith(".plist"):
        return "plist"
    if lower.endswith((".json", ".jsonl", ".ndjson")):
        return "json"
    return "text"


def _db(path: Path, statements: list[str], rows: list[tuple[object, ...]] | None = None) -> bytes:
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA journal_mode = DELETE")
    for statement in statements:
        conn.execute(statement)
    if rows:
        conn.executemany("INSERT INTO odd VALUES (?, ?)", rows)
    conn.commit()
    conn.close()
    data = path.read_bytes()
    path.unlink()
    return data


def _text_sample() -> bytes:
    lines = [f"line {i}: key=value{i} com.example.app{i} https://example.org/{i} é" for i in range(400)]
    return ("\n".join(lines) + "\n").encode()


class VariantFiles:
    """Creates (once) the bytes of every variant × format, plus the -wal companion of ``pending_wal``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._cache: dict[tuple[str, str], bytes] = {}
        self._wal: bytes | None = None

    def wal(self) -> bytes:
        self.data("pending_wal", "sqlite")
        assert self._wal is not None
        return self._wal

    def data(self, variant: str, fmt: str) -> bytes:
        key = (variant, fmt)
        if key not in self._cache:
            self._cache[key] = self._make(variant, fmt)
        return self._cache[key]

    def _valid(self, fmt: str) -> bytes:
        if fmt == "sqlite":
            return multi_page_db(self.folder / "valid.db").read_bytes()
        if fmt == "plist":
            return plistlib.dumps({"Items": [{"Name": f"n{i}", "Date": i} for i in range(300)]},
                                  fmt=plistlib.FMT_BINARY)
        if fmt == "json":
            return json.dumps([{"name": f"n{i}", "value": i} for i in range(300)]).encode()
        return _text_sample()

    def _make(self, variant: str, fmt: str) -> bytes:
        rng = random.Random(f"{variant}-{fmt}")
        if variant == "zero_length":
            return b""
        if variant == "truncated":
            valid = self._valid(fmt)
            return valid[: int(len(valid) * 0.6) + 1]
        if variant == "random_bytes":
            return rng.randbytes(8192)
        if variant == "wrong_schema":
            return {
                "sqlite": lambda: _db(self.folder / "w.db", ["CREATE TABLE odd (a, b)"], [(1, "x"), (None, b"\x00")]),
                "plist": lambda: plistlib.dumps([1, "two", {"3": [4.0]}], fmt=plistlib.FMT_XML),
                "json": lambda: b'[1, "two", null, {"3": [4.0]}, [[[]]]]',
                "text": lambda: b"\n".join([b"{not: the format}", b"=====", b"[[[", b"\t\t", b"-1 -1 -1"] * 20),
            }[fmt]()
        if variant == "corrupted_pages":
            path = damage_pages(multi_page_db(self.folder / f"corrupt-{fmt}.db"))
            return path.read_bytes()
        if variant == "pending_wal":
            folder = self.folder / "wal"
            shutil.rmtree(folder, ignore_errors=True)
            db = db_with_pending_wal(folder, "x.db")
            self._wal = (folder / "x.db-wal").read_bytes()
            return db.read_bytes()
        if variant == "invalid_utf8_nul":
            bad = b"ok \xff\xfe\x00 \xc3\x28 \xe2\x82 nul\x00byte \xed\xa0\x80 end"
            if fmt == "sqlite":
                return _db(self.folder / "u.db", ["CREATE TABLE odd (a TEXT, b TEXT)"],
                           [(bad, bad.decode("latin-1")) for _ in range(50)])
            if fmt == "plist":
                # plistlib refuses control characters in strings: write a placeholder, then the raw bytes
                return plistlib.dumps({"Name": "PLACEHOLDER", "Data": bad}, fmt=plistlib.FMT_XML).replace(
                    b"PLACEHOLDER", bad)
            if fmt == "json":
                return b'[{"name": "' + bad.replace(b"\x00", b"\\u0000") + b'", "raw": "\x00\xff"}]'
            return b"\n".join([bad] * 100)
        if variant == "gigantic_line":
            if fmt == "sqlite":
                return _db(self.folder / "g.db", ["CREATE TABLE odd (a, b)"], [(1, "x" * GIGANTIC)])
            if fmt == "plist":
                return plistlib.dumps({"Name": "x" * GIGANTIC}, fmt=plistlib.FMT_BINARY)
            if fmt == "json":
                return b'["' + b"x" * GIGANTIC + b'"]'
            return b"A" * GIGANTIC + b"\n" + _text_sample()
        raise ValueError(variant)
