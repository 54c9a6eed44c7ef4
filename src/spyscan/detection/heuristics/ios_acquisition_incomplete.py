"""An iPhone acquisition (``spyscan collect ios``) says it is not complete."""

from __future__ import annotations

from typing import ClassVar

from spyscan.detection.heuristics.android_acquisition_incomplete import AndroidAcquisitionIncomplete
from spyscan.texts import N_


class IOSAcquisitionIncomplete(AndroidAcquisitionIncomplete):
    id = "ios.acquisition_incomplete"
    title = N_("The iPhone acquisition is incomplete")
    platform: ClassVar[str] = "ios"
