"""A large Android bugreport zip: a dumpstate with large ``dumpsys package`` (N packages) and
``dumpsys appops`` (N packages) sections and system properties, with planted indicator values."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

from .plants import GroundTruth, Picker, Plant

DUMPSTATE = "dumpstate-2024-05-01-10-00-00.txt"
PROPERTIES = {
    "ro.build.fingerprint": "google/sample/sample:14/AP1A/1:user/release-keys",
    "ro.product.model": "Pixel Sample",
    "ro.build.version.release": "14",
    "persist.sys.timezone": "Europe/Paris",
}


def package_block(name: str, uid: int) -> str:
    return (f"  Package [{name}] ({uid:x}):\n"
            f"    userId={uid}\n"
            f"    codePath=/data/app/~~b==/{name}-c==\n"
            "    versionCode=100 minSdk=26 targetSdk=34\n"
            "    versionName=1.0.0\n"
            "    flags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ]\n"
            "    timeStamp=2024-01-02 10:00:00\n"
            "    firstInstallTime=2024-01-02 10:00:00\n"
            "    lastUpdateTime=2024-02-02 10:00:00\n"
            "    installerPackageName=com.android.vending\n"
            "    requested permissions:\n"
            "      android.permission.INTERNET\n"
            "    install permissions:\n"
            "      android.permission.INTERNET: granted=true\n"
            "    User 0: ceDataInode=1 installed=true hidden=false suspended=false stopped=false "
            "notLaunched=false enabled=0\n")


def appops_block(name: str, uid: int) -> str:
    return (f"  Uid u0a{uid - 10_000}:\n"
            "    state=cch\n"
            f"    Package {name}:\n"
            "      WAKE_LOCK (allow):\n"
            "          Access: [bg-s] 2024-04-20 09:00:00.000 (-1d) duration=+33ms\n")


class BugreportGenerator:
    def __init__(self, out: Path, records: int, seed: int, picker: Picker) -> None:
        self.out, self.n, self.seed, self.picker = out, records, seed, picker
        self.rng = random.Random(seed)
        self.truth = GroundTruth(kind="bugreport", records=records, seed=seed)

    def plant(self, source: str, row: int, value: str, indicator: str, ioc_type: str) -> None:
        self.truth.plants.append(Plant(f"{source}#{len(self.truth.plants)}", source, "", row, value, indicator,
                                       ioc_type, True, True))

    def build(self) -> GroundTruth:
        n, p = self.n, self.picker
        pkg_row, ops_row = self.rng.sample(range(n), 2)
        pkg_app, ops_app = p.app_id("android"), p.app_id("android")
        prop = p.android_property()
        self.plant("dumpsys package", pkg_row, pkg_app, pkg_app, "app_id")
        self.plant("dumpsys appops", ops_row, ops_app, ops_app, "app_id")
        self.plant("getprop", 0, prop, prop, "android_property")
        props = {**PROPERTIES, prop: "1"}
        self.out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(self.out, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("main_entry.txt", DUMPSTATE)
            zf.writestr("version.txt", "2.0")
            with zf.open(DUMPSTATE, "w", force_zip64=True) as f:
                def put(text: str) -> None:
                    f.write(text.encode())

                put("========================================================\n"
                    "== dumpstate: 2024-05-01 10:00:00\n"
                    "========================================================\n"
                    "------ SYSTEM PROPERTIES (getprop) ------\n")
                put("".join(f"[{k}]: [{v}]\n" for k, v in props.items()))
                put("------ 0.036s was the duration of 'SYSTEM PROPERTIES' ------\n"
                    "-------------------------------------------------------------------------------\n"
                    "DUMP OF SERVICE package:\nPackages:\n")
                for i in range(n):
                    put(package_block(pkg_app if i == pkg_row else f"com.bench.app{i:07d}", 10_000 + i))
                put("--------- 0.300s was the duration of dumpsys package, ending at: 2024-05-01 10:00:02\n"
                    "-------------------------------------------------------------------------------\n"
                    "DUMP OF SERVICE appops:\nCurrent AppOps Service state:\n")
                for i in range(n):
                    put(appops_block(ops_app if i == ops_row else f"com.bench.app{i:07d}", 10_000 + i))
                put("--------- 0.200s was the duration of dumpsys appops, ending at: 2024-05-01 10:00:03\n"
                    "-------------------------------------------------------------------------------\n")
        return self.truth
