"""``acquisition.json`` of an iPhone acquisition made by ``spyscan collect ios``: who, when, whole or not."""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.artifacts.acquisition_record import acquisition_records
from spyscan.artifacts.base import Artifact, ArtifactLog
from spyscan.evidence.base import Evidence
from spyscan.records.acquisition import AcquisitionInfo
from spyscan.texts import N_


class IOSCollectionAcquisition(Artifact):
    id = "ios.collection_acquisition"
    kinds = ("ios-collection",)
    title = N_("Acquisition record (acquisition.json)")
    records = (AcquisitionInfo,)

    def collect(self, evidence: Evidence, log: ArtifactLog) -> Iterator[AcquisitionInfo]:
        yield from acquisition_records(evidence, "ios")
