"""A plain-HTTP Safari visit redirected at once to another site.

Network injection (Pegasus delivered through a tampered HTTP response) shows in Safari's history as a
plain-HTTP page redirected within a second to an exploit server. Brands redirect typo domains the same
way (a real history: ``http://foxnew.com`` to ``www.foxnews.com``), sites send ``http://`` to ``https://``
and to sister hosts (``youtube.com`` to ``m.youtube.com``, ``sheets.google.com`` to ``docs.google.com``:
mvt-project/mvt#223, #94), and link shorteners redirect by design. So:

* the source and destination are compared by registrable domain (``spyscan.domains``, Public Suffix List):
  a redirect within one site, ``http`` to ``https`` included, is ignored;
* a redirect to another site is LOW context;
* it is MEDIUM when the destination has the shape of an exploit server: a raw IP address, a port other
  than the scheme's default, a label that looks random (letters and digits mixed, as in
  ``bun54l2b67.get1tn0w.free247downloads.com:30495`` from Amnesty's Pegasus methodology), or a site that
  appears nowhere else in the history. A destination that is an indicator is reported by the indicator
  match itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import COMPROMISE, CONTEXT, Severity
from spyscan.domains import registrable_domain, same_site
from spyscan.links.whatwg import HOST_DOMAIN, WebURL, parse_url
from spyscan.records.base import Record
from spyscan.records.ios_browsers import SafariVisit
from spyscan.texts import N_, tr

WITHIN_SECONDS = 1.0
MAX_CANDIDATES = 10_000
RANDOM_LABEL_MIN = 8  # shortest label judged random: letters and at least two digits mixed


def random_looking(label: str) -> bool:
    digits = sum(c.isdigit() for c in label)
    letters = sum(c.isalpha() for c in label)
    return len(label) >= RANDOM_LABEL_MIN and digits >= 2 and letters >= 2


def site_of(url: WebURL) -> str:
    """The registrable domain of a URL's host, or the host itself (IP address, unknown suffix)."""
    host = url.host.rstrip(".")
    return (registrable_domain(host) if url.host_kind == HOST_DOMAIN else None) or host


class IOSSafariFastRedirect(Rule):
    id = "ios.safari_fast_redirect"
    title = N_("HTTP visit redirected at once to another site")
    severity = Severity.MEDIUM
    why = N_("A tampered HTTP response can send a page at once to an exploit server. Brands and link shorteners "
             "also redirect to other sites, so only a destination shaped like an exploit server is worth review.")
    record_types = (SafariVisit,)

    def __init__(self) -> None:
        self.sites: dict[str, int] = {}  # site -> visits whose URL is on it
        self.candidates: list[tuple[SafariVisit, WebURL, WebURL, float]] = []

    def check(self, record: Record) -> Iterable[Finding]:
        if not isinstance(record, SafariVisit):
            return ()
        visited = parse_url(record.url or "")
        if visited is not None and visited.host:
            site = site_of(visited)
            self.sites[site] = self.sites.get(site, 0) + 1
        if (visited is None or visited.scheme != "http" or record.visit_time is None
                or record.redirect_destination_time is None or len(self.candidates) >= MAX_CANDIDATES):
            return ()
        target = parse_url(record.redirect_destination_url or "")
        if target is None or not target.host or not visited.host:
            return ()
        elapsed = (record.redirect_destination_time - record.visit_time).total_seconds()
        if not 0 <= elapsed < WITHIN_SECONDS or same_site(visited.host, target.host):
            return ()  # slower, or within one site (http to https, www, m.)
        self.candidates.append((record, visited, target, elapsed))
        return ()

    def finish(self) -> Iterable[Finding]:
        for record, source, target, elapsed in self.candidates:
            reasons = self._exploit_shape(target)
            destination = target.host + (":" + target.port if target.port else "")
            seconds = f"{elapsed:.3f}"
            message: str
            if reasons:
                joined = reasons[0]
                for reason in reasons[1:]:
                    joined = tr("%(first)s, %(second)s", first=joined, second=reason)
                message = tr("http://%(source)s redirected to %(target)s after %(seconds)s s: the destination "
                             "%(reasons)s", source=source.host, target=destination, seconds=seconds, reasons=joined)
            else:
                message = tr("http://%(source)s redirected to %(target)s after %(seconds)s s (another site, seen "
                             "elsewhere in the history)", source=source.host, target=destination, seconds=seconds)
            yield Finding(record=record, message=message, observable_type="url",
                          observable_value=record.redirect_destination_url,
                          severity=Severity.MEDIUM if reasons else Severity.LOW,
                          category=COMPROMISE if reasons else CONTEXT)

    def _exploit_shape(self, target: WebURL) -> list[str]:
        reasons: list[str] = []
        if target.host_kind != HOST_DOMAIN:
            reasons.append(tr("is a raw IP address"))
        if target.port:
            reasons.append(tr("uses the non-standard port %(port)s", port=target.port))
        labels = target.host.rstrip(".").split(".")
        odd = [label for label in labels if random_looking(label)]
        if odd:
            reasons.append(tr("has random-looking labels (%(labels)s)", labels=", ".join(odd[:3])))
        if self.sites.get(site_of(target), 0) <= 1:  # only the redirect's own destination visit
            reasons.append(tr("is a site seen nowhere else in the history"))
        return reasons
