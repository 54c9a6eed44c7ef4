"""Languages of the report and of the terminal summary: gettext catalogs compiled with Babel.

Catalogs live in ``locale/<lang>/LC_MESSAGES/spyscan.po`` with their compiled ``.mo`` next to them
(committed, so nothing has to be built at install time). English is the source language.
"""

from __future__ import annotations

import os
from pathlib import Path

from babel.support import Translations

DOMAIN = "spyscan"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGS = ("en", "es", "fr", "pt")
FALLBACK = "en"
_LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def normalize_lang(value: str | None) -> str | None:
    """``es_MX.UTF-8`` -> ``es``; ``pt-BR`` -> ``pt``; None for values that name no supported language."""
    if not value:
        return None
    code = value.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].lower()
    return code if code in LANGS else None


def default_lang() -> str:
    """The language from the locale environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else English.

    ``LANGUAGE`` may list several languages (``es_MX:es:en``); the first supported one wins.
    ``C``/``POSIX`` locales mean English.
    """
    for var in _LOCALE_VARS:
        value = os.environ.get(var, "")
        if not value:
            continue
        for item in value.split(":"):
            lang = normalize_lang(item)
            if lang is not None:
                return lang
        if var != "LANGUAGE":  # LANGUAGE is only a preference list; the others decide
            return FALLBACK
    return FALLBACK


def resolve_lang(lang: str | None) -> str:
    """The language to use: the given one when supported, else the locale's, else English."""
    return normalize_lang(lang) or default_lang()


def gettext_for(lang: str | None) -> Translations:
    """Translations for ``lang`` (None: from the locale). English gives the source strings."""
    code = resolve_lang(lang)
    if code == FALLBACK:
        return Translations(domain=DOMAIN)
    path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as fh:
            return Translations(fh, domain=DOMAIN)
    except OSError:
        return Translations(domain=DOMAIN)
