"""One card per detection (the technical annex): what was found, the indicator or rule, every occurrence
(bounded) and every feed that lists the value, why it matters, and the record's raw fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from babel.support import Translations

from spyscan.detection.model import MERCENARY, STALKERWARE, WATCHWARE, Detection, IndicatorRef
from spyscan.report.families import display_name, threat_of
from spyscan.report.i18n import translate
from spyscan.report.provenance import Provenance
from spyscan.report.redact import inert
from spyscan.report.shaping import VALUE_LIMIT, Shaper, display, keep_values
from spyscan.report.terminal_text import match_note, severity_label
from spyscan.report.times import Clock
from spyscan.report.triage_marks import TriageMark, triage_label
from spyscan.texts import N_

MAX_FIELDS = 30
MAX_OCCURRENCES_SHOWN = 20
MESSAGE_ARTIFACTS = ("ios.sms", "ios.whatsapp_messages", "android.backup.messages")

# what an observed value is, for people (observable types of spyscan.observables)
OBSERVABLE_LABELS = {
    "url": N_("link"), "domain": N_("domain"), "ip": N_("IP address"), "email": N_("e-mail address"),
    "phone": N_("phone number"), "process": N_("process"), "file_path": N_("file"), "file_name": N_("file name"),
    "md5": N_("file hash"), "sha1": N_("file hash"), "sha256": N_("file hash"), "app_id": N_("app"),
    "cert_md5": N_("signing certificate"), "cert_sha1": N_("signing certificate"),
    "cert_sha256": N_("signing certificate"), "android_property": N_("system property"),
    "profile_id": N_("configuration profile"), "text": N_("text"),
}


@dataclass
class SourceView:
    provenance: Provenance | None
    file: Any  # the indicator file (shaped)
    stix_id: Any
    family: str


@dataclass
class TriageView:
    """An analyst's current decision about the detection (from the case store, through the face showing it)."""

    state: str
    label: str
    by: Any  # who and when (empty in a redacted copy)
    note: Any  # the analyst's note (left out of a redacted copy: notes can name people)
    changed: bool  # the finding's evidence changed since


@dataclass
class DetectionView:
    anchor: str
    severity: str
    severity_label: str
    kind: str  # indicator / heuristic
    category: str  # compromise / context / protection
    artifact: str
    artifact_title: str
    family: str  # display name of the family ("" for heuristics or a campaign tag)
    rule_title: str
    found: Any  # what was found on the phone ("link: https://…")
    indicator: Any  # "domain-name:value = evil.example"
    match_note: str
    when: str  # first seen, on the report's clock
    last_seen: str  # "" when there is only one time
    count: int
    occurrences: list[tuple[str, Any, Any]]  # (when, where, note)
    more_occurrences: int
    sources: list[SourceView]
    why: str
    message: Any  # the details line, translated ("" when the other lines say it all)
    message_verbatim: bool  # the details line as recorded (a detection written before messages were translatable)
    fields: list[tuple[str, Any]]
    more_fields: int
    where: Any  # the first record's source
    triage: TriageView | None = None


def source_text(t: Translations, record: Mapping[str, Any]) -> str:
    source = record.get("source")
    if not isinstance(source, dict):
        return ""
    labels = {"table": t.gettext("table %(value)s"), "rowid": t.gettext("row %(value)s"),
              "line": t.gettext("line %(value)s"), "key": t.gettext("key %(value)s")}
    parts = [str(source.get("file", ""))]
    for key, label in labels.items():
        if source.get(key) is not None:
            parts.append(label % {"value": source[key]})
    return ", ".join(p for p in parts if p)


def why_indicator(t: Translations, d: Detection, family: str, threat: str) -> str:
    """Why an indicator match matters, by what the feed says the value is and whose it is."""
    ref = d.indicator
    name = family or t.gettext("an unnamed spyware campaign")
    if ref is not None and ref.role == "website":
        text = t.gettext("This is a public website of %(family)s: someone looked at the product from this phone. "
                         "That is not a trace of infection by itself, but it is worth asking why.") % {"family": name}
    elif threat == WATCHWARE or (ref is not None and ref.threat == WATCHWARE):
        text = t.gettext("This value belongs to %(family)s, a parental-control product. It can be legitimate, but "
                         "the same apps are used to watch adults without their consent.") % {"family": name}
    elif threat == STALKERWARE:
        text = t.gettext("This value belongs to %(family)s, an app sold to watch a person (stalkerware). It is "
                         "usually installed by someone who had the unlocked phone in their hands, often someone "
                         "close.") % {"family": name}
    elif threat == MERCENARY:
        text = t.gettext("Researchers published this value as a trace of %(family)s, mercenary spyware sold to "
                         "governments. Finding it means the phone contacted, stored or ran something that "
                         "investigators tied to this spyware. An expert should confirm it, but it must be taken "
                         "seriously.") % {"family": name}
    else:
        text = t.gettext(
            "Researchers published this value as a trace of %(family)s. Finding it means the phone contacted, "
            "stored or ran something that investigators tied to this spyware. An expert should confirm it, "
            "but it must be taken seriously.") % {"family": name}
    if d.observable is not None and d.observable.type == "url" and d.artifact in MESSAGE_ARTIFACTS:
        text += " " + t.gettext("The link was in a message: that alone does not tell whether it was opened. A visit "
                                "would show in the browser history, if the acquisition holds it.")
    return text


def _when(t: Translations, value: str | None, d: Detection, clock: Clock) -> str:
    """A detection's time on the report's clock; a phone's local time whose zone is unknown (stored as if UTC)
    is said as such, never labelled UTC."""
    if value and d.record.get("timezone_assumed"):
        return t.gettext("%(time)s (the phone's local time; its zone is unknown)") % {
            "time": value.replace("T", " ").removesuffix("Z")[:19]}
    return clock.show(value)


def _details(t: Translations, d: Detection, shape: Callable[[str], str]) -> Any:
    if d.text is not None:
        return inert(translate(t, d.text, shape), VALUE_LIMIT * 2)
    if d.kind == "indicator":
        return ""  # found, indicator and match lines say it (an older detections.json has no translatable form)
    return inert(shape(d.message), VALUE_LIMIT * 2)


def _source_view(t: Translations, ref: IndicatorRef, shaper: Shaper,
                 provenances: Mapping[str, Provenance]) -> SourceView:
    family = display_name(ref.malware) or ""
    return SourceView(provenance=provenances.get(ref.file), file=inert(shaper.path(ref.file), 200),
                      stix_id=inert(ref.stix_id, 120), family=family)


def triage_view(t: Translations, mark: TriageMark | None, redacted: bool, clock: Clock) -> TriageView | None:
    if mark is None:
        return None
    by = inert("") if redacted else inert(t.gettext("by %(analyst)s, %(when)s") % {
        "analyst": mark.analyst, "when": clock.show(mark.at)}, 200)
    return TriageView(state=mark.state, label=triage_label(t, mark.state), by=by,
                      note=inert("") if redacted else inert(mark.note, 2000), changed=mark.changed)


def detection_view(t: Translations, d: Detection, index: int, shaper: Shaper, titles: Mapping[str, str],
                   provenances: Mapping[str, Provenance], clock: Clock,
                   triage: TriageMark | None = None) -> DetectionView:
    keep = keep_values(d)

    def shape(value: str) -> str:
        return value if value in keep else shaper.text(value)

    found: Any = ""
    if d.observable is not None:
        label = t.gettext(OBSERVABLE_LABELS.get(d.observable.type, d.observable.type))
        found = inert(f"{label}: " + shaper.observable(d.observable.type, d.observable.value, keep), VALUE_LIMIT)
    family, why = "", ""
    indicator: Any = ""
    refs = d.sources or ([d.indicator] if d.indicator else [])
    if d.indicator is not None:
        family = display_name(d.indicator.malware) or ""
        indicator = inert(f"{d.indicator.type} = {d.indicator.value}", VALUE_LIMIT)
        why = why_indicator(t, d, family, threat_of(d.indicator, dict(provenances)))
    elif d.why:
        why = t.gettext(d.why)
    fields: list[tuple[str, Any]] = [(t.gettext("record type"), inert(str(d.record.get("record_type", "")), 120))]
    names = [k for k in d.record if k not in ("source", "recovered", "record_type")]
    for name in names[:MAX_FIELDS]:
        value = d.record[name]
        if value is None or value == "" or value == []:
            continue
        fields.append((name, inert(display(shaper.field(name, value, keep)), VALUE_LIMIT)))
    if d.record.get("recovered"):
        fields.append((t.gettext("recovered"), t.gettext("yes: this row came from a damaged database")))
    occurrences = [(clock.show(o.timestamp), inert(shape(o.source), VALUE_LIMIT),
                    inert(translate(t, o.text or o.note, shape), VALUE_LIMIT) if (o.text or o.note) else "")
                   for o in d.occurrences[:MAX_OCCURRENCES_SHOWN]]
    return DetectionView(
        anchor=f"det-{index}",
        severity=d.severity.value,
        severity_label=severity_label(t, d.severity.value),
        kind=d.kind,
        category=d.category,
        artifact=d.artifact,
        artifact_title=titles.get(d.artifact, d.artifact),
        family=family,
        rule_title=t.gettext(d.title) if d.title else "",
        found=found,
        indicator=indicator,
        match_note=match_note(t, d.match),
        when=_when(t, d.timestamp, d, clock),
        last_seen=_when(t, d.last_seen, d, clock) if d.last_seen else "",
        count=d.count,
        occurrences=occurrences,
        more_occurrences=max(0, d.count - len(occurrences)),
        sources=[_source_view(t, ref, shaper, provenances) for ref in refs],
        why=why,
        message=_details(t, d, shape),
        message_verbatim=d.text is None,
        fields=fields,
        more_fields=max(0, len(names) - MAX_FIELDS),
        where=inert(shape(source_text(t, d.record)), VALUE_LIMIT),
        triage=triage_view(t, triage, shaper.redactor is not None, clock),
    )
