"""A large plain iOS backup: real Manifest.db/plists and the real iOS schemas of Safari History.db,
sms.db, WhatsApp ChatStorage.sqlite, DataUsage.sqlite, interactionC.db and WebKit observations.db.

Every database gets ``records`` rows (Safari: as many items and visits), the Manifest as many extra
entries. Rows are written with ``executemany`` in chunks, so 10^6 rows per database stay fast and
memory stays flat. Planted indicator values replace generated rows at seeded positions and are listed
in ``truth.json``.
"""

from __future__ import annotations

import hashlib
import plistlib
import random
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path

from .plants import GroundTruth, Picker, Plant

CHUNK = 20_000
MAC_EPOCH_OFFSET = 978_307_200
START_MAC = 725_000_000.0  # 2023-12-22 in seconds since 2001-01-01
BACKUP_DATE = datetime(2024, 6, 1, 12, 0, 0)
WHATSAPP_GROUP = "AppDomainGroup-group.net.whatsapp.WhatsApp.shared"
WEBKIT_REL = "Library/WebKit/WebsiteData/ResourceLoadStatistics/observations.db"
WORDS = ("river", "maple", "orbit", "cobalt", "lumen", "harbor", "quartz", "meadow", "pixel", "tundra",
         "saffron", "ember", "willow", "canyon", "nectar", "atlas", "breeze", "cinder", "delta", "fable")
BENIGN_TLDS = ("com", "org", "net", "de", "fr")


def file_id(domain: str, relative: str) -> str:
    return hashlib.sha1(f"{domain}-{relative}".encode()).hexdigest()


def mbfile(relative: str, size: int, mode: int, mtime: int, inode: int) -> bytes:
    objects: list[object] = ["$null"]
    entry = {"Birth": mtime, "Flags": 0, "GroupID": 501, "InodeNumber": inode, "LastModified": mtime,
             "LastStatusChange": mtime, "Mode": mode, "ProtectionClass": 3, "Size": size, "UserID": 501,
             "RelativePath": plistlib.UID(2), "$class": plistlib.UID(3)}
    objects += [entry, relative, {"$classname": "MBFile", "$classes": ["MBFile", "NSObject"]}]
    return plistlib.dumps({"$version": 100000, "$archiver": "NSKeyedArchiver", "$top": {"root": plistlib.UID(1)},
                           "$objects": objects}, fmt=plistlib.FMT_BINARY)


def chunks(rows: Iterable[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    batch: list[tuple[object, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def write_db(path: Path, schema: str, fill: Callable[[sqlite3.Connection], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.executescript(schema)
    fill(conn)
    conn.commit()
    conn.close()


class BenignHosts:
    def __init__(self, rng: random.Random, indicator_domains: set[str], count: int = 5000) -> None:
        hosts: list[str] = []
        while len(hosts) < count:
            host = f"{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.randrange(10_000)}.{rng.choice(BENIGN_TLDS)}"
            if host not in indicator_domains:
                hosts.append(host)
        self.hosts = hosts

    def url(self, i: int) -> str:
        return f"https://{self.hosts[i % len(self.hosts)]}/page/{i}"


class IOSBackupGenerator:
    def __init__(self, out: Path, records: int, seed: int, picker: Picker) -> None:
        self.out, self.n, self.seed, self.picker = out, records, seed, picker
        self.rng = random.Random(seed)
        self.hosts = BenignHosts(random.Random(seed + 1), set(picker.values.domains))
        self.truth = GroundTruth(kind="ios-backup", records=records, seed=seed)
        self.manifest: list[tuple[str, str, int, int]] = []  # domain, relative, flags, size
        self.taken: set[tuple[str, int]] = set()

    # -- planting ---------------------------------------------------------------------------------
    def slot(self, source: str) -> int:
        while True:
            row = self.rng.randrange(1, self.n + 1)
            if (source, row) not in self.taken:
                self.taken.add((source, row))
                return row

    def plant(self, source: str, table: str, value: str, indicator: str, ioc_type: str, spyscan: bool,
              reference: bool, rule: str = "") -> tuple[int, str]:
        row = self.slot(source)
        pid = f"{source.rsplit('/', 1)[-1]}#{len(self.truth.plants)}"
        self.truth.plants.append(Plant(pid, source, table, row, value, indicator, ioc_type, spyscan, reference, rule))
        return row, value

    def domain_plants(self, source: str, table: str, wrap: Callable[[str], str]) -> dict[int, str]:
        p = self.picker
        d1, d2, d3, d4, s1 = (p.registrable_domain(), p.registrable_domain(), p.registrable_domain(),
                              p.registrable_domain(), p.subdomain_indicator())
        planted = [
            self.plant(source, table, wrap(d1), d1, "domain", True, True),
            self.plant(source, table, wrap(f"cdn.{d2}"), d2, "domain", True, True),
            self.plant(source, table, wrap(f"x.{s1}"), s1, "domain", True, False,
                       "§3 Domains: an indicator a.evil.com matches its own subdomains (reference compares only "
                       "the full host and the registrable domain)"),
            self.plant(source, table, wrap(f"not{d3}"), d3, "domain", False, False),
            self.plant(source, table, wrap(f"{d4}.zzq"), d4, "domain", False, True,
                       "§3 Domains: label-aware, never a substring (reference falls back to substring search "
                       "when the host has no known public suffix)"),
        ]
        return dict(planted)

    # -- databases ------------------------------------------------------------------------------
    def add_file(self, domain: str, relative: str, path: Path) -> None:
        self.manifest.append((domain, relative, 1, path.stat().st_size))

    def db_path(self, domain: str, relative: str) -> Path:
        fid = file_id(domain, relative)
        return self.out / fid[:2] / fid

    def safari(self) -> None:
        domain, rel = "HomeDomain", "Library/Safari/History.db"
        plants = self.domain_plants(rel, "history_items", lambda h: f"https://{h}/landing?id=7")

        def fill(conn: sqlite3.Connection) -> None:
            items = ((i, plants.get(i) or self.hosts.url(i), 1, b"", 0, 1, 0) for i in range(1, self.n + 1))
            for batch in chunks(items):
                conn.executemany("INSERT INTO history_items (id, url, visit_count, daily_visit_counts, "
                                 "should_recompute_derived_visit_counts, visit_count_score, status_code) "
                                 "VALUES (?,?,?,?,?,?,?)", batch)
            visits = ((i, i, START_MAC + i * 7.5, f"Page {i}", 1) for i in range(1, self.n + 1))
            for batch in chunks(visits):
                conn.executemany("INSERT INTO history_visits (id, history_item, visit_time, title, load_successful) "
                                 "VALUES (?,?,?,?,?)", batch)

        path = self.db_path(domain, rel)
        write_db(path, SAFARI_SCHEMA, fill)
        self.add_file(domain, rel, path)

    def sms(self) -> None:
        domain, rel = "HomeDomain", "Library/SMS/sms.db"
        plants = self.domain_plants(rel, "message", lambda h: f"Your parcel is waiting: https://{h}/track/ab12")
        email = self.picker.email()
        handle_row, _ = self.plant(rel, "message", email, email, "email", True, False,
                                   "coverage: the reference's SMS module checks only links, not sender e-mail "
                                   "handles (§3 e-mails: exact match)")
        handles = 500

        def fill(conn: sqlite3.Connection) -> None:
            conn.executemany("INSERT INTO handle (ROWID, id, country, service, uncanonicalized_id) VALUES (?,?,?,?,?)",
                             [(h, f"+1555{h:07d}", "us", "SMS", None) for h in range(1, handles + 1)]
                             + [(handles + 1, email, "us", "iMessage", None)])

            def text(i: int) -> str:
                if i in plants:
                    return plants[i]
                return f"See you later, details at {self.hosts.url(i)}" if i % 3 == 0 else f"Message number {i}"

            rows = ((i, f"guid-{i:08d}", text(i), handles + 1 if i == handle_row else 1 + i % handles,
                     "SMS", int((START_MAC + i * 11) * 1e9), 0, i % 2) for i in range(1, self.n + 1))
            for batch in chunks(rows):
                conn.executemany("INSERT INTO message (ROWID, guid, text, handle_id, service, date, date_read, "
                                 "is_from_me) VALUES (?,?,?,?,?,?,?,?)", batch)

        path = self.db_path(domain, rel)
        write_db(path, SMS_SCHEMA, fill)
        self.add_file(domain, rel, path)

    def whatsapp(self) -> None:
        domain, rel = WHATSAPP_GROUP, "ChatStorage.sqlite"
        plants = self.domain_plants(rel, "ZWAMESSAGE", lambda h: f"look at this https://{h}/v/9 !")
        sessions = 200

        def fill(conn: sqlite3.Connection) -> None:
            conn.executemany("INSERT INTO ZWACHATSESSION (Z_PK, ZCONTACTJID, ZPARTNERNAME, ZSESSIONTYPE, "
                             "ZARCHIVED, ZREMOVED, ZMESSAGECOUNTER, ZLASTMESSAGEDATE) VALUES (?,?,?,?,?,?,?,?)",
                             [(s, f"1555{s:07d}@s.whatsapp.net", f"Contact {s}", 0, 0, 0, 0, START_MAC)
                              for s in range(1, sessions + 1)])

            def text(i: int) -> str:
                if i in plants:
                    return plants[i]
                return f"shared {self.hosts.url(i)}" if i % 4 == 0 else f"hello {i}"

            rows = ((i, 9, 1, i % 2, 1 + i % sessions, START_MAC + i * 5.0, START_MAC + i * 5.0,
                     f"1555{1 + i % sessions:07d}@s.whatsapp.net", None, text(i), 0) for i in range(1, self.n + 1))
            for batch in chunks(rows):
                conn.executemany("INSERT INTO ZWAMESSAGE (Z_PK, Z_ENT, Z_OPT, ZISFROMME, ZCHATSESSION, ZMESSAGEDATE, "
                                 "ZSENTDATE, ZFROMJID, ZTOJID, ZTEXT, ZMESSAGETYPE) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                                 batch)

        path = self.db_path(domain, rel)
        write_db(path, WHATSAPP_SCHEMA, fill)
        self.add_file(domain, rel, path)

    def datausage(self) -> None:
        domain, rel = "WirelessDomain", "Library/Databases/DataUsage.sqlite"
        proc = self.picker.process("ios")
        row, _ = self.plant(rel, "ZPROCESS", proc, proc, "process", True, True)

        def fill(conn: sqlite3.Connection) -> None:
            procs = ((i, 11, 1, START_MAC + i, START_MAC + i + 60, proc if i == row else f"proc{i % 900}",
                      f"com.example.app{i % 900}") for i in range(1, self.n + 1))
            for batch in chunks(procs):
                conn.executemany("INSERT INTO ZPROCESS (Z_PK, Z_ENT, Z_OPT, ZFIRSTTIMESTAMP, ZTIMESTAMP, ZPROCNAME, "
                                 "ZBUNDLENAME) VALUES (?,?,?,?,?,?,?)", batch)
            usage = ((i, 6, 1, i, START_MAC + i + 30, 1000.0 + i, 50.0, 0.0, 0.0) for i in range(1, self.n + 1))
            for batch in chunks(usage):
                conn.executemany("INSERT INTO ZLIVEUSAGE (Z_PK, Z_ENT, Z_OPT, ZHASPROCESS, ZTIMESTAMP, ZWIFIIN, "
                                 "ZWIFIOUT, ZWWANIN, ZWWANOUT) VALUES (?,?,?,?,?,?,?,?,?)", batch)

        path = self.db_path(domain, rel)
        write_db(path, DATAUSAGE_SCHEMA, fill)
        self.add_file(domain, rel, path)

    def interactionc(self) -> None:
        domain, rel = "HomeDomain", "Library/CoreDuet/People/interactionC.db"
        app = self.picker.app_id("ios")
        row, _ = self.plant(rel, "ZINTERACTIONS", app, app, "app_id", True, False,
                            "coverage: the reference's InteractionC module matches no indicators (§3 app ids: exact)")
        contacts = max(1, self.n // 100)

        def fill(conn: sqlite3.Connection) -> None:
            conn.executemany("INSERT INTO ZCONTACTS (Z_PK, ZDISPLAYNAME, ZIDENTIFIER, ZPERSONID, ZCREATIONDATE) "
                             "VALUES (?,?,?,?,?)",
                             [(c, f"Person {c}", f"+1555{c:07d}", f"P{c}", START_MAC) for c in range(1, contacts + 1)])
            rows = ((i, app if i == row else "com.apple.MobileSMS", "com.apple.MobileSMS", i % 2, 1 + i % contacts,
                     START_MAC + i * 3.0, START_MAC + i * 3.0 + 1, START_MAC + i * 3.0, f"chat{i % 300}", 1)
                    for i in range(1, self.n + 1))
            for batch in chunks(rows):
                conn.executemany("INSERT INTO ZINTERACTIONS (Z_PK, ZBUNDLEID, ZTARGETBUNDLEID, ZDIRECTION, ZSENDER, "
                                 "ZSTARTDATE, ZENDDATE, ZCREATIONDATE, ZDOMAINIDENTIFIER, ZRECIPIENTCOUNT) "
                                 "VALUES (?,?,?,?,?,?,?,?,?,?)", batch)

        path = self.db_path(domain, rel)
        write_db(path, INTERACTIONC_SCHEMA, fill)
        self.add_file(domain, rel, path)

    def webkit(self) -> None:
        domain, rel = "AppDomain-com.apple.mobilesafari", WEBKIT_REL
        d1, d2 = self.picker.registrable_domain(), self.picker.registrable_domain()
        plants = dict([self.plant(rel, "ObservedDomains", d1, d1, "domain", True, True),
                       self.plant(rel, "ObservedDomains", d2, d2, "domain", True, True)])

        def fill(conn: sqlite3.Connection) -> None:
            hosts = self.hosts.hosts
            rows = ((i, plants.get(i) or f"w{i}-{hosts[i % len(hosts)]}", int(START_MAC) + MAC_EPOCH_OFFSET + i,
                     i % 2, 0) for i in range(1, self.n + 1))
            for batch in chunks(rows):
                conn.executemany("INSERT INTO ObservedDomains (domainID, registrableDomain, lastSeen, "
                                 "hadUserInteraction, mostRecentUserInteractionTime) VALUES (?,?,?,?,?)", batch)

        path = self.db_path(domain, rel)
        write_db(path, WEBKIT_SCHEMA, fill)
        self.add_file(domain, rel, path)

    def manifest_extra(self) -> None:
        name = self.picker.file_name("ios")
        rel = f"Library/Preferences/{name}"
        domain = "HomeDomain"
        self.truth.plants.append(Plant(f"Manifest.db#{len(self.truth.plants)}", "Manifest.db", "Files", 0, rel, name,
                                       "file_name", True, True))
        data = plistlib.dumps({"Label": name}, fmt=plistlib.FMT_BINARY)
        path = self.db_path(domain, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.manifest.append((domain, rel, 1, len(data)))
        self.manifest.append(("HomeDomain", "Library/Preferences", 2, 0))
        self.manifest.extend((f"AppDomain-com.example.app{i % 300}", f"Library/Caches/c{i // 300}/d{i}", 2, 0)
                             for i in range(self.n))

    def write_manifest(self) -> None:
        def fill(conn: sqlite3.Connection) -> None:
            rows = ((file_id(d, r), d, r, flags,
                     mbfile(r, size, 0o100644 if flags == 1 else 0o40755, 1_717_000_000 + inode % 86_400, inode))
                    for inode, (d, r, flags, size) in enumerate(self.manifest, start=1000))
            for batch in chunks(rows):
                conn.executemany("INSERT OR REPLACE INTO Files VALUES (?,?,?,?,?)", batch)

        write_db(self.out / "Manifest.db", MANIFEST_SCHEMA, fill)
        lockdown = {"DeviceName": "Bench iPhone", "ProductType": "iPhone14,2", "ProductVersion": "17.5.1",
                    "BuildVersion": "21F90", "SerialNumber": "F2LBENCH0001", "UniqueDeviceID": "00008110-BENCH"}
        manifest = {"Version": "10.0", "Date": BACKUP_DATE, "IsEncrypted": False, "WasPasscodeSet": True,
                    "Lockdown": lockdown, "Applications": {}, "SystemDomainsVersion": "24.0"}
        info = {"Build Version": "21F90", "Device Name": "Bench iPhone", "Display Name": "Bench iPhone",
                "GUID": "0123456789ABCDEF0123456789ABCDEF", "Last Backup Date": BACKUP_DATE,
                "Product Name": "iPhone 13 Pro", "Product Type": "iPhone14,2", "Product Version": "17.5.1",
                "Serial Number": "F2LBENCH0001", "Target Identifier": "00008110-BENCH", "Target Type": "Device",
                "Unique Identifier": "00008110-BENCH", "iTunes Version": "12.13", "Installed Applications": [],
                "Applications": {}}
        status = {"BackupState": "new", "IsFullBackup": False, "Version": "3.3", "Date": BACKUP_DATE,
                  "UUID": "11111111-2222-3333-4444-555555555555", "SnapshotState": "finished"}
        (self.out / "Info.plist").write_bytes(plistlib.dumps(info))
        (self.out / "Manifest.plist").write_bytes(plistlib.dumps(manifest, fmt=plistlib.FMT_BINARY))
        (self.out / "Status.plist").write_bytes(plistlib.dumps(status, fmt=plistlib.FMT_BINARY))

    def build(self) -> GroundTruth:
        self.out.mkdir(parents=True, exist_ok=True)
        for step in (self.safari, self.sms, self.whatsapp, self.datausage, self.interactionc, self.webkit,
                     self.manifest_extra):
            step()
        self.write_manifest()
        return self.truth


SAFARI_SCHEMA = """
CREATE TABLE history_items (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL UNIQUE, domain_expansion TEXT NULL,
  visit_count INTEGER NOT NULL, daily_visit_counts BLOB NOT NULL, weekly_visit_counts BLOB NULL,
  autocomplete_triggers BLOB NULL, should_recompute_derived_visit_counts INTEGER NOT NULL,
  visit_count_score INTEGER NOT NULL, status_code INTEGER NOT NULL DEFAULT 0);
CREATE TABLE history_visits (id INTEGER PRIMARY KEY AUTOINCREMENT,
  history_item INTEGER NOT NULL REFERENCES history_items(id) ON DELETE CASCADE, visit_time REAL NOT NULL,
  title TEXT NULL, load_successful BOOLEAN NOT NULL DEFAULT 1, http_non_get BOOLEAN NOT NULL DEFAULT 0,
  synthesized BOOLEAN NOT NULL DEFAULT 0, redirect_source INTEGER NULL UNIQUE REFERENCES history_visits(id) ON DELETE
  CASCADE, redirect_destination INTEGER NULL UNIQUE REFERENCES history_visits(id) ON DELETE CASCADE,
  origin INTEGER NOT NULL DEFAULT 0, generation INTEGER NOT NULL DEFAULT 0, attributes INTEGER NOT NULL DEFAULT 0,
  score INTEGER NOT NULL DEFAULT 0);
CREATE INDEX history_visits__last_visit ON history_visits (history_item, visit_time DESC, synthesized ASC);
CREATE INDEX history_visits__origin ON history_visits (origin, generation);
"""

SMS_SCHEMA = """
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, country TEXT, service TEXT NOT
  NULL, uncanonicalized_id TEXT, person_centric_id TEXT, UNIQUE (id, service));
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT,
  replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT, country TEXT,
  attributedBody BLOB, version INTEGER DEFAULT 0, type INTEGER DEFAULT 0, service TEXT, account TEXT,
  account_guid TEXT, error INTEGER DEFAULT 0, date INTEGER, date_read INTEGER, date_delivered INTEGER,
  is_delivered INTEGER DEFAULT 0, is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0,
  is_from_me INTEGER DEFAULT 0, is_empty INTEGER DEFAULT 0, is_delayed INTEGER DEFAULT 0,
  is_auto_reply INTEGER DEFAULT 0, is_prepared INTEGER DEFAULT 0, is_read INTEGER DEFAULT 0,
  is_system_message INTEGER DEFAULT 0, is_sent INTEGER DEFAULT 0, has_dd_results INTEGER DEFAULT 0,
  cache_has_attachments INTEGER DEFAULT 0, cache_roomnames TEXT, item_type INTEGER DEFAULT 0,
  group_title TEXT, associated_message_guid TEXT, balloon_bundle_id TEXT, thread_originator_guid TEXT);
CREATE INDEX message_idx_handle ON message(handle_id, date);
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, created_date INTEGER
  DEFAULT 0, filename TEXT, mime_type TEXT, transfer_name TEXT, total_bytes INTEGER DEFAULT 0);
CREATE TABLE message_attachment_join (message_id INTEGER, attachment_id INTEGER, UNIQUE(message_id, attachment_id));
"""

WHATSAPP_SCHEMA = """
CREATE TABLE ZWACHATSESSION (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZARCHIVED INTEGER,
  ZMESSAGECOUNTER INTEGER, ZREMOVED INTEGER, ZSESSIONTYPE INTEGER, ZGROUPINFO INTEGER, ZLASTMESSAGE INTEGER,
  ZLASTMESSAGEDATE TIMESTAMP, ZCONTACTJID VARCHAR, ZPARTNERNAME VARCHAR);
CREATE TABLE ZWAGROUPINFO (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCHATSESSION INTEGER,
  ZCREATIONDATE TIMESTAMP, ZCREATORJID VARCHAR);
CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCHILDMESSAGESDELIVEREDCOUNT INTEGER,
  ZDATAITEMVERSION INTEGER, ZDOCID INTEGER, ZENCRETRYCOUNT INTEGER, ZFILTEREDRECIPIENTCOUNT INTEGER,
  ZFLAGS INTEGER, ZGROUPEVENTTYPE INTEGER, ZISFROMME INTEGER, ZMESSAGEERRORSTATUS INTEGER, ZMESSAGESTATUS INTEGER,
  ZMESSAGETYPE INTEGER, ZSORT INTEGER, ZSPOTLIGHTSTATUS INTEGER, ZSTARREDINTEGER INTEGER, ZCHATSESSION INTEGER,
  ZGROUPMEMBER INTEGER, ZLASTSESSION INTEGER, ZMEDIAITEM INTEGER, ZMESSAGEINFO INTEGER, ZPARENTMESSAGE INTEGER,
  ZMESSAGEDATE TIMESTAMP, ZSENTDATE TIMESTAMP, ZFROMJID VARCHAR, ZMEDIASECTIONID VARCHAR, ZPHASH VARCHAR,
  ZPUSHNAME VARCHAR, ZSTANZAID VARCHAR, ZTEXT VARCHAR, ZTOJID VARCHAR);
CREATE INDEX ZWAMESSAGE_ZCHATSESSION_INDEX ON ZWAMESSAGE (ZCHATSESSION);
CREATE TABLE ZWAMEDIAITEM (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZFILESIZE INTEGER,
  ZMESSAGE INTEGER, ZAUTHORNAME VARCHAR, ZMEDIALOCALPATH VARCHAR, ZMEDIAURL VARCHAR, ZTHUMBNAILLOCALPATH VARCHAR,
  ZTITLE VARCHAR, ZVCARDNAME VARCHAR, ZVCARDSTRING VARCHAR, ZXMPPTHUMBPATH VARCHAR);
CREATE INDEX ZWAMEDIAITEM_ZMESSAGE_INDEX ON ZWAMEDIAITEM (ZMESSAGE);
CREATE TABLE ZWAMESSAGEDATAITEM (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZINDEX INTEGER,
  ZMESSAGE INTEGER, ZDATE TIMESTAMP, ZCONTENT1 VARCHAR, ZCONTENT2 VARCHAR, ZMATCHEDTEXT VARCHAR, ZSENDERJID VARCHAR,
  ZSUMMARY VARCHAR, ZTITLE VARCHAR);
CREATE INDEX ZWAMESSAGEDATAITEM_ZMESSAGE_INDEX ON ZWAMESSAGEDATAITEM (ZMESSAGE);
"""

DATAUSAGE_SCHEMA = """
CREATE TABLE ZPROCESS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZFIRSTTIMESTAMP TIMESTAMP,
  ZTIMESTAMP TIMESTAMP, ZBUNDLENAME VARCHAR, ZPROCNAME VARCHAR);
CREATE TABLE ZLIVEUSAGE (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZKIND INTEGER, ZMETADATA INTEGER,
  ZTAG INTEGER, ZHASPROCESS INTEGER, ZBILLCYCLEEND TIMESTAMP, ZTIMESTAMP TIMESTAMP, ZWIFIIN FLOAT, ZWIFIOUT FLOAT,
  ZWWANIN FLOAT, ZWWANOUT FLOAT);
CREATE INDEX ZLIVEUSAGE_ZHASPROCESS_INDEX ON ZLIVEUSAGE (ZHASPROCESS);
"""

INTERACTIONC_SCHEMA = """
CREATE TABLE ZCONTACTS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZDISPLAYTYPE INTEGER,
  ZINCOMINGRECIPIENTCOUNT INTEGER, ZINCOMINGSENDERCOUNT INTEGER, ZOUTGOINGRECIPIENTCOUNT INTEGER, ZTYPE INTEGER,
  ZCREATIONDATE TIMESTAMP, ZFIRSTINCOMINGRECIPIENTDATE TIMESTAMP, ZFIRSTINCOMINGSENDERDATE TIMESTAMP,
  ZFIRSTOUTGOINGRECIPIENTDATE TIMESTAMP, ZLASTINCOMINGRECIPIENTDATE TIMESTAMP, ZLASTINCOMINGSENDERDATE TIMESTAMP,
  ZLASTOUTGOINGRECIPIENTDATE TIMESTAMP, ZCUSTOMIDENTIFIER VARCHAR, ZDISPLAYNAME VARCHAR, ZIDENTIFIER VARCHAR,
  ZPERSONID VARCHAR, ZPERSONIDTYPE INTEGER);
CREATE TABLE ZINTERACTIONS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZDIRECTION INTEGER,
  ZISRESPONSE INTEGER, ZMECHANISM INTEGER, ZRECIPIENTCOUNT INTEGER, ZSENDER INTEGER, ZCREATIONDATE TIMESTAMP,
  ZENDDATE TIMESTAMP, ZSTARTDATE TIMESTAMP, ZACCOUNT VARCHAR, ZBUNDLEID VARCHAR, ZCONTENTURL VARCHAR,
  ZDERIVEDINTENTIDENTIFIER VARCHAR, ZDOMAINIDENTIFIER VARCHAR, ZGROUPNAME VARCHAR, ZLOCATIONUUID VARCHAR,
  ZTARGETBUNDLEID VARCHAR, ZUUID BLOB);
CREATE INDEX ZINTERACTIONS_ZSENDER_INDEX ON ZINTERACTIONS (ZSENDER);
CREATE TABLE ZATTACHMENT (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZSIZEINBYTES INTEGER,
  ZCREATIONDATE TIMESTAMP, ZCLOUDIDENTIFIER VARCHAR, ZCONTENTTEXT VARCHAR, ZCONTENTURL VARCHAR,
  ZPHOTOLOCALIDENTIFIER VARCHAR, ZUTI VARCHAR, ZIDENTIFIER BLOB);
CREATE TABLE Z_1INTERACTIONS (Z_1ATTACHMENTS INTEGER, Z_3INTERACTIONS INTEGER, PRIMARY KEY (Z_1ATTACHMENTS,
  Z_3INTERACTIONS));
CREATE TABLE Z_2INTERACTIONRECIPIENT (Z_2RECIPIENTS INTEGER, Z_3INTERACTIONRECIPIENT INTEGER, PRIMARY KEY
  (Z_2RECIPIENTS, Z_3INTERACTIONRECIPIENT));
CREATE INDEX Z_1INTERACTIONS_Z_3INTERACTIONS_INDEX ON Z_1INTERACTIONS (Z_3INTERACTIONS, Z_1ATTACHMENTS);
CREATE INDEX Z_2INTERACTIONRECIPIENT_INDEX ON Z_2INTERACTIONRECIPIENT (Z_3INTERACTIONRECIPIENT, Z_2RECIPIENTS);
"""

WEBKIT_SCHEMA = """
CREATE TABLE ObservedDomains (domainID INTEGER PRIMARY KEY, registrableDomain TEXT NOT NULL UNIQUE ON CONFLICT FAIL,
  lastSeen REAL NOT NULL, hadUserInteraction INTEGER NOT NULL, mostRecentUserInteractionTime REAL NOT NULL,
  grandfathered INTEGER NOT NULL DEFAULT 0, isPrevalent INTEGER NOT NULL DEFAULT 0,
  isVeryPrevalent INTEGER NOT NULL DEFAULT 0, dataRecordsRemoved INTEGER NOT NULL DEFAULT 0,
  timesAccessedAsFirstPartyDueToUserInteraction INTEGER NOT NULL DEFAULT 0,
  timesAccessedAsFirstPartyDueToStorageAccessAPI INTEGER NOT NULL DEFAULT 0, isScheduledForAllButCookieDataRemoval
  INTEGER NOT NULL DEFAULT 0, mostRecentWebPushInteractionTime REAL NOT NULL DEFAULT 0);
"""

MANIFEST_SCHEMA = """
CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
CREATE INDEX FilesDomainIdx ON Files(domain);
CREATE INDEX FilesRelativePathIdx ON Files(relativePath);
CREATE INDEX FilesFlagsIdx ON Files(flags);
CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);
"""
