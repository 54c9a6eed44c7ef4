"""Stored numbers and raw values, converted without ever raising (see ``spyscan.faults``).

``to_int`` / ``to_float`` read a number as stored (an int, a finite float, or text/bytes holding one);
anything else is None, and a value that was there but is not a usable number is noted as a fault.
``raw_value`` gives what a record keeps in its ``*_raw`` field: the stored value itself when it is a
64-bit int, a finite float or short text, else a faithful text form (``nan``, ``inf``, larger integers
in hexadecimal, bytes decoded with escapes, dates in ISO form, long text cut with a mark) so that the raw
value survives any output format.
"""

from __future__ import annotations

import math
from datetime import datetime

from spyscan.faults import NUMBER, NUMBER_RANGE, WRONG_TYPE, converter, note, registered

_INT_MIN, _UINT_MAX = -(1 << 63), 1 << 64  # integers a record keeps as numbers (JSON int64/uint64)
RAW_TEXT_LIMIT = 4096  # characters of a raw text value kept in a record
_CUT_MARK = "…[cut]"

Raw = int | float | str | None


def _strip(value: str | bytes) -> str | None:
    text = value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else value
    text = text.strip()
    return text or None


def safe_text(text: str) -> str:
    """``text`` with lone surrogates (which no output encoding can hold) escaped as ``\\udNNN``."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _bounded(number: int, value: object) -> int | None:
    if _INT_MIN <= number < _UINT_MAX:
        return number
    note(NUMBER_RANGE, value)
    return None


@converter
def to_int(value: object) -> int | None:
    """An integer as stored: int, integral float, or decimal text (``"12"``, ``"-3"``, ``"12.0"``, ``"0x1f"``).

    Only 64-bit values are integers (what SQLite, JSON readers and the record store hold); a larger one is
    a fault."""
    kind = type(value)
    if kind is int:
        return _bounded(value, value)  # type: ignore[arg-type]
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _bounded(int(value), value)
    if isinstance(value, float):
        if not math.isfinite(value):
            note(NUMBER_RANGE, value)
            return None
        return _bounded(int(value), value)
    if isinstance(value, str | bytes | bytearray):
        text = _strip(bytes(value) if isinstance(value, bytearray) else value)
        if text is None:
            return None
        try:
            if text.isascii() and text.lstrip("+-").isdigit():
                return _bounded(int(text), value)
            if text.lower().startswith(("0x", "-0x")):
                return _bounded(int(text, 16), value)
            number = float(text)
        except ValueError:  # not a number, or more digits than int() accepts
            note(NUMBER, value)
            return None
        if not math.isfinite(number):
            note(NUMBER_RANGE, value)
            return None
        return _bounded(int(number), value)
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


@registered
def raw_value(value: object) -> Raw:
    """The stored value as a record keeps it (None only when nothing was stored)."""
    kind = type(value)
    if kind is int and _INT_MIN <= value < _UINT_MAX:  # type: ignore[operator]
        return value  # type: ignore[return-value]
    if kind is float:
        return value if math.isfinite(value) else repr(value)  # type: ignore[arg-type,return-value]
    if value is None:
        return None
    if isinstance(value, int):
        number = int(value)
        if _INT_MIN <= number < _UINT_MAX:
            return number
        value = hex(number)  # past what JSON readers take as a number; hex has no digit limit (str() has)
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
    text = safe_text(text.replace("\x00", "\\x00"))
    return text + _CUT_MARK if cut else text


def raw_if_lost(value: object, converted: object) -> Raw:
    """The stored value when its conversion gave nothing, else None (for bulk records such as file
    listings, whose converted times already say everything the stored number does)."""
    return raw_value(value) if converted is None else None


@converter
def to_text(value: object) -> str | None:
    """Stored text, stripped (None when empty); a number is written out, any other type is a fault."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        raw = raw_value(value)
        text = raw if isinstance(raw, str) else str(raw)
    elif isinstance(value, float):
        text = repr(value)
    else:
        note(WRONG_TYPE, value)
        return None
    return safe_text(text) if text else None


def to_items(value: object) -> list[object]:
    """The elements of a stored array (a JSON or plist list). No value gives none; a value of another type
    (a number or text where the format has a list) is a fault: the field is lost, never the record."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    note(WRONG_TYPE, value)
    return []
