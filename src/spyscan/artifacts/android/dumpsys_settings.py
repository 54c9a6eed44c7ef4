"""``dumpsys settings`` in a bugreport: the global, secure and system settings of every user.

AOSP SettingsProvider ``dumpForUserLocked`` prints ``GLOBAL SETTINGS (user 0)`` (user 0 only), then
``SECURE SETTINGS (user N)`` and ``SYSTEM SETTINGS (user N)``, one line per setting::

    _id:225 name:lock_screen_show_notifications pkg:com.android.settings value:1 default:1 defaultSystemSet:true

(``pkg``, ``default``/``defaultSystemSet`` and ``tag`` are optional; a null value is written ``null``),
each namespace followed by its "historical operations", which are not settings and are skipped. The
records are the same as androidqf's ``settings_*.txt`` ones, so the same rules judge them. An androidqf
acquisition has its own settings files: there the bugreport's copy is not read again (docs/architecture.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.android_device import sdk_level
from spyscan.evidence.android_dumpsys import DumpsysSection, require_section
from spyscan.evidence.base import Evidence
from spyscan.kinds.bugreport import BugreportEvidence
from spyscan.records.android_settings import AndroidSetting, advanced_protection
from spyscan.records.base import SourceRef
from spyscan.texts import N_

_NAMESPACE = re.compile(r"^\s*(?P<ns>GLOBAL|SECURE|SYSTEM|CONFIG) SETTINGS \(user (?P<user>\d+)\)\s*$")
_SETTING = re.compile(r"^\s*_id:\S* name:(?P<name>.*?) (?:pkg:\S* )?value:(?P<value>.*?)"
                      r"(?: default:.*?(?: defaultSystemSet:\S+)?)?(?: tag:\S*)?\s*$")


def parse_settings(section: DumpsysSection, sdk: int | None = None) -> Iterator[AndroidSetting]:
    namespace: str | None = None
    user: int | None = None
    for number, line in section.lines():
        header = _NAMESPACE.match(line)
        if header:
            namespace, user = header["ns"].lower(), int(header["user"])
            continue
        if namespace is None or namespace == "config" or "_id:" not in line:
            continue
        setting = _SETTING.match(line)
        if setting is None or not setting["name"]:
            continue
        yield AndroidSetting(source=SourceRef(file=section.file, line=number, key=section.name), namespace=namespace,
                             name=setting["name"], value=setting["value"], user=user, sdk=sdk)


class DumpsysSettings(Artifact):
    id = "android.dumpsys.settings"
    kinds = ("bugreport",)
    same_data = "settings"
    title = N_("Settings (dumpsys settings)")
    records = (AndroidSetting,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidSetting]:
        section = require_section(evidence, "settings", log=log)
        sdk = None
        if isinstance(evidence, BugreportEvidence):
            from spyscan.artifacts.android.bugreport_getprop import device_properties

            sdk = sdk_level(device_properties(evidence))
        for record in parse_settings(section, sdk):
            state = advanced_protection(record)
            if state is not None:
                log.fact("advanced_protection", state)
            yield record
