"""An app that listens to SMS or calls and has another trait of stalkerware (a run rule).

Listening to SMS or call state alone is common (``android.interception_receiver`` says it as context).
Together with one of these, on the same app, it is what stalkerware looks like and is worth an expert's
look: installed by hand or by an unknown installer (``install_origin``), an enabled accessibility service,
device administrator rights, or an indicator match on the app. The app's own package record decides
whether it is a system app (a name that only looks like the platform's, such as ``com.android.services``,
is not enough).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spyscan.detection.heuristics.android_install_origin import install_origin
from spyscan.detection.heuristics.android_interception_receiver import intercepted
from spyscan.detection.heuristics.android_lists import is_platform_package
from spyscan.detection.heuristics.base import Finding, RunRule
from spyscan.detection.model import Detection, Severity
from spyscan.records.android_accessibility import AccessibilityService
from spyscan.records.android_device_admin import DeviceAdmin
from spyscan.records.android_intents import IntentFilterEntry
from spyscan.records.android_packages import AndroidPackage
from spyscan.records.base import Record

ROLES = {"admin": "is a device administrator", "device_owner": "is the device owner",
         "profile_owner": "is a profile owner"}


@dataclass
class _Receiver:
    job: str
    record: IntentFilterEntry
    what: list[str] = field(default_factory=list)


class AndroidInterceptionApp(RunRule):
    id = "android.interception_app"
    title = "App listens to SMS or calls and has other stalkerware traits"
    severity = Severity.MEDIUM
    why = ("Stalkerware copies SMS and calls, and is installed by hand, uses accessibility services or device "
           "administrator rights to keep control. An app with several of these traits needs an expert's look.")
    record_types = (IntentFilterEntry, AndroidPackage, AccessibilityService, DeviceAdmin)

    def __init__(self) -> None:
        self._receivers: dict[str, _Receiver] = {}
        self._known: set[str] = set()  # packages with a package record
        self._system: set[str] = set()
        self._origin: dict[str, str] = {}  # package -> how it was installed, when suspicious
        self._accessibility: set[str] = set()
        self._admin: dict[str, str] = {}

    def check(self, record: Record, job: str) -> None:
        if isinstance(record, IntentFilterEntry):
            what = intercepted(record)
            if what is not None:
                receiver = self._receivers.setdefault(record.package, _Receiver(job, record))
                if what not in receiver.what:
                    receiver.what.append(what)
        elif isinstance(record, AndroidPackage):
            self._known.add(record.package)
            if record.system:
                self._system.add(record.package)
            origin = install_origin(record) if record.install_source_primary else None
            if origin is not None and origin.suspicious:
                self._origin.setdefault(record.package, origin.message)
        elif isinstance(record, AccessibilityService):
            if record.enabled or record.bound:
                self._accessibility.add(record.package)
        elif isinstance(record, DeviceAdmin):
            self._admin.setdefault(record.package, ROLES.get(record.role, record.role))

    def findings(self, detections: Sequence[Detection]) -> Iterable[tuple[str, Finding]]:
        indicated: dict[str, str] = {}
        for detection in detections:
            if detection.kind == "indicator" and detection.observable is not None and detection.indicator:
                family = detection.indicator.malware or "an indicator"
                indicated.setdefault(detection.observable.value.split(":", 1)[0], family)
        for package, receiver in sorted(self._receivers.items()):
            if package in self._system or (package not in self._known and is_platform_package(package)):
                continue
            traits = []
            if package in self._origin:
                traits.append(self._origin[package])
            if package in indicated:
                traits.append(f"it matches {indicated[package]}")
            if package in self._accessibility:
                traits.append("it has an enabled accessibility service")
            if package in self._admin:
                traits.append(f"it {self._admin[package]}")
            if traits:
                yield receiver.job, Finding(
                    record=receiver.record, observable_type="app_id", observable_value=package,
                    message=f"{package} receives {', '.join(receiver.what)}; {'; '.join(traits)}")
