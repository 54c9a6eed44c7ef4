"""Settings that weaken the phone's defences against unwanted apps, or say who may act for the user.

Each setting is judged by what it means (docs/false-alarms.md):

- Play Protect's app verification turned off (``package_verifier_enable`` 0, ``package_verifier_state`` -1
  or 0, ``package_verifier_user_consent`` -1): stalkerware vendors tell the buyer to do exactly this before
  installing; medium, about compromise.
- Installs over USB not verified or not confirmed (``verifier_verify_adb_installs`` 0,
  ``adb_install_need_confirm`` 0): developer settings that an installer over ADB would change; medium.
- ``install_non_market_apps`` 1: a finding only before Android 8 (API 26); since then the value is always 1
  and the permission is per app (mvt-project/mvt#459).
- Privacy choices (``upload_apk_enable``, ``send_action_app_error``, ``samsung_errorlog_agree``,
  ``send_security_reports`` off): the owner declined to share reports with Google or the maker. Said for
  information, never a sign of compromise.
- Accessibility: ``accessibility_enabled`` 1 only says that some service is on; the services named in
  ``enabled_accessibility_services`` are judged one by one (a platform service such as TalkBack is
  information, another app medium).
"""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_lists import is_platform_package
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import COMPROMISE, CONTEXT, Severity
from spyscan.records.android_settings import AndroidSetting
from spyscan.records.base import Record
from spyscan.texts import N_, tr

OREO = 26  # Android 8: "unknown sources" became a per-app permission; install_non_market_apps reads 1

# setting name -> (values that matter, what it means, severity, category)
RISKY: dict[str, tuple[frozenset[str], str, Severity, str]] = {
    "package_verifier_enable": (frozenset({"0"}), N_("Play Protect app verification is off"), Severity.MEDIUM,
                                COMPROMISE),
    "package_verifier_state": (frozenset({"-1", "0"}), N_("Play Protect app verification is off"), Severity.MEDIUM,
                               COMPROMISE),
    "package_verifier_user_consent": (frozenset({"-1"}), N_("app verification by Play Protect was refused"),
                                      Severity.MEDIUM, COMPROMISE),
    "verifier_verify_adb_installs": (frozenset({"0"}), N_("apps installed over USB are not verified"), Severity.MEDIUM,
                                     COMPROMISE),
    "adb_install_need_confirm": (frozenset({"0"}), N_("installs over USB need no confirmation on the phone"),
                                 Severity.MEDIUM, COMPROMISE),
    "upload_apk_enable": (frozenset({"0"}), N_("unknown apps are not sent to Google for scanning (a privacy choice)"),
                          Severity.INFO, CONTEXT),
    "send_action_app_error": (frozenset({"0"}), N_("app crash reports are not sent (a privacy choice)"), Severity.INFO,
                              CONTEXT),
    "samsung_errorlog_agree": (frozenset({"0"}), N_("error logs are not shared with Samsung (a privacy choice)"),
                               Severity.INFO, CONTEXT),
    "send_security_reports": (frozenset({"0"}), N_("security reports are not shared with the maker (a privacy choice)"),
                              Severity.INFO, CONTEXT),
    "accessibility_enabled": (frozenset({"1"}), N_("an accessibility service is on (see which one below)"),
                              Severity.INFO, CONTEXT),
}
UNKNOWN_SOURCES = "install_non_market_apps"
ACCESSIBILITY_SERVICES = "enabled_accessibility_services"


class AndroidRiskySetting(Rule):
    id = "android.risky_setting"
    title = N_("Risky security setting")
    severity = Severity.MEDIUM
    why = N_("Stalkerware is installed by turning off Play Protect or allowing unknown apps, and keeps control "
             "through accessibility services. Check whether the owner chose these settings.")
    record_types = (AndroidSetting,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, AndroidSetting)
        name, value = record.name, record.value.strip()
        where: str = f"{name}={value}"
        if record.user is not None:
            where = tr("%(setting)s, user %(user)s", setting=where, user=record.user)
        if name in RISKY:
            values, explanation, severity, category = RISKY[name]
            if value in values:
                yield Finding(record=record, message=tr("%(explanation)s (%(where)s)", explanation=tr(explanation),
                                                        where=where), severity=severity, category=category)
        elif name == UNKNOWN_SOURCES and value == "1":
            if record.sdk is None:
                yield Finding(record=record, severity=Severity.LOW, category=CONTEXT,
                              message=tr("installation from unknown sources is allowed (%(where)s); the Android "
                                         "version is not known, and since Android 8 this value is always 1",
                                         where=where))
            elif record.sdk < OREO:
                yield Finding(record=record, message=tr("installation from unknown sources is allowed (%(where)s)",
                                                        where=where))
        elif name == ACCESSIBILITY_SERVICES and value and value != "null":
            yield from self._services(record, value, where)

    def _services(self, record: AndroidSetting, value: str, where: str) -> Iterable[Finding]:
        services = [s.strip() for s in value.split(":") if s.strip()]
        others = [s for s in services if not is_platform_package(s.split("/", 1)[0])]
        if others:
            yield Finding(record=record, severity=Severity.MEDIUM,
                          message=tr("accessibility services of apps enabled: %(services)s",
                                     services=", ".join(others)))
        elif services:
            yield Finding(record=record, severity=Severity.INFO, category=CONTEXT,
                          message=tr("accessibility services of the system enabled: %(services)s (%(where)s)",
                                     services=", ".join(services), where=where))
