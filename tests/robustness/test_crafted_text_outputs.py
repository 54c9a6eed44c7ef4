"""Evidence text crafted against the reader (issue 17): a link spelled so that only a browser finds its
host, and bidi/control characters meant to reorder or hide what a person reads in the outputs.

One generated iOS backup whose ``sms.db`` holds such messages goes through ``check`` and ``recheck``: the
links match their indicators; ``timeline.csv`` shows every invisible character as an escape; the
records (``records/*.jsonl``), ``detections.json`` and ``run.json`` hold them as JSON escapes only, and the
records decode to exactly the text read (so ``recheck`` finds the same)."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

from spyscan import engine
from spyscan.evidence.secrets import Secrets
from spyscan.visible import INVISIBLE
from tests.builders.ios_backup import BackupBuilder
from tests.core.stix_helpers import write_bundle

RLO_NAME = "invoice\u202egpj.exe"  # displays as "invoiceexe.jpg"
MESSAGES = [
    f"Your parcel: https:/%65vil.example/t/1 {RLO_NAME}",  # a relaxed, percent-encoded link
    "Pay here https:\\\\track.EVIL\u3002example\\p \u2066hidden\u2069 \x85 \u200b \U000e0041",
    "Router admin http://0xC0A80101/login",  # 192.168.1.1 as one hex number
    "Plain message\nwith a line break\tand a tab",
]


def _sms_db() -> bytes:
    conn = sqlite3.connect(":memory:")
    conn.executescript("CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT);"
                       "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT, text TEXT, date INTEGER, "
                       "is_from_me INTEGER, handle_id INTEGER, service TEXT);"
                       "INSERT INTO handle VALUES (1, '+15555550100');")
    conn.executemany("INSERT INTO message VALUES (?, ?, ?, ?, 0, 1, 'SMS')",
                     [(i, f"guid-{i}", text, 700_000_000_000_000_000 + i * 10**9) for i, text in
                      enumerate(MESSAGES, 1)])
    conn.commit()
    data = conn.serialize()
    conn.close()
    return data


def _options(out: Path, iocs: Path) -> engine.RunOptions:
    return engine.RunOptions(output=out, indicators=engine.IndicatorOptions(paths=[iocs], bundled=False), jobs=1,
                             secrets=Secrets(interactive=False), progress=None)


def test_crafted_links_match_and_no_output_holds_an_invisible_character(tmp_path: Path) -> None:
    builder = BackupBuilder(tmp_path / "backup")
    builder.add_file("HomeDomain", "Library/SMS/sms.db", _sms_db())
    backup = builder.build()
    iocs = write_bundle(tmp_path / "iocs.stix2", "Crafted",
                        ["[domain-name:value = 'evil.example']", "[ipv4-addr:value = '192.168.1.1']"])
    out = tmp_path / "out"
    result = engine.check(backup, None, _options(out, iocs))

    found = {(d.indicator.value, d.record["source"]["rowid"]) for d in result.detections if d.indicator}
    assert {("evil.example", 1), ("evil.example", 2), ("192.168.1.1", 3)} <= found
    [record] = [json.loads(line) for line in (out / "records" / "ios.sms.jsonl").read_text().splitlines()
                if json.loads(line)["message_id"] == 1]
    assert record["links"] == ["https:/%65vil.example/t/1"]

    # records: JSON escapes only, decoding to exactly what was read
    raw = (out / "records" / "ios.sms.jsonl").read_bytes()
    assert INVISIBLE.search(raw.decode("utf-8").replace("\n", "")) is None
    assert b"\\u202e" in raw and b"\\u2066" in raw and b"\\udb40\\udc41" in raw
    texts = [json.loads(line)["text"] for line in raw.decode().splitlines()]
    assert texts == MESSAGES
    for name in ("detections.json", "run.json"):
        assert INVISIBLE.search((out / name).read_text(encoding="utf-8").replace("\n", "")) is None, name

    # timeline: one line per row, every invisible character written as its escape
    timeline = (out / "timeline.csv").read_bytes().decode("utf-8")
    assert INVISIBLE.search(timeline.replace("\r\n", "")) is None
    with (out / "timeline.csv").open(newline="", encoding="utf-8") as fh:
        summaries = [row[4] for row in csv.reader(fh) if row[1] == "ios.sms"]
    assert any("invoice\\u202egpj.exe" in s for s in summaries)
    assert any("\\u2066hidden\\u2069 \\x85 \\u200b \\U000e0041" in s for s in summaries)
    assert any("Plain message\\nwith a line break\\tand a tab" in s for s in summaries)

    # recheck reads the same records back and finds the same
    again = engine.recheck(out, _options(tmp_path / "again", iocs))
    assert {(d.indicator.value, d.record["source"]["rowid"]) for d in again.detections if d.indicator} == found
    assert (tmp_path / "again" / "records" / "ios.sms.jsonl").read_bytes() == raw
