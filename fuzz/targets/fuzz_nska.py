"""Fuzz target: NSKeyedArchiver blobs (a backup's MBFile metadata) through the bounded plist reader, the
archive graph check and the decoders (fast reader, plain shape, nska-deserialize).

Property: only ``EvidenceError`` escapes, with a one-line message; the fast reader agrees with the general
decoder whenever it answers.

Run: fuzz/run.sh nska SECONDS
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common

with common.instrumented():
    from spyscan.errors import EvidenceError
    from spyscan.evidence.ios_backup import fileinfo, mbfile_reader
    from spyscan.evidence.nska import check_archive
    from spyscan.evidence.plist import PlistError, load_plist


def one_input(data: bytes) -> None:
    with contextlib.suppress(PlistError):
        check_archive(load_plist(data))
    fast = mbfile_reader.decode_fast(data)
    try:
        general = fileinfo._file_info(fileinfo._decode_general(data))
    except EvidenceError as exc:
        if "\n" in str(exc):
            raise AssertionError(f"multi-line error {exc!r}") from exc
        general = None
    if fast is not None and fileinfo._file_info(fast) != general:
        raise AssertionError("the fast MBFile reader and the general decoder disagree")


if __name__ == "__main__":
    common.main(one_input)
