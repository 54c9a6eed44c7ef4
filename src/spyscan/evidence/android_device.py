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
