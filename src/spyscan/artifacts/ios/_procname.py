"""``ZPROCESS.ZPROCNAME`` of DataUsage.sqlite and netusage.sqlite, split into what it names.

Recent iOS versions store names with a slash (seen in log2timeline/plaso ``test_data/ios/DataUsage.sqlite``
and ``netusage.sqlite``):

* ``<UUID>/com.apple.Translate``: an app, keyed by a UUID that is no process name; the part after the
  slash is the bundle id (``ZBUNDLENAME`` holds the same);
* ``mDNSResponder/com.spotify.client``: the process ``mDNSResponder`` working for the app
  ``com.spotify.client``;
* ``terminusd/locationd`` (netusage, ``ZBUNDLENAME`` empty): ``terminusd`` relaying traffic for a process
  or a launchd label (``terminusd/com.apple.fitcored``) of a paired device. The part after the slash can
  be a process name as well as an identifier: it is kept as ``delegate`` and matched as both.
"""

from __future__ import annotations

import re

import msgspec

_UUID = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")


class ProcName(msgspec.Struct, frozen=True):
    process: str | None  # a process name (None when the stored name holds none)
    bundle_id: str | None  # the app it is about
    delegate: str | None = None  # the part after the slash when it is not the bundle id (process or label)


def split_procname(raw: str | None, bundle: str | None) -> ProcName:
    """Split ``ZPROCNAME`` (``raw``) with the help of ``ZBUNDLENAME`` (``bundle``)."""
    bundle = (bundle or "").strip() or None
    name = (raw or "").strip()
    head, slash, tail = name.partition("/")
    head, tail = head.strip(), tail.strip()
    if not slash:
        return ProcName(process=name or None, bundle_id=bundle)
    if _UUID.match(head):
        return ProcName(process=None, bundle_id=bundle or tail or None)
    if bundle is not None or not tail:
        return ProcName(process=head or None, bundle_id=bundle,
                        delegate=tail if tail and tail != bundle else None)
    return ProcName(process=head or None, bundle_id=None, delegate=tail)
