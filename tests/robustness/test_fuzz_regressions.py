"""Inputs found by the fuzz targets (docs/robustness.md, "Fuzzing"), kept as regression tests."""

from __future__ import annotations

import base64
import io
import zipfile
import zlib
from pathlib import Path

import pytest

from spyscan.evidence.archive import Archive
from spyscan.evidence.sqlite import DamagedDatabase, open_checked

# fuzz/run.sh sqlite: a database whose damage report quotes bytes that are not UTF-8; opening it raised
# UnicodeDecodeError from "PRAGMA quick_check" instead of a clean DamagedDatabase or a salvage.
SQLITE_CRASH = zlib.decompress(base64.b64decode(
    "eNrt1M1Kw0AQB/CZNLV+1WhUFFJ0QYRKa1Ot3xdbJUi1isYc7MFDrVULSiSudz34DoLPofgS+iLiVQQPutldLHsSQQSxQxIW/vsL"
    "ZDLJ9lapTmvkwA9OKpTkQANEyBMCwJYAUXZCEnghO3VoFMLXpUGmivFwM94CO5r1E1XE2IBh4CXSyt5xjVJt2XUKnvMsY+IVlkoO"
    "oSRZ3yfFDc9ZcVyy6RbXC26ZrDnlNDkPjonn7HhpQs8Is6Wx8EVr+BLyKL6JRbP+Qekj7BIxw2/UhAzgEz7iPd7gFR6hi9M4jBo8"
    "wQPcwTVcQhVKbBMkTB3GY0eUnp4t2HZtYjbjB4d2fv6C37K/h6XYSGd4OpjoVtG0QDMSGSqa4ml/oktFOYFyEsVVNMlTM9GpogmB"
    "shJ1qCjLU8Nq1yHVQPPCpESX+tpYyIwvwjkedlqtCpFdGJUkJogMRRParBaFyB4MSRJViGhBi6UrRHbAlCSikIidOfSDSUtTiHj+"
    "xVdBepGFrZ+hePy48if5w3+Q5jx/Z57pV/O8y+f5/VfmmV1X8xx+AKiuDAc="
))


def test_zip_member_with_an_empty_name_is_skipped(tmp_path: Path) -> None:
    # fuzz/run.sh archive: zipfile's ZipInfo.is_dir() raised IndexError on an empty member name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(zipfile.ZipInfo(""), b"data")
        zf.writestr("ok.txt", b"x")
    path = tmp_path / "empty-name.zip"
    path.write_bytes(buffer.getvalue())
    with Archive(path) as archive:
        assert [m.name for m in archive.files()] == ["ok.txt"]


def test_damage_report_with_undecodable_bytes_is_handled(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    path.write_bytes(SQLITE_CRASH)
    try:
        conn = open_checked(path, "crash.db")
    except DamagedDatabase as exc:
        assert "crash.db" in str(exc) and "\n" not in str(exc)
    else:
        assert conn.recovered
        conn.close()
    with pytest.raises(UnicodeDecodeError):  # the premise: SQLite's own report is not UTF-8
        import sqlite3

        sqlite3.connect(str(path)).execute("PRAGMA quick_check(20)").fetchall()


def test_invalid_utf8_text_values_are_escaped_and_counted(tmp_path: Path) -> None:
    # fuzz/run.sh sqlite: a healthy copy raised OperationalError ("Could not decode to UTF-8 column")
    import sqlite3

    path = tmp_path / "t.db"
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE t (url TEXT)")
    conn.execute("INSERT INTO t VALUES (CAST(X'68747470733a2f2f652e6f72ff2f' AS TEXT))")  # https://e.or\xff/
    conn.commit()
    conn.close()
    private = open_checked(path, "t.db")
    assert private.execute("SELECT url FROM t").fetchone() == ("https://e.or\\xff/",)
    assert private.undecodable_values == 1
    private.text_factory = bytes
    assert private.execute("SELECT url FROM t").fetchone() == (b"https://e.or\xff/",)


# fuzz/run.sh nska: an MBFile archive whose string "UserI&" is both a key of the root dictionary and the value
# of its "Mode" (the root is also reached a second time through a UID). Once the fast reader had learnt the
# shape of a blob differing only in that string ("User-&"), it returned the other blob's key: the shape
# path took a key for a value it could refill.
MBFILE_KEY_AND_VALUE = zlib.decompress(base64.b64decode(
    "eNpLKsjJLC4xMLjCyMTMwsqmZxipkliUnJFZlloUoZKflJWaXFIcolKSXxChAhQqzszPixfg9wv2Tq1MTXGEKlzGziGvoKIdqpJX"
    "mpNzl5Obm4eXj19AUEhYRFRMXEJSSlpcXFTWQFIqTCU5J7G4ONQps6gkI9Y1L7mosqAEaCLQsFC3nMT04nD3ovzSAk+XaM+8/JRU"
    "v9LcpNSiGJ/E4hLf/JTMtMzUlHgBARA3uCSxpLTYOSMxLz01BCiXCnRTQFF+CdCxQOOcQZbEBKXmcDBAQEZIcGZValhocWqRp1oD"
    "q1CaSePNBmYBBkHGr4KNL5YwCwgyNzBF+mQmFSUWVepXXOJUVFIO9wvWS0ksSWxg8RfQYWYgHlziUVPXiFBJLgY6IrU4CuLlvMTc"
    "1MUamlqxfsG+pSWJSTmpLkCzw/yCQVSEX7A/OKAvqarp6C7S1QrzdXLLzEm9qG8QUpSfX9LAKMTA2LaAgYNBkEGaQYVBk8GIwYXB"
    "myGQIYehmKGSoZ2hl2Eqw0KGdQwHGY4x3GB4yvCK4SPDZ4YfQPiH4T8jEyMrIzsjJ6MwowSjAqMSYyBjGGM8YxZjHmMNYzNjD+NE"
    "ximMsxnnMS5mXAzxAhMj1C9GqF5jXAUABPWTsg=="
))


def test_a_string_used_as_key_and_value_is_never_refilled_by_a_remembered_shape() -> None:
    from spyscan.evidence.ios_backup import mbfile_reader

    teacher = bytearray(MBFILE_KEY_AND_VALUE)
    assert teacher[239:240] == b"I"
    teacher[239] = ord("-")
    mbfile_reader.forget_shapes()
    scanned = mbfile_reader.decode_fast(MBFILE_KEY_AND_VALUE)
    assert scanned is not None and "UserI&" in scanned
    mbfile_reader.forget_shapes()
    assert mbfile_reader.decode_fast(bytes(teacher)) is not None  # its shape is learnt
    assert mbfile_reader.decode_fast(MBFILE_KEY_AND_VALUE) == scanned
    mbfile_reader.forget_shapes()


@pytest.mark.parametrize(("encoding", "message"), [(b"UTF-7", "multi-byte encodings are not supported"),
                                                  (b"UTF-4", "unknown encoding: UTF-4")])
def test_an_xml_plist_declaring_an_encoding_expat_refuses_is_a_plist_error(encoding: bytes, message: str) -> None:
    # fuzz/run.sh plist: pyexpat raises ValueError("multi-byte encodings are not supported") for UTF-7 and
    # LookupError("unknown encoding") for a name Python does not know; both escaped the bounded reader
    # (callers catch PlistError), so the artifact failed instead of warning
    from spyscan.evidence.plist import PlistError, load_plist

    data = (b'<?xml version="1.0" encoding="' + encoding + b'"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
            b'"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0"><string>x</string></plist>')
    with pytest.raises(PlistError, match=message):
        load_plist(data)
