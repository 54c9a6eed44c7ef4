"""``dumpsys`` output split into per-service sections, shared by androidqf and bugreport inputs.

An androidqf ``dumpsys.txt`` and a bugreport's dumpstate both hold blocks that start with a line
``DUMP OF SERVICE <name>:`` (bugreports also write ``DUMP OF SERVICE CRITICAL <name>:`` and
``DUMP OF SERVICE HIGH <name>:``) and usually end with a ``--------- 0.004s was the duration of
dumpsys <name>, ending at: ...`` line. ``split_dumpsys`` turns such a text into ``DumpsysSection``s
that keep the line number where their text starts, so that records can point back to the line.

An evidence kind that offers dumpsys output implements ``DumpsysSource``: it reads the text once,
splits it once and caches the result; the ``dumpsys_*`` artifacts only ever see sections.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

import msgspec

from spyscan.errors import ArtifactNotFound
from spyscan.evidence.textio import iter_lines

_HEADER = re.compile(r"^DUMP OF SERVICE (?:(?:CRITICAL|HIGH|NORMAL) )?(?P<name>[^\s:]+):\s*$")
_DURATION = re.compile(r"^-+ [\d.]+s was the duration of dumpsys (?P<name>\S+?),")
_RULE = re.compile(r"^-{10,}\s*$")


class DumpsysSection(msgspec.Struct, frozen=True):
    """The text of one ``dumpsys <name>`` block."""

    name: str  # service name: "package", "appops", "accessibility", ...
    text: str
    first_line: int  # line number (1-based, in ``file``) of the first line of ``text``
    file: str  # evidence-relative file the section comes from (for source references)
    bad_bytes: int = 0  # undecodable byte sequences, NUL bytes and over-long lines escaped or cut in this section
    cut: bool = False  # the file ends inside this section without a final line break (truncated file?)

    def lines(self) -> Iterator[tuple[int, str]]:
        """``(line number in file, line)`` for every line of the section (none for an empty section)."""
        if not self.text:
            return
        for offset, line in enumerate(self.text.split("\n")):
            yield self.first_line + offset, line


@runtime_checkable
class DumpsysSource(Protocol):
    """An evidence that contains dumpsys output (androidqf ``dumpsys.txt``, bugreport dumpstate)."""

    def dumpsys_sections(self) -> dict[str, DumpsysSection]:
        """Sections by service name (read and split once, then cached by the evidence)."""
        ...


def split_dumpsys(lines: Iterable[tuple[int, str, int]], file: str, cut_at_end: bool = False
                  ) -> dict[str, DumpsysSection]:
    """Split ``(line number, text, bad bytes)`` lines into sections by service name.

    ``cut_at_end``: the text does not end with a line break; a section still open at the end is ``cut``.

    When a service appears more than once (bugreports dump some services at several priorities),
    the longest block is kept.
    """
    sections: dict[str, DumpsysSection] = {}
    name: str | None = None
    body: list[str] = []
    first = 0
    bad = 0

    def close(at_end: bool = False) -> None:
        if name is None:
            return
        while body and (not body[-1].strip() or _RULE.match(body[-1])):
            body.pop()
        section = DumpsysSection(name=name, text="\n".join(body), first_line=first, file=file, bad_bytes=bad,
                                 cut=at_end and cut_at_end)
        previous = sections.get(name)
        if previous is None or len(section.text) > len(previous.text):
            sections[name] = section

    for number, line, bad_bytes in lines:
        header = _HEADER.match(line)
        if header:
            close()
            name, body, first, bad = header.group("name"), [], number + 1, 0
            continue
        if name is None:
            continue
        if _DURATION.match(line):
            close()
            name = None
            continue
        body.append(line)
        bad += bad_bytes
    close(at_end=True)
    return sections


def split_dumpsys_bytes(data: bytes, file: str) -> dict[str, DumpsysSection]:
    """Decode (strictly, bad bytes escaped and counted) and split a whole dumpsys file."""
    return split_dumpsys(iter_lines(data), file, cut_at_end=bool(data) and not data.endswith((b"\n", b"\r")))


def section_from_text(name: str, text: str, file: str = "dumpsys.txt", first_line: int = 1) -> DumpsysSection:
    """A section built from the text of one service (e.g. a standalone ``dumpsys appops`` output)."""
    return DumpsysSection(name=name, text=text, first_line=first_line, file=file)


class WarningLog(Protocol):
    def warn(self, message: str) -> None: ...


def warn_damage(section: DumpsysSection, log: WarningLog) -> None:
    """One warning per damage of ``section``: empty, escaped or cut bytes, file cut inside it."""
    where = f"{section.file}: dumpsys {section.name} (line {section.first_line})"
    if not section.text.strip():
        log.warn(f"{where}: the section is empty")
    if section.bad_bytes:
        log.warn(f"{where}: {section.bad_bytes} undecodable byte sequence(s), NUL byte(s) or over-long line(s) "
                 "escaped or cut")
    if section.cut:
        log.warn(f"{where}: the file ends inside this section without a final line break; "
                 "its last line may be cut (truncated file?)")


def require_section(evidence: object, *names: str, log: WarningLog | None = None) -> DumpsysSection:
    """The first present section among ``names``; ArtifactNotFound when the evidence has none.

    With ``log``, the section's damage (see ``warn_damage``) is reported as warnings.
    """
    if not isinstance(evidence, DumpsysSource):
        raise ArtifactNotFound("this input offers no dumpsys output")
    sections = evidence.dumpsys_sections()
    for name in names:
        if name in sections:
            if log is not None:
                warn_damage(sections[name], log)
            return sections[name]
    if not sections:
        raise ArtifactNotFound("no dumpsys output in this input")
    raise ArtifactNotFound(f"no 'dumpsys {names[0]}' section in the dumpsys output")
