"""List the messages of the sources that a catalog does not translate yet, by language and source file.

    .venv/bin/python tools/untranslated.py [es|fr|pt ...] [--area PATH_PREFIX]

Messages are extracted as the i18n test extracts them (``src/spyscan/report/locale/babel.cfg``, keywords
``_``, ``gettext``, ``ngettext``, ``tr``, ``trn``, ``N_``). Output: a ``.po`` fragment to fill in, with the
source file of each message as a comment.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from spyscan.report.i18n import LOCALE_DIR, merged_catalog  # noqa: E402

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "tr": None, "trn": (1, 2), "N_": None}


def extracted() -> dict[str | tuple[str, str], str]:
    with (LOCALE_DIR / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str | tuple[str, str], str] = {}
    for file, _line, message, _comments, _context in extract_from_dir(str(REPO), method_map, options_map,
                                                                       keywords=KEYWORDS):
        found.setdefault(message, file)
    return found


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("langs", nargs="*", default=["es", "fr", "pt"])
    parser.add_argument("--area", default="", help="only messages from files under this path")
    args = parser.parse_args()
    messages = extracted()
    for lang in args.langs:
        catalog = merged_catalog(lang)
        print(f"# ---- {lang}")
        for msgid, file in sorted(messages.items(), key=lambda item: (item[1], str(item[0]))):
            if not file.startswith(args.area):
                continue
            key = msgid[0] if isinstance(msgid, tuple) else msgid
            entry = catalog.get(key)
            forms = entry.string if entry is not None else ""
            if entry is not None and all(forms if isinstance(forms, tuple) else (forms,)):
                continue
            print(f"#: {file}")
            if isinstance(msgid, tuple):
                print(f"msgid {_quote(msgid[0])}\nmsgid_plural {_quote(msgid[1])}\nmsgstr[0] \"\"\nmsgstr[1] \"\"\n")
            else:
                print(f"msgid {_quote(msgid)}\nmsgstr \"\"\n")


if __name__ == "__main__":
    main()
