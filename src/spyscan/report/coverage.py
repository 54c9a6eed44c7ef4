"""What each kind of acquisition can show, what it cannot, and what to ask for when parts are missing.

Shown under the verdict (the reader must know that "no known traces" in a sysdiagnose says nothing about
messages) and in "What could not be checked". Sources of the facts: ``docs/acquisition.md`` (what each
kind holds), Apple's "About encrypted backups" (support.apple.com/108353: only an encrypted backup holds
saved passwords, Wi-Fi settings, website history, call history and Health data).
"""

from __future__ import annotations

from dataclasses import dataclass

from spyscan.texts import N_

GUIDE = "docs/acquisition-guide.md"


@dataclass(frozen=True)
class Coverage:
    what: str  # the acquisition, as a sentence's subject: "An unencrypted iPhone backup"
    covers: str  # what it holds that was checked
    misses: str  # what it cannot show
    ask: str  # what to ask the person for when parts that matter are missing


BACKUP_ENCRYPTED = Coverage(
    what=N_("An encrypted iPhone backup"),
    covers=N_("messages (SMS and iMessage) and the links in them, Safari, Chrome and Firefox history, call "
              "history, installed apps and how they were installed, the processes that used the network, "
              "WhatsApp, contacts, calendar, configuration profiles and privacy permissions"),
    misses=N_("the processes running at the time, crash reports and system logs (a sysdiagnose holds them)"),
    ask=N_("Ask the person for a new encrypted backup of the iPhone, and a sysdiagnose."),
)
BACKUP_PLAIN = Coverage(
    what=N_("An unencrypted iPhone backup"),
    covers=N_("messages (SMS and iMessage) and the links in them, installed apps and how they were installed, "
              "the processes that used the network, WhatsApp, contacts, calendar and configuration profiles"),
    misses=N_("Safari history, call history, saved passwords, Wi-Fi settings and Health data (only an encrypted "
              "backup holds them), and the processes running at the time, crash reports and system logs (a "
              "sysdiagnose holds them)"),
    ask=N_("Ask the person for an encrypted backup of the iPhone (\"Encrypt local backup\" in Finder or in the "
           "Apple Devices app), and a sysdiagnose."),
)
BY_KIND = {
    "ios-fs": Coverage(
        what=N_("A full copy of the iPhone's file system"),
        covers=N_("messages, browser history, call history, installed apps, the processes that used the network "
                  "and whether their files exist, crash reports, the shutdown log, app installs, configuration "
                  "profiles, privacy permissions and the list of every file"),
        misses=N_("what the phone had already deleted, and programs that ran only in memory (they leave indirect "
                  "traces only)"),
        ask=N_("Ask for a new, complete copy of the file system."),
    ),
    "sysdiagnose": Coverage(
        what=N_("A sysdiagnose (the iPhone's diagnostic archive)"),
        covers=N_("the processes running when it was made and at recent restarts (shutdown log), crash reports, "
                  "app installs and uninstalls, configuration profiles and privacy permissions"),
        misses=N_("messages, browser history, call history, the list of installed apps and the network use of "
                  "processes (an encrypted backup holds them)"),
        ask=N_("Ask the person for a new sysdiagnose, and an encrypted backup of the iPhone."),
    ),
    "ios-privacy-report": Coverage(
        what=N_("An App Privacy Report"),
        covers=N_("which apps used the camera, the microphone, the location or personal data, and the domains "
                  "they contacted, over about the last seven days"),
        misses=N_("messages, browser history, processes and installed apps (an encrypted backup and a "
                  "sysdiagnose hold them)"),
        ask=N_("Ask the person for an encrypted backup of the iPhone and a sysdiagnose."),
    ),
    "ios-crash-reports": Coverage(
        what=N_("The iPhone's crash reports"),
        covers=N_("crash and memory reports of apps and system processes: which processes ran, and when"),
        misses=N_("messages, browser history, installed apps and network use (an encrypted backup holds them)"),
        ask=N_("Ask the person for an encrypted backup of the iPhone and a sysdiagnose."),
    ),
    "ios-collection": Coverage(
        what=N_("An iPhone acquisition made with spyscan collect"),
        covers=N_("the record of the acquisition; the backup, crash reports and sysdiagnose it holds are checked "
                  "as parts of their own"),
        misses=N_("whatever the acquisition did not collect (see its record)"),
        ask=N_("Make the acquisition again with the phone connected and unlocked until it ends."),
    ),
    "androidqf": Coverage(
        what=N_("An androidqf acquisition of an Android phone"),
        covers=N_("installed apps with their installer and signing certificate, running processes, system "
                  "properties and security patch level, settings, accessibility services, app permissions and "
                  "operations, the list of files, and logs"),
        misses=N_("messages (unless an SMS backup was included), browser history and what apps keep inside"),
        ask=N_("Ask for a new androidqf acquisition, with USB debugging left on until it ends."),
    ),
    "bugreport": Coverage(
        what=N_("An Android bug report"),
        covers=N_("installed apps, app permissions and operations, accessibility services, battery history, "
                  "system properties and native crash reports"),
        misses=N_("messages, browser history, the running processes and the list of files (an androidqf "
                  "acquisition holds more)"),
        ask=N_("Ask the person for a new bug report, or an androidqf acquisition."),
    ),
    "android-backup": Coverage(
        what=N_("An Android backup (.ab)"),
        covers=N_("the SMS and MMS messages it holds, and the links in them"),
        misses=N_("installed apps, processes, settings and logs (an androidqf acquisition holds them)"),
        ask=N_("Ask for an androidqf acquisition of the phone."),
    ),
    "intrusion-logs": Coverage(
        what=N_("Android intrusion-logging records"),
        covers=N_("the network connections and DNS lookups of apps, and security events"),
        misses=N_("installed apps, messages and files (an androidqf acquisition holds them)"),
        ask=N_("Ask for an androidqf acquisition of the phone."),
    ),
}
UNKNOWN = Coverage(
    what=N_("The acquisition"),
    covers=N_("the parts listed in the technical annex"),
    misses=N_("anything the acquisition did not hold"),
    ask=N_("Ask for a new, complete acquisition."),
)


def coverage_of(kind: str, encrypted: bool | None) -> Coverage:
    """What an acquisition of ``kind`` covers (an iOS backup: encrypted or not, as run.json says)."""
    if kind == "ios-backup":
        # unknown (a Manifest.plist without IsEncrypted): the unencrypted wording, which asks for an encrypted
        # backup, rather than claiming history that may not be there
        return BACKUP_ENCRYPTED if encrypted else BACKUP_PLAIN
    return BY_KIND.get(kind, UNKNOWN)
