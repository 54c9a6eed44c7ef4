"""The first page of the report: a summary for the person whose phone was checked.

In plain words and on one printed page: the verdict with its colour and what it means, the families of
spyware by threat (never a feed's tag, never a wall of names), what to do now (stalkerware safety first),
what this kind of acquisition could and could not show, what could not be checked and what to ask for,
how to protect the phone, and the device as the evidence describes it. Everything technical is in the annex.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from babel.support import Translations

from spyscan.detection.model import PROTECTION, Detection
from spyscan.records.device import DeviceFacts
from spyscan.report.coverage import Coverage
from spyscan.report.i18n import translate
from spyscan.report.redact import inert
from spyscan.report.runfile import RunInfo
from spyscan.report.shaping import Shaper
from spyscan.report.terminal_text import (
    CLEAN,
    INCOMPLETE,
    REVIEW,
    TRACES,
    Verdict,
    caveat,
    group_lines,
    headline,
    next_steps,
)
from spyscan.report.times import Clock
from spyscan.report.unchecked import Unchecked

STATE_CLASS = {TRACES: "traces", REVIEW: "review", CLEAN: "clean", INCOMPLETE: "incomplete"}


@dataclass
class Advice:
    action: str  # what to do (translated)
    detail: Any  # the finding behind it (translated, inert)


@dataclass
class SummaryView:
    state: str  # traces / review / clean / incomplete (also the CSS class)
    headline: str
    groups: list[str]  # "Mercenary spyware: Pegasus and Predator"
    meaning: str
    steps: list[str]
    checked: str  # "An unencrypted iPhone backup was checked."
    covers: str
    misses: str
    unchecked: list[str]  # short lines: what could not be checked
    ask: str  # what to ask the person for
    protect: list[Advice] = field(default_factory=list)
    protected: list[str] = field(default_factory=list)  # protections found on (Lockdown Mode...)
    device: list[tuple[str, Any]] = field(default_factory=list)


def device_facts(t: Translations, device: DeviceFacts, kind: str, clock: Clock, shaper: Shaper
                 ) -> list[tuple[str, Any]]:
    """The device as the evidence describes it, in plain words (never its name or identifiers)."""
    facts: list[tuple[str, Any]] = []
    model = " ".join(p for p in (device.marketing_name or "", f"({device.model})" if device.model and
                                 device.marketing_name else device.model or "") if p)
    if model:
        facts.append((t.gettext("Phone"), inert(model, 80)))
    system = {"ios": "iOS", "android": "Android"}.get(device.platform or "", "")
    if device.os_version:
        version = f"{system} {device.os_version}".strip()
        facts.append((t.gettext("System"), inert(version + (f" ({device.build})" if device.build else ""), 80)))
    if device.security_patch:
        facts.append((t.gettext("Security patch"), inert(device.security_patch, 40)))
    if device.acquired:
        facts.append((t.gettext("Acquired"), clock.show(device.acquired)))
    if device.encrypted is not None and kind in ("ios-backup", "android-backup", "androidqf"):
        facts.append((t.gettext("Encrypted"), t.gettext("yes") if device.encrypted else t.gettext("no")))
    if device.lockdown_mode is not None:
        facts.append((t.gettext("Lockdown Mode"), t.gettext("on") if device.lockdown_mode else t.gettext("off")))
    if device.advanced_protection is not None:
        facts.append((t.gettext("Advanced Protection"),
                      t.gettext("on") if device.advanced_protection else t.gettext("off")))
    return facts


def protections_on(t: Translations, device: DeviceFacts) -> list[str]:
    """Protections the evidence shows turned on, said to the person (keep them on)."""
    said = []
    if device.lockdown_mode:
        said.append(t.gettext("Lockdown Mode is on: it blocks most of the ways mercenary spyware gets in without a "
                              "click. Keep it on."))
    if device.advanced_protection:
        said.append(t.gettext("Advanced Protection is on: it hardens the phone against targeted attacks. Keep it "
                              "on."))
    return said


def protection_advice(t: Translations, detections: list[Detection], shaper: Shaper) -> list[Advice]:
    """One action per protection finding (never part of the verdict's colour)."""
    advice: list[Advice] = []
    seen: set[str] = set()
    for d in detections:
        if d.category != PROTECTION:
            continue
        action = t.gettext(d.advice) if d.advice else (t.gettext(d.title) if d.title else "")
        if not action or action in seen:
            continue
        seen.add(action)
        advice.append(Advice(action, inert(translate(t, d.text or d.message, shaper.text), 300)))
    return advice


def unchecked_lines(t: Translations, parts: Unchecked) -> list[str]:
    lines = []
    if parts.failed:
        names = ", ".join(p.title for p in parts.failed[:4])
        lines.append(t.ngettext("%(num)d part failed and was not fully checked: %(names)s.",
                                "%(num)d parts failed and were not fully checked: %(names)s.",
                                len(parts.failed)) % {"num": len(parts.failed), "names": names})
    missing = [p for p in parts.missing if p.key] + [p for p in parts.missing if not p.key]
    if missing:
        names = ", ".join(p.title for p in missing[:4])
        lines.append(t.ngettext("%(num)d part was expected but is not in the acquisition: %(names)s.",
                                "%(num)d parts were expected but are not in the acquisition: %(names)s.",
                                len(missing)) % {"num": len(missing), "names": names})
    if parts.not_applicable:
        lines.append(t.ngettext("%(num)d part does not apply to this phone (an app that is not installed).",
                                "%(num)d parts do not apply to this phone (apps that are not installed).",
                                len(parts.not_applicable)) % {"num": len(parts.not_applicable)})
    return lines


def summary_view(t: Translations, v: Verdict, run: RunInfo, detections: list[Detection], coverage: Coverage,
                 parts: Unchecked, clock: Clock, shaper: Shaper) -> SummaryView:
    what = t.gettext(coverage.what)
    return SummaryView(
        state=STATE_CLASS[v.state],
        headline=headline(t, v),
        groups=group_lines(t, v),
        meaning=caveat(t, v),
        steps=next_steps(t, v, v.stalkerware),
        checked=t.gettext("%(acquisition)s was checked.") % {"acquisition": what},
        covers=t.gettext(coverage.covers),
        misses=t.gettext(coverage.misses),
        unchecked=unchecked_lines(t, parts),
        ask=parts.ask,
        protect=protection_advice(t, detections, shaper),
        protected=protections_on(t, run.device),
        device=device_facts(t, run.device, run.kind, clock, shaper),
    )
