"""Global preferences (``.GlobalPreferences.plist``): Lockdown Mode (``LDMGlobalEnabled``), locale.

The same file is read from backups (HomeDomain, RootDomain) and filesystem dumps (mobile and root user
folders), so both report Lockdown Mode in ``run.json`` ``device.lockdown_mode``: on when any copy says
``LDMGlobalEnabled`` true, off when the copies read say false or lack the key (never turned on:
mvt-project/mvt#384, ``04b4482``).
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import find_files, read_plist
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath
from spyscan.records.base import SourceRef
from spyscan.records.ios_system import GlobalPreferences as GlobalPreferencesRecord
from spyscan.texts import N_

REL = "Library/Preferences/.GlobalPreferences.plist"
OTHER = "Library/Preferences/com.apple.GlobalPreferences.plist"
SPECS = (
    IOSPath(domain="HomeDomain", relative=REL, fs=(f"private/var/mobile/{REL}", f"private/var/mobile/{OTHER}",
                                                   f"private/var/root/{REL}")),
    IOSPath(domain="HomeDomain", relative=OTHER),
    IOSPath(domain="RootDomain", relative=REL),
)
LOCKDOWN_KEY = "LDMGlobalEnabled"


class GlobalPreferences(Artifact):
    id = "ios.global_preferences"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Global preferences (Lockdown Mode)")
    records = (GlobalPreferencesRecord,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[GlobalPreferencesRecord]:
        source, files = find_files(evidence, SPECS, ".GlobalPreferences.plist")
        states: list[bool] = []
        for file in files:
            data = read_plist(source, file, log)
            if not isinstance(data, dict):
                continue
            languages = data.get("AppleLanguages")
            locale = data.get("AppleLocale")
            enabled = data.get(LOCKDOWN_KEY) is True or data.get(LOCKDOWN_KEY) == 1  # absent: never turned on
            states.append(enabled)
            log.fact("lockdown_mode", any(states))
            yield GlobalPreferencesRecord(
                source=SourceRef(file=file.label, key=LOCKDOWN_KEY),
                lockdown_mode_enabled=enabled,
                lockdown_key_present=LOCKDOWN_KEY in data,
                locale=locale if isinstance(locale, str) else None,
                languages=[x for x in languages if isinstance(x, str)] if isinstance(languages, list) else [],
            )
