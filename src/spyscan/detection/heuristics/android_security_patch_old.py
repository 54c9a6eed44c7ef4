"""The security patch level is more than six months older than the acquisition."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import PROTECTION, Severity
from spyscan.records.android_properties import AndroidSecurityPatch
from spyscan.records.base import Record
from spyscan.texts import N_, trn

MAX_AGE_DAYS = 183


class AndroidSecurityPatchOld(Rule):
    id = "android.security_patch_old"
    title = N_("Security patch older than six months")
    severity = Severity.MEDIUM
    category = PROTECTION  # advice: shown under "Protect this phone", never changes the verdict
    advice = N_("Install the latest system update (in Settings, under System or Software update); if the maker no "
                "longer updates this phone, consider replacing it.")
    why = N_("Exploits for publicly fixed Android flaws are used by spyware vendors; a device months behind on "
             "security patches is exposed to them. Update it, or replace it if the maker no longer does.")
    record_types = (AndroidSecurityPatch,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AndroidSecurityPatch)
        # a phone is judged on the day it was acquired, never on today's date (a re-check years later of an
        # up-to-date phone must not call it outdated): without the acquisition date there is no judgement
        if not record.reference_is_acquisition or record.age_days is None or record.age_days <= MAX_AGE_DAYS:
            return
        message = trn("security patch %(patch)s is %(num)d day older than the acquisition",
                      "security patch %(patch)s is %(num)d days older than the acquisition",
                      record.age_days, patch=record.patch_level)
        yield Finding(record=record, message=message)
