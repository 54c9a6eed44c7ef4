"""Installed configuration profiles and the history of profile installs and removals.

Profiles are stored as ``profile-<hash>.stub`` plists in the configuration-profiles system group
container, next to ``MCProfileEvents.plist`` (install/remove events with the process that did them).
Spyware has used profiles (e.g. to change notification or network settings), and public indicators
name profile identifiers/UUIDs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.artifacts.ios._plist_values import boolean, find_one, ios_source, load_dict, text, when
from spyscan.errors import ArtifactNotFound
from spyscan.evidence.base import Evidence
from spyscan.evidence.ios import IOSPath, IOSSource
from spyscan.records.base import Record, SourceRef
from spyscan.records.ios_profiles import IOSConfigurationProfile, IOSProfileEvent
from spyscan.texts import N_, tr
from spyscan.values import raw_value

DOMAIN = "SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles"
FS_DIR = ("private/var/containers/Shared/SystemGroup/systemgroup.com.apple.configurationprofiles"
          "/Library/ConfigurationProfiles")
PROFILE_STUBS = IOSPath(domain=DOMAIN, relative="Library/ConfigurationProfiles/profile-*.stub",
                        fs=(f"{FS_DIR}/profile-*.stub",))
PROFILE_EVENTS = IOSPath(domain=DOMAIN, relative="Library/ConfigurationProfiles/MCProfileEvents.plist",
                         fs=(f"{FS_DIR}/MCProfileEvents.plist",))


def _strings(values: list[Any]) -> list[str]:
    out: list[str] = []
    for value in values:
        item = text(value)
        if item and item not in out:
            out.append(item)
    return out


class IOSConfigurationProfiles(Artifact):
    id = "ios.configuration_profiles"
    kinds = ("ios-backup", "ios-fs")
    title = N_("Configuration profiles and profile events")
    records = (IOSConfigurationProfile, IOSProfileEvent)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[Record]:
        source = ios_source(evidence)
        stubs = source.ios_find(PROFILE_STUBS)
        events = find_one(source, PROFILE_EVENTS)
        if not stubs and events is None:
            raise ArtifactNotFound(tr('no configuration profile files'))
        for stub in stubs:
            profile = load_dict(source, stub, log)
            if profile is not None:
                yield self._profile(stub.label, profile, log)
        if events is not None:
            yield from self._events(source, events.label, load_dict(source, events, log), log)

    @staticmethod
    def _profile(label: str, profile: dict[str, Any], log: ArtifactLog) -> IOSConfigurationProfile:
        content = profile.get("PayloadContent")
        payloads = [p for p in content if isinstance(p, dict)] if isinstance(content, list) else []
        if content is not None and not isinstance(content, list):
            log.warn(tr('%(label)s: PayloadContent is not a list (encrypted profile?)', label=label))
        identifier, uuid = text(profile.get("PayloadIdentifier")), text(profile.get("PayloadUUID"))
        if identifier is None and uuid is None:
            log.warn(tr('%(label)s: profile without PayloadIdentifier or PayloadUUID', label=label))
        payload_ids = _strings([p.get("PayloadIdentifier") for p in payloads])
        payload_uuids = _strings([p.get("PayloadUUID") for p in payloads])
        signers = profile.get("SignerCerts", profile.get("SignerCertificates"))
        return IOSConfigurationProfile(
            source=SourceRef(file=label),
            identifier=identifier, uuid=uuid,
            display_name=text(profile.get("PayloadDisplayName")),
            organization=text(profile.get("PayloadOrganization")),
            description=text(profile.get("PayloadDescription")),
            payload_types=_strings([p.get("PayloadType") for p in payloads]),
            payload_identifiers=payload_ids,
            install_date=when(profile.get("InstallDate")),
            install_date_raw=raw_value(profile.get("InstallDate")),
            removal_disallowed=boolean(profile.get("PayloadRemovalDisallowed")),
            signed=bool(signers) if isinstance(signers, list) else None,
            profile_ids=_strings([identifier, uuid, *payload_ids, *payload_uuids]),
        )

    @staticmethod
    def _events(source: IOSSource, label: str, data: dict[str, Any] | None, log: ArtifactLog
                ) -> Iterator[IOSProfileEvent]:
        if data is None:
            return
        events = data.get("ProfileEvents")
        if not isinstance(events, list):
            log.warn(tr('%(label)s: no ProfileEvents list', label=label))
            return
        for position, event in enumerate(events):
            if not isinstance(event, dict):
                log.warn(tr('%(label)s: event %(position)s is not a dictionary', label=label, position=position))
                continue
            for profile_id, details in event.items():
                # key case differs between versions: compare lower-cased
                info = {str(k).lower(): v for k, v in details.items()} if isinstance(details, dict) else {}
                yield IOSProfileEvent(
                    source=SourceRef(file=label, key=f"ProfileEvents[{position}]"),
                    profile_id=str(profile_id), operation=text(info.get("operation")),
                    process=text(info.get("process")), timestamp=when(info.get("timestamp")),
                    timestamp_raw=raw_value(info.get("timestamp")),
                )
