"""Translatable messages: English text that keeps its message id and parameters.

Every sentence spyscan writes for a person is built here, never with an f-string:

* ``tr("iOS %(version)s is out of date", version=v)`` gives a ``Text``: a real ``str`` holding the
  English sentence (so it goes wherever a string goes: ``log.warn``, ``ArtifactNotFound``, a
  ``SpyscanError``, a finding's message, run.json), that also remembers its message id and parameters,
  so that the faces (terminal, report, web app) can say it in the reader's language;
* ``trn(singular, plural, n, ...)`` the same with a plural;
* ``N_("Outdated iOS version")`` marks a constant (a rule's title, an artifact's title, a timeline event
  name) for extraction: the constant itself is the message id, translated where it is shown.

What is written to the outputs is the ``Message`` form (``id``, ``params``; ``plural`` and ``n``):
``Detection.text``, the ``messages`` of run.json (the translatable form of its English texts). The
catalogs are ``src/spyscan/report/locale/<lang>/LC_MESSAGES/*.po``; faces translate with
``spyscan.report.i18n.translate``. Parameters are evidence values (never translated), or nested messages
(translated too).
"""

from __future__ import annotations

from typing import Any

import msgspec

Param = str | int | float


class Message(msgspec.Struct, frozen=True, omit_defaults=True):
    """The stored form of a translatable message (``detections.json``, ``run.json``)."""

    id: str  # the English source text, with %(name)s placeholders: the catalogs' message id
    params: dict[str, Param | Message] = {}
    plural: str | None = None  # the English plural form, for messages that have one
    n: int | None = None  # the number that chooses between singular and plural

    def english(self) -> str:
        return render(self.id if self.plural is None or self.n == 1 else self.plural,
                      {k: v.english() if isinstance(v, Message) else v for k, v in self.params.items()},
                      self.id)


def render(template: str, params: dict[str, Any], fallback: str) -> str:
    """``template % params``; a template that does not fit its parameters gives ``fallback`` (never raises)."""
    if not params and "%(" not in template:
        return template
    try:
        return template % params
    except (KeyError, ValueError, TypeError):
        try:
            return fallback % params
        except (KeyError, ValueError, TypeError):
            return fallback


class Text(str):
    """The English text of a translatable message; ``message`` is its stored form."""

    message: Message

    def __new__(cls, message: Message) -> Text:
        text = super().__new__(cls, message.english())
        text.message = message
        return text

    def __reduce__(self) -> tuple[Any, ...]:  # keep the message across processes (the job pool pickles)
        return (Text, (self.message,))


def _param(value: object) -> Param | Message:
    if isinstance(value, Text):
        return value.message
    if isinstance(value, Message):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    return "" if value is None else str(value)


def tr(msgid: str, /, **params: object) -> Text:
    """A translatable sentence (``msgid`` uses ``%(name)s`` placeholders); parameters are evidence values
    (shown as they are) or other ``Text`` (translated too)."""
    return Text(Message(id=msgid, params={k: _param(v) for k, v in params.items()}))


def trn(singular: str, plural: str, n: int, /, **params: object) -> Text:
    """A translatable sentence with a plural, chosen by ``n`` (also given to the templates as ``num``)."""
    values = {k: _param(v) for k, v in params.items()}
    values.setdefault("num", n)
    return Text(Message(id=singular, params=values, plural=plural, n=n))


def N_(msgid: str) -> str:
    """Mark a constant for extraction; it is translated where it is shown."""
    return msgid


def message_of(value: object) -> Message | None:
    """The stored form of ``value`` when it is a translatable ``Text``, else None."""
    return value.message if isinstance(value, Text) else None


def messages_of(values: list[str] | tuple[str, ...]) -> dict[str, Message]:
    """English text -> stored message, for the ``Text`` among ``values`` (run.json ``messages``)."""
    return {str.__str__(v): v.message for v in values if isinstance(v, Text)}


def message_of_error(exc: BaseException) -> str:
    """The message of an exception, kept translatable when it is a ``Text`` (``str(exc)`` would lose that)."""
    message = exc.args[0] if len(exc.args) == 1 else None
    return message if isinstance(message, Text) else str(exc)
