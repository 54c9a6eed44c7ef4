"""Files of an androidqf acquisition that do not match its hash manifest."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_integrity import AcquisitionIntegrityIssue
from spyscan.records.base import Record
from spyscan.texts import N_, tr


class AndroidAcquisitionIntegrity(Rule):
    id = "android.acquisition_integrity"
    title = N_("Acquisition file changed or missing")
    severity = Severity.MEDIUM
    why = N_("The acquisition lists a hash for each file it wrote; a file that differs or is gone was changed "
             "or lost after the acquisition, so results drawn from it are less reliable.")
    record_types = (AcquisitionIntegrityIssue,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AcquisitionIntegrityIssue)
        if record.problem == "mismatch":
            message = tr("%(path)s does not match the hash listed in %(manifest)s", path=record.path,
                         manifest=record.manifest)
        elif record.problem == "missing":
            message = tr("%(path)s is listed in %(manifest)s but missing", path=record.path, manifest=record.manifest)
        else:
            message = tr("%(path)s is listed in %(manifest)s but %(problem)s", path=record.path,
                         manifest=record.manifest, problem=record.problem)
        yield Finding(record=record, message=message)
