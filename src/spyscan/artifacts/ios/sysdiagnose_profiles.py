"""Configuration profiles named in the ManagedConfiguration state.

A sysdiagnose carries ``logs/MCState/`` (profile truth, settings, installed-profile stubs); a filesystem
dump has the installed profiles under ``systemgroup.com.apple.configurationprofiles/Library/
ConfigurationProfiles/``. Every plist there is searched for profile dictionaries (a ``PayloadIdentifier``
with a ``PayloadUUID`` and a ``Configuration`` type or ``PayloadContent``), each reported once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._common import plist_problem
from spyscan.artifacts.ios._plist_values import when
from spyscan.artifacts.ios.fs_common import listed
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.fs_listing import FILE
from spyscan.evidence.plist import PlistError, load_plist
from spyscan.records.base import SourceRef
from spyscan.records.ios_sysdiagnose import ProfileState
from spyscan.texts import N_, tr
from spyscan.values import raw_value

PLIST_LIMIT = 16 << 20
LOCATIONS = {
    "sysdiagnose": ("**/MCState/**",),
    "ios-fs": ("private/var/containers/Shared/SystemGroup/*/Library/ConfigurationProfiles/**",),
}
SUFFIXES = (".plist", ".stub", ".mobileconfig")


def profile_dicts(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 8:
        return
    if isinstance(value, dict):
        if isinstance(value.get("PayloadIdentifier"), str) and (
                value.get("PayloadType") == "Configuration" or "PayloadContent" in value):
            yield value
            return
        for item in value.values():
            yield from profile_dicts(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from profile_dicts(item, depth + 1)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


class ConfigurationProfileState(Artifact):
    id = "ios.configuration_profile_state"
    kinds = ("sysdiagnose", "ios-fs")
    title = N_("Configuration profiles (ManagedConfiguration state)")
    records = (ProfileState,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[ProfileState]:
        source = listed(evidence)
        seen: set[tuple[str, str | None]] = set()
        files = 0
        for pattern in LOCATIONS.get(source.kind, ()):
            for entry in source.entries(pattern):
                if entry.type != FILE or not entry.name.endswith(SUFFIXES):
                    continue
                files += 1
                label = source.device_path(entry.path)
                try:
                    data = load_plist(source.read_entry(entry.path, PLIST_LIMIT))
                except PlistError as exc:  # a damaged plist never stops the others
                    plist_problem(label, exc, log)
                    continue
                for item in profile_dicts(data):
                    key = (item["PayloadIdentifier"], _str(item.get("PayloadUUID")))
                    if key in seen:
                        continue
                    seen.add(key)
                    installed = item.get("InstallDate")
                    yield ProfileState(
                        source=SourceRef(file=label, key=item["PayloadIdentifier"]), identifier=key[0],
                        uuid=key[1], display_name=_str(item.get("PayloadDisplayName")), state_file=label,
                        organization=_str(item.get("PayloadOrganization")),
                        installed=when(installed), installed_raw=raw_value(installed),
                    )
        if files == 0:
            raise ArtifactNotFound(tr('no configuration profile state'))
