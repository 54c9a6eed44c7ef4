"""``acquisition.json`` of an androidqf acquisition (or of ``spyscan collect android``): who, when, whole or not.

androidqf writes ``uuid``, ``androidqf_version``, ``started``, ``completed``, ``collector`` (``ExePath``...),
``tmp_dir``, ``sdcard``, ``cpu`` (androidqf ``acquisition/acquisition.go``). ``spyscan collect android`` writes
the same keys plus ``tool``, ``tool_version``, ``status`` (``in_progress`` until the last step, then
``complete`` or ``incomplete``), ``interrupted``, ``steps``, ``missing``, ``partial_files`` and ``phone_traces``
(docs/acquisition.md). An acquisition whose own file says it is not complete is recorded, and the artifact
then ends with the status ``truncated``: the check is incomplete, whatever else it finds.
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.acquisition_record import acquisition_records
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.records.acquisition import AcquisitionInfo
from spyscan.texts import N_


class AndroidQFAcquisition(Artifact):
    id = "android.androidqf.acquisition"
    kinds = ("androidqf",)
    title = N_("Acquisition record (acquisition.json)")
    records = (AcquisitionInfo,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AcquisitionInfo]:
        yield from acquisition_records(evidence, "android")
