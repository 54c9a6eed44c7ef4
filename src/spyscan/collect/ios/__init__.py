"""iOS acquisition through pymobiledevice3 (GPL-3.0-or-later, an optional extra; see docs/acquisition.md)."""
