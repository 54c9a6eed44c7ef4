"""Optional steps: a bugreport (slow) and the SMS backup (only when the owner agrees).

``bugreport.zip``: ``bugreportz -p`` writes the report on the phone and prints ``PROGRESS:n/total``
lines, then ``OK:<path>`` (or ``FAIL:<reason>``), the protocol ``adb bugreport`` itself uses (AOSP
``frameworks/native/cmds/bugreportz/readme.md``). spyscan copies the zip and then deletes it from the
phone, and records both in ``acquisition.json`` (``phone_traces``).

``backup.ab``: ``adb backup com.android.providers.telephony`` (the adb device service
``backup:<args>``), as androidqf's "Only SMS" choice. The phone asks its owner to confirm on its screen
(and for an optional backup password); recent Android versions may give an empty backup.
"""

from __future__ import annotations

from collections.abc import Iterator

from spyscan.collect.android.context import Context
from spyscan.collect.errors import CollectError
from spyscan.texts import tr

AB_MAGIC = b"ANDROID BACKUP\n"


def bugreport(ctx: Context) -> None:
    ctx.progress.detail("bugreport: the phone is writing it (several minutes)")
    remote: str | None = None
    failure = ""
    pending = b""
    for chunk in ctx.device.shell_stream("bugreportz -p"):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", errors="replace").strip()
            if line.startswith("PROGRESS:"):
                done, _, total = line[len("PROGRESS:"):].partition("/")
                if done.isdigit() and total.isdigit() and int(total) > 0:
                    ctx.progress.detail("bugreport", int(done), int(total))
            elif line.startswith("OK:"):
                remote = line[3:]
            elif line.startswith("FAIL:"):
                failure = line[5:]
    tail = pending.decode("utf-8", errors="replace").strip()
    if tail.startswith("OK:"):
        remote = tail[3:]
    if remote is None:
        if not (failure or tail):
            raise CollectError(tr("the phone did not make a bugreport (no answer)"))
        raise CollectError(tr("the phone did not make a bugreport (%(value)s)", value=failure or tail))
    ctx.traces.created_and_removed.append(remote)  # corrected below if the removal fails
    try:
        ctx.sink.write_chunks("bugreport.zip", ctx.device.pull(remote))
    finally:
        if not ctx.device.remove(remote):
            ctx.traces.created_and_removed.remove(remote)
            ctx.traces.left_on_phone.append(remote)


def _checked_backup(chunks: Iterator[bytes]) -> Iterator[bytes]:
    first = True
    for chunk in chunks:
        if first and chunk:
            if not chunk.startswith(AB_MAGIC[: len(chunk)]):
                raise CollectError(tr('the phone did not send an Android backup (refused or cancelled on the phone?)'))
            first = False
        yield chunk
    if first:
        raise CollectError(tr('the backup was refused or cancelled on the phone (nothing was sent)'))


def sms_backup(ctx: Context) -> None:
    ctx.progress.detail("SMS backup: confirm 'Back up my data' on the phone's screen")
    stream = ctx.device.service_stream("backup:com.android.providers.telephony")
    ctx.sink.write_chunks("backup.ab", _checked_backup(stream))
