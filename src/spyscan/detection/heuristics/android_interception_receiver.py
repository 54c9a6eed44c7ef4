"""A non-system app receives SMS or call broadcasts (interception)."""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_lists import is_platform_package
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import Severity
from spyscan.records.android_intents import IntentFilterEntry
from spyscan.records.base import Record
from spyscan.texts import N_, tr

INTERCEPTION_ACTIONS = {
    "android.provider.Telephony.SMS_RECEIVED": N_("incoming SMS"),
    "android.provider.Telephony.SMS_DELIVER": N_("incoming SMS (default SMS app)"),
    "android.provider.Telephony.DATA_SMS_RECEIVED": N_("incoming data SMS"),
    "android.provider.Telephony.WAP_PUSH_RECEIVED": N_("incoming MMS/WAP push"),
    "android.provider.Telephony.WAP_PUSH_DELIVER": N_("incoming MMS/WAP push"),
    "android.intent.action.NEW_OUTGOING_CALL": N_("outgoing calls"),
    "android.intent.action.PHONE_STATE": N_("call state (incoming call numbers)"),
    "android.intent.action.DATA_SMS_RECEIVED": N_("incoming data SMS"),
}


class AndroidInterceptionReceiver(Rule):
    id = "android.interception_receiver"
    title = N_("App listens to SMS or calls")
    severity = Severity.MEDIUM
    why = N_("Stalkerware registers for incoming SMS, outgoing calls and call state to copy messages and call "
             "logs; for an app that is not a phone or messaging app, ask why it needs them.")
    record_types = (IntentFilterEntry,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, IntentFilterEntry)
        what = INTERCEPTION_ACTIONS.get(record.intent)
        if record.table != "receiver" or what is None or is_platform_package(record.package):
            return
        yield Finding(record=record, message=tr("%(package)s receives %(what)s (%(component)s)", package=record.package,
                                                 what=tr(what), component=record.component),
                      observable_type="app_id", observable_value=record.package)
