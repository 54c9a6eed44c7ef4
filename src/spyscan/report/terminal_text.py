"""The verdict and the translated words shared by the report and the terminal summary.

The terminal summary (``spyscan.console``) calls these functions with ``gettext_for(lang)``; the
report uses the same verdict so that both always say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel.support import Translations

from spyscan import verdict as verdict_states
from spyscan.detection.model import COMPROMISE, MERCENARY, STALKERWARE, Detection, Severity
from spyscan.indicators.model import IndicatorFile
from spyscan.report.families import SHOWN_NAMES, FamilyGroup, family_groups
from spyscan.report.provenance import provenances_for
from spyscan.report.runfile import Verdict as RunVerdict

TRACES = verdict_states.TRACES  # high/critical findings about compromise
REVIEW = verdict_states.REVIEW  # complete; medium findings about compromise to review
CLEAN = verdict_states.CLEAN  # complete; nothing about compromise above low
INCOMPLETE = verdict_states.INCOMPLETE  # a part that could hold traces was not checked; nothing severe found


@dataclass(frozen=True)
class Verdict:
    """How the run's verdict (``spyscan.verdict``, stored in run.json) is worded for people."""

    state: str
    families: tuple[str, ...]  # malware families of the high/critical detections
    severe: int
    other: int  # medium findings about compromise, to review
    severe_indicator_hits: int = 0  # high/critical detections that are indicator matches (not heuristics)
    complete: bool = True
    unchecked: tuple[str, ...] = ()  # titles of the parts that could not be checked, most important first
    groups: tuple[FamilyGroup, ...] = ()  # the families of the traces by threat (report/families.py)
    stalkerware: bool = False  # traces of stalkerware: safety advice comes first


def present(run_verdict: RunVerdict, detections: Sequence[Detection],
            titles: dict[str, str] | None = None, indicators: Sequence[IndicatorFile] = ()) -> Verdict:
    """The wording inputs of a verdict decided by ``spyscan.verdict.decide``; ``indicators`` (run.json's)
    tell where each indicator comes from (mercenary spyware or stalkerware)."""
    severe = verdict_states.severe_compromise(detections)
    review = sum(1 for d in detections if d.category == COMPROMISE and d.severity == Severity.MEDIUM)
    unchecked: list[str] = []
    for reason in run_verdict.reasons:
        if reason.artifact is not None:
            name = (titles or {}).get(reason.artifact) or reason.artifact
            if name not in unchecked:
                unchecked.append(name)
    groups = tuple(family_groups(detections, provenances_for(list(indicators)))) if severe else ()
    return Verdict(
        state=run_verdict.state, families=tuple(verdict_states.families(detections)), severe=len(severe),
        other=review, severe_indicator_hits=sum(1 for d in severe if d.kind == "indicator"),
        complete=run_verdict.complete, unchecked=tuple(unchecked), groups=groups,
        stalkerware=any(g.threat == STALKERWARE for g in groups),
    )


def verdict(detections: Sequence[Detection], finished: bool = True) -> Verdict:
    """The wording inputs for detections alone (no run.json at hand: tests, previews)."""
    from spyscan.report.runfile import ArtifactStatus, RunInfo

    run = RunInfo(tool="", version="", command=[], started="", finished=None, kind="", input="", inputs=[],
                  indicators=[], detections={}, status="complete" if finished else "interrupted",
                  artifacts={"": ArtifactStatus(status="ok", records=1, warnings=[], seconds=0, error=None)})
    return present(verdict_states.decide(run, detections), detections)


def family_list(t: Translations, families: Sequence[str]) -> str:
    if not families:
        return ""
    if len(families) == 1:
        return families[0]
    return t.gettext("%(first)s and %(last)s") % {"first": ", ".join(families[:-1]), "last": families[-1]}


def group_names(t: Translations, group: FamilyGroup) -> str:
    """``Pegasus, Predator and 2 more`` (at most SHOWN_NAMES names; campaigns without a name are counted)."""
    names = group.shown()
    more = group.count - len(names)
    if not names:
        return t.ngettext("%(num)d unnamed campaign", "%(num)d unnamed campaigns", group.unnamed) % {
            "num": group.unnamed}
    if more:
        return family_list(t, [*names, t.ngettext("%(num)d more", "%(num)d more", more) % {"num": more}])
    return family_list(t, names)


def group_label(t: Translations, threat: str) -> str:
    if threat == MERCENARY:
        return t.gettext("Mercenary spyware")
    if threat == STALKERWARE:
        return t.gettext("Stalkerware (apps used to watch a person)")
    return t.gettext("Other spyware")


def group_lines(t: Translations, v: Verdict) -> list[str]:
    """One line per threat class: ``Mercenary spyware: Pegasus, Predator and 1 more`` (none when the headline
    names every family)."""
    if names_all(v):
        return []
    return [t.gettext("%(group)s: %(names)s") % {"group": group_label(t, g.threat), "names": group_names(t, g)}
            for g in v.groups]


def _counted(t: Translations, group: FamilyGroup) -> str:
    if group.threat == MERCENARY:
        return t.ngettext("%(num)d mercenary spyware family", "%(num)d mercenary spyware families",
                          group.count) % {"num": group.count}
    if group.threat == STALKERWARE:
        return t.ngettext("%(num)d stalkerware app", "%(num)d stalkerware apps", group.count) % {"num": group.count}
    return t.ngettext("%(num)d other spyware family", "%(num)d other spyware families", group.count) % {
        "num": group.count}


def names_all(v: Verdict) -> bool:
    """The headline names every family (few of them, all named): no group lines are needed under it."""
    return sum(g.count for g in v.groups) <= SHOWN_NAMES and all(g.names and not g.unnamed for g in v.groups)


def _short(t: Translations, threat: str) -> str:
    return t.gettext("mercenary spyware") if threat == MERCENARY else t.gettext("stalkerware")


def _traces_headline(t: Translations, v: Verdict) -> str:
    if names_all(v):
        named = [name if g.threat not in (MERCENARY, STALKERWARE) else
                 t.gettext("%(name)s (%(kind)s)") % {"name": name, "kind": _short(t, g.threat)}
                 for g in v.groups for name in g.names]
        return t.gettext("Traces of %(families)s found") % {"families": family_list(t, named)}
    if len(v.groups) == 1 and not v.groups[0].names:
        if v.groups[0].threat == MERCENARY:
            return t.gettext("Traces of mercenary spyware found")
        if v.groups[0].threat == STALKERWARE:
            return t.gettext("Traces of stalkerware found")
        return t.gettext("Traces of spyware found")
    return t.gettext("Traces of %(families)s found") % {
        "families": family_list(t, [_counted(t, g) for g in v.groups])}


def headline(t: Translations, v: Verdict) -> str:
    """The verdict in plain words (one sentence)."""
    if v.state == TRACES:
        if v.groups:
            return _traces_headline(t, v)
        if v.severe_indicator_hits:
            return t.gettext("Traces of spyware found")
        # only behaviour heuristics: a sign that needs an expert's look, not a known spyware trace
        return t.gettext("Signs of possible compromise found")
    if v.state == INCOMPLETE:
        return t.gettext("The check is incomplete")
    if v.state == REVIEW:
        return t.gettext("No known traces found, but some findings need a closer look")
    return t.gettext("No known traces found")


def unchecked_line(t: Translations, v: Verdict) -> str:
    """What could not be checked, in one sentence (empty when the check was complete)."""
    if v.complete:
        return ""
    if not v.unchecked:
        return t.gettext("The check was interrupted or nothing that could hold traces was read.")
    shown = ", ".join(v.unchecked[:5])
    more = len(v.unchecked) - 5
    if more > 0:
        shown += " " + t.ngettext("and %(num)d more", "and %(num)d more", more) % {"num": more}
    return t.gettext("Could not be checked: %(parts)s.") % {"parts": shown}


def caveat(t: Translations, v: Verdict) -> str:
    """The honest limit of the verdict."""
    if v.state == TRACES:
        return t.ngettext(
            "%(num)d high or critical detection. An expert should confirm it before conclusions are drawn.",
            "%(num)d high or critical detections. An expert should confirm them before conclusions are drawn.",
            v.severe,
        ) % {"num": v.severe}
    if v.state == INCOMPLETE:
        return unchecked_line(t, v) + " " + t.gettext(
            "Nothing severe was found in what could be checked, but the result is partial: it is not a clean bill "
            "of health.")
    text = t.gettext("This does not prove the phone is clean.")
    if v.state == REVIEW and v.other:
        text += " " + t.ngettext(
            "%(num)d finding should be reviewed; it is not proof of an infection.",
            "%(num)d findings should be reviewed; they are not proof of an infection.",
            v.other,
        ) % {"num": v.other}
    return text


def verdict_line(t: Translations, v: Verdict) -> str:
    """The terminal's closing lines, for the analyst: the verdict (with the families by threat), its limit, and
    what to do with the results (the report, written for the person, says what the person should do)."""
    if v.state == TRACES:
        advice = t.gettext("Go through report.html with the person (its first page is written for them); for a "
                           "second opinion, share report-redacted.html (spyscan report --redact).")
        if v.stalkerware:
            advice = t.gettext("Stalkerware was found: plan the person's safety before anything on the phone is "
                               "changed.") + " " + advice
    elif v.state == INCOMPLETE:
        advice = t.gettext("report.html says what could not be checked and what to ask the person for.")
    else:
        advice = t.gettext("report.html says what this acquisition could not show.")
    lines = [f"{headline(t, v)}.", *[f"{line}." for line in group_lines(t, v)], f"{caveat(t, v)} {advice}"]
    if v.state == TRACES and not v.complete:
        lines.append(t.gettext("The check is also incomplete.") + " " + unchecked_line(t, v))
    return " ".join(lines)


def match_note(t: Translations, quality: str | None) -> str:
    notes = {
        "exact": t.gettext("The value is identical to the indicator."),
        "subdomain": t.gettext("The host is a subdomain of the indicator's domain."),
        "url-host": t.gettext("The host of this address is the indicator's domain."),
        "prefix": t.gettext("The path lies inside the path named by the indicator."),
        "cidr": t.gettext("The address lies in the network range named by the indicator."),
        "truncated": t.gettext("Weak match: the system may have shortened the process name to 15 characters."),
    }
    return notes.get(quality or "", "")


def stalkerware_steps(t: Translations) -> list[str]:
    """What someone whose phone holds stalkerware should know first."""
    return [
        t.gettext("Stalkerware is usually installed by someone close, who had the phone in their hands. Before "
                  "changing anything on the phone, make a safety plan with an organisation that supports people "
                  "facing abuse or stalking."),
        t.gettext("Do not confront the person you suspect, and do not remove the app yet: whoever installed it may "
                  "notice that it stopped reporting, or that the phone changed, and react."),
    ]


def next_steps(t: Translations, v: Verdict, stalkerware: bool) -> list[str]:
    """What the person should do now (the report's summary is written for the person whose phone it is)."""
    helpline = t.gettext(
        "Contact a digital-security helpline, for example Access Now's Digital Security Helpline "
        "(help@accessnow.org, in Spanish, French, Portuguese, English and other languages) or Amnesty "
        "International's Security Lab."
    )
    keep = t.gettext("Keep the acquisition and this results folder unchanged, in a safe place.")
    not_here = t.gettext("Do not open or send this report from the phone that was checked: use another device.")
    if v.state == TRACES:
        steps = stalkerware_steps(t) if stalkerware else []
        steps += [
            t.gettext("Do not reset, update or wipe the phone, and do not uninstall apps: this can destroy the "
                      "traces an expert needs."),
            keep,
            helpline,
            t.gettext("Until an expert has looked at it, assume the phone may be monitored: have sensitive "
                      "conversations away from it."),
            not_here,
        ]
        return steps
    if v.state == INCOMPLETE:
        return [t.gettext("Look at \"What could not be checked\" below: it says what to ask for, so that the "
                          "check can be made again."), keep, helpline, not_here]
    steps = []
    if v.state == REVIEW:
        steps.append(t.gettext("Go through the findings with a helpline analyst: they are unusual patterns, "
                               "not proof of an infection."))
    steps += [
        t.gettext("Indicators only cover attacks that have been investigated and published: a new or unknown "
                  "attack may leave no known trace."),
        t.gettext("If you still have reasons for concern (for example a threat notification from Apple, Google "
                  "or Meta), do not reset the phone.") + " " + helpline,
        t.gettext("Keep the acquisition: it can be checked again later with new indicators, without touching the "
                  "phone again."),
        not_here,
    ]
    return steps


def severity_label(t: Translations, severity: str) -> str:
    labels = {
        Severity.CRITICAL.value: t.gettext("critical"),
        Severity.HIGH.value: t.gettext("high"),
        Severity.MEDIUM.value: t.gettext("medium"),
        Severity.LOW.value: t.gettext("low"),
        Severity.INFO.value: t.gettext("information"),
    }
    return labels.get(severity, severity)


def status_label(t: Translations, status: str) -> str:
    labels = {
        "ok": t.gettext("checked"),
        "not_found": t.gettext("not found"),
        "warning": t.gettext("checked, with warnings"),
        "error": t.gettext("failed"),
        "recovered": t.gettext("partly recovered"),
        "skipped": t.gettext("skipped"),
        "timeout": t.gettext("stopped: time budget"),
        "truncated": t.gettext("stopped: too large"),
        "interrupted": t.gettext("interrupted"),
        "not_run": t.gettext("not run"),
    }
    return labels.get(status, status)


@dataclass(frozen=True)
class SummaryWords:
    """Headings of the terminal summary table and lines."""

    artifacts: str
    artifact: str
    status: str
    records: str
    detections: str
    by_severity: str
    report: str
    results: str
    checking: str


def summary_words(t: Translations) -> SummaryWords:
    return SummaryWords(
        artifacts=t.gettext("Artifacts"),
        artifact=t.gettext("artifact"),
        status=t.gettext("status"),
        records=t.gettext("records"),
        detections=t.gettext("detections"),
        by_severity=t.gettext("Detections by severity"),
        report=t.gettext("Report:"),
        results=t.gettext("Results:"),
        checking=t.gettext("checking"),
    )
