"""``python -m generate KIND --records N --seed S --out DIR --feeds DIR`` (run from bench/)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .plants import Picker, read_feed_values, stix_files

KINDS = ("ios-backup", "androidqf", "bugreport")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="generate", description=__doc__)
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--feeds", type=Path, required=True, help="folder of the STIX2 files given to both tools")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"generate: {args.out} already exists and is not empty", file=sys.stderr)
        return 2
    picker = Picker(read_feed_values(stix_files(args.feeds)), args.seed)
    started = time.monotonic()
    if args.kind == "ios-backup":
        from .ios_backup import IOSBackupGenerator
        truth = IOSBackupGenerator(args.out, args.records, args.seed, picker).build()
    elif args.kind == "androidqf":
        from .androidqf import AndroidQFGenerator
        truth = AndroidQFGenerator(args.out, args.records, args.seed, picker).build()
    else:
        from .bugreport import BugreportGenerator
        truth = BugreportGenerator(args.out, args.records, args.seed, picker).build()
    truth.write(args.out.parent / f"{args.out.name}.truth.json")
    print(f"generated {args.kind} with {args.records} records per source in {time.monotonic() - started:.1f}s: "
          f"{args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
