"""Pages: Jinja2 templates (autoescaped) translated with the same gettext catalogs as the report."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.support import Translations
from starlette.requests import Request
from starlette.responses import HTMLResponse

from spyscan import __version__
from spyscan.cases.model import EvidenceChange
from spyscan.report.html import fmt_time, template_environment
from spyscan.report.i18n import LANGS, gettext_for, resolve_lang
from spyscan.report.terminal_text import severity_label, status_label
from spyscan.report.triage_marks import triage_label
from spyscan.web.security import Session

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANG_NAMES = {"en": "English", "es": "Español", "fr": "Français", "pt": "Português"}


@lru_cache(maxsize=len(LANGS))
def environment(lang: str) -> jinja2.Environment:
    env = template_environment(gettext_for(lang), TEMPLATES)  # "ev": evidence text, invisible characters shown
    env.globals["severity_label"] = lambda s: severity_label(gettext_for(lang), s)
    env.globals["status_label"] = lambda s: status_label(gettext_for(lang), s)
    env.globals["triage_label"] = lambda s: triage_label(gettext_for(lang), s)
    env.globals["fmt_time"] = fmt_time
    t = gettext_for(lang)
    env.globals["password_label"] = lambda what: password_label(t, what)
    env.globals["job_state_label"] = lambda state: job_state_label(t, state)
    env.globals["change_text"] = lambda change: change_text(t, change)
    env.globals["source_label"] = lambda source: source_label(t, source)
    env.globals["platform_label"] = lambda name: platform_label(t, name)
    env.globals["threat_label"] = lambda name: threat_label(t, name)
    return env


def password_label(t: Translations, what: str) -> str:
    """The password an input asks for (``Secrets.password(what)``), in the user's language."""
    from spyscan.kinds.android_backup import PROMPT as ANDROID_PROMPT
    from spyscan.kinds.androidqf import AGE_PROMPT
    from spyscan.kinds.ios_backup import PASSWORD_PROMPT as IOS_PROMPT

    labels: dict[str, str] = {
        IOS_PROMPT: t.gettext("Password of the iPhone backup"),
        ANDROID_PROMPT: t.gettext("Password of the Android backup"),
        AGE_PROMPT: t.gettext("Passphrase of the encrypted acquisition (age)"),
    }
    return labels.get(what, t.gettext(what) if what else t.gettext("Password"))


def job_state_label(t: Translations, state: str) -> str:
    labels = {"starting": t.gettext("starting"), "running": t.gettext("running"), "done": t.gettext("finished"),
              "failed": t.gettext("could not finish"), "cancelled": t.gettext("cancelled"),
              "password": t.gettext("waiting for the password")}
    return labels.get(state, state)


def change_text(t: Translations, change: EvidenceChange) -> str:
    """What changed in a finding's evidence since it was triaged, in words."""
    if change.code == "severity":
        return t.gettext("its severity rose from %(before)s to %(after)s") % {
            "before": severity_label(t, change.before), "after": severity_label(t, change.after)}
    if change.code == "source":
        return t.gettext("a new indicator source lists it: %(sources)s") % {"sources": change.after}
    if change.code == "later":
        return t.gettext("it was seen again later, on %(when)s") % {"when": fmt_time(change.after)}
    return t.gettext("it has more occurrences: %(after)s instead of %(before)s") % {
        "after": change.after, "before": change.before}


def source_label(t: Translations, source: str) -> str:
    labels = {"bundled": t.gettext("bundled with spyscan"), "user": t.gettext("updated feed"),
              "added": t.gettext("added by you"), "env": "SPYSCAN_IOCS", "cli": "--iocs"}
    return labels.get(source, source)


def threat_label(t: Translations, name: str) -> str:
    labels = {"mercenary": t.gettext("mercenary spyware"), "stalkerware": t.gettext("stalkerware"),
              "watchware": t.gettext("parental control (watchware)")}
    return labels.get(name, name)


def platform_label(t: Translations, name: str) -> str:
    labels = {"ios": "iOS", "android": "Android", "any": t.gettext("any platform")}
    return labels.get(name, name)


def session_of(request: Request) -> Session:
    session = request.scope.get("state", {}).get("session")
    assert isinstance(session, Session), "the guard sets the session of every request"
    return session


def lang_of(request: Request) -> str:
    return resolve_lang(session_of(request).lang or request.app.state.default_lang)


def translations(request: Request) -> Translations:
    return gettext_for(lang_of(request))


def page(request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None,
         **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    session = session_of(request)
    text = environment(lang).get_template(template).render(
        lang=lang, langs=LANG_NAMES, csrf=session.csrf, version=__version__, here=request.url.path, **context)
    return HTMLResponse(text, status_code=status, headers=headers)
