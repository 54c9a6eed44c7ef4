"""Languages of the report and of the terminal summary: gettext catalogs compiled with Babel.

Catalogs are the ``.po`` files in ``locale/<lang>/LC_MESSAGES/`` (one file per area of the code, e.g.
``spyscan.po`` for the report, ``heuristics.po``...), read and merged when a language is first used: no
compiled ``.mo`` is kept in the repository, so two changes that add messages to different areas never
conflict. English is the source language.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.catalog import Message as Message_
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from spyscan.texts import Message, Text, render

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


def catalog_files(lang: str) -> list[Path]:
    """The ``.po`` files of ``lang``, in name order."""
    return sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po"))


def merged_catalog(lang: str) -> Catalog:
    """Every catalog file of ``lang`` as one catalog (a message defined twice keeps its first translation)."""
    merged = Catalog(locale=lang, domain=DOMAIN)
    for path in catalog_files(lang):
        with path.open("rb") as fh:
            part = read_po(fh, locale=lang)
        for message in part:
            if message.id and message.id not in merged:
                merged[message.id] = _all_plural_forms(message, merged.num_plurals)
    return merged


def _all_plural_forms(message: Message_, forms: int) -> Message_:
    """A plural message with as many forms as the language has: a catalog file written with two forms (one,
    other) gives its last form to the language's further ones (Spanish "many": a million of something)."""
    if not isinstance(message.string, list | tuple):
        return message
    given = [s for s in message.string if s]
    if given and len(given) < forms:
        message.string = tuple(list(given) + [given[-1]] * (forms - len(given)))
    return message


@lru_cache(maxsize=len(LANGS))
def _translations(code: str) -> Translations:
    if code == FALLBACK:
        return Translations(domain=DOMAIN)
    try:
        catalog = merged_catalog(code)
    except (OSError, ValueError):
        return Translations(domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext_for(lang: str | None) -> Translations:
    """Translations for ``lang`` (None: from the locale). English gives the source strings."""
    return _translations(resolve_lang(lang))


Shape = Callable[[str], str]


def translate(t: Translations, value: Message | str | None, shape: Shape | None = None) -> str:
    """``value`` in the language of ``t``: a ``Message`` (or a ``Text``) is translated, its evidence parameters
    passed through ``shape`` (redaction, for instance) and its nested messages translated too; a plain string
    is shown as it is (through ``shape``)."""
    if value is None:
        return ""
    if isinstance(value, Text):
        value = value.message
    if not isinstance(value, Message):
        return shape(value) if shape is not None else value
    params: dict[str, object] = {}
    for name, param in value.params.items():
        if isinstance(param, Message):
            params[name] = translate(t, param, shape)
        elif isinstance(param, str) and shape is not None:
            params[name] = shape(param)
        else:
            params[name] = param
    if value.plural is not None:
        template = t.ngettext(value.id, value.plural, value.n if value.n is not None else 1)
        english = value.id if value.n == 1 else value.plural
    else:
        template = t.gettext(value.id)
        english = value.id
    return render(template, params, english)


def say(t: Translations, text: str | None, messages: Mapping[str, Message], shape: Shape | None = None) -> str:
    """An English text of run.json in the language of ``t``, through its translatable form when
    ``messages`` (run.json ``messages``) has one."""
    if text is None:
        return ""
    return translate(t, messages.get(text, text), shape)
