"""Device facts from Android system properties (getprop), shared by the Android kinds."""

from __future__ import annotations

from spyscan.records.device import DeviceFacts

_PROPERTIES = (("ro.product.model", "model"), ("ro.build.version.release", "os_version"),
               ("ro.build.id", "build"), ("ro.build.version.security_patch", "security_patch"),
               ("persist.sys.timezone", "timezone"))
_DETAILS = (("ro.product.manufacturer", "manufacturer"), ("ro.product.brand", "brand"),
            ("ro.build.fingerprint", "build fingerprint"), ("ro.build.version.sdk", "SDK level"))


def android_facts(props: dict[str, str], facts: DeviceFacts) -> DeviceFacts:
    """Fill ``facts`` from system properties (name -> value); the facts it already has are kept."""
    for key, field in _PROPERTIES:
        value = props.get(key, "").strip()
        if value and getattr(facts, field) is None:
            setattr(facts, field, value)
    for key, label in _DETAILS:
        value = props.get(key, "").strip()
        if value:
            facts.details.setdefault(label, value)
    manufacturer, model = props.get("ro.product.manufacturer", "").strip(), props.get("ro.product.model", "").strip()
    if model and facts.marketing_name is None:
        facts.marketing_name = model if not manufacturer or model.lower().startswith(manufacturer.lower()) \
            else f"{manufacturer} {model}"
    return facts


# the first API level of each Android release (https://developer.android.com/tools/releases/platforms)
RELEASE_API = {8: 26, 9: 28, 10: 29, 11: 30, 12: 31, 13: 33, 14: 34, 15: 35, 16: 36}


def sdk_level(props: dict[str, str]) -> int | None:
    """The API level from ``ro.build.version.sdk``; else a lower bound from ``ro.build.version.release``
    (Android 8 or later is API 26 or later); None when neither says."""
    sdk = props.get("ro.build.version.sdk", "").strip()
    if sdk.isdigit():
        return int(sdk)
    release = props.get("ro.build.version.release", "").strip().split(".", 1)[0]
    if not release.isdigit() or int(release) < min(RELEASE_API):
        return None
    return RELEASE_API.get(int(release), max(RELEASE_API.values()))
