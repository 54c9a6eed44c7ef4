"""Finding English left in a page or a line meant to be in Spanish, French or Portuguese.

Two detectors, both needed:

* the English of every message the sources declare (``tr``, ``trn``, ``N_``, ``gettext``...): a message shown
  untranslated appears with its English words, found by its literal fragments of two or more words;
* English function words ("the", "was", "could"...) that none of the three languages uses: they catch English
  that never went through a catalog (an f-string, a hard-coded sentence).

Text that is evidence or a technical value (class ``ev`` or ``mono`` in the report, ``<code>``, ``<script>``,
``<style>``) is left out: it is shown as the phone or the feed wrote it. Proper nouns and indicator values live
there or in ``ALLOWED``.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from spyscan.report.i18n import LOCALE_DIR
from tests.report.folders import REPO

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "tr": None, "trn": (1, 2), "N_": None}

# English words that Spanish, French and Portuguese never use as words of their own
ENGLISH_WORDS = frozenset((
    "the", "and", "was", "were", "is", "are", "been", "being", "has", "have", "had", "could", "would", "should",
    "which", "this", "that", "these", "those", "with", "without", "from", "into", "onto", "not", "found",
    "checked", "missing", "failed", "read", "because", "there", "their", "they", "them", "its", "it's", "isn't",
    "wasn't", "doesn't", "don't", "can't", "cannot", "by", "of", "for", "what", "when", "where", "why", "how",
    "who", "whom", "whose", "than", "then", "only", "also", "still", "yet", "please", "here", "more", "most",
    "other", "another", "each", "every", "any", "some", "none", "nothing", "something", "anything", "used", "using",
))
# words that are the same in the other languages or proper nouns that look English
ALLOWED = frozenset({"app", "apps", "online", "backup", "log", "logs", "root"})
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdif]|%[sd]|\{[a-z_]*\}")


def source_messages() -> list[str]:
    """The English of every message the sources and templates declare."""
    return list(_source_messages())


@cache
def _source_messages() -> tuple[str, ...]:
    with (LOCALE_DIR / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(REPO), method_map, options_map,
                                                                         keywords=KEYWORDS):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.add(text)
    return tuple(sorted(found))


@cache
def _fragments() -> tuple[str, ...]:
    """English from the declared messages: whole messages of two words or more (titles, labels), and literal
    runs of three or more words with an English function word (placeholders split them)."""
    out: set[str] = set()
    for message in _source_messages():
        if "%(" not in message:  # a whole message (a title, a label) of two or more words
            words = _WORD.findall(message)
            if len(words) >= 2 and " ".join(words) == " ".join(message.split()).rstrip(".:"):
                out.add(" ".join(words))
        for part in _PLACEHOLDER.split(message):
            words = _WORD.findall(part)
            if len(words) >= 3 and any(w.lower() in ENGLISH_WORDS for w in words):
                out.add(" ".join(words))
    return tuple(sorted(out, key=len, reverse=True))


def english_in(text: str) -> list[str]:
    """English found in ``text`` (a translated page's visible words): fragments of messages and English words."""
    words = _WORD.findall(text)
    joined = " " + " ".join(words) + " "
    found = [f for f in _fragments() if f" {f} " in joined]
    found += sorted({w for w in words if w.lower() in ENGLISH_WORDS and w.lower() not in ALLOWED})
    return found


class _Visible(HTMLParser):
    """Text a reader sees, without evidence and technical values."""

    SKIP_TAGS = frozenset({"script", "style", "code", "title"})
    SKIP_CLASSES = frozenset({"ev", "mono"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # skipped?
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "meta", "link", "input", "img", "hr", "col", "wbr"):
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipped = (bool(self.stack) and self.stack[-1]) or tag in self.SKIP_TAGS or bool(classes & self.SKIP_CLASSES)
        self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "meta", "link", "input", "img", "hr", "col", "wbr"):
            return
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html_text: str) -> str:
    parser = _Visible()
    parser.feed(html_text)
    return " ".join(" ".join(parser.parts).split())
