"""What happens to a parsed indicator file when it is loaded: rejections (``quality``), then platform,
threat and role (``scope``). The bundled set is prepared when it is built; other files when loaded."""

from __future__ import annotations

from spyscan.indicators.categories import FeedCategories
from spyscan.indicators.quality import check_bundle
from spyscan.indicators.scope import scope_bundle
from spyscan.indicators.stix import ParsedBundle


def prepare(parsed: ParsedBundle, file: str, categories: FeedCategories | None) -> ParsedBundle:
    return scope_bundle(check_bundle(parsed), file, categories)
