"""A plain-HTTP Safari visit redirected to another domain within one second."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.base import Record
from spyscan.records.ios_browsers import SafariVisit
from spyscan.texts import N_, tr


def _host(url: str | None) -> str | None:
    try:
        host = urlsplit(url or "").hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


class IOSSafariFastRedirect(Rule):
    id = "ios.safari_fast_redirect"
    title = N_("HTTP visit redirected to another domain within a second")
    severity = Severity.MEDIUM
    why = N_("Network-injection attacks (e.g. Pegasus delivered through a tampered HTTP response) show as a "
             "plain-HTTP page immediately redirected to an unrelated domain. Advertising and link shorteners do "
             "the same, so check where the redirect went.")
    record_types = (SafariVisit,)

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, SafariVisit) or not (record.url or "").lower().startswith("http://"):
            return
        if record.visit_time is None or record.redirect_destination_time is None:
            return
        source, target = _host(record.url), _host(record.redirect_destination_url)
        if not source or not target or source == target:
            return
        elapsed = (record.redirect_destination_time - record.visit_time).total_seconds()
        if 0 <= elapsed < 1:
            seconds = f"{elapsed:.3f}"
            yield Finding(record=record, message=tr("http://%(source)s redirected to %(target)s after %(seconds)s s",
                                                    source=source,
                                                  target=target, seconds=seconds),
                          observable_type="url", observable_value=record.redirect_destination_url)
