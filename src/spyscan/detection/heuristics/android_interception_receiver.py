"""A non-system app receives SMS or call broadcasts.

Alone this is context: many ordinary apps listen to call state (``PHONE_STATE``: the Facebook app on a
real phone, messengers, dialers, VoIP apps). The run rule ``android.interception_app`` raises it when the
same app is otherwise suspicious (installed by hand, an indicator, an accessibility service, device admin).
"""

from __future__ import annotations

from collections.abc import Iterable

from spyscan.detection.heuristics.android_lists import is_platform_package
from spyscan.detection.heuristics.base import Finding, Rule
from spyscan.detection.model import CONTEXT, Severity
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


def intercepted(record: IntentFilterEntry) -> str | None:
    """What a receiver listens to, when it is SMS or calls."""
    what = INTERCEPTION_ACTIONS.get(record.intent) if record.table == "receiver" else None
    return tr(what) if what is not None else None


def interception(record: IntentFilterEntry) -> str | None:
    """What an app's receiver listens to, when it is SMS or calls and the app is not the platform's (by name)."""
    what = intercepted(record)
    return None if what is None or is_platform_package(record.package) else what


class AndroidInterceptionReceiver(Rule):
    id = "android.interception_receiver"
    title = N_("App listens to SMS or calls")
    severity = Severity.INFO
    category = CONTEXT
    why = N_("Stalkerware listens to SMS and calls to copy them, but many ordinary apps listen to call state. "
             "This matters only together with other traits of the same app.")
    record_types = (IntentFilterEntry,)

    def check(self, record: Record) -> Iterable[Finding]:
        assert isinstance(record, IntentFilterEntry)
        what = interception(record)
        if what is None:
            return
        yield Finding(record=record, message=tr("%(package)s receives %(what)s (%(component)s)", package=record.package,
                                                 what=what, component=record.component),
                      observable_type="app_id", observable_value=record.package)
