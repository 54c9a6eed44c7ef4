"""Evidence strings made safe to show (inert) and safe to share (redacted).

``inert`` makes any string harmless to display: bidirectional controls (U+202E...), other control and
invisible characters become visible markers such as ``[U+202E]``, and long values are cut. HTML
escaping itself is done by the templates (Jinja2 autoescape).

``Redactor`` replaces personal values (phone numbers, e-mail addresses, contact names, message text,
precise locations, device names and identifiers) by stable salted hashes: the same value gives the
same token everywhere in one report, so a reader can still see that two records concern the same
person, without learning who. The salt is random per report unless the user supplies one; it is
never written anywhere. Indicator values are kept, and of a link its host (as a browser reads it): the user
info, path, query and fragment, which can carry a token naming the person, become one token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spyscan.links.text import URL_PATTERN, trim_url
from spyscan.links.whatwg import parse_url

# --------------------------------------------------------------------------------------------
# display safety

_BIDI = frozenset(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
_INVISIBLE = frozenset([0x00AD, 0x034F, 0x180E, *range(0x200B, 0x200E), 0x2060, 0x2061, 0x2062, 0x2063,
                        0x2064, 0xFEFF, *range(0xFFF9, 0xFFFC)])


def _needs_marker(char: str) -> bool:
    code = ord(char)
    if char in "\n\t":
        return False
    if code in _BIDI or code in _INVISIBLE:
        return True
    category = unicodedata.category(char)
    return category in ("Cc", "Cs", "Co", "Cn") or category == "Zl" or category == "Zp"


def marker(char: str) -> str:
    return f"[U+{ord(char):04X}]"


@dataclass(frozen=True)
class InertText:
    """A string split into plain text runs and visible markers for dangerous characters."""

    parts: tuple[tuple[str, bool], ...]  # (text, is_marker)
    omitted: int  # characters cut off at the end

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.parts) + ("…" if self.omitted else "")


def inert(value: object, limit: int = 300) -> InertText:
    """Split ``value`` (made a string) into safe runs; at most ``limit`` characters are kept."""
    text = value if isinstance(value, str) else str(value)
    omitted = max(0, len(text) - limit)
    if omitted:
        text = text[:limit]
    parts: list[tuple[str, bool]] = []
    run: list[str] = []
    for char in text:
        if _needs_marker(char):
            if run:
                parts.append(("".join(run), False))
                run = []
            parts.append((marker(char), True))
        else:
            run.append(char)
    if run:
        parts.append(("".join(run), False))
    return InertText(tuple(parts), omitted)


def inert_plain(value: object, limit: int = 300) -> str:
    """``inert`` as one plain string (markers inline, ellipsis when cut)."""
    return inert(value, limit).plain


# --------------------------------------------------------------------------------------------
# redaction

_DATE = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_EMAIL = r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+"
_URL = URL_PATTERN  # every link spyscan finds in text: "https://…", "https:/…", "https:\\…", "www.…"
_COORD = r"[-+]?\d{1,3}\.\d{3,}\s*[,;/]\s*[-+]?\d{1,3}\.\d{3,}"
_PHONE = r"(?<![\w#/.:-])\+?\(?\d(?:[\s().-]{0,2}\d){6,14}(?![\w])"
# WhatsApp identifiers: "<digits>@s.whatsapp.net" holds a phone number, "<digits>@lid" (2025-26) an opaque
# account id that is no phone number (mvt-project/mvt PR #882): both are one "jid" token, never "tel"
_JID = r"(?<![\w.+-])\d{5,25}(?::\d{1,4})?@(?:lid|s\.whatsapp\.net|c\.us|g\.us)(?![\w.-])"
_LINK = re.compile(_URL)
_SCAN = re.compile(
    f"(?P<date>{_DATE})|(?P<jid>{_JID})|(?P<email>{_EMAIL})|(?P<url>{_URL})|(?P<coord>{_COORD})|(?P<phone>{_PHONE})"
)

# record fields whose values are technical, not personal (kept in the redacted report)
_KEEP_FIELD = re.compile(
    r"(?:^|_)(?:record_type|recovered|bundle|bundle_id|package|package_name|app_id|apps|process|process_name|"
    r"pid|ppid|uid|gid|sha1|sha256|md5|hash|hashes|cert|certificate|version|version_name|version_code|build|"
    r"installer|permission|permissions|type|kind|status|flags?|service|event|system|third_party|disabled|"
    r"enabled|size|count|executable|signature|team_id|profile_id|identifier|rowid|table|line|key|file|path|"
    r"direction|service|is_[a-z_]+|has_[a-z_]+|read|delivered|sent|encrypted|client|authorization|action|state|"
    r"category|level|tag|operation|mode|op|protection_class|domain|scheme|source_app|install_source|sideloaded|"
    r"platform|severity|reason|problem|manifest|quality|role|signal|signal_name|duration|access_count)$"
)
# user file areas: the folder stays, the file name (which can name a person or a case) becomes a token
_USER_FILES = re.compile(
    r"(?P<dir>(?:/?(?:sdcard|storage/emulated/\d+|storage/self/primary|data/media/\d+)"
    r"|(?:/private)?/var/mobile/Media|(?<![\w/])Media|/Documents|/Download|/Downloads|/DCIM)"
    r"(?:/[^/\s\]\[\"'<>]+)*/)(?P<name>[^/\s\]\[\"'<>]+)"
)
_TIME_FIELD = re.compile(r"(?:^|_)(?:time|date|timestamp|at|when|created|modified|updated|first|last)(?:_|$)")
# device information that describes the model and system, not the person
_KEEP_DEVICE = re.compile(r"model|version|os|build|product|type|patch|platform|manufacturer|brand|hardware|"
                          r"release|sdk|kind|class|abi|locale|language|acquired|encrypted|lockdown|protection|"
                          r"utc_offset|timezone|backup_date|date", re.IGNORECASE)
_SIMPLE_WORD = re.compile(r"^-{0,2}[A-Za-z][A-Za-z0-9_.=-]{0,40}$")
_MIN_PERSONAL = 3


def _normal(value: str, label: str) -> str:
    if label == "tel":
        digits = re.sub(r"\D", "", value)
        return digits[-10:] if len(digits) >= 10 else digits  # "+52 55 ..." and "55 ..." alike
    return value.strip().casefold()


@dataclass
class Redactor:
    """Replaces personal values by salted, stable tokens such as ``[tel #1a2b3c4d5e]``."""

    salt: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    # values seen in personal fields (and what each is: email, tel, name...), replaced wherever they appear by
    # the same token as in their field, so that one value never shows as two different tokens
    personal: dict[str, str] = field(default_factory=dict, repr=False)
    # values shown in clear everywhere: what an indicator lists (public already; a token of a value shown in clear
    # elsewhere would tell what the token stands for)
    public: set[str] = field(default_factory=set, repr=False)

    def token(self, value: str, label: str = "value") -> str:
        digest = hmac.new(self.salt, f"{label}\x1f{_normal(value, label)}".encode("utf-8", "replace"),
                          hashlib.sha256).hexdigest()
        return f"[{label} #{digest[:10]}]"

    # ----- free text

    def learn(self, values: Iterable[str | tuple[str, str]]) -> None:
        """Remember personal values (with their token label, else one guessed from the value) so that they are also
        replaced wherever they appear in text."""
        for item in values:
            value, label = item if isinstance(item, tuple) else (item, _label_for("", item))
            value = value.strip()
            if len(value) >= _MIN_PERSONAL and value not in self.public:
                self.personal.setdefault(value, label)

    def keep(self, values: Iterable[str]) -> None:
        """Values to show in clear everywhere in this report (indicator values: published already)."""
        for value in values:
            if value:
                self.public.add(value)
                self.personal.pop(value, None)

    def scrub(self, text: str) -> str:
        """Replace known personal values, e-mail addresses, phone numbers, all of a link but its host,
        coordinates and the names of the person's files; public values stay."""
        if text in self.public:
            return text
        present = sorted((v for v in self.public if v in text), key=len, reverse=True)
        if present:  # a public value never shields what holds it (a message or link holding an indicator's host)
            text = self._holding_public(text, present)
            present = [v for v in present if v in text]
        protected: dict[str, str] = {}
        for number, value in enumerate(present):
            mark = f"\x00{number}\x00"
            protected[mark] = value
            text = text.replace(value, mark)
        for value, label in sorted(self.personal.items(), key=lambda item: len(item[0]), reverse=True):
            if value in text:
                text = text.replace(value, self._personal(value, label))
        text = _USER_FILES.sub(self._replace_user_file, _SCAN.sub(self._replace_match, text))
        for mark, value in protected.items():
            text = text.replace(mark, value)
        return text

    def _personal(self, value: str, label: str) -> str:
        return self.url(value) if _LINK.fullmatch(value) else self.token(value, label)

    def _holding_public(self, text: str, present: list[str]) -> str:
        """``text`` with the personal values and the links that hold one of the public values ``present``
        redacted: a link keeps its host (the indicator's, when it is one), the rest becomes a token."""
        for value, label in sorted(self.personal.items(), key=lambda item: len(item[0]), reverse=True):
            if value in text and any(public in value for public in present):
                text = text.replace(value, self._personal(value, label))

        def link(match: re.Match[str]) -> str:
            found = trim_url(match.group(0))
            if found in self.public or not any(public in found for public in present):
                return match.group(0)  # a public link stays; the others are redacted with the rest of the text
            return self._replace_link(match)

        return _LINK.sub(link, text)

    def _replace_link(self, match: re.Match[str]) -> str:
        value = match.group(0)
        link = trim_url(value)  # the sentence's punctuation stays outside
        if link.endswith("/[path") and match.string.startswith(" #", match.end()):
            return value  # a link redacted already (its head, then its token)
        return self.url(link) + value[len(link):]

    def _replace_user_file(self, match: re.Match[str]) -> str:
        name = match.group("name")
        if name.startswith("[") or "\x00" in name or name in (".", ".."):
            return match.group(0)
        return match.group("dir") + self.token(name, "file")

    def user_file(self, path: str) -> str:
        """A path with the name of a file of the person (``/sdcard/Documents/…``) replaced by a token."""
        return path if path in self.public else _USER_FILES.sub(self._replace_user_file, path)

    def _replace_match(self, match: re.Match[str]) -> str:
        kind = match.lastgroup
        value = match.group(0)
        if kind == "date" or value.startswith("[") or kind is None or "\x00" in value:
            return value
        if kind == "email" or kind == "jid":
            return self.token(value, kind)
        if kind == "url":
            return self._replace_link(match)
        if kind == "coord":
            return self.token(value, "loc")
        return self.token(value, "tel")

    def url(self, value: str) -> str:
        """A link as ``scheme://host[:port]/`` and one token for the rest: the host as a browser reads it (the
        matched domain, or the host when nothing matched) stays; user info, path, query and fragment, which
        can carry a token naming the person (``?target=…``), become ``[path #…]``."""
        if value.startswith("[") and value.endswith("]"):
            return value  # already a token
        parsed = parse_url(value)
        if parsed is None or not parsed.host:
            return self.token(value, "url")
        head = f"{parsed.scheme}://{parsed.host.rstrip('.')}{':' + parsed.port if parsed.port else ''}/"
        user = parsed.href[len(parsed.scheme) + 3:parsed.href.index("@") + 1] if parsed.userinfo else ""
        rest = user + (parsed.path if parsed.path != "/" else "") + (
            "?" + parsed.query if parsed.query is not None else "") + (
            "#" + parsed.fragment if parsed.fragment is not None else "")
        return head + self.token(rest, "path") if rest else head

    # ----- structured values

    def field_value(self, name: str, value: Any, keep: frozenset[str] = frozenset()) -> Any:
        """One record field: technical fields and matched values stay; the rest becomes tokens."""
        if isinstance(value, str) and (value in keep or value in self.public):
            return value
        if value is None or isinstance(value, bool):
            return value
        lowered = name.lower()
        if _KEEP_FIELD.search(lowered):
            if isinstance(value, str):
                return self.scrub(value)
            if isinstance(value, list):
                return [self.field_value(name, item, keep) for item in value]
            if isinstance(value, dict):
                return {k: self.field_value(str(k), v, keep) for k, v in value.items()}
            return value
        if _TIME_FIELD.search(lowered) and isinstance(value, str | int | float):
            return value
        if isinstance(value, list):
            return [self.field_value(name, item, keep) for item in value]
        if isinstance(value, dict):
            return {k: self.field_value(str(k), v, keep) for k, v in value.items()}
        label = _label_for(lowered, str(value))
        if label == "url" and isinstance(value, str):
            return self.url(value)
        return self.token(str(value), label)

    def personal_values(self, record: dict[str, Any], keep: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """String values of a record's personal fields, with the label of their token (to be replaced wherever they
        appear in text, by the token their field shows)."""
        found: list[tuple[str, str]] = []

        def walk(name: str, value: Any) -> None:
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(str(k), v)
            elif isinstance(value, list):
                for item in value:
                    walk(name, item)
            elif isinstance(value, str | int | float) and not isinstance(value, bool):
                lowered = name.lower()
                if _KEEP_FIELD.search(lowered) or _TIME_FIELD.search(lowered) or str(value) in keep:
                    return
                if str(value) not in self.public:
                    found.append((str(value), _label_for(lowered, str(value))))

        for key, value in record.items():
            if key not in ("source", "record_type", "recovered"):
                walk(key, value)
        return [(v, label) for v, label in found if (len(v) >= _MIN_PERSONAL and not v.isdigit()) or len(v) >= 7]

    def device(self, info: dict[str, str]) -> dict[str, str]:
        return {key: (value if _KEEP_DEVICE.search(key) else self.token(value, "device"))
                for key, value in info.items()}

    def path(self, path: str, input_root: str) -> str:
        """An input path: the part inside the input stays, the location on the analyst's disk does not."""
        if input_root and (path == input_root or path.startswith(input_root.rstrip("/") + "/")):
            inner = path[len(input_root):].lstrip("/")
            return f"<input>/{self.scrub(inner)}" if inner else "<input>"
        if not path.startswith("/") and ":" not in path[:3]:
            return self.scrub(path)
        if path.startswith(("/sdcard/", "/storage/", "/data/", "/private/var/", "/var/", "/system/")):
            return self.scrub(path)  # a path on the phone, not on the analyst's disk
        return self.token(path, "path")

    def command(self, argv: list[str], input_root: str) -> list[str]:
        out = []
        for arg in argv:
            if _SIMPLE_WORD.match(arg):
                out.append(arg)
            elif arg.startswith("--") and "=" in arg:
                name, _, value = arg.partition("=")
                out.append(f"{name}={self.path(value, input_root)}")
            else:
                out.append(self.path(arg, input_root))
        return out


def _label_for(field_name: str, value: str) -> str:
    if "@" in value and re.fullmatch(_JID, value.strip()):
        return "jid"
    if "@" in value and re.fullmatch(_EMAIL, value.strip()):
        return "email"
    if re.search(r"lat|lon|lng|coord|location|geo|gps|altitude|place", field_name):
        return "loc"
    if re.search(r"phone|number|handle|msisdn|caller|callee|tel", field_name) or re.fullmatch(_PHONE, value.strip()):
        return "tel"
    if re.search(r"url|link|href", field_name) or _LINK.fullmatch(value.strip()):
        return "url"
    if re.search(r"name|contact|display|nick|account|owner|sender|recipient|author|from|to$", field_name):
        return "name"
    if re.search(r"text|body|message|content|subject|snippet|title|note|caption", field_name):
        return "text"
    return "value"
