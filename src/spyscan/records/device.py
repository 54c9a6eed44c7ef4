"""The device an acquisition comes from, as the evidence describes it (``run.json`` ``device``).

Kinds fill it from the acquisition's own metadata (``Evidence.device_info``); artifacts add the facts
they read (Lockdown Mode, Advanced Protection...) through ``ArtifactLog.fact``.
"""

from __future__ import annotations

import msgspec

# facts an artifact may report through ``ArtifactLog.fact`` (name -> accepted Python type)
ARTIFACT_FACTS: dict[str, type] = {"lockdown_mode": bool, "advanced_protection": bool, "utc_offset": str,
                                   "timezone": str, "os_version": str, "build": str, "model": str,
                                   "marketing_name": str, "security_patch": str}


class DeviceFacts(msgspec.Struct, kw_only=True, omit_defaults=True):
    """What the evidence says about the device (``run.json`` ``device``); None where it does not say."""

    platform: str | None = None  # "ios" or "android"
    model: str | None = None  # model identifier: iPhone14,2, Pixel 7 (ro.product.model)
    marketing_name: str | None = None  # iPhone 13 Pro, Google Pixel 7
    name: str | None = None  # the name the owner gave the device (personal: redacted in shared copies)
    os_version: str | None = None  # 17.5.1, 14
    build: str | None = None  # 21F90, UP1A.231005.007
    security_patch: str | None = None  # Android security patch level (YYYY-MM-DD)
    acquired: str | None = None  # ISO-8601 UTC: when the acquisition was made
    utc_offset: str | None = None  # the device's offset from UTC at acquisition (+HH:MM), when the evidence says
    timezone: str | None = None  # the device's time zone name (America/Mexico_City), when the evidence says
    encrypted: bool | None = None  # the input was encrypted (an encrypted iOS backup holds much more)
    lockdown_mode: bool | None = None  # iOS Lockdown Mode on (True) / off (False)
    advanced_protection: bool | None = None  # Android Advanced Protection on / off
    details: dict[str, str] = {}  # everything else the acquisition says (serial, identifiers, format...)

    def as_pairs(self) -> dict[str, str]:
        """Every fact as display text (name -> value), the named facts first, then ``details``."""
        pairs: dict[str, str] = {}
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if name == "details" or value is None:
                continue
            pairs["device_name" if name == "name" else name] = (
                ("yes" if value else "no") if isinstance(value, bool) else str(value))
        for key, value in self.details.items():
            pairs.setdefault(key, value)
        return pairs

    def label(self) -> str:
        """A short description of the device: marketing name or model, and OS version."""
        model = self.marketing_name or self.model or ""
        return " ".join(part for part in (model, self.os_version or "") if part)
