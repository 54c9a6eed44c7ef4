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
from spyscan.texts import N_, tr

ROLES = {"admin": N_("it is a device administrator"), "device_owner": N_("it is the device owner"),
         "profile_owner": N_("it is a profile owner")}


@dataclass
class _Receiver:
    job: str
    record: IntentFilterEntry
    what: list[str] = field(default_factory=list)


def _joined(parts: list[str], separator: str) -> str:
    """Translatable parts joined (each stays translatable)."""
    joined = parts[0]
    for part in parts[1:]:
        if separator == ", ":
            joined = tr("%(first)s, %(second)s", first=joined, second=part)
        else:
            joined = tr("%(first)s; %(second)s", first=joined, second=part)
    return joined


class AndroidInterceptionApp(RunRule):
    id = "android.interception_app"
    title = N_("App listens to SMS or calls and has other stalkerware traits")
    severity = Severity.MEDIUM
    why = N_("Stalkerware copies SMS and calls, and is installed by hand, uses accessibility services or device "
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
            self._admin.setdefault(record.package, tr(ROLES[record.role]) if record.role in ROLES else
                                   tr("it has the device role %(role)s", role=record.role))

    def findings(self, detections: Sequence[Detection]) -> Iterable[tuple[str, Finding]]:
        indicated: dict[str, str] = {}
        for detection in detections:
            if detection.kind == "indicator" and detection.observable is not None and detection.indicator:
                family: str = detection.indicator.malware or tr("an indicator")
                indicated.setdefault(detection.observable.value.split(":", 1)[0], family)
        for package, receiver in sorted(self._receivers.items()):
            if package in self._system or (package not in self._known and is_platform_package(package)):
                continue
            traits: list[str] = []
            if package in self._origin:
                traits.append(self._origin[package])
            if package in indicated:
                traits.append(tr("it matches %(family)s", family=indicated[package]))
            if package in self._accessibility:
                traits.append(tr("it has an enabled accessibility service"))
            if package in self._admin:
                traits.append(self._admin[package])
            if traits:
                yield receiver.job, Finding(
                    record=receiver.record, observable_type="app_id", observable_value=package,
                    message=tr("%(package)s receives %(what)s; %(traits)s", package=package,
                               what=_joined(receiver.what, ", "), traits=_joined(traits, "; ")))
