"""Evidence values as the report shows them: verbatim and inert, or redacted for sharing.

Every value that comes from the evidence or a feed passes through ``Shaper`` (redaction in a shared copy)
and is rendered by the ``ev`` template filter (``render_inert``): HTML-escaped by Jinja, with invisible
and bidirectional characters shown as visible markers and a visible ellipsis when cut.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup, escape

from spyscan.detection.model import Detection
from spyscan.report.redact import InertText, Redactor, inert

VALUE_LIMIT = 300
# observable types whose values are technical (kept in a redacted copy)
TECHNICAL_OBS = frozenset({"domain", "ip", "process", "file_path", "file_name", "md5", "sha1", "sha256", "app_id",
                           "cert_md5", "cert_sha1", "cert_sha256", "android_property", "profile_id"})


def display(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(display(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def keep_values(d: Detection) -> frozenset[str]:
    """Values of a detection that stay in clear in a redacted copy: what the indicator lists."""
    keep: set[str] = set()
    for ref in d.sources or ([d.indicator] if d.indicator else []):
        keep.add(ref.value)
    # a file path is technical, but the name of a file of the person's (/sdcard/Documents/…) is not: paths are
    # shaped by the redactor (user file names become tokens), never kept whole
    if d.observable is not None and ((d.observable.type in TECHNICAL_OBS and d.observable.type != "file_path")
                                     or d.observable.value in keep):
        keep.add(d.observable.value)
    return frozenset(keep)


def observable_label(obs_type: str) -> str:
    """The token label of a personal observed value: the one its record field gets (a phone number is "tel")."""
    return {"phone": "tel"}.get(obs_type, obs_type)


class Shaper:
    """Turns evidence values into what the report shows: verbatim, or redacted for sharing."""

    def __init__(self, redactor: Redactor | None, input_root: str) -> None:
        self.redactor = redactor
        self.input_root = input_root

    @property
    def redacted(self) -> bool:
        return self.redactor is not None

    def text(self, value: str) -> str:
        return value if self.redactor is None else self.redactor.scrub(value)

    def path(self, value: str) -> str:
        return value if self.redactor is None else self.redactor.path(value, self.input_root)

    def observable(self, obs_type: str, value: str, keep: frozenset[str]) -> str:
        if self.redactor is None or value in keep:
            return value
        if obs_type in TECHNICAL_OBS:
            return self.redactor.scrub(value) if obs_type == "file_path" else value
        if obs_type == "url":
            return self.redactor.url(value)
        return self.redactor.token(value, observable_label(obs_type))

    def field(self, name: str, value: Any, keep: frozenset[str]) -> Any:
        return value if self.redactor is None else self.redactor.field_value(name, value, keep)


def render_inert(value: Any) -> Markup:
    """Jinja filter: evidence text, escaped, with visible markers and a visible ellipsis when cut."""
    if isinstance(value, Markup):
        return value
    if not isinstance(value, InertText):
        value = inert("" if value is None else value, VALUE_LIMIT)
    out = []
    for text, is_marker in value.parts:
        out.append(Markup('<span class="ctl">{}</span>').format(text) if is_marker else escape(text))
    if value.omitted:
        out.append(Markup('<span class="cut" title="+{}">…</span>').format(value.omitted))
    return Markup("").join(out)
