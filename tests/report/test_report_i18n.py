"""Catalogs: complete in es/fr/pt, no message translated two ways; language from the locale."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from spyscan.detection.model import Severity
from spyscan.report import html
from spyscan.report.i18n import LOCALE_DIR, catalog_files, default_lang, gettext_for, merged_catalog, normalize_lang
from spyscan.report.terminal_text import summary_words, verdict, verdict_line
from tests.report import folders as f

TRANSLATED = ("es", "fr", "pt")


def extracted_ids() -> set[str | tuple[str, str]]:
    with (LOCALE_DIR / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "tr": None, "trn": (1, 2), "N_": None}
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(f.REPO), method_map, options_map,
                                                                         keywords=keywords):
        found.add(message)
    return found


def test_extraction_finds_the_report_and_terminal_strings() -> None:
    ids = extracted_ids()
    assert "No known traces found" in ids  # terminal_text.py
    assert "What could not be checked" in ids  # template
    assert "Written: %(path)s" in ids  # commands/report.py
    assert len(ids) > 100


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    catalog = merged_catalog(lang)
    missing = []
    for msgid in extracted_ids():
        message = catalog.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        strings = message.string if message is not None else ""
        forms = strings if isinstance(strings, tuple) else (strings,)
        if message is None or not all(forms) or message.fuzzy:
            missing.append(msgid)
    assert not missing, f"{lang}: untranslated messages: {missing}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_message_is_translated_two_ways(lang: str) -> None:
    seen: dict[object, tuple[str, object]] = {}
    clashes = []
    for path in catalog_files(lang):
        with path.open("rb") as fh:
            for message in read_po(fh):
                if not message.id:
                    continue
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                if key in seen and seen[key][1] != message.string:
                    clashes.append((key, seen[key][0], path.name))
                seen.setdefault(key, (path.name, message.string))
    assert not clashes, f"{lang}: messages translated differently in two catalog files: {clashes}"
    assert not list((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.mo")), "catalogs are read from .po; no .mo is kept"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_runtime_translations_follow_the_po(lang: str) -> None:
    t = gettext_for(lang)
    for message in merged_catalog(lang):
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            assert t.ngettext(message.id[0], message.id[1], 1) == message.string[0], message.id
            for n in (2, 5, 1_000_000):  # every plural form of the language, also those a file does not list
                assert t.ngettext(message.id[0], message.id[1], n) in message.string, (message.id, n)
        else:
            assert t.gettext(message.id) == message.string, message.id


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "es_MX.UTF-8"}, "es"),
    ({"LANGUAGE": "pt_BR:en", "LANG": "en_US.UTF-8"}, "pt"),
    ({"LC_ALL": "fr_FR.UTF-8", "LANG": "es_MX.UTF-8"}, "fr"),
    ({"LC_ALL": "C"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({}, "en"),
])
def test_default_lang_from_the_locale(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert default_lang() == expected


def test_normalize_lang() -> None:
    assert normalize_lang("pt-BR") == "pt" and normalize_lang("es_419") == "es" and normalize_lang("xx") is None


@pytest.mark.parametrize(("lang", "headline", "caveat"), [
    ("es", "Se encontraron rastros de Pegasus (software espía mercenario) y TheTruthSpy (stalkerware)",
     "Qué hacer ahora"),
    ("fr", "Traces de Pegasus (logiciel espion mercenaire) et TheTruthSpy (stalkerware) trouvées",
     "Que faire maintenant"),
    ("pt", "Foram encontrados rastros de Pegasus (spyware mercenário) e TheTruthSpy (stalkerware)",
     "O que fazer agora"),
])
def test_report_in_each_language(built: f.Built, lang: str, headline: str, caveat: str) -> None:
    html.write_reports(built.out, lang=lang)
    text = (built.out / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in text and headline in text and caveat in text
    assert "What could not be checked" not in text


def test_clean_verdict_in_spanish_keeps_the_caveat(tmp_path: Path) -> None:
    out = f.write_folder(tmp_path / "c", detections=[], with_failure=False).out
    html.write_reports(out, lang="es")
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "No se encontraron rastros conocidos" in text and "Esto no prueba que el teléfono esté limpio." in text


def test_terminal_summary_strings_are_translated() -> None:
    detections = f.make_detections()
    line = verdict_line(gettext_for("es"), verdict(detections))
    assert line.startswith("Se encontraron rastros de Pegasus y TheTruthSpy.")
    assert "report-redacted.html" in line  # the terminal speaks to the analyst
    clean = verdict_line(gettext_for("pt"), verdict([]))
    assert "Nenhum rastro conhecido encontrado" in clean and "não prova" in clean
    assert summary_words(gettext_for("fr")).by_severity == "Détections par gravité"
    assert verdict(detections).families == ("Pegasus", "TheTruthSpy")
    assert verdict([d for d in detections if d.severity == Severity.MEDIUM]).state == "review"
