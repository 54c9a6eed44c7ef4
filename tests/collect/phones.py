"""A scripted Android phone for the acquisition tests (served by ``fake_adb.FakeAdbServer``).

Planted on request: the NoviSpy app id ``com.gu.activity`` (Amnesty International, 2024, in spyscan's
bundled indicators) installed from outside a store, and ``su`` in ``/system/xbin`` (a root tool).
"""

from __future__ import annotations

import io
import zipfile

from tests.collect.apk_builder import V3_ID, certificate, signed_apk, v1_signed_apk
from tests.collect.fake_adb import FakeFile, FakePackage, FakePhone

PLANTED_APP = "com.gu.activity"
PROPERTIES = {
    "ro.product.manufacturer": "Google", "ro.product.model": "Pixel 7a", "ro.build.version.release": "14",
    "ro.build.version.security_patch": "2024-05-05", "ro.product.cpu.abi": "arm64-v8a",
    "ro.build.fingerprint": "google/lynx/lynx:14/AP2A.240605.024/11860263:user/release-keys",
    "persist.sys.timezone": "Europe/Madrid",
}
PS = ("USER           PID  PPID        VSZ    RSS WCHAN            ADDR S NAME\n"
      "root             1     0   10932624  13412 0                   0 S init\n"
      "system        1402   842   17321608 310112 0                   0 S system_server\n"
      "u0_a181       8123   842   16032568 120004 0                   0 S com.example.notes\n")
MOUNTS = ("/dev/block/dm-6 / ext4 ro,seclabel,relatime 0 0\n"
          "tmpfs /dev tmpfs rw,seclabel,nosuid,relatime,mode=755 0 0\n"
          "/dev/block/dm-40 /data f2fs rw,lazytime,seclabel,nosuid,nodev,noatime 0 0\n")
DUMPSYS = ("-------------------------------------------------------------------------------\n"
           "DUMP OF SERVICE package:\n"
           "Packages:\n  Package [com.example.notes] (6a1b2c3):\n    userId=10181\n"
           "    versionName=1.2\n    installerPackageName=com.android.vending\n" + "  filler line\n" * 2000)
LOGCAT = "06-03 10:00:00.000  1402  1402 I ActivityManager: Start proc 8123:com.example.notes/u0a181\n" * 50


def bugreport_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("version.txt", "2.0")
        archive.writestr("main_entry.txt", "bugreport-lynx-AP2A-2024-06-03-10-00-00.txt")
        archive.writestr("bugreport-lynx-AP2A-2024-06-03-10-00-00.txt",
                         "== dumpstate: 2024-06-03 10:00:00\n------ SYSTEM PROPERTIES (getprop) ------\n"
                         "[ro.product.model]: [Pixel 7a]\n")
    return buffer.getvalue()


def scripted_phone(planted: bool = True) -> FakePhone:
    cert, key = certificate("Notes Developer")
    notes = FakePackage("com.example.notes", uid=10181,
                        apks={"/data/app/~~a1b2==/com.example.notes-XYZ==/base.apk": signed_apk(cert)})
    chrome = FakePackage("com.android.chrome", installer="null", uid=10150, system=True,
                         apks={"/product/app/Chrome/Chrome.apk": signed_apk(certificate("Google")[0], V3_ID)})
    packages = [chrome, notes,
                FakePackage("com.example.legacy", uid=10190,
                            apks={"/data/app/~~c3==/com.example.legacy-1/base.apk": v1_signed_apk(cert, key)})]
    files = {
        "/sdcard/Download/notes.txt": FakeFile(b"shopping list\n", mode=0o660, user="u0_a181", group="media_rw"),
        "/system/bin/sh": FakeFile(b"\x7fELF sh", mode=0o755),
        "/data/local/tmp/.keep": FakeFile(b"", mode=0o644, user="shell", group="shell"),
        "/init.rc": FakeFile(b"on init\n", mode=0o750),
    }
    if planted:
        cert_spy, _ = certificate("Activity")
        packages.append(FakePackage(PLANTED_APP, installer="null", uid=10234,
                                    apks={"/data/app/~~z9==/com.gu.activity-1/base.apk": signed_apk(cert_spy)}))
        files["/system/xbin/su"] = FakeFile(b"\x7fELF su", mode=0o6755)
    return FakePhone(
        properties=dict(PROPERTIES),
        settings={"global": {"adb_enabled": "1", "package_verifier_enable": "1"},
                  "secure": {"android_id": "f00dfeed"}, "system": {"screen_brightness": "102"}},
        packages=packages, processes=PS, dumpsys=DUMPSYS, logcat=LOGCAT, mounts=MOUNTS, files=files,
        bugreport=bugreport_zip(),
        backup=b"ANDROID BACKUP\n5\n1\nnone\n" + bytes(64),
    )
