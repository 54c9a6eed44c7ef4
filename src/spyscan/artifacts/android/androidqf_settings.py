"""androidqf ``settings_*.txt``: Android settings (global, secure, system) as ``name=value`` lines."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.android.androidqf_common import text_lines
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.errors import ArtifactNotFound, EvidenceError
from spyscan.evidence.android_device import sdk_level
from spyscan.evidence.base import Evidence
from spyscan.kinds.androidqf import AndroidQFEvidence
from spyscan.records.android_settings import AndroidSetting, advanced_protection
from spyscan.records.base import SourceRef
from spyscan.texts import N_, tr


def settings_files(evidence: Evidence) -> list[str]:
    if isinstance(evidence, AndroidQFEvidence):
        names = [n for n in evidence.list_files() if "/" not in n]
    else:
        names = [n for n in ("settings_global.txt", "settings_secure.txt", "settings_system.txt") if evidence.exists(n)]
    return [n for n in names if n.startswith("settings_") and n.endswith(".txt")]


class AndroidQFSettings(Artifact):
    id = "android.androidqf.settings"
    kinds = ("androidqf",)
    title = N_("Settings (settings_*.txt)")
    records = (AndroidSetting,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AndroidSetting]:
        files = settings_files(evidence)
        if not files:
            raise ArtifactNotFound(tr('settings_*.txt'))
        sdk = _sdk(evidence)
        for rel in files:
            namespace = rel[len("settings_"):-len(".txt")]
            for number, line in text_lines(evidence, rel, log):
                if not line.strip():
                    continue
                name, sep, value = line.partition("=")
                if not sep or not name.strip():
                    log.warn(tr('%(rel)s line %(number)s is not name=value', rel=rel, number=number))
                    continue
                setting = AndroidSetting(source=SourceRef(file=rel, line=number), namespace=namespace,
                                         name=name.strip(), value=value.strip(), sdk=sdk)
                state = advanced_protection(setting)
                if state is not None:
                    log.fact("advanced_protection", state)
                yield setting


def _sdk(evidence: Evidence) -> int | None:
    """The phone's API level from getprop.txt (settings changed meaning with Android 8)."""
    from spyscan.artifacts.android.androidqf_getprop import read_properties

    try:
        return sdk_level(read_properties(evidence)) if evidence.exists("getprop.txt") else None
    except (ArtifactNotFound, EvidenceError, OSError):
        return None
