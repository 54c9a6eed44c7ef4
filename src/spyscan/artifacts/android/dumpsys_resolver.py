"""Parser of the resolver tables of ``dumpsys package`` (activities, receivers, services, providers).

::

    Receiver Resolver Table:
      Non-Data Actions:
          android.provider.Telephony.SMS_RECEIVED:
            5f1b2e0 com.example/.SmsReceiver (2 filters)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.android.dumpsys_common import component_package, indent_of
from spyscan.evidence.android_dumpsys import DumpsysSection
from spyscan.records.android_intents import IntentFilterEntry
from spyscan.records.base import SourceRef

_ENTRY = re.compile(r"^\s+[0-9a-f]{5,8} (?P<component>[^\s/]+/\S+)")


def parse_resolver_table(section: DumpsysSection, title: str, table: str) -> Iterator[IntentFilterEntry]:
    """Records for the table headed ``<title>:`` (e.g. ``Receiver Resolver Table``)."""
    inside = False
    group = ""
    intent = ""
    for number, line in section.lines():
        stripped = line.strip()
        if not inside:
            inside = stripped == f"{title}:" and indent_of(line) <= 2
            continue
        if not stripped:
            continue
        indent = indent_of(line)
        if indent == 0 or (indent <= 2 and stripped.startswith("Package [")):
            return
        entry = _ENTRY.match(line)
        if entry and intent:
            component = entry["component"]
            yield IntentFilterEntry(source=SourceRef(file=section.file, line=number, key=section.name), table=table,
                                    group=group, intent=intent, package=component_package(component),
                                    component=component)
        elif stripped.endswith(":") and indent <= 2:
            group, intent = stripped[:-1], ""
        elif stripped.endswith(":"):
            intent = stripped[:-1]
