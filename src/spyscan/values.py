"""Stored numbers and raw values, converted without ever raising (see ``spyscan.faults``).

``to_int`` / ``to_float`` read a number as stored (an int, a finite float, or text/bytes holding one);
anything else is None, and a value that was there but is not a usable number is noted as a fault.
``raw_value`` gives what a record keeps in its ``*_raw`` field: the stored value itself when it is an
int, a finite float or short text, else a faithful text form (``nan``, ``inf``, bytes decoded with
escapes, long text cut with a mark) so that the raw value survives any output format.
"""

from __future__ import annotations

import math
from datetime import datetime

from spyscan.faults import NUMBER, NUMBER_RANGE, WRONG_TYPE, converter, note

RAW_TEXT_LIMIT = 4096  # characters of a raw text value kept in a record
_CUT_MARK = "…[cut]"

Raw = int | float | str | None


def _strip(value: str | bytes) -> str | None:
    text = value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else value
    text = text.strip()
    return text or None


@converter
def to_int(value: object) -> int | None:
    """An integer as stored: int, integral float, or decimal text (``"12"``, ``"-3"``, ``"12.0"``, ``"0x1f"``)."""
    kind = type(value)
    if kind is int:
        return value  # type: ignore[return-value]
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            note(NUMBER_RANGE, value)
            return None
        return int(value)
    if isinstance(value, str | bytes | bytearray):
        text = _strip(bytes(value) if isinstance(value, bytearray) else value)
        if text is None:
            return None
        try:
            if text.isascii() and text.lstrip("+-").isdigit():
                return int(text)
            if text.lower().startswith(("0x", "-0x")):
                return int(text, 16)
            number = float(text)
        except ValueError:  # not a number, or more digits than int() accepts
            note(NUMBER, value)
            return None
        if not math.isfinite(number):
            note(NUMBER_RANGE, value)
            return None
        return int(number)
    note(WRONG_TYPE, value)
    return None


@converter
def to_float(value: object) -> float | None:
    """A finite number as stored (int, float, or text holding one)."""
    kind = type(value)
    if kind is float:
        if math.isfinite(value):  # type: ignore[arg-type]
            return value  # type: ignore[return-value]
        note(NUMBER_RANGE, value)
        return None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)  # an int past float's range raises OverflowError: a fault (see converter)
    elif isinstance(value, str | bytes | bytearray):
        text = _strip(bytes(value) if isinstance(value, bytearray) else value)
        if text is None:
            return None
        try:
            number = float(text)
        except ValueError:
            note(NUMBER, value)
            return None
    else:
        note(WRONG_TYPE, value)
        return None
    if not math.isfinite(number):
        note(NUMBER_RANGE, value)
        return None
    return number


def raw_value(value: object) -> Raw:
    """The stored value as a record keeps it (None only when nothing was stored)."""
    kind = type(value)
    if kind is int:
        return value  # type: ignore[return-value]
    if kind is float:
        return value if math.isfinite(value) else repr(value)  # type: ignore[arg-type,return-value]
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else repr(float(value))
    if isinstance(value, datetime):  # a plist date: its ISO form (naive plist dates are UTC)
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        text = bytes(value).decode("utf-8", "backslashreplace")
    elif isinstance(value, str):
        text = value
    else:
        try:
            text = str(value)
        except Exception:  # a value whose str() fails still leaves a trace
            text = f"<{type(value).__name__}>"
    cut = len(text) > RAW_TEXT_LIMIT
    if cut:
        text = text[:RAW_TEXT_LIMIT]
    text = text.replace("\x00", "\\x00")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: shown escaped, as no output format can hold them
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text + _CUT_MARK if cut else text


def raw_if_lost(value: object, converted: object) -> Raw:
    """The stored value when its conversion gave nothing, else None (for bulk records such as file
    listings, whose converted times already say everything the stored number does)."""
    return raw_value(value) if converted is None else None
