"""The security patch level is more than six months older than the acquisition."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import PROTECTION, Severity
from spyscan.records.android_properties import AndroidSecurityPatch
from spyscan.records.base import Record

MAX_AGE_DAYS = 183


class AndroidSecurityPatchOld(Rule):
    id = "android.security_patch_old"
    title = "Security patch older than six months"
    severity = Severity.MEDIUM
    category = PROTECTION  # advice: shown under "Protect this phone", never changes the verdict
    why = ("Exploits for publicly fixed Android flaws are used by spyware vendors; a device months behind on "
           "security patches is exposed to them. Update it, or replace it if the maker no longer does.")
    record_types = (AndroidSecurityPatch,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AndroidSecurityPatch)
        if record.age_days is None or record.age_days <= MAX_AGE_DAYS:
            return
        against = "the acquisition" if record.reference_is_acquisition else "today"
        yield Finding(record=record, message=(f"security patch {record.patch_level} is {record.age_days} days "
                                              f"older than {against}"))
