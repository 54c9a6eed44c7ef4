"""A setting that weakens the device's defences against unwanted apps."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_settings import AndroidSetting
from spyscan.records.base import Record
from spyscan.texts import N_, tr

# setting name -> (risky values, explanation, severity)
RISKY: dict[str, tuple[frozenset[str], str, Severity]] = {
    "package_verifier_enable": (frozenset({"0"}), N_("app verification (Play Protect) is off"), Severity.MEDIUM),
    "package_verifier_user_consent": (frozenset({"-1"}), N_("app verification consent was refused"), Severity.MEDIUM),
    "verifier_verify_adb_installs": (frozenset({"0"}), N_("apps installed over ADB are not verified"), Severity.MEDIUM),
    "upload_apk_enable": (frozenset({"0"}), N_("unknown apps are not sent to Play Protect for scanning"), Severity.LOW),
    "install_non_market_apps": (frozenset({"1"}), N_("installation from unknown sources is allowed"), Severity.MEDIUM),
    "adb_install_need_confirm": (frozenset({"0"}), N_("ADB installs need no confirmation on the device"),
                                 Severity.MEDIUM),
    "send_action_app_error": (frozenset({"0"}), N_("app crash reports are not sent"), Severity.LOW),
}


class AndroidRiskySetting(Rule):
    id = "android.risky_setting"
    title = N_("Risky security setting")
    severity = Severity.MEDIUM
    why = N_("Turning off app verification, allowing unknown sources or enabling accessibility services is how "
             "stalkerware gets installed and keeps control of a phone; check whether the owner chose this.")
    record_types = (AndroidSetting,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AndroidSetting)
        name, value = record.name, record.value.strip()
        if name in RISKY:
            values, explanation, severity = RISKY[name]
            if value in values:
                message = tr("%(explanation)s (%(name)s=%(value)s)", explanation=tr(explanation), name=name,
                             value=value)
                yield Finding(record=record, message=message, severity=severity)
        elif name == "enabled_accessibility_services" and value and value != "null":
            services = [s for s in value.split(":") if s]
            yield Finding(record=record, severity=Severity.MEDIUM,
                          message=tr("accessibility services enabled: %(services)s", services=", ".join(services)))
