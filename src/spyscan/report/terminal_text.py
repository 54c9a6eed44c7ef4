"""The verdict and the translated words shared by the report and the terminal summary.

The terminal summary (``spyscan.console``) calls these functions with ``gettext_for(lang)``; the
report uses the same verdict so that both always say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from babel.support import Translations

from spyscan import verdict as verdict_states
from spyscan.detection.model import COMPROMISE, Detection, Severity
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


def present(run_verdict: RunVerdict, detections: Sequence[Detection],
            titles: dict[str, str] | None = None) -> Verdict:
    """The wording inputs of a verdict decided by ``spyscan.verdict.decide``."""
    severe = verdict_states.severe_compromise(detections)
    review = sum(1 for d in detections if d.category == COMPROMISE and d.severity == Severity.MEDIUM)
    unchecked: list[str] = []
    for reason in run_verdict.reasons:
        if reason.artifact is not None:
            name = (titles or {}).get(reason.artifact) or reason.artifact
            if name not in unchecked:
                unchecked.append(name)
    return Verdict(
        state=run_verdict.state, families=tuple(verdict_states.families(detections)), severe=len(severe),
        other=review, severe_indicator_hits=sum(1 for d in severe if d.kind == "indicator"),
        complete=run_verdict.complete, unchecked=tuple(unchecked),
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


def headline(t: Translations, v: Verdict) -> str:
    """The verdict in plain words (one sentence)."""
    if v.state == TRACES:
        if v.families:
            return t.gettext("Traces of %(families)s found") % {"families": family_list(t, v.families)}
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
            "%(num)d lower-severity finding should be reviewed.",
            "%(num)d lower-severity findings should be reviewed.",
            v.other,
        ) % {"num": v.other}
    return text


def verdict_line(t: Translations, v: Verdict) -> str:
    """One line for the terminal: verdict (what could not be checked first when incomplete), caveat, advice."""
    if v.state == TRACES:
        advice = t.gettext("Do not reset the phone; keep the acquisition and contact a digital-security helpline.")
    elif v.state == INCOMPLETE:
        advice = t.gettext("See the report for what could not be checked.")
    else:
        advice = t.gettext("If you still have reasons for concern, contact a digital-security helpline.")
    line = f"{headline(t, v)}. {caveat(t, v)} {advice}"
    if v.state == TRACES and not v.complete:
        line += " " + t.gettext("The check is also incomplete.") + " " + unchecked_line(t, v)
    return line


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


def next_steps(t: Translations, v: Verdict, stalkerware: bool) -> list[str]:
    helpline = t.gettext(
        "Contact a digital-security helpline, for example Access Now's Digital Security Helpline "
        "(help@accessnow.org, in Spanish, French, Portuguese, English and other languages) or Amnesty "
        "International's Security Lab."
    )
    keep = t.gettext("Keep the acquisition and this results folder unchanged, in a safe place.")
    if v.state == TRACES:
        steps = [
            t.gettext("Do not reset, update or wipe the phone, and do not uninstall apps: this can destroy the "
                      "traces an expert needs."),
            keep,
            helpline,
            t.gettext("Until an expert has looked at it, assume the phone may be monitored: have sensitive "
                      "conversations away from it."),
        ]
        if stalkerware:
            steps.append(t.gettext(
                "Stalkerware is often installed by someone close. Removing it can alert that person: plan your "
                "safety with a specialised organisation first."))
        return steps
    if v.state == INCOMPLETE:
        return [t.gettext("Look at \"What could not be checked\" below, fix the cause if you can, and run the "
                          "check again."), keep, helpline]
    steps = []
    if v.state == REVIEW:
        steps.append(t.gettext("Review the findings below with a helpline analyst: they are unusual patterns, "
                               "not proof of an infection."))
    steps += [
        t.gettext("Indicators only cover attacks that have been investigated and published: a new or unknown "
                  "attack may leave no known trace."),
        t.gettext("If you still have reasons for concern (for example a threat notification from Apple, Google "
                  "or Meta), do not reset the phone.") + " " + helpline,
        t.gettext("Keep the acquisition: it can be checked again later with new indicators (spyscan recheck), "
                  "without touching the phone again."),
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
