"""Triage as the report shows it: the current decision of an analyst about each detection.

The report reads only the output folder; the triage comes from the case store, so a face that has it
(the web app) hands it to ``html.render`` as these marks, keyed by detection id.
"""

from __future__ import annotations

import msgspec
from babel.support import Translations


class TriageMark(msgspec.Struct, frozen=True, kw_only=True):
    state: str  # confirmed, benign, needs_review
    analyst: str
    at: str  # UTC, ISO 8601
    note: str
    changed: bool = False  # the finding's evidence changed since it was triaged


def triage_label(t: Translations, state: str) -> str:
    labels = {
        "confirmed": t.gettext("confirmed"),
        "benign": t.gettext("benign (false alarm)"),
        "needs_review": t.gettext("needs expert review"),
    }
    return labels.get(state, state)
